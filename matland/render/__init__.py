"""Output formats: one module each, all with `render(results, options) -> str`.

RENDERERS names each format's module and the views it offers (`check`: a run over many
files; `report`: one proposal in full). Modules are imported only when used, so start-up stays
cheap. Adding a format is one new module and one line here.

A format with the check view also streams (render/stream.py): `piece(result, options)` renders
one file where it was checked, its `Assembly(options)` joins the pieces as they come.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from matland.assessment import FileResult
    from matland.knowledge import Knowledge
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
}


@dataclass(frozen=True)
class RenderOptions:
    knowledge: Knowledge
    view: View = "check"
    fail_on: str = "high"
    color: bool = False


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
