"""A Proposal written back as a proposal file: valid, commented, and read back the same.

`matland assess` saves its draft through here after every answer, so the text must always
load to the same policy, answers and lists (tests/unit/test_dump.py checks the round trip).
Each answer carries its question and the anchor wording of its value as comments, so the file
reads on its own. The user's `x-` keys are carried over from the document the proposal was read
from. This writes a file whole, in matland's layout: `assess` uses it for a new file, while a
file that exists is edited in place by `amend.py` (which shares the pieces below: `header`,
`annotation`, `placeholder`, `inline_answer`), so that the user's own text survives.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from matland.assess.details import choices
from matland.core.knowledge import Knowledge, Question
from matland.core.model import FORMAT_VERSION, Answer, AnswerValue, Proposal
from matland.core.words import flat
from matland.core.yamlpos import Path
from matland.render.questions import by_group

INDENT = "  "
WIDTH = 100  # comments wrap here (the project's line length); values never wrap
_WIDE = 1_000_000_000  # no line folding: every scalar stays on its line
_PLAIN_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")

# The commented lines that stand for what a new file does not have yet (without their
# indentation): `amend` puts a value given later in their place when they are still there.
POLICY_PLACEHOLDERS = {
    "summary": "# summary: what the policy does, in a sentence or two",
    "owner": "# owner: the department or body that owns it",
    "jurisdiction": "# jurisdiction: where it applies",
}
STAKEHOLDERS_PLACEHOLDER = (
    "# - name: Local Government Association",
    f"#   role: implementer    # {' | '.join(choices('role'))}",
    f"#   stance: support      # {' | '.join(choices('stance'))}",
    f"#   influence: high      # {' | '.join(choices('influence'))}",
)
PLAN_PLACEHOLDER = ("# ids from `matland rules list --kind support`",)


def dump(proposal: Proposal, knowledge: Knowledge) -> str:
    """The proposal as the text of a proposal file (format version 1)."""
    data = proposal.document.data
    lines = [
        *header(proposal, knowledge),
        f"matland: {FORMAT_VERSION}",
        *_policy(proposal, data),
        *_answers(proposal, knowledge, data),
        *_stakeholders(proposal, data),
        *_support_plan(proposal),
        *_accepted_risks(proposal, data),
        *_lessons(proposal),
        *_respondent(proposal, data),
        *_extras(data, (), ""),
    ]
    return "\n".join(lines) + "\n"


def answer_meaning(question: Question, value: AnswerValue, applies: bool = True) -> str:
    """What an answer means in the question's own words: its anchor, or the two around it."""
    if value is None:
        return "unsure" if applies else "n/a: does not apply to this policy"
    if isinstance(value, bool):
        return "yes" if value else "no"
    anchors = question.anchors or {}
    if value in anchors:
        return f"{value} = {_one_line(anchors[value])}"
    below, above = value - 1, value + 1
    if below in anchors and above in anchors:
        return (
            f"{value} = between {below} ({_one_line(anchors[below])}) "
            f"and {above} ({_one_line(anchors[above])})"
        )
    return str(value)


def value_text(answer: Answer) -> str:
    """An answer's value in YAML's words: 3, true, false, unsure or n/a."""
    value = answer.written
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def inline_answer(answer: Answer) -> str:
    """An answer as the value of its key on one line: bare, or a flow mapping with its note."""
    value = value_text(answer)
    return f"{{value: {value}, note: {quoted(answer.note)}}}" if answer.note else value


def answer_counts(answers: Sequence[Answer]) -> str:
    """ "4 unsure", or "4 unsure, 2 n/a" when some items do not apply."""
    unsure = sum(1 for a in answers if a.unsure)
    not_applicable = sum(1 for a in answers if not a.applies)
    return f"{unsure} unsure" + (f", {not_applicable} n/a" if not_applicable else "")


def header(proposal: Proposal, knowledge: Knowledge) -> list[str]:
    """The comment lines at the top of a file matland wrote, with the count of answers."""
    known = [a for qid, a in proposal.answers.items() if qid in knowledge.questions]
    return [
        f"# A matland proposal (format version {FORMAT_VERSION}), written by `matland assess`:",
        f"#   {len(known)} of {len(knowledge.questions)} items answered ({answer_counts(known)}).",
        "# Run `matland assess` on this file again to resume (add --review to change answers);",
        "# `matland check` or `matland report` on it to see the assessment.",
    ]


def annotation(question: Question, answer: Answer, indent: str = INDENT) -> list[str]:
    """The comment lines above an answer: its question, and for a scale (or unsure) what the
    value means."""
    lines = _comment(question.text, indent + "# ", indent + "# ")
    if question.type == "scale" or answer.value is None:
        lines += _comment(
            answer_meaning(question, answer.value, answer.applies),
            indent + "#   ",
            indent + "#       ",
        )
    return lines


def placeholder(question: Question, indent: str = INDENT) -> str:
    """The commented line that stands for an item not answered yet."""
    return f"{indent}# {question.id}:    # {_one_line(question.text)}"


# ---------------------------------------------------------------- sections


def _policy(proposal: Proposal, data: Any) -> list[str]:
    policy = proposal.policy
    lines = ["policy:", f"{INDENT}title: {quoted(policy.title)}"]
    for key, placeholder in POLICY_PLACEHOLDERS.items():
        value = getattr(policy, key)
        if value is None:
            lines.append(f"{INDENT}{placeholder}")
        else:
            lines.append(f"{INDENT}{key}: {quoted(value)}")
    return lines + _extras(data, ("policy",), INDENT)


