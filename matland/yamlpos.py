"""Read YAML safely into plain data plus the `line:column` of every node.

Every YAML file matland reads (proposals, rules, config) comes through here, so every file
gets the same protection: a size cap before reading, strict UTF-8, one document, no tags
that could construct objects, duplicate keys detected (PyYAML silently keeps the last),
bounded nesting and bounded alias expansion ("billion laughs").
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from matland.findings import Finding

try:  # libyaml is several times faster; the pure-Python loader gives the same nodes
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

DEFAULT_MAX_BYTES = 1_000_000
MAX_DEPTH = 50
MAX_NODES = 100_000  # after alias expansion; a real proposal has a few hundred

Path = tuple[str | int, ...]
Position = tuple[int, int]

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}
_SCALAR_CONSTRUCTOR = SafeConstructor()


@dataclass
class Document:
    """Plain data from one YAML file, and where each node of it stands."""

    data: Any
    positions: dict[Path, Position] = field(default_factory=dict)  # value nodes
    key_positions: dict[Path, Position] = field(default_factory=dict)  # mapping keys

    def position(self, path: Path) -> Position:
        """The key's position if there is one (what a reader looks for), else the value's;
        falling back to the nearest enclosing node so a finding never lands on nothing."""
        for end in range(len(path), -1, -1):
            sub = path[:end]
            if sub in self.key_positions:
                return self.key_positions[sub]
            if sub in self.positions:
                return self.positions[sub]
        return (1, 1)

    def value_position(self, path: Path) -> Position:
        for end in range(len(path), -1, -1):
            if path[:end] in self.positions:
                return self.positions[path[:end]]
        return (1, 1)


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
    """The file's text, refusing oversized and non-UTF-8 files before parsing anything."""
    try:
        size = os.stat(path).st_size
    except OSError as error:
        raise YamlProblem(
            f"cannot read file: {error.strerror}", hint=_os_hint(error), rule_id="unreadable"
        ) from error
    if os.path.isdir(path):
        raise YamlProblem(
            "is a directory, not a file", hint="give a .yaml file", rule_id="unreadable"
        )
    if size > max_bytes:
        raise YamlProblem(
            f"file is {size:,} bytes, over the {max_bytes:,}-byte limit",
            hint="split it, or raise the limit with --max-bytes",
            rule_id="too-large",
        )
    try:
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as error:
        raise YamlProblem(
            f"cannot read file: {error.strerror}", hint=_os_hint(error), rule_id="unreadable"
        ) from error
    if len(raw) > max_bytes:  # grew since stat, or a special file
        raise YamlProblem(
            f"file is over the {max_bytes:,}-byte limit", hint="split it", rule_id="too-large"
        )
    return decode(raw)


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
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


def parse(text: str) -> Document:
    """One YAML document as plain data with positions; raises YamlProblem."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        raise _marked_problem(error, text) from error
    except yaml.reader.ReaderError as error:  # a character YAML does not allow (e.g. NUL)
        before = text[: error.position]
        line, column = before.count("\n") + 1, error.position - (before.rfind("\n") + 1) + 1
        raise YamlProblem(
            f"character U+{error.character:04X} is not allowed in YAML",
            line,
            column,
            "remove it (control characters cannot appear in YAML text)",
        ) from error
    except yaml.YAMLError as error:  # pragma: no cover - libyaml marks its errors
        raise YamlProblem(" ".join(str(error).split())) from error
    finally:
        loader.dispose()
    if node is None:
        raise YamlProblem("file is empty (or only comments)", hint="see `matland init`")
    document = Document(data=None)
    document.data = _Converter(document).convert(node, (), 0)
    return document


def load(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    return parse(read_text(path, max_bytes))


def _marked_problem(error: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = error.problem or "invalid YAML"
    lines = text.splitlines()
    at = lines[line - 1][column - 1 : column] if 0 < line <= len(lines) else ""
    hint = ""
    if "expected a single document" in str(error):
        problem = "the file holds more than one YAML document"
        hint = "keep one proposal per file (remove the `---` separator)"
    elif at == "\t" or "\\t" in problem:
        problem = "a tab in the indentation"
        hint = "indent with spaces, not tabs"
    elif error.context and error.context_mark and error.context_mark is not mark:
        start = error.context_mark
        hint = (
            f"{error.context} at line {start.line + 1}, column {start.column + 1}: "
            "check that it is closed"
        )
    return YamlProblem(f"YAML syntax error: {problem}", line, column, hint)


def _shown(tag: str) -> str:
    """A tag as the user wrote it (`!!python/object`), not as PyYAML expands it."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") else tag


