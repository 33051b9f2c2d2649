"""The policy's details, the respondent, the stakeholders, the support plan and the accepted
risks written into the user's own file, where they stand (as `answers_section.py` does for
the answers).

A changed value is replaced where it is; a new field goes under its mapping in the mapping's
indentation (in place of the commented placeholder matland wrote for it, when that is still
there); a new list entry goes after the last one, in the list's own indentation or flow
style; a removed entry's lines go, and nothing else. What cannot be edited this way (a
section written as an alias, a stakeholder moved in the file meanwhile) gives `Cannot`, and
`amend` returns None: `assess` then asks before rewriting the file whole.

`expected_data` is the other half of the proof: the old file's data with exactly these
changes made, which the new text must load to (so nothing else the user wrote moved).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from matland.assess.answers_section import _step
from matland.assess.details import (
    POLICY_FIELDS,
    RESPONDENT_FIELDS,
    STAKEHOLDER_FIELDS,
    Details,
)
from matland.assess.dump import (
    PLAN_PLACEHOLDER,
    POLICY_PLACEHOLDERS,
    STAKEHOLDERS_PLACEHOLDER,
    quoted,
    word,
)
from matland.assess.textedit import Edit, Text, column, span_end
from matland.core.model import AcceptedRisk, Proposal, Stakeholder
from matland.core.records import as_dict

LISTS = ("stakeholders", "support_plan", "accepted_risks")


class Cannot(Exception):
    """The file's text is not one these edits can make the change in."""


