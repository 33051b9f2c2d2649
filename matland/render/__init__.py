"""Output formats: one module each, all with `render(results, options) -> str`.

RENDERERS names each format's module and the views it offers (`check`: a run over many
files; `report`: one proposal in full). Modules are imported only when used, so start-up stays
cheap. Adding a format is one new module and one line here.

A format with the check view also streams (render/stream.py): `piece(result, options)` renders
one file where it was checked, its `Assembly(options)` joins the pieces as they come.

A proposal is untrusted input (a pull request's file in CI): `printable` is how its text is
put on a line of a terminal or a CI log.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Literal

from matland.core.records import record

if TYPE_CHECKING:
    from matland.core.assessment import FileResult
    from matland.core.knowledge import Knowledge
    from matland.render.stream import Assembly, Piece

View = Literal["check", "report"]
Renderer = Callable[[Sequence["FileResult"], "RenderOptions"], str]

RENDERERS: dict[str, tuple[str, tuple[View, ...]]] = {
    "text": ("matland.render.text", ("check", "report")),
    "markdown": ("matland.render.markdown", ("check", "report")),
    "json": ("matland.render.json", ("check", "report")),
    "sarif": ("matland.render.sarif", ("check",)),
    "junit": ("matland.render.junit", ("check",)),
    "github": ("matland.render.github", ("check",)),
    "html": ("matland.render.html", ("report",)),
    "brief": ("matland.render.brief", ("report",)),
    "brief-md": ("matland.render.brief_md", ("report",)),
}


@record
class RenderOptions:
    knowledge: Knowledge
    view: View = "check"
    fail_on: str = "high"
    color: bool = False
    # the columns text is laid out for; None: the terminal's (render/prose.py). An --output
    # file is laid out for 80, whatever terminal the run was started from.
    columns: int | None = None


# What a terminal or a CI log acts on instead of showing: C0 and C1 controls (line breaks, ESC
# and so on), DEL, Unicode's line and paragraph separators, and the bidi controls that reorder
# what is shown around them (Trojan Source, CVE-2021-42574). A line break would let a title
# or a reason start a line of its own: a GitHub workflow command (`::add-mask::`,
# `::stop-commands::`) or a fake finding; ESC would rewrite lines already printed.
_UNPRINTABLE = (
    *range(0x20),
    *range(0x7F, 0xA0),
    0x061C,  # Arabic letter mark
    0x200E,  # left-to-right and right-to-left marks
    0x200F,
    0x2028,  # line and paragraph separators
    0x2029,
    0xE000,  # the private-use character render/prose.py glues words with
    *range(0x202A, 0x202F),  # embeddings and overrides
    *range(0x2066, 0x206A),  # isolates
)
_NAMED = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
_ESCAPES = {
    code: _NAMED.get(code) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    for code in _UNPRINTABLE
}


def printable(text: str) -> str:
    """User text safe on one line of a terminal or a CI log: what would act instead of show
    becomes a visible escape (`\\n`, `\\x1b`, `\\u2028`); the rest, accents, CJK, emoji and
    backslashes included, is left as written. Applied twice, it changes nothing more. Azure
    Pipelines reads `##vso[` anywhere in a line as a command: its second `#` is escaped."""
    return text.translate(_ESCAPES).replace("##vso[", "#\\x23vso[")


# A line the GitHub Actions runner reads as a workflow command: `::` first after any blanks
# (it trims the start of each line).
_COMMAND = re.compile(r"^(\s*):(?=:)", re.M)


def line_start(text: str) -> str:
    """Text that starts a line of output, or lines: one whose first non-blank characters are
    `::` (`::error::`, `::add-mask::`) has its second colon escaped. Applied twice, it
    changes nothing more."""
    return _COMMAND.sub(r"\1:\\x3a", text) if "::" in text else text


def no_commands_markup(text: str) -> str:
    """XML or HTML whose lines cannot read as workflow commands: such a line's first colon
    as a character reference (`&#58;`), which a reader of the markup sees as the colon."""
    return _COMMAND.sub(r"\1&#58;", text) if "::" in text else text


def printable_lines(text: str) -> str:
    """Text of several lines, each made `printable`: its line feeds stay line breaks, nothing
    else acts (a screen, or what a server prints, that quotes a file)."""
    return "\n".join(printable(line) for line in text.split("\n"))


def formats(view: View) -> list[str]:
    return [name for name, (_, views) in RENDERERS.items() if view in views]


def _module(name: str) -> ModuleType:
    return importlib.import_module(RENDERERS[name][0])


def renderer(name: str) -> Renderer:
    render: Renderer = _module(name).render
    return render


def assembly(name: str, options: RenderOptions) -> Assembly:
    made: Assembly = _module(name).Assembly(options)
    return made


def pieces(
    names: tuple[str, ...], fail_on: str, result: FileResult, knowledge: Knowledge
) -> tuple[Piece, ...]:
    """One checked file as each format in `names` shows it (run where it was checked; bound
    to names and fail_on with functools.partial, it pickles by reference)."""
    options = RenderOptions(knowledge, "check", fail_on)
    return tuple(_module(name).piece(result, options) for name in names)
