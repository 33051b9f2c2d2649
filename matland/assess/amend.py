"""Answers written back into the user's own file: only the answers change.

`matland assess` saves after every answer. A file written or edited by hand carries comments,
blank lines, key order, quoting and flow style, none of which survive parsing; so rather than
writing the file anew, `amend` edits its text where the answers stand. A changed value is
replaced where it is; a note is replaced, or added beside its value; a new answer goes under
`answers:` in questionnaire order and in the file's own indentation (or flow style), in place
of its commented placeholder when matland wrote one (`matland init`, or a file `assess` began).
Comments that are still exactly as matland wrote them (the header's count, an answer's question
and anchor) are brought up to date; every other line is the user's and stays as it is.

What `amend` returns is proven first: the text parses, loads to exactly the intended proposal,
and holds the same data as before everywhere but in the answers that changed. YAML the edits
cannot reach (an answer that is an alias, a document end marker) fails the proof and gives
None: the caller decides, and `matland assess` asks before rewriting the file whole
(`rewrite`, proven the same way).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from matland.assess.answers_section import STEP, AnswersSection
from matland.assess.details import Details
from matland.assess.details_section import Cannot, DetailsSection, comparable, expected_data
from matland.assess.dump import dump, header, inline_answer, quoted, value_text
from matland.assess.textedit import Edit, Text, apply, column, span_end
from matland.core.knowledge import Knowledge
from matland.core.model import Answer, Proposal
from matland.core.records import record
from matland.core.yamlpos import Document, YamlProblem, parse
from matland.source.load import proposal_from_document

_BLOCK_INDICATOR = re.compile(r"[|>][-+0-9]*")
_PLAIN_NOTE = re.compile(r"[A-Za-z][A-Za-z0-9 _.'()/-]*")  # safe unquoted, in block or flow


@record
class Amended:
    """A file's new text, and the proposal it was proven to load to (positions and all)."""

    text: str
    proposal: Proposal


def amend(
    text: str,
    answers: Mapping[str, Answer],
    knowledge: Knowledge,
    path: str = "",
    details: Details | None = None,
    in_file: Sequence[int] | None = None,
) -> Amended | None:
    """`text` (a valid proposal) with its answers made `answers` (and its policy details,
    respondent, stakeholders, plan and accepted risks made `details`, when given: `in_file`
    are the keys its stakeholders have in the file, by default their places), and nothing
    else changed; None when that cannot be done and proven (the caller may then `rewrite`)."""
    old = _load(text, knowledge, path)
    if old is None or not set(old.answers) <= set(answers):  # assess never removes an answer
        return None
    details = details or Details.of(old)
    in_file = tuple(range(len(old.stakeholders))) if in_file is None else tuple(in_file)
    if dict(answers) == dict(old.answers) and details.same_as(old):
        return Amended(text, old)
    root = old.document.root  # the nodes the proposal was validated from, offsets and all
    if not isinstance(root, MappingNode) or root.flow_style:
        return None
    intended = details.applied(dataclasses.replace(old, answers=dict(answers)))
    file = Text(text)
    section = AnswersSection(file, root, knowledge)
    edits = [*_header(file, old, intended, knowledge), *section.insert(intended, old)]
    try:
        edits += DetailsSection(file, root).edits(old, details, in_file)
    except Cannot:
        return None
    for qid, answer in answers.items():
        before = old.answers.get(qid)
        if before is not None and before != answer:
            key, node = section.entries[qid]
            edits += _change(file, node, before, answer)
            edits += section.reannotate(key, knowledge.questions[qid], before, answer)
    new = apply(text, edits)
    if new is None:
        return None
    expected = expected_data(old.document.data, old, details, in_file)
    return _proven(new, old, intended, expected, knowledge)


def rewrite(
    proposal: Proposal,
    knowledge: Knowledge,
    details: Details | None = None,
    in_file: Sequence[int] | None = None,
) -> Amended | None:
    """The proposal (with `details`, as `amend` takes them) written whole in matland's layout
    (`dump`), proven to load back the same; None would be a bug in dump."""
    if details is not None:  # the user's x- keys go with their stakeholder, wherever it is
        keys = tuple(range(len(proposal.stakeholders))) if in_file is None else tuple(in_file)
        data = expected_data(proposal.document.data, proposal, details, keys)
        proposal = dataclasses.replace(details.applied(proposal), document=Document(data))
    text = dump(proposal, knowledge)
    loaded = _load(text, knowledge, proposal.path)
    return Amended(text, loaded) if loaded == proposal else None


