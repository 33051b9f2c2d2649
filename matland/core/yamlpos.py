"""Read YAML safely into plain data plus the `line:column` of every node.

Every YAML file matland reads (proposals, rules, config) comes through here, so every file
gets the same protection: a size cap before reading, strict UTF-8, one document, no tags
that could construct objects, duplicate keys detected (PyYAML silently keeps the last),
bounded nesting and bounded alias expansion ("billion laughs").

This module holds what every reader of a parsed file needs (the Document and its
positions, YamlProblem, reading a file under its size cap); the parser itself is in
yamlparse.py, imported the first time `parse` or `load` is called.
"""

from __future__ import annotations

import bisect
import os
import re
from typing import TYPE_CHECKING, Any

from matland.core.findings import Finding

if TYPE_CHECKING:
    from yaml.error import Mark
    from yaml.nodes import Node

    from matland.core.yamlparse import Loader

DEFAULT_MAX_BYTES = 1_000_000
MAX_DEPTH = 50
MAX_NODES = 100_000  # after alias expansion; a real proposal has a few hundred
# Characters of text after alias expansion: an alias repeats its anchor's text without
# costing nodes, and validation copies every string it strips (99,000 aliases of one long
# note took 900 MB). Twice the size limit leaves room for any file written by hand.
MAX_EXPANDED_CHARS = 2 * 1_000_000
MAX_DIGITS = 30  # no answer or count needs more; Python refuses over 4,300 anyway

Path = tuple[str | int, ...]
Position = tuple[int, int]

_LINE_BREAK = re.compile(r"\r\n?|\n")


class Document:
    """Plain data from one YAML file, and where each node of it stands.

    Positions are looked up in the composed node tree when asked for (a check asks for a
    handful; recording every node's would cost a sixth of checking a file), or come as
    tables when the data did not come from YAML (a CSV row's cells)."""

    def __init__(
        self,
        data: Any,
        positions: dict[Path, Position] | None = None,  # value nodes
        key_positions: dict[Path, Position] | None = None,  # mapping keys
        *,
        root: Node | None = None,
        lines: Lines | None = None,
    ) -> None:
        self.data = data
        self._positions = positions or {}
        self._key_positions = key_positions or {}
        self._root = root
        self._lines = lines  # the text's lines, when the marks count others (`lines_of`)
        self._keys: dict[Node, dict[str, tuple[Node, Node]]] = {}  # mapping -> its keys

    @property
    def root(self) -> Node | None:
        """The composed node tree (None when the data did not come from YAML): its marks
        hold each node's offsets, for editing the text in place (matland/amend.py). Untagged
        nodes keep the tag "" (see `_LeanResolver`)."""
        return self._root

    def position(self, path: Path) -> Position:
        """The key's position if there is one (what a reader looks for), else the value's;
        falling back to the nearest enclosing node so a finding never lands on nothing."""
        if self._root is None:
            key, value, _ = self._find_in_tables(path)
            return key or value
        key_node, node, _ = self._find(path)
        return position_of(key_node or node, self._lines)

    def value_position(self, path: Path) -> Position:
        if self._root is None:
            return self._find_in_tables(path)[1]
        return position_of(self._find(path)[1], self._lines)

    def exact(self, path: Path) -> Position | None:
        """position(path) if the path itself exists, else None."""
        if self._root is None:
            key, value, found = self._find_in_tables(path)
            return (key or value) if found == len(path) else None
        key_node, node, depth = self._find(path)
        return position_of(key_node or node, self._lines) if depth == len(path) else None

    def _find_in_tables(self, path: Path) -> tuple[Position | None, Position, int]:
        """(key position or None, value position, length) of the longest prefix of
        `path` in the tables."""
        for end in range(len(path), -1, -1):
            sub = path[:end]
            if sub in self._key_positions or sub in self._positions:
                value = self._positions.get(sub) or self._key_positions[sub]
                return self._key_positions.get(sub), value, end
        return None, (1, 1), 0

    def _find(self, path: Path) -> tuple[Node | None, Node, int]:
        """(key node or None, value node, length) of the longest prefix of `path` that
        exists in the node tree (a finding or two a file: each asks here)."""
        from yaml.nodes import MappingNode, SequenceNode  # loaded: the tree came from yaml

        node: Node = self._root  # type: ignore[assignment]
        key_node = None
        depth = 0
        keys = self._keys
        for part in path:
            if type(node) is MappingNode and type(part) is str:
                index = keys.get(node)
                if index is None:  # nodes hash by identity, in any process they reach
                    index = keys[node] = {k.value: (k, v) for k, v in node.value}
                pair = index.get(part)
                if pair is None:
                    break
                key_node, node = pair
            elif type(node) is SequenceNode and type(part) is int and 0 <= part < len(node.value):
                key_node, node = None, node.value[part]
            else:
                break
            depth += 1
        return key_node, node, depth


