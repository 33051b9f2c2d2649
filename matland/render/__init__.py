"""Output formats: one module each, all with `render(results, options) -> str`.

RENDERERS names each format's module and the views it offers (`check`: a run over many
files; `report`: one proposal in full). Modules are imported only when used, so start-up stays
cheap. Adding a format is one new module and one line here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from matland.assessment import FileResult
    from matland.knowledge import Knowledge

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


def renderer(name: str) -> Renderer:
    module = importlib.import_module(RENDERERS[name][0])
    render: Renderer = module.render
    return render
