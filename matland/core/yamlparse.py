"""The YAML parser behind yamlpos: PyYAML's libyaml composer (or its pure-Python one), the
node tree turned into plain data under matland's limits, and a syntax error turned into a
YamlProblem a user can act on.

PyYAML takes some 15 ms to import, more than a one-file check takes once the rules are
cached; a run that parses nothing (a pre-commit hook's file unchanged since the last run,
whose output comes from the result cache) does without it: yamlpos's `parse` and `load`
import this module when first called.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from matland.core.words import flat
from matland.core.yamlpos import (
    MAX_DEPTH,
    MAX_DIGITS,
    MAX_EXPANDED_CHARS,
    MAX_NODES,
    Document,
    Lines,
    YamlProblem,
    lines_of,
    position_of,
    where,
)


class _PurePythonParser(Reader, Scanner, Parser, Composer):
    """PyYAML's own composer: the same nodes as libyaml's, several times slower."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)


try:
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    CParser = _PurePythonParser  # type: ignore[assignment,misc]

# YAML 1.1 (libyaml, PyYAML) breaks lines on these too; editors, GitHub code scanning and
# CI tools break them on \n, \r\n and \r only. They come with text pasted from Word or the web.
_BREAK_NAMES = {
    "\x85": "a next-line character U+0085",
    "\u2028": "a line separator U+2028",
    "\u2029": "a paragraph separator U+2029",
}
_YAML_ONLY_BREAK = re.compile("[\x85\u2028\u2029]")

_SCALAR_CONSTRUCTOR = SafeConstructor()

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_LATER = ""  # the tag of an untagged node until the converter resolves it
_MAP_TAGS = {_LATER, "tag:yaml.org,2002:map"}
_SEQ_TAGS = {_LATER, "tag:yaml.org,2002:seq"}
_SCALAR_TAGS = {_STR, _INT, _BOOL, _NULL, "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}
_BOOLEANS = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}
_IMPLICIT: dict[str, list[tuple[str, Any]]] = Resolver.yaml_implicit_resolvers


class _LeanResolver:
    """Leaves untagged nodes unresolved (tag ""): the converter resolves the few scalars
    that need it (`_implicit`). PyYAML's Resolver is a Python call per node, a third of the
    time of composing a proposal; these are builtins that take any arguments and return ""
    ("resolved later")."""

    resolve = staticmethod(_LATER.format)
    descend_resolver = staticmethod(_LATER.format)
    ascend_resolver = staticmethod(_LATER.format)


class _Loader(_LeanResolver, CParser):
    """libyaml's composer."""


class PurePythonLoader(_LeanResolver, _PurePythonParser):
    """PyYAML's composer, for a PyYAML built without libyaml (and to test both agree)."""


Loader = type[_Loader | PurePythonLoader]
LOADER: Loader = _Loader if yaml.__with_libyaml__ else PurePythonLoader


def parse(text: str, loader_class: Loader = LOADER) -> Document:
    """One YAML document as plain data with positions; raises YamlProblem."""
    lines = lines_of(text)
    try:
        node = _compose(text, loader_class)
    except yaml.MarkedYAMLError as error:
        raise _marked_problem(error, text, lines, loader_class) from error
    except yaml.reader.ReaderError as error:  # a character YAML does not allow (e.g. NUL)
        raise _reader_problem(error, text, loader_class) from error
    except yaml.YAMLError as error:  # pragma: no cover - libyaml marks its errors
        raise YamlProblem(flat(str(error))) from error
    if node is None:
        raise YamlProblem("file is empty (or only comments)", hint="see `matland init`")
    return Document(_Converter(text, lines).convert(node, 0), root=node, lines=lines)


def _compose(text: str, loader_class: Loader) -> Node | None:
    loader = loader_class(text)  # PyYAML's own reader checks the characters here
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _reader_problem(error: yaml.reader.ReaderError, text: str, loader_class: Loader) -> YamlProblem:
    index = error.position
    if not issubclass(loader_class, _PurePythonParser):  # libyaml reads UTF-8: a byte offset
        index = len(text.encode()[:index].decode(errors="ignore"))
    return YamlProblem(
        f"character U+{error.character:04X} is not allowed in YAML",
        *Lines(text).position(index),
        "remove it (control characters cannot appear in YAML text)",
    )