class Lines:
    r"""Where each line of a text starts, lines broken on \n, \r\n and \r as an editor breaks
    them, so that a character index becomes the 1-based line and column a user finds."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(match.end() for match in _LINE_BREAK.finditer(text))]

    def position(self, index: int) -> Position:
        line = bisect.bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1


def lines_of(text: str) -> Lines | None:
    """The text's lines if the marks count others (it has a YAML-only line break), else None:
    the marks' own line and column are right, and a file without these characters (nearly
    all) pays three scans for them, each a memchr or nothing (no character that wide)."""
    if "\x85" in text or "\u2028" in text or "\u2029" in text:
        return Lines(text)
    return None


def position_of(node: Node, lines: Lines | None) -> Position:
    return where(node.start_mark, lines)


def where(mark: Mark, lines: Lines | None) -> Position:
    """A mark as a 1-based line and column as an editor counts them: the mark's own (PyYAML
    and libyaml count CRLF and a lone CR as one break each, as editors do) unless the text
    breaks lines where an editor does not."""
    if lines is None:
        return mark.line + 1, mark.column + 1
    return lines.position(mark.index)


class YamlProblem(Exception):
    """A file that cannot be read as one YAML document; carries where and what to do."""

    def __init__(
        self,
        message: str,
        line: int = 1,
        column: int = 1,
        hint: str = "",
        rule_id: str = "yaml-syntax",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.hint = hint
        self.rule_id = rule_id

    def finding(self, path: str) -> Finding:
        return Finding(path, self.line, self.column, self.rule_id, "error", self.message, self.hint)


def read_text(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The file's text, refusing oversized and non-UTF-8 files before parsing anything
    (an oversized file is never read: its size is known once it is open)."""
    return decode(read_bytes(path, max_bytes))


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes, refusing an oversized file (read_text, for a reader that decodes
    them itself: a CSV from a spreadsheet may be in Windows-1252)."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise YamlProblem(
                    f"file is {size:,} bytes, over the {max_bytes:,}-byte limit",
                    hint="split it, or raise the limit with --max-bytes",
                    rule_id="too-large",
                )
            # What fstat says plus one byte (a buffer of max_bytes for every file cost more
            # than parsing it); then the rest, for a file that grew or a special file.
            raw = handle.read(size + 1)
            if len(raw) > size:
                raw += handle.read(max_bytes + 1 - len(raw))
    except IsADirectoryError as error:
        raise YamlProblem(
            "is a directory, not a file", hint="give a .yaml file", rule_id="unreadable"
        ) from error
    except OSError as error:
        raise YamlProblem(
            f"cannot read file: {error.strerror}", hint=_os_hint(error), rule_id="unreadable"
        ) from error
    if len(raw) > max_bytes:  # grew since it was opened, or a special file
        raise YamlProblem(
            f"file is over the {max_bytes:,}-byte limit", hint="split it", rule_id="too-large"
        )
    return raw


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start].decode("utf-8-sig")  # what comes before: valid UTF-8
        line, column = Lines(before).position(len(before))
        raise YamlProblem(
            f"byte 0x{raw[error.start]:02x} is not UTF-8",
            line,
            column,
            "save the file as UTF-8",
            rule_id="not-utf8",
        ) from error


def _os_hint(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "check the path"
    if isinstance(error, PermissionError):
        return "check the file's permissions"
    return ""


def parse(text: str, loader_class: Loader | None = None) -> Document:
    """One YAML document as plain data with positions; raises YamlProblem. (The parser,
    yamlparse.py, is imported here: a run that parses nothing does without PyYAML.)"""
    from matland.core import yamlparse

    return yamlparse.parse(text, loader_class or yamlparse.LOADER)


def load(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    return parse(read_text(path, max_bytes))