class DetailsSection:
    """Where the top-level sections other than `answers:` stand in a file, and their edits."""

    def __init__(self, file: Text, root: MappingNode) -> None:
        self.file = file
        self.root = root
        self.entries = {key.value: (key, value) for key, value in root.value}
        self.keys = [key for key, _ in root.value]
        self.indent = " " * column(root)
        self.step = _step(root)
        self.appended: list[str] = []  # sections new to the file, written at its end

    def edits(self, old: Proposal, details: Details, in_file: Sequence[int]) -> list[Edit]:
        """The edits that make the file's `old` proposal hold `details`; `in_file` are the
        keys of the file's stakeholders, in order."""
        edits = [*self._policy(old, details), *self._respondent(old, details)]
        edits += self._stakeholders(old, details, in_file)
        edits += self._plan(old, details)
        edits += self._accepted(old, details)
        if self.appended:
            edits.append(self.file.insert_lines(len(self.file.text), self.appended))
        return _merged(edits)

    # -- mappings: the policy, the respondent

    def _policy(self, old: Proposal, details: Details) -> list[Edit]:
        changed = [f for f in POLICY_FIELDS if getattr(details.policy, f) != getattr(old.policy, f)]
        if not changed:
            return []
        node = self._value("policy")
        if not isinstance(node, MappingNode):
            raise Cannot("policy")
        edits = []
        for name in changed:
            value = getattr(details.policy, name)
            if value is None:  # cleared: its key's lines go
                edits += self._unset(node, name)
                continue
            edits += self._set(node, name, quoted(value), "policy", POLICY_PLACEHOLDERS.get(name))
        return edits

    def _respondent(self, old: Proposal, details: Details) -> list[Edit]:
        new = details.respondent
        if new == old.respondent:
            return []
        if new is None:  # every field cleared: the section goes
            return self._unset(self.root, "respondent")
        changed = [
            f for f in RESPONDENT_FIELDS if getattr(new, f) != getattr(old.respondent, f, None)
        ]
        cleared = [f for f in changed if getattr(new, f) is None]
        fields = [(f, quoted(getattr(new, f))) for f in changed if f not in cleared]
        node = self._value("respondent")
        if cleared and not isinstance(node, MappingNode):
            raise Cannot("respondent")
        if node is None:
            self._append("respondent", [f"{name}: {text}" for name, text in fields])
            return []
        if isinstance(node, MappingNode):
            edits = [edit for name in cleared for edit in self._unset(node, name)]
            return edits + [edit for name, text in fields for edit in self._set(node, name, text)]
        if _null(node):
            lines = [f"{name}: {text}" for name, text in fields]
            return self._fill_null("respondent", node, lines, ())
        raise Cannot("respondent")

    def _unset(self, node: MappingNode, name: str) -> list[Edit]:
        """`name:` taken out of a block mapping: its lines go (the key on a line of its own,
        its value ending before the next key's line)."""
        pairs = node.value
        at = next((i for i, (key, _) in enumerate(pairs) if key.value == name), None)
        if at is None:
            return []
        key, value = pairs[at]
        if len(pairs) == 1:
            raise Cannot(name)  # a mapping left empty: rewritten whole, if asked
        if node.flow_style:
            return self._unset_flow(pairs, at)
        first = self.file.line_of(key.start_mark.index)
        if self.file.content(first)[: column(key)].strip():
            raise Cannot(name)
        if at > 0 and self.file.last_line(pairs[at - 1][1]) >= first:
            raise Cannot(name)
        last = self.file.last_line(value)
        if at + 1 < len(pairs) and self.file.line_of(pairs[at + 1][0].start_mark.index) <= last:
            raise Cannot(name)
        return [Edit(self.file.start(first), self.file.start(last + 1), "")]

    def _unset_flow(self, pairs: Sequence[tuple[Node, Node]], at: int) -> list[Edit]:
        """A pair taken out of a flow mapping (`{a: 1, b: 2}`) with one comma: its own, or
        the one before it when it is the last. Written over several lines, a pair on lines
        of its own goes with its lines (its own comment too); a comment after another pair,
        or on a line of its own, stays."""
        file = self.file
        key, value = pairs[at]
        first, last = file.line_of(key.start_mark.index), file.last_line(value)
        own_lines = not file.content(first)[: column(key)].strip()
        end = span_end(file, value)
        rest_of_line = file.text[end : file.start(last + 1)].strip()
        if own_lines and rest_of_line[:1] == ",":  # `b: 2,  # about b` ends its lines
            return [Edit(file.start(first), file.start(last + 1), "")]
        if at + 1 < len(pairs):  # the pair and its comma, up to the next key
            following = pairs[at + 1][0].start_mark.index
            if own_lines and file.line_of(following) > last:
                return [Edit(file.start(first), file.start(file.line_of(following)), "")]
            return [Edit(key.start_mark.index, following, "")]
        before = span_end(file, pairs[at - 1][1])  # the last pair: the comma before it goes
        comma = before + len(file.text[before:]) - len(file.text[before:].lstrip())
        if file.text[comma : comma + 1] != ",":
            raise Cannot(str(key.value))
        if own_lines and rest_of_line[:1] in ("", "#"):
            return [Edit(comma, comma + 1, ""), Edit(file.start(first), file.start(last + 1), "")]
        if rest_of_line[:1] == "#" and last > file.line_of(before):  # its comment goes too
            end = file.start(last) + len(file.content(last))
        if "#" not in file.text[before : key.start_mark.index]:
            return [Edit(before, end, "")]
        # `{a: 1,  # about a` + `b: 2}`: a's comment stays, the closing brace on b's line
        return [Edit(comma, comma + 1, ""), Edit(key.start_mark.index, end, "")]

    def _set(
        self,
        node: MappingNode,
        name: str,
        text: str,
        section: str | None = None,
        placeholder: str | None = None,
    ) -> list[Edit]:
        """`name: text` in a mapping: its value replaced, else a new key added."""
        fields = {key.value: value for key, value in node.value}
        if name in fields:
            value = fields[name]
            if not isinstance(value, ScalarNode):
                raise Cannot(name)
            return [self.file.replace(value, text)]
        if node.flow_style:
            if node.value:
                at = span_end(self.file, node.value[-1][1])
                return [Edit(at, at, f", {name}: {text}")]
            return [Edit(node.start_mark.index + 1, node.start_mark.index + 1, f"{name}: {text}")]
        if not node.value:
            raise Cannot(name)
        indent = " " * column(node.value[0][0])
        line = self._placeholder_line(section, placeholder) if section and placeholder else None
        if line is not None:
            return [self.file.replace_lines(line, line, [f"{indent}{name}: {text}"])]
        at = self.file.start(self.file.last_line(node) + 1)
        return [self.file.insert_lines(at, [f"{indent}{name}: {text}"])]

    # -- lists: the stakeholders, the support plan, the accepted risks

    def _stakeholders(self, old: Proposal, details: Details, in_file: Sequence[int]) -> list[Edit]:
        before = old.stakeholders
        if len(in_file) != len(before):
            raise Cannot("stakeholders changed meanwhile")
        placed = origins(details, in_file)
        kept = [at for at in placed if at is not None]
        if placed[: len(kept)] != kept or kept != sorted(kept):
            raise Cannot("stakeholders moved")  # assess only appends; an edit keeps its place
        entries = details.stakeholders
        added = [entry.stakeholder for entry in entries[len(kept) :]]
        edits = []
        for at, entry in zip(kept, entries, strict=False):
            was, now = before[at], entry.stakeholder
            for name in STAKEHOLDER_FIELDS:
                if getattr(was, name) != getattr(now, name):
                    text = _stakeholder_value(now, name)
                    edits += self._set(self._item("stakeholders", at), name, text)
        removed = [i for i in range(len(before)) if i not in placed]
        edits += self._remove("stakeholders", removed)
        lines = [[f"{n}: {_stakeholder_value(s, n)}" for n in STAKEHOLDER_FIELDS] for s in added]
        flow = ["{" + ", ".join(line) + "}" for line in lines]
        return edits + self._add("stakeholders", lines, flow, STAKEHOLDERS_PLACEHOLDER)

    def _plan(self, old: Proposal, details: Details) -> list[Edit]:
        removed, added = _changes(old.support_plan, details.support_plan)
        edits = self._remove("support_plan", removed)
        lines = [[word(item)] for item in added]
        return edits + self._add(
            "support_plan", lines, [word(item) for item in added], PLAN_PLACEHOLDER
        )

    def _accepted(self, old: Proposal, details: Details) -> list[Edit]:
        before = [risk.id for risk in old.accepted_risks]
        removed, added = _changes(before, [risk.id for risk in details.accepted_risks])
        edits = self._remove("accepted_risks", removed)
        reasons = {risk.id: risk for risk in details.accepted_risks}
        for index, risk in enumerate(old.accepted_risks):
            now = reasons.get(risk.id)
            if now is not None and now.reason != risk.reason:
                edits += self._set(
                    self._item("accepted_risks", index), "reason", quoted(now.reason)
                )
        new = [reasons[i] for i in added]
        lines = [[f"id: {word(r.id)}", f"reason: {quoted(r.reason)}"] for r in new]
        flow = ["{" + ", ".join(line) + "}" for line in lines]
        return edits + self._add("accepted_risks", lines, flow, ())

    def _add(
        self,
        section: str,
        items: Sequence[Sequence[str]],
        flow: Sequence[str],
        placeholder: Sequence[str],
    ) -> list[Edit]:
        """New entries after the last one: block items as `- first` and the rest under it."""
        if not items:
            return []
        node = self._value(section)
        if node is None:
            self._append(section, _block(items, ""))
            return []
        if isinstance(node, SequenceNode) and node.flow_style:
            if node.value:
                at = span_end(self.file, node.value[-1])
                return [Edit(at, at, "".join(", " + text for text in flow))]
            at = node.start_mark.index + 1
            return [Edit(at, at, ", ".join(flow))]
        if isinstance(node, SequenceNode) and node.value:
            dash = self.file.indent(self.file.line_of(node.value[0].start_mark.index))
            at = self.file.start(self.file.last_line(node) + 1)
            return [self.file.insert_lines(at, _block(items, dash))]
        if _null(node):
            return self._fill_null(section, node, _block(items, ""), placeholder)
        raise Cannot(section)

    def _remove(self, section: str, indexes: Sequence[int]) -> list[Edit]:
        if not indexes:
            return []
        node = self._value(section)
        if not isinstance(node, SequenceNode):
            raise Cannot(section)
        items = node.value
        edits = []
        for index in indexes:
            item = items[index]
            if node.flow_style:
                if len(items) == 1:
                    edits.append(Edit(item.start_mark.index, span_end(self.file, item), ""))
                elif index + 1 < len(items):
                    edits.append(Edit(item.start_mark.index, items[index + 1].start_mark.index, ""))
                else:
                    edits.append(
                        Edit(span_end(self.file, items[index - 1]), span_end(self.file, item), "")
                    )
                continue
            first = self.file.line_of(item.start_mark.index)
            if not self.file.content(first).lstrip().startswith("-"):
                raise Cannot(section)
            if index > 0 and self.file.last_line(items[index - 1]) >= first:
                raise Cannot(section)
            last = self.file.last_line(item)
            edits.append(Edit(self.file.start(first), self.file.start(last + 1), ""))
        return edits

    # -- places in the file

    def _value(self, section: str) -> Node | None:
        entry = self.entries.get(section)
        return None if entry is None else entry[1]

    def _item(self, section: str, index: int) -> MappingNode:
        node = self._value(section)
        if not isinstance(node, SequenceNode) or index >= len(node.value):
            raise Cannot(section)
        item = node.value[index]
        if not isinstance(item, MappingNode):
            raise Cannot(section)
        return item

    def _append(self, section: str, lines: Sequence[str]) -> None:
        """A section the file does not have, written at its end."""
        self.appended += [f"{self.indent}{section}:"]
        self.appended += [self.indent + self.step + line for line in lines]

    def _fill_null(
        self, section: str, node: Node, lines: Sequence[str], placeholder: Sequence[str]
    ) -> list[Edit]:
        """`section:` with nothing under it (matland's placeholder comments, say): the lines
        under its key, in place of the placeholder if it is there as matland wrote it."""
        key = self.entries[section][0]
        line = self.file.line_of(key.start_mark.index)
        if self.file.line_of(node.start_mark.index) != line:
            raise Cannot(section)  # `section:` then `~` on a line of its own
        edits = [self.file.replace(node, "")] if node.value else []
        indent = " " * column(key) + self.step
        found = self._placeholder_block(line + 1, placeholder)
        block = [indent + text for text in lines]
        if found is not None:
            indent = self.file.indent(found)
            block = [indent + text for text in lines]
            end = found + len(placeholder) - 1
            return [*edits, self.file.replace_lines(found, end, block)]
        return [*edits, self.file.insert_lines(self.file.start(line + 1), block)]

    def _placeholder_block(self, first: int, placeholder: Sequence[str]) -> int | None:
        """The line where matland's placeholder lines start, among the comments directly
        under a key."""
        if not placeholder:
            return None
        line = first
        while line < len(self.file.lines) and self.file.content(line).lstrip().startswith("#"):
            indent = self.file.indent(line)
            ahead = [self.file.content(line + i) for i in range(len(placeholder))]
            if ahead == [indent + text for text in placeholder]:
                return line
            line += 1
        return None

    def _placeholder_line(self, section: str, placeholder: str) -> int | None:
        """A placeholder comment line within a section (between its key and the next)."""
        key = self.entries[section][0]
        start = self.file.line_of(key.start_mark.index) + 1
        after = self.keys.index(key) + 1
        stop = (
            self.file.line_of(self.keys[after].start_mark.index)
            if after < len(self.keys)
            else len(self.file.lines)
        )
        for line in range(start, stop):
            if self.file.content(line).strip() == placeholder:
                return line
        return None