# ---------------------------------------------------------------- the proof


def _load(text: str, knowledge: Knowledge, path: str) -> Proposal | None:
    try:
        document = parse(text)
    except YamlProblem:
        return None
    return proposal_from_document(path, document, knowledge)[0]


def _proven(
    text: str, old: Proposal, intended: Proposal, expected: dict[str, Any], knowledge: Knowledge
) -> Amended | None:
    """The new text, if it loads to `intended`, its data outside the answers is `expected`
    (the old data with the details' changes made), and its answers differ from the old only
    in the answers that changed (the user's `x-` keys inside those included)."""
    new = _load(text, knowledge, old.path)
    if new is None or new != intended:
        return None
    before, after = old.document.data, new.document.data
    if comparable(expected) != comparable(after):
        return None
    was, now = before.get("answers") or {}, after.get("answers") or {}
    if set(now) != set(was) | set(intended.answers):
        return None
    for key, entry in was.items():
        same = intended.answers.get(key) == old.answers.get(key)  # x- keys: both None
        if (now[key] if same else _own(now[key])) != (entry if same else _own(entry)):
            return None
    return Amended(text, new)


def _own(entry: Any) -> dict[str, Any]:
    """The user's `x-` keys inside one answer."""
    return {k: v for k, v in entry.items() if k.startswith("x-")} if isinstance(entry, dict) else {}


# ---------------------------------------------------------------- changed answers


def _change(file: Text, node: Node, before: Answer, after: Answer) -> list[Edit]:
    if not isinstance(node, MappingNode):  # `id: 4`, becoming `id: {value: 4, note: "…"}`
        return [file.replace(node, inline_answer(after))]
    fields = {key.value: (key, value) for key, value in node.value}
    value_key, value = fields["value"]
    edits = []
    if before.value != after.value:
        edits.append(file.replace(value, value_text(after)))
    if before.note != after.note:
        if "note" in fields:
            edits += _note(file, fields["note"][1], after.note)
        elif node.flow_style:
            at = span_end(file, value)
            edits.append(Edit(at, at, f", note: {quoted(after.note)}"))
        else:
            indent = " " * column(value_key)
            at = file.start(file.last_line(value) + 1)
            edits.append(file.insert_lines(at, [f"{indent}note: {quoted(after.note)}"]))
    return edits


def _note(file: Text, node: Node, note: str) -> list[Edit]:
    """A note replaced in the style it was written in, where that style can hold it."""
    style = node.style if isinstance(node, ScalarNode) else None
    one_line = note.isprintable() and note == note.strip()
    if style in ("|", ">"):
        return _block_note(file, node, note, keep_style=one_line)
    if style == "'" and one_line:
        return [file.replace(node, "'" + note.replace("'", "''") + "'")]
    # A plain scalar's style is "" from libyaml, None from PyYAML's own parser.
    plain = not style and _PLAIN_NOTE.fullmatch(note) and yaml.safe_load(note) == note
    return [file.replace(node, note if plain else quoted(note))]


def _block_note(file: Text, node: Node, note: str, keep_style: bool) -> list[Edit]:
    """`note: |` (or `>`) keeps its header line and any comment on it. A one-line note is
    written under it at the old text's indentation; any other is written quoted in place of
    the `|`, and the lines under it go."""
    start = node.start_mark.index
    head, last = file.line_of(start), file.last_line(node)
    below = file.start(head + 1), file.start(last + 1)
    if not keep_style:
        indicator = _BLOCK_INDICATOR.search(file.text, start, below[0])
        if indicator is None:  # not found after a tag or anchor: the proof will say so
            return []
        return [Edit(indicator.start(), indicator.end(), quoted(note)), Edit(*below, "")]
    indent = next(
        (file.indent(line) for line in range(head + 1, last + 1) if file.content(line).strip()),
        file.indent(head) + " " * STEP,
    )
    return [Edit(*below, indent + note + file.newline)] if note else [Edit(*below, "")]


def _header(file: Text, old: Proposal, new: Proposal, knowledge: Knowledge) -> list[Edit]:
    """The count in the header matland wrote, brought up to date if it is still there as
    written."""
    before, after = header(old, knowledge), header(new, knowledge)
    if before == after or [file.content(n) for n in range(len(before))] != before:
        return []
    return [file.replace_lines(0, len(before) - 1, after)]