_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def _kind_mismatch(node: Node) -> bool:
    """`!!map foo`, `!!seq 3`, `!!str [..]`: a standard tag on the wrong kind of node."""
    if node.tag.endswith(":map"):
        return not isinstance(node, MappingNode)
    if node.tag.endswith(":seq"):
        return not isinstance(node, SequenceNode)
    return not isinstance(node, ScalarNode)


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_BOOLEANS = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}


MAX_DIGITS = 30  # no answer or count needs more; Python refuses over 4,300 anyway


def _scalar(node: ScalarNode) -> Any:
    """The value of a scalar; the common cases directly (a proposal is mostly small ints
    and text), anything unusual (0x1F, 1_000, 1:30, .inf) through PyYAML's constructor."""
    tag, value = node.tag, node.value
    if tag == _STR:
        return value
    if tag.endswith(":timestamp"):
        return value  # dates stay as the user wrote them
    if len(value) > MAX_DIGITS and tag != _NULL:
        raise YamlProblem(
            f"the number {value[:12]}… is too long",
            node.start_mark.line + 1,
            node.start_mark.column + 1,
            "write a number of at most 30 digits",
        )
    if tag == _INT and value.isdigit():
        return int(value)
    if tag == _NULL:
        return None
    try:
        if tag == _BOOL:
            return _BOOLEANS[value.lower()]
        return _SCALAR_CONSTRUCTOR.construct_object(node)
    except (ValueError, KeyError, TypeError, yaml.YAMLError) as error:  # `!!int abc`
        raise YamlProblem(
            f"'{value}' is not a valid {_shown(tag)}",
            node.start_mark.line + 1,
            node.start_mark.column + 1,
            "remove the tag or fix the value",
        ) from error
    finally:
        _SCALAR_CONSTRUCTOR.constructed_objects.clear()  # keep no reference to old files


class _Converter:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.count = 0

    def convert(self, node: Node, path: Path, depth: int) -> Any:
        self.count += 1
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        if self.count > MAX_NODES:
            raise YamlProblem(
                f"document expands to over {MAX_NODES:,} nodes",
                line,
                column,
                "remove the anchors and aliases (&name / *name) that repeat content",
            )
        if depth > MAX_DEPTH:
            raise YamlProblem(f"nesting deeper than {MAX_DEPTH} levels", line, column)
        if node.tag not in _STANDARD_TAGS or (
            (type(node) is not ScalarNode or node.tag in _COLLECTION_TAGS) and _kind_mismatch(node)
        ):
            raise YamlProblem(
                f"tag {_shown(node.tag)} is not allowed here",
                line,
                column,
                "remove the tag; matland reads plain YAML only",
            )
        self.document.positions[path] = (line, column)
        if isinstance(node, MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            return [self.convert(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return _scalar(node)

    def _mapping(self, node: MappingNode, path: Path, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line, key_column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem(
                    "merge keys (<<) are not supported", key_line, key_column, "write keys out"
                )
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _STANDARD_TAGS:
                raise YamlProblem("a key must be a plain word", key_line, key_column)
            key = key_node.value
            key_path = (*path, key)
            if key in result:
                first = self.document.key_positions[key_path]
                raise YamlProblem(
                    f"duplicate key '{key}' (first at line {first[0]})",
                    key_line,
                    key_column,
                    "keep one of them",
                    rule_id="duplicate-key",
                )
            self.document.key_positions[key_path] = (key_line, key_column)
            result[key] = self.convert(value_node, key_path, depth + 1)
        return result
