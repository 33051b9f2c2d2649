"""Several reviews of one proposal (stocktakes over time) as a timeline: each criterion's
rating, and the overall place on the spectrum, review by review in date order."""

from __future__ import annotations

import os
from collections.abc import Sequence

from matland.core.records import record
from matland.core.reviewfile import Rating
from matland.review.outcome import ReviewOutcome


@record
class Timeline:
    proposal_path: str
    title: str
    reviews: tuple[ReviewOutcome, ...]  # in date order (then as given)

    def ratings(self, criterion_id: str) -> tuple[Rating, ...]:
        return tuple(
            next(c.rating for c in r.criteria if c.criterion.id == criterion_id)
            for r in self.reviews
        )

    def moves(self, criterion_id: str) -> str:
        """'up', 'down' or 'same' from the first rated review to the last; 'rated once' or
        'never rated' when there is nothing to compare."""
        order = {"failure": 0, "conflicted": 1, "success": 2}
        rated = [order[r] for r in self.ratings(criterion_id) if r != "unsure"]
        if len(rated) < 2:
            return "rated once" if rated else "never rated"
        first, last = rated[0], rated[-1]
        return "up" if last > first else "down" if last < first else "same"


def timelines(outcomes: Sequence[ReviewOutcome]) -> tuple[Timeline, ...]:
    """One timeline per proposal reviewed more than once, in the order first met."""
    groups: dict[str, list[ReviewOutcome]] = {}
    for outcome in outcomes:
        key = os.path.normcase(os.path.abspath(outcome.review.proposal_path))
        groups.setdefault(key, []).append(outcome)
    found = []
    for group in groups.values():
        if len(group) < 2:
            continue
        ordered = tuple(sorted(group, key=lambda o: o.review.file.date))  # stable: ties kept
        found.append(Timeline(group[0].review.proposal_path, group[0].title, ordered))
    return tuple(found)


def in_date_order(outcomes: Sequence[ReviewOutcome]) -> list[ReviewOutcome]:
    return sorted(outcomes, key=lambda o: o.review.file.date)