def _null(node: Node) -> bool:
    """`key:` with no value, or `~` / `null` written plain."""
    plain = isinstance(node, ScalarNode) and not node.style
    return plain and node.value in ("", "~", "null", "Null", "NULL")


def _merged(edits: Sequence[Edit]) -> list[Edit]:
    """Insertions at one offset made one, in the order given (two new keys of one mapping
    stay in the order they were asked)."""
    merged: list[Edit] = []
    at: dict[int, int] = {}
    for edit in edits:
        if edit.start == edit.end and edit.start in at:
            index = at[edit.start]
            merged[index] = Edit(edit.start, edit.end, merged[index].text + edit.text)
            continue
        if edit.start == edit.end:
            at[edit.start] = len(merged)
        merged.append(edit)
    return merged


def _block(items: Sequence[Sequence[str]], dash: str) -> list[str]:
    lines = []
    for item in items:
        lines.append(f"{dash}- {item[0]}")
        lines += [f"{dash}  {rest}" for rest in item[1:]]
    return lines


def _stakeholder_value(person: Stakeholder, name: str) -> str:
    value = str(getattr(person, name))
    return quoted(value) if name == "name" else word(value)


def _changes(before: Sequence[str], after: Sequence[str]) -> tuple[list[int], list[str]]:
    """The indexes removed from `before` and the ids added at the end, when `after` is
    `before` without some ids and with new ones at the end; else `Cannot`."""
    kept = [item for item in before if item in after]
    added = [item for item in after if item not in before]
    if list(after) != kept + added:
        raise Cannot("reordered")
    return [i for i, item in enumerate(before) if item not in after], added