def _answers(proposal: Proposal, knowledge: Knowledge, data: Any) -> list[str]:
    lines = ["answers:"]
    for group, questions in by_group(knowledge):
        lines.append(f"{INDENT}# --- {_one_line(group.title)} ---")
        for question in questions:
            answer = proposal.answers.get(question.id)
            if answer is None:
                lines.append(placeholder(question))
                continue
            lines += annotation(question, answer)
            lines += _answer(question.id, answer, data)
    for qid, answer in proposal.answers.items():  # ids the rules do not know (kept, not lost)
        if qid not in knowledge.questions:
            lines += _answer(qid, answer, data)
    return lines + _extras(data, ("answers",), INDENT)


def _answer(qid: str, answer: Answer, data: Any) -> list[str]:
    extras = _extras(data, ("answers", qid), INDENT * 2)
    if not extras:
        return [f"{INDENT}{qid}: {inline_answer(answer)}"]
    lines = [f"{INDENT}{qid}:", f"{INDENT * 2}value: {value_text(answer)}"]
    if answer.note:
        lines.append(f"{INDENT * 2}note: {quoted(answer.note)}")
    return lines + extras


def _stakeholders(proposal: Proposal, data: Any) -> list[str]:
    lines = ["stakeholders:"]
    if not proposal.stakeholders:
        return [*lines, *(INDENT + line for line in STAKEHOLDERS_PLACEHOLDER)]
    for index, person in enumerate(proposal.stakeholders):
        lines += [
            f"{INDENT}- name: {quoted(person.name)}",
            f"{INDENT}  role: {person.role}",
            f"{INDENT}  stance: {person.stance}",
            f"{INDENT}  influence: {person.influence}",
            *_extras(data, ("stakeholders", index), INDENT * 2),
        ]
    return lines


def _support_plan(proposal: Proposal) -> list[str]:
    lines = ["support_plan:"]
    if not proposal.support_plan:
        return [*lines, *(INDENT + line for line in PLAN_PLACEHOLDER)]
    return lines + [f"{INDENT}- {word(item)}" for item in proposal.support_plan]


def _accepted_risks(proposal: Proposal, data: Any) -> list[str]:
    if not proposal.accepted_risks:
        return []
    lines = ["accepted_risks:"]
    for index, risk in enumerate(proposal.accepted_risks):
        lines += [
            f"{INDENT}- id: {word(risk.id)}",
            f"{INDENT}  reason: {quoted(risk.reason)}",
            *_extras(data, ("accepted_risks", index), INDENT * 2),
        ]
    return lines


def _lessons(proposal: Proposal) -> list[str]:
    if not proposal.lessons:
        return []
    return ["lessons:"] + [f"{INDENT}- {quoted(lesson)}" for lesson in proposal.lessons]


def _respondent(proposal: Proposal, data: Any) -> list[str]:
    respondent = proposal.respondent
    if respondent is None:
        return []
    fields = [
        f"{INDENT}{key}: {quoted(value)}"
        for key in ("name", "role")
        if (value := getattr(respondent, key)) is not None
    ]
    extras = _extras(data, ("respondent",), INDENT)
    if not fields and not extras:
        return ["respondent: {}"]  # a bare `respondent:` would read as no respondent at all
    return ["respondent:", *fields, *extras]


# ---------------------------------------------------------------- the user's x- keys


def _extras(data: Any, at: Path, indent: str) -> list[str]:
    """The `x-` keys of the mapping at `at` in the original document, as YAML lines."""
    node = _node(data, at)
    if not isinstance(node, Mapping):
        return []
    lines: list[str] = []
    for key, value in node.items():
        if isinstance(key, str) and key.startswith("x-"):
            lines += _entry(key, value, indent)
    return lines


def _node(data: Any, at: Path) -> Any:
    for part in at:
        if isinstance(data, Mapping) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _entry(key: str, value: Any, indent: str) -> list[str]:
    name = key if _PLAIN_KEY.fullmatch(key) else quoted(key)
    if not isinstance(value, dict | list) or not value:
        return [f"{indent}{name}: {_inline(value)}"]
    block = yaml.dump(
        value,
        Dumper=_Dumper,
        default_flow_style=False,
        allow_unicode=True,
        sort_keys=False,
        width=_WIDE,
    )
    inner = indent + INDENT
    return [f"{indent}{name}:"] + [inner + line if line else line for line in block.splitlines()]


class _Dumper(yaml.SafeDumper):
    """Safe dumping, with text holding line breaks or control characters double-quoted:
    PyYAML would otherwise fold some of them (NEL, U+2028) into spaces on the way back."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = None if text.isprintable() else '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)


# ---------------------------------------------------------------- scalars


def quoted(text: str) -> str:
    """A double-quoted YAML scalar on one line (the emitter escapes what must be escaped)."""
    return str(yaml.safe_dump(text, default_style='"', allow_unicode=True, width=_WIDE)).rstrip(
        "\n"
    )


def _inline(value: Any) -> str:
    if isinstance(value, str):
        return quoted(value)
    text = str(yaml.safe_dump(value, default_flow_style=True, width=_WIDE))
    return text.removesuffix("\n...\n").rstrip("\n")


def word(text: str) -> str:
    """An id written plain when YAML reads it back as the same text, else quoted."""
    if _PLAIN_KEY.fullmatch(text) and yaml.safe_load(text) == text:
        return text
    return quoted(text)


def _one_line(text: str) -> str:
    return flat(text)


def _comment(text: str, first: str, rest: str) -> list[str]:
    """A comment wrapped to the line length (a comment cannot span lines in YAML)."""
    return textwrap.wrap(_one_line(text), WIDTH, initial_indent=first, subsequent_indent=rest) or [
        first.rstrip()
    ]
