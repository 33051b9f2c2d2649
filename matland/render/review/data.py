"""A review as plain data (what `--format json` prints; the other formats read the same
outcome objects)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matland.core.assessment import Assessment
from matland.render.review import words as w
from matland.review.outcome import ReviewOutcome
from matland.review.timeline import Timeline, in_date_order, timelines


def run(outcomes: Sequence[ReviewOutcome]) -> dict[str, Any]:
    return {
        "reviews": [review(o) for o in in_date_order(outcomes)],
        "timelines": [timeline(t) for t in timelines(outcomes)],
    }


def _placement(a: Assessment) -> dict[str, Any]:
    p = a.placement
    return {
        "paradigm": p.paradigm,
        "ambiguity": p.ambiguity.score,
        "conflict": p.conflict.score,
    }


def review(o: ReviewOutcome) -> dict[str, Any]:
    f = o.review.file
    place = o.spectrum
    return {
        "path": o.review.path,
        "proposal": o.review.proposal_path,
        "title": o.title,
        "date": f.date,
        "phase": f.phase,
        "rater": f.rater,
        "criteria": [
            {
                "id": c.criterion.id,
                "name": c.criterion.name,
                "rating": c.rating,
                "level": w.LEVEL_NAMES[c.rating],
                "described": c.described or None,
                "evidence": c.evidence,
                "rater": c.rater,
                "source": c.criterion.source,
            }
            for c in o.criteria
        ],
        "spectrum": {
            "position": place.position.id if place.position else None,
            "name": w.position_name(place),
            "counts": dict(place.counts),
            "rated": place.rated,
            "why": w.why_text(place),
            "mapping": [w.rule_text(p) for p in place.positions],
            "source": place.source,
        },
        "risks": [
            {
                "id": r.id,
                "title": r.title,
                "severity": r.severity,
                "met_by": list(r.met_by),
                "materialised": r.materialised,
                "note": r.note,
            }
            for r in o.risks
        ],
        "risk_tally": o.risk_tally(),
        "unexpected": list(o.unexpected),
        "support": [
            {
                "id": s.id,
                "name": s.name,
                "recommended_rank": s.rank,
                "planned": s.planned,
                "delivered": s.delivered,
                "note": s.note,
            }
            for s in o.support
        ],
        "support_tally": o.support_tally(),
        "paradigm": {
            "predicted": _placement(o.paradigm.before),
            "at_review": _placement(o.paradigm.after),
            "reanswered": [
                {"id": c.id, "before": c.before, "after": c.after, "note": c.note}
                for c in o.paradigm.changes
            ],
            "still_fits": o.paradigm.still_fits,
        },
    }


def timeline(t: Timeline) -> dict[str, Any]:
    return {
        "proposal": t.proposal_path,
        "title": t.title,
        "reviews": [
            {"path": r.review.path, "date": r.review.file.date, "phase": r.review.file.phase}
            for r in t.reviews
        ],
        "criteria": [
            {
                "id": c.criterion.id,
                "ratings": list(t.ratings(c.criterion.id)),
                "moved": t.moves(c.criterion.id),
            }
            for c in t.reviews[0].criteria
        ],
        "overall": [r.spectrum.position.id if r.spectrum.position else None for r in t.reviews],
    }