# ---------------------------------------------------------------- the proof


def origins(details: Details, in_file: Sequence[int]) -> list[int | None]:
    """Where each stakeholder stands in the file (None: not there yet)."""
    index = {key: i for i, key in enumerate(in_file)}
    return [index.get(entry.key) for entry in details.stakeholders]


def expected_data(
    data: dict[str, Any], old: Proposal, details: Details, in_file: Sequence[int]
) -> dict[str, Any]:
    """The old file's data with the details' changes made, as the new file must read."""
    new = copy.deepcopy(data)
    if details.policy != old.policy:
        for name in POLICY_FIELDS:
            if getattr(details.policy, name) != getattr(old.policy, name):
                if getattr(details.policy, name) is None:
                    new["policy"].pop(name, None)
                else:
                    new["policy"][name] = getattr(details.policy, name)
    if details.respondent is None and old.respondent is not None:
        new.pop("respondent", None)
    if details.respondent != old.respondent and details.respondent is not None:
        base = new.get("respondent")
        respondent = base if isinstance(base, dict) else {}
        for name in RESPONDENT_FIELDS:
            if getattr(details.respondent, name) != getattr(old.respondent, name, None):
                if getattr(details.respondent, name) is None:
                    respondent.pop(name, None)
                else:
                    respondent[name] = getattr(details.respondent, name)
        new["respondent"] = respondent
    people = [e.stakeholder for e in details.stakeholders]
    if tuple(people) != old.stakeholders:
        items = _listed(data.get("stakeholders"))
        new["stakeholders"] = [
            _changed(items[at], old.stakeholders[at], e.stakeholder)
            if at is not None
            else as_dict(e.stakeholder)
            for at, e in zip(origins(details, in_file), details.stakeholders, strict=True)
        ]
    if details.support_plan != old.support_plan:
        new["support_plan"] = list(details.support_plan)
    if details.accepted_risks != old.accepted_risks:
        items = _listed(data.get("accepted_risks"))
        was = {risk.id: (items[i], risk) for i, risk in enumerate(old.accepted_risks)}
        new["accepted_risks"] = [
            _changed(*was[risk.id], risk) if risk.id in was else as_dict(risk)
            for risk in details.accepted_risks
        ]
    return new


def comparable(data: dict[str, Any]) -> dict[str, Any]:
    """The data but its answers, an empty list and a bare key (`stakeholders:`) alike."""
    return {
        key: ([] if value is None and key in LISTS else value)
        for key, value in data.items()
        if key != "answers"
    }


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _changed(
    item: Any, was: Stakeholder | AcceptedRisk, now: Stakeholder | AcceptedRisk
) -> dict[str, Any]:
    entry = copy.deepcopy(item) if isinstance(item, dict) else {}
    for name, value in as_dict(now).items():
        if getattr(was, name) != value:
            entry[name] = value
    return entry
