"""Output formats of `matland review`: one module each, `render(outcomes, options) -> str`.

A review is its own result (matland.review.outcome.ReviewOutcome: the six criteria, the
spectrum, the prediction beside what happened), so its formats live apart from RENDERERS,
which take FileResults. Several reviews of one proposal add its timeline. Adding a format
is one new module and one line here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from matland.core.records import record

if TYPE_CHECKING:
    from matland.core.knowledge import Knowledge
    from matland.core.reviewrules import ReviewRules
    from matland.review.outcome import ReviewOutcome

# Each format's module in this package, imported when asked for (html pulls in the kit).
REVIEW_RENDERERS = ("text", "markdown", "json", "html")


@record
class ReviewOptions:
    knowledge: Knowledge
    rules: ReviewRules


ReviewRenderer = Callable[[Sequence["ReviewOutcome"], ReviewOptions], str]


def review_formats() -> list[str]:
    return list(REVIEW_RENDERERS)


def review_renderer(name: str) -> ReviewRenderer:
    if name not in REVIEW_RENDERERS:
        raise KeyError(name)
    module = importlib.import_module(f"{__name__}.{name}")
    render: ReviewRenderer = module.render
    return render
