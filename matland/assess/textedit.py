"""Edits to a text at the offsets of its YAML nodes, so that all the rest stays as it was.

PyYAML gives every node a start and end mark (character offsets, line, column); `Text` maps
offsets to lines and back, and `apply` makes a set of `Edit`s (replace start:end by text, an
insertion when start == end) in one pass. The line breaks of inserted lines are the text's own.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable

from yaml.nodes import MappingNode, Node, SequenceNode

from matland.core.records import record

LINE_BREAKS = ("\r\n", "\n", "\r", "\x85", "\u2028", "\u2029")  # YAML's, and splitlines'


@record
class Edit:
    start: int
    end: int
    text: str


class Text:
    """A text by lines, so that node offsets (characters) map to lines and back."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.splitlines(keepends=True)  # a valid YAML text has no other breaks
        self.starts = [0, *itertools.accumulate(len(line) for line in self.lines)]
        self.newline = "\r\n" if "\r\n" in text else "\n"

    def line_of(self, index: int) -> int:
        return min(bisect.bisect_right(self.starts, index) - 1, len(self.lines) - 1)

    def start(self, line: int) -> int:
        return self.starts[min(line, len(self.lines))]

    def content(self, line: int) -> str:
        """A line without its line break ('' past the end)."""
        return "".join(self.lines[line].splitlines()) if line < len(self.lines) else ""

    def indent(self, line: int) -> str:
        content = self.content(line)
        return content[: len(content) - len(content.lstrip(" "))]

    def last_line(self, node: Node) -> int:
        """The line a node's own text ends on."""
        return self.line_of(max(span_end(self, node) - 1, node.start_mark.index))

    def insert_lines(self, at: int, lines: Iterable[str]) -> Edit:
        """Whole lines inserted at offset `at` (a line's start, or the end of the text)."""
        text = "".join(line + self.newline for line in lines)
        if at == len(self.text) and self.text and not self.text.endswith(LINE_BREAKS):
            text = self.newline + text  # the last line has no line break of its own
        return Edit(at, at, text)

    def replace_lines(self, first: int, last: int, lines: Iterable[str]) -> Edit:
        """Lines `first` to `last` (inclusive) replaced by `lines`."""
        text = "".join(line + self.newline for line in lines)
        return Edit(self.start(first), self.start(last + 1), text)

    def replace(self, node: Node, text: str) -> Edit:
        """A node's own text replaced (what follows it on its line, a comment say, stays)."""
        return Edit(node.start_mark.index, span_end(self, node), text)


def apply(text: str, edits: Iterable[Edit]) -> str | None:
    """The text with every edit made; None if two of them overlap (they never should)."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end), reverse=True)
    for later, earlier in itertools.pairwise(ordered):
        if earlier.end > later.start:
            return None
    for edit in ordered:
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


def span_end(text: Text, node: Node) -> int:
    """The offset just after a node's last character: block collections end where their last
    item does (not after the blank lines and comments that follow), block scalars before
    their trailing line breaks."""
    start, end = node.start_mark.index, _end(node)
    return int(start + len(text.text[start:end].rstrip()))


def _end(node: Node) -> int:
    if isinstance(node, MappingNode | SequenceNode) and not node.flow_style and node.value:
        last = node.value[-1]
        return _end(last[1] if isinstance(last, tuple) else last)
    return int(node.end_mark.index)


def column(node: Node) -> int:
    return int(node.start_mark.column)
