"""Two Delphi rounds compared: how each item moved, which splits were resolved and which
held, and how stable each participant was.

Pure: both rounds come in as Workshops aggregated by the same code as `matland workshop`
(aggregate.py), so a contested item is contested by the same rule (rules/workshop.yaml).
A split that survives the feedback of round two is a stable split: the participants saw the
group's answers and kept theirs, which is evidence of conflict in its own right.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from matland.core.classify import SCALE_MAX, SCALE_MIN
from matland.core.records import record
from matland.workshop.aggregate import ItemSpread, Workshop

Outcome = Literal["reached agreement", "stable split", "newly contested", ""]
# Cohen's (1968) weighted kappa with quadratic weights: the usual choice for test-retest of
# an ordinal scale (a change of two points costs four times a change of one).
KAPPA_POWER = 2


@record
class ItemChange:
    id: str
    before: ItemSpread
    after: ItemSpread
    kept: int  # participants who gave the same answer in both rounds
    both: int  # participants with an answer in both rounds

    @property
    def median_moved(self) -> float | None:
        if self.before.median is None or self.after.median is None:
            return None
        return self.after.median - self.before.median

    @property
    def kept_share(self) -> float | None:
        return None if not self.both else self.kept / self.both

    @property
    def outcome(self) -> Outcome:
        was, now = self.before.disagreement, self.after.disagreement
        if was and now:
            return "stable split"
        if was:
            return "reached agreement"
        return "newly contested" if now else ""


@record
class Stability:
    participant: str
    kept: int
    both: int
    kappa: float | None  # None when it is undefined (one answer given throughout)


@record
class Rounds:
    first: Workshop
    second: Workshop
    items: tuple[ItemChange, ...]
    participants: tuple[Stability, ...]

    @property
    def stable_splits(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items if i.outcome == "stable split")

    @property
    def resolved(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items if i.outcome == "reached agreement")

    @property
    def paradigms(self) -> tuple[str | None, str | None]:
        return (
            self.first.group.assessment.placement.paradigm,
            self.second.group.assessment.placement.paradigm,
        )


def _values(spread: ItemSpread) -> dict[str, float]:
    return dict(spread.answers)


def compare(first: Workshop, second: Workshop) -> Rounds:
    items = []
    pairs: dict[str, list[tuple[float, float]]] = {}
    for item_id, before in first.items.items():
        after = second.items[item_id]
        old, new = _values(before), _values(after)
        common = [name for name in old if name in new]
        items.append(
            ItemChange(
                item_id, before, after, sum(1 for n in common if old[n] == new[n]), len(common)
            )
        )
        if before.type == "scale":
            for name in common:
                pairs.setdefault(name, []).append((old[name], new[name]))
    people = tuple(
        Stability(
            p.name,
            sum(1 for a, b in pairs.get(p.name, []) if a == b),
            len(pairs.get(p.name, [])),
            weighted_kappa(pairs.get(p.name, [])),
        )
        for p in second.participants
    )
    return Rounds(first, second, tuple(items), people)


def weighted_kappa(pairs: Sequence[tuple[float, float]]) -> float | None:
    """Cohen's weighted kappa between a participant's round-one and round-two answers on the
    1-5 items (1 = every answer kept; 0 = no more alike than chance)."""
    if not pairs:
        return None
    levels = range(SCALE_MIN, SCALE_MAX + 1)
    n = len(pairs)
    span = (SCALE_MAX - SCALE_MIN) ** KAPPA_POWER
    observed = sum(abs(a - b) ** KAPPA_POWER for a, b in pairs) / span / n
    rows = _shares([a for a, _ in pairs], levels)
    cols = _shares([b for _, b in pairs], levels)
    expected = sum(
        rows[i] * cols[j] * abs(i - j) ** KAPPA_POWER / span for i in levels for j in levels
    )
    if expected == 0:
        return None
    return float(1 - observed / expected)


def _shares(values: Sequence[float], levels: range) -> Mapping[int, float]:
    return {level: sum(1 for v in values if v == level) / len(values) for level in levels}
