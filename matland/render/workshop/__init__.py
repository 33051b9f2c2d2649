"""Output formats of `matland workshop`: one module each, `render(workshop, options) -> str`.

A workshop is its own result (matland.workshop.aggregate.Workshop: participants, per-item
spread, the group's assessment), so its formats live apart from RENDERERS, which take
FileResults. They reuse the single-proposal pieces (text and markdown sections, the HTML
kit) for the group. Adding a format is one new module and one line here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from matland.core.records import record

if TYPE_CHECKING:
    from matland.core.knowledge import Knowledge
    from matland.workshop.aggregate import Workshop

WORKSHOP_RENDERERS: dict[str, str] = {
    "text": "matland.render.workshop.text",
    "markdown": "matland.render.workshop.markdown",
    "json": "matland.render.workshop.json",
    "html": "matland.render.workshop.html",
}
WorkshopRenderer = Callable[["Workshop", "WorkshopOptions"], str]


@record
class WorkshopOptions:
    knowledge: Knowledge


def workshop_formats() -> list[str]:
    return list(WORKSHOP_RENDERERS)


def workshop_renderer(name: str) -> WorkshopRenderer:
    module = importlib.import_module(WORKSHOP_RENDERERS[name])
    render: WorkshopRenderer = module.render
    return render