def _marked_problem(
    error: yaml.MarkedYAMLError, text: str, lines: Lines | None, loader_class: Loader
) -> YamlProblem:
    mark = error.problem_mark or error.context_mark
    if mark is not None and lines is not None:
        blamed = _line_break_problem(error, mark, text, lines, loader_class)
        if blamed is not None:
            return blamed
    line, column = where(mark, lines) if mark else (1, 1)
    problem = error.problem or "invalid YAML"
    at = text[mark.index : mark.index + 1] if mark else ""
    hint = ""
    if "expected a single document" in str(error):
        problem = "the file holds more than one YAML document"
        hint = "keep one proposal per file (remove the `---` separator)"
    elif at == "\t" or "\\t" in problem:
        problem = "a tab in the indentation"
        hint = "indent with spaces, not tabs"
    elif "mapping values are not allowed" in problem:  # a key indented too far, or `a: b: c`
        problem = "a `key:` where YAML expects none"
        hint = (
            "check the indentation of this line against the one above, "
            "or put a value holding ': ' in quotes"
        )
    elif "maximum nesting depth" in problem:  # libyaml's own limit, before matland's
        problem = "nesting too deep"
        hint = f"a proposal needs a few levels; matland reads at most {MAX_DEPTH}"
    elif error.context and error.context_mark and error.context_mark is not mark:
        start_line, start_column = where(error.context_mark, lines)
        hint = (
            f"{error.context} at line {start_line}, column {start_column}: check that it is closed"
        )
    return YamlProblem(f"YAML syntax error: {problem}", line, column, hint)


def _line_break_problem(
    error: yaml.MarkedYAMLError, mark: Mark, text: str, lines: Lines, loader_class: Loader
) -> YamlProblem | None:
    """The syntax error of a text with a YAML-only line break, if that break is what broke
    it (the text with every one a space reads past the error): the last one before the
    error, where the text stopped meaning what it shows. libyaml's own message is about
    what it read after it (the rest of a comment as a key, say), and misleads."""
    before = [match.start() for match in _YAML_ONLY_BREAK.finditer(text, 0, mark.index + 1)]
    if not before:
        return None  # the error comes first: the breaks have nothing to do with it
    try:
        _compose(_YAML_ONLY_BREAK.sub(" ", text), loader_class)
    except yaml.MarkedYAMLError as again:
        again_mark = again.problem_mark or again.context_mark
        if again_mark and again_mark.index == mark.index and again.problem == error.problem:
            return None  # the same error without them
    except yaml.YAMLError:
        return None
    index = before[-1]
    line, column = lines.position(index)
    others = len(_YAML_ONLY_BREAK.findall(text)) - 1
    more = {0: "", 1: ", and the other such character in the file"}.get(
        others, f", and the {others} other such characters in the file"
    )
    return YamlProblem(
        f"YAML syntax error: the file contains {_BREAK_NAMES[text[index]]} at line {line}, "
        f"column {column}, which YAML reads as a line break",
        line,
        column,
        "replace it with a space" + more,
    )


