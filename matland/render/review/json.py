"""`matland review --format json`: the whole run as one document (render/review/data.py)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from matland.render.review import ReviewOptions
from matland.render.review.data import run
from matland.review.outcome import ReviewOutcome


def render(outcomes: Sequence[ReviewOutcome], options: ReviewOptions) -> str:
    return json.dumps(run(outcomes), indent=2, ensure_ascii=False) + "\n"
