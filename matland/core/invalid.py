"""A pydantic ValidationError as Findings: the one converter for every file matland
validates with a model (a proposal, a review, a survey's column map, the configuration,
the rules), in a YAML author's words and at the place in the file."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from matland.core.findings import Finding

if TYPE_CHECKING:
    from pydantic import ValidationError
    from pydantic_core import ErrorDetails

    Issue = ErrorDetails  # one entry of ValidationError.errors()

Loc = tuple[str | int, ...]
Locate = Callable[[Loc, "Issue"], tuple[int, int]]
Describe = Callable[[Loc, "Issue"], tuple[str, str]]

# Pydantic's wording names Python types ("a valid dictionary or instance of Policy"); a
# person writing YAML needs the YAML words, and what to write instead.
_PLAIN: dict[str, tuple[str, str]] = {
    "model_type": ("must be a mapping of keys and values", "indent `key: value` lines under it"),
    "model_attributes_type": (
        "must be a mapping of keys and values",
        "indent `key: value` lines under it",
    ),
    "dict_type": ("must be a mapping of keys and values", "indent `key: value` lines under it"),
    "list_type": ("must be a list", "write one `- item` line per entry"),
    "string_type": ("must be text", "put it in quotes"),
    "string_too_short": ("must not be empty", "write something, or remove the key"),
    "int_type": ("must be a whole number", ""),
}


def plain(item: Issue) -> tuple[str, str]:
    """A pydantic error in the words of a YAML author, with what to write instead."""
    kind, message, context = item["type"], str(item["msg"]), item.get("ctx") or {}
    if kind in _PLAIN:
        return _PLAIN[kind]
    if kind == "literal_error":
        return f"must be one of {context.get('expected', '')}".strip(), ""
    return message[:1].lower() + message[1:], ""


def loc_of(item: Issue) -> Loc:
    """The path to the value, without the names pydantic gives a union's branches."""
    return tuple(part for part in item["loc"] if isinstance(part, str | int))


def dotted(loc: Loc) -> str:
    return ".".join(str(part) for part in loc)


def describe(loc: Loc, item: Issue) -> tuple[str, str]:
    """What is wrong and what to do: an unknown key by name, a missing one by its path, a
    bad value in `plain` words."""
    if item["type"] == "extra_forbidden":
        return f"unknown key '{loc[-1]}'", ""
    if item["type"] == "missing":
        return f"missing required key '{dotted(loc)}'", ""
    text, hint = plain(item)
    return (f"{dotted(loc)}: {text}" if loc else text), hint


def as_given(loc: Loc, item: Issue) -> tuple[str, str]:
    """An issue in pydantic's own words, for the rules' authors (who read the models): an
    unknown key by name, else `path: message`; a missing key points at the file's comments."""
    if item["type"] == "extra_forbidden":
        return f"unknown key '{loc[-1]}'", ""
    message = f"{dotted(loc)}: {item['msg']}" if loc else str(item["msg"])
    return message, "see the comments at the top of the file" if item["type"] == "missing" else ""


def findings(
    error: ValidationError,
    path: str,
    rule_id: str,
    locate: Locate,
    words: Describe = describe,
    *,
    one_a_place: bool = False,
) -> list[Finding]:
    """Each of the error's issues as a Finding at `locate(loc, issue)`; `one_a_place` keeps
    the first of several at one place (a union's branches each say why they failed)."""
    found: dict[Loc, Finding] = {}
    every: list[Finding] = []
    for item in error.errors(include_url=False):
        loc = loc_of(item)
        line, column = locate(loc, item)
        message, hint = words(loc, item)
        finding = Finding(path, line, column, rule_id, "error", message, hint)
        if one_a_place:
            found.setdefault(loc, finding)
        else:
            every.append(finding)
    return list(found.values()) if one_a_place else every