def _shown(tag: str) -> str:
    """A tag as the user wrote it (`!!python/object`), not as PyYAML expands it."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") else tag


def _implicit(value: str) -> str:
    """The tag of an untagged plain scalar: PyYAML's SafeLoader table of implicit
    resolvers, with the common case (a small whole number) first."""
    if value.isdigit() and value.isascii() and (value[0] != "0" or len(value) == 1):
        return _INT  # what the int resolver says, without trying float first
    for tag, pattern in _IMPLICIT.get(value[:1], ()):
        if pattern.match(value):
            return tag
    return _STR


def _scalar(node: ScalarNode, tag: str, lines: Lines | None) -> Any:
    """The value of a scalar under its tag; the common cases directly (a proposal is mostly
    small ints and text), anything unusual (0x1F, 1_000, 1:30, .inf) through PyYAML's
    constructor."""
    value = node.value
    if tag == _STR:
        return value
    if tag not in _SCALAR_TAGS:
        raise _refused(node, lines, tag)
    if tag.endswith(":timestamp"):
        return value  # dates stay as the user wrote them
    if len(value) > MAX_DIGITS and tag != _NULL:
        raise YamlProblem(
            f"the number {value[:12]}… is too long",
            *position_of(node, lines),
            "write a number of at most 30 digits",
        )
    if tag == _INT and value.isdigit():
        return int(value)
    if tag == _NULL:
        return None
    try:
        if tag == _BOOL:
            return _BOOLEANS[value.lower()]
        if node.tag != tag:  # resolved here: the constructor reads the tag from the node
            node = ScalarNode(tag, value, node.start_mark, node.end_mark, node.style)
        return _SCALAR_CONSTRUCTOR.construct_object(node)
    except (ValueError, KeyError, TypeError, yaml.YAMLError) as error:  # `!!int abc`
        raise YamlProblem(
            f"'{value}' is not a valid {_shown(tag)}",
            *position_of(node, lines),
            "remove the tag or fix the value",
        ) from error
    finally:
        _SCALAR_CONSTRUCTOR.constructed_objects.clear()  # keep no reference to old files


class _Converter:
    """Nodes to plain data; the hot path of every check, so the common cases (a string or
    small int scalar, a plain key) are handled inline."""

    def __init__(self, text: str, lines: Lines | None) -> None:
        self.text = text
        self.lines = lines
        self.count = 0
        self.chars = 0  # of scalar text, aliases counted each time they are used

    def convert(self, node: Node, depth: int) -> Any:
        tag = node.tag
        if type(node) is ScalarNode:
            self.chars += len(node.value)
            if self.chars > MAX_EXPANDED_CHARS:
                raise YamlProblem(
                    f"document expands to over {MAX_EXPANDED_CHARS:,} characters of text",
                    *position_of(node, self.lines),
                    "remove what repeats it (anchors and aliases, &name / *name, repeat the "
                    "text they name)",
                )
            if tag == _LATER:  # untagged: quoted and block scalars are text, plain ones vary
                if node.style:  # plain is "" from libyaml, None from pure Python
                    return node.value
                tag = _implicit(node.value)
                if tag == _STR or self._non_specific(node):
                    return node.value
            return _scalar(node, tag, self.lines)
        self.count += len(node.value)
        if self.count > MAX_NODES:
            raise YamlProblem(
                f"document expands to over {MAX_NODES:,} nodes",
                *position_of(node, self.lines),
                "a proposal has a few hundred; remove what repeats it (anchors and aliases, "
                "&name / *name, multiply what they name)",
            )
        if depth > MAX_DEPTH:
            raise YamlProblem(
                f"nesting deeper than {MAX_DEPTH} levels", *position_of(node, self.lines)
            )
        if type(node) is MappingNode and tag in _MAP_TAGS:
            return self._mapping(node, depth)
        if type(node) is SequenceNode and tag in _SEQ_TAGS:
            return [self.convert(item, depth + 1) for item in node.value]
        raise _refused(node, self.lines)

    def _non_specific(self, node: ScalarNode) -> bool:
        """`! 123`: the non-specific tag `!` makes a plain scalar text (YAML 1.1 §6.9.1, and
        PyYAML's libyaml loader; its pure-Python parser makes it a number, which matland does
        not follow, so both loaders agree). The composer leaves such a node untagged; its
        mark starts at its properties (`&anchor`, `!`), so the text says which it is."""
        text, at = self.text, node.start_mark.index
        if text[at : at + 1] not in "!&":  # the value itself: no properties (nearly all)
            return False
        return _NON_SPECIFIC.match(text, at) is not None

    def _mapping(self, node: MappingNode, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if type(key_node) is not ScalarNode or (
                (key_node.tag != _LATER or key in _ODD_KEYS)
                and _key_tag(key_node) not in _SCALAR_TAGS
            ):
                if key == "<<":
                    raise YamlProblem(
                        "merge keys (<<) are not supported",
                        *position_of(key_node, self.lines),
                        "write keys out",
                    )
                raise YamlProblem("a key must be a plain word", *position_of(key_node, self.lines))
            if key in result:
                first = next(k for k, _ in node.value if k.value == key)
                raise YamlProblem(
                    f"duplicate key '{key}' (first at line {position_of(first, self.lines)[0]})",
                    *position_of(key_node, self.lines),
                    "keep one of them",
                    rule_id="duplicate-key",
                )
            if (
                type(value_node) is ScalarNode
                and value_node.tag == _LATER
                and (value_node.style or value_node.value[:1] not in _IMPLICIT)
            ):  # text, the commonest value: quoted, or plain and no number, yes/no or null
                result[key] = value_node.value
            else:
                result[key] = self.convert(value_node, depth + 1)
        return result


_NON_SPECIFIC = re.compile(r"(?:&\S+\s+)?!(?=\s|\Z)")  # `! …`, `&anchor ! …`
_ODD_KEYS = ("<<", "=")  # the only plain words that resolve to tags a key cannot have


def _key_tag(node: ScalarNode) -> str:
    if node.tag != _LATER:
        return str(node.tag)
    return _implicit(node.value) if not node.style else _STR


def _refused(node: Node, lines: Lines | None, tag: str | None = None) -> YamlProblem:
    return YamlProblem(
        f"tag {_shown(tag or node.tag)} is not allowed here",
        *position_of(node, lines),
        "remove the tag; matland reads plain YAML only",
    )
