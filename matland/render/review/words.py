"""The words every review format shares: how a rating, an outcome and the mapping read."""

from __future__ import annotations

from collections import Counter

from matland.core.assessment import Assessment
from matland.core.numbers import whole
from matland.core.reviewrules import Position
from matland.core.vocabulary import DELIVERED
from matland.review.outcome import (
    NOT_SAID,
    ParadigmCheck,
    ReviewOutcome,
    SpectrumPlace,
    SupportOutcome,
)

# Table 3's column headings for the three levels (report §2.2).
LEVEL_NAMES = {
    "success": "relative success",
    "conflicted": "conflicted attainment",
    "failure": "relative failure",
    "unsure": "unsure",
}
TOO_EARLY = "too early to place"


def position_name(place: SpectrumPlace) -> str:
    return place.position.name if place.position else TOO_EARLY


def counts_text(place: SpectrumPlace) -> str:
    c = place.counts
    text = (
        f"{c['success']} relative success, {c['conflicted']} conflicted attainment, "
        f"{c['failure']} relative failure"
    )
    return text + (f", {c['unsure']} unsure" if c["unsure"] else "")


def rule_text(position: Position) -> str:
    """A position's limits in words, leaving out those that hold for any review."""
    limits = []
    if position.success_share_at_least > 0:
        limits.append(f"at least {whole(position.success_share_at_least * 100)}% relative success")
    if position.failure_share_at_most < 1:
        limits.append(f"at most {whole(position.failure_share_at_most * 100)}% relative failure")
    return f"{position.name}: " + (" and ".join(limits) or "any other result")


def why_text(place: SpectrumPlace) -> str:
    if place.position is None:
        return (
            f"only {place.rated} of the criteria rated; at least {place.min_rated} are needed "
            "to place the result"
        )
    return (
        f"{whole(place.share('success') * 100)}% relative success, "
        f"{whole(place.share('failure') * 100)}% relative failure of {place.rated} rated: "
        "the first position, from the top, whose limits hold"
    )


def support_tallies(o: ReviewOutcome) -> list[str]:
    """Delivered, counted apart for the recommended approaches and for the rest of the plan."""
    groups = (
        ("recommended", [s for s in o.support if s.rank]),
        ("planned only", [s for s in o.support if not s.rank]),
    )
    lines = []
    for name, group in groups:
        if group:
            counted = Counter(s.delivered for s in group)
            tally = ", ".join(f"{counted[k]} {k}" for k in (*DELIVERED, NOT_SAID) if counted[k])
            lines.append(f"{name} ({len(group)}): delivered {tally}")
    return lines


def offered_text(s: SupportOutcome) -> str:
    parts = [f"recommended #{s.rank}"] if s.rank else []
    return ", ".join(parts + (["planned"] if s.planned else []))


def paradigm_text(check: ParadigmCheck) -> str:
    if not check.reanswered:
        return f"predicted {where(check.before)}; no item re-answered at review time"
    verdict = "still fits" if check.still_fits else "no longer fits"
    return (
        f"predicted {where(check.before)}; at review {where(check.after)}: the paradigm {verdict}"
    )


def where(assessment: Assessment) -> str:
    p = assessment.placement
    label = p.paradigm or "not classifiable"
    return f"{label} (ambiguity {_score(p.ambiguity.score)}, conflict {_score(p.conflict.score)})"


def _score(value: float | None) -> str:
    return "—" if value is None else str(whole(value))


def value_text(value: int | bool | None) -> str:
    if value is None:
        return "unanswered"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
