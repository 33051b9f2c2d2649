"""JSON: the whole workshop as one document (participants, items, group, roles, errors)."""

from __future__ import annotations

import json

from matland.render.workshop import WorkshopOptions
from matland.render.workshop import data as wd
from matland.workshop.aggregate import Workshop


def render(workshop: Workshop, options: WorkshopOptions) -> str:
    document = wd.workshop(workshop, options.knowledge)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
