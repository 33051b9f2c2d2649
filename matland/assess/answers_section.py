"""The `answers:` section of a proposal's text: where each answer stands, where a new one goes.

A new answer goes where a person would put it: in place of the commented placeholder matland
wrote for it (`# id:    # question`, in a file `assess` began or `matland init`'s template,
whose anchor lines under it go too), else after the item before it in the questionnaire, else
before the first item after it; in the indentation the entries have (or the flow style of
`answers: {…}`), with its question and anchor above it as comments, as `dump` writes them.
"""

from __future__ import annotations

from collections.abc import Mapping

from yaml.nodes import MappingNode, Node, ScalarNode

from matland.assess.dump import annotation, inline_answer, placeholder
from matland.assess.textedit import Edit, Text, column, span_end
from matland.core.knowledge import Knowledge, Question
from matland.core.model import Answer, Proposal
from matland.render.questions import template_lines

STEP = 2  # indentation of a new `answers:` block when the file shows none of its own


class AnswersSection:
    """The `answers:` section of a file: its entries, matland's placeholders for items not
    answered yet, and where new answers go."""

    def __init__(self, file: Text, root: MappingNode, knowledge: Knowledge) -> None:
        self.file = file
        self.knowledge = knowledge
        self.order = {qid: i for i, qid in enumerate(knowledge.questions)}
        keys = [key for key, _ in root.value]
        found = [i for i, key in enumerate(keys) if key.value == "answers"]
        self.key: Node | None = keys[found[0]] if found else None
        self.node: Node | None = root.value[found[0]][1] if found else None
        after = found[0] + 1 if found else len(keys)
        self.stop = (
            file.line_of(keys[after].start_mark.index) if after < len(keys) else len(file.lines)
        )
        mapping = self.node if isinstance(self.node, MappingNode) else None
        self.flow = mapping is not None and mapping.flow_style
        pairs = mapping.value if mapping is not None else []
        self.entries = {key.value: (key, value) for key, value in pairs}
        self.root_indent = " " * column(root)
        self.step = _step(root)
        self.taken = self._taken(pairs)  # lines that belong to entries (not comments)
        self.placeholders = {} if self.flow else self._placeholders()
        self.slots = self._slots()

    def _taken(self, pairs: list[tuple[Node, Node]]) -> set[int]:
        lines = {self.file.line_of(self.key.start_mark.index)} if self.key else set()
        for key, value in pairs:
            first = self.file.line_of(key.start_mark.index)
            lines.update(range(first, self.file.last_line(value) + 1))
        return lines

    def _placeholders(self) -> dict[str, tuple[int, int]]:
        """Lines matland wrote for an item not answered yet: `# id:    # question` (with, in
        `matland init`'s template, the anchors under it), as (first, last) line."""
        if self.key is None:
            return {}
        forms: dict[str, Question] = {}
        for question in self.knowledge.questions.values():
            forms[placeholder(question, "")] = question
            forms[template_lines(question)[0]] = question
        found: dict[str, tuple[int, int]] = {}
        first = self.file.line_of(self.key.start_mark.index) + 1
        for line in range(first, self.stop):
            item = forms.get(self.file.content(line).strip())
            if item is None or line in self.taken or item.id in found:
                continue
            below = template_lines(item)[1:]
            rest = [self.file.content(line + 1 + i) for i in range(len(below))]
            indent = self.file.indent(line)
            whole = rest == [indent + text for text in below]
            found[item.id] = (line, line + len(below) if whole else line)
        return found

    # -- new answers

    def insert(self, intended: Proposal, old: Proposal) -> list[Edit]:
        new = [qid for qid in intended.answers if qid not in old.answers]
        new.sort(key=lambda qid: self.order.get(qid, len(self.order)))
        if not new:
            return []
        if self.flow:
            return self._insert_flow(new, intended.answers)
        edits: list[Edit] = []
        if self.key is None:  # no `answers:` yet: a new section at the end
            lines = [f"{self.root_indent}answers:"]
            for qid in new:
                lines += self._lines(qid, intended.answers[qid], self.root_indent + self.step)
            return [self.file.insert_lines(len(self.file.text), lines)]
        if isinstance(self.node, ScalarNode) and self.node.value:  # `answers: ~`
            edits.append(self.file.replace(self.node, ""))
        indent = self._indent()
        groups: dict[int, list[str]] = {}
        for qid in new:
            answer = intended.answers[qid]
            if qid in self.placeholders:
                first, last = self.placeholders[qid]
                edits.append(self.file.replace_lines(first, last, self._lines(qid, answer, indent)))
            else:
                groups.setdefault(self._place(qid), []).extend(self._lines(qid, answer, indent))
        return edits + [self.file.insert_lines(at, lines) for at, lines in groups.items()]

    def _lines(self, qid: str, answer: Answer, indent: str) -> list[str]:
        question = self.knowledge.questions.get(qid)
        lines = annotation(question, answer, indent) if question else []
        return [*lines, f"{indent}{qid}: {inline_answer(answer)}"]

    def _slots(self) -> list[tuple[int, int, int]]:
        """(questionnaire order, first line, last line) of every entry and placeholder."""
        slots = [(self.order[qid], first, last) for qid, (first, last) in self.placeholders.items()]
        for qid, (key, value) in self.entries.items():
            if qid in self.order:
                last = self.file.last_line(value)
                slots.append((self.order[qid], self.file.line_of(key.start_mark.index), last))
        return slots

    def _place(self, qid: str) -> int:
        """Where a new answer goes: after the item before it in the questionnaire, else before
        the first item after it (above the comments directly over that one)."""
        order = self.order.get(qid, len(self.order))
        slots = self.slots
        before = [slot for slot in slots if slot[0] < order]
        if before:
            return self.file.start(max(before)[2] + 1)
        assert self.key is not None
        line = self.file.line_of(self.key.start_mark.index) + 1
        if slots:
            line = min(slots)[1]
            while self._comment_line(line - 1):
                line -= 1
        return self.file.start(line)

    def _comment_line(self, line: int) -> bool:
        placeholder_lines = {first for first, _ in self.placeholders.values()}
        return (
            line not in self.taken
            and line not in placeholder_lines
            and self.file.content(line).lstrip().startswith("#")
        )

    def _indent(self) -> str:
        """The indentation of the answers' keys: as the entries have it, else as matland's
        placeholders have it, else one step in from `answers:`."""
        assert self.key is not None
        at = column(self.key)
        if self.entries:
            return " " * column(next(iter(self.entries.values()))[0])
        indents = sorted(self.file.indent(first) for first, _ in self.placeholders.values())
        if indents and len(indents[0]) > at:
            return indents[0]
        return " " * at + self.step

    def _insert_flow(self, new: list[str], answers: Mapping[str, Answer]) -> list[Edit]:
        """`answers: {a: 1}`: each new `id: value` beside the entry before it in the
        questionnaire, else before the first entry, else inside the empty braces."""
        assert isinstance(self.node, MappingNode)
        known = [
            (self.order[q], key, value)
            for q, (key, value) in self.entries.items()
            if q in self.order
        ]
        groups: dict[tuple[int, str], list[str]] = {}
        for qid in new:
            entry = f"{qid}: {inline_answer(answers[qid])}"
            before = [item for item in known if item[0] < self.order.get(qid, len(self.order))]
            if before:
                place = (span_end(self.file, max(before, key=lambda i: i[0])[2]), "after")
            elif self.node.value:
                place = (self.node.value[0][0].start_mark.index, "before")
            else:
                place = (self.node.start_mark.index + 1, "inside")
            groups.setdefault(place, []).append(entry)
        edits = []
        for (at, where), entries in groups.items():
            if where == "after":
                text = "".join(", " + entry for entry in entries)
            elif where == "before":
                text = "".join(entry + ", " for entry in entries)
            else:
                text = ", ".join(entries)
            edits.append(Edit(at, at, text))
        return edits

    # -- matland's own comments

    def reannotate(
        self, key: Node, question: Question, before: Answer, after: Answer
    ) -> list[Edit]:
        """The question and anchor comments above a changed answer, if they are still as
        matland wrote them."""
        if self.flow:
            return []
        line = self.file.line_of(key.start_mark.index)
        indent = self.file.indent(line)
        old = [text.strip() for text in annotation(question, before)]
        first = line - len(old)
        above = range(first, line)
        if first < 0 or any(n in self.taken for n in above):
            return []
        if [self.file.content(n) for n in above] != [indent + text for text in old]:
            return []
        new = annotation(question, after, indent)
        if [text.strip() for text in new] == old:
            return []
        return [self.file.replace_lines(first, line - 1, new)]


def _step(root: MappingNode) -> str:
    """The file's indentation step, from its first nested block mapping (`policy:`)."""
    for key, value in root.value:
        if isinstance(value, MappingNode) and not value.flow_style and value.value:
            step = column(value.value[0][0]) - column(key)
            if step > 0:
                return " " * step
    return " " * STEP
