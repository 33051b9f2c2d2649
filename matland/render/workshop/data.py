"""A workshop as plain data: what JSON prints (and what a program reads)."""

from __future__ import annotations

from typing import Any

from matland import __version__
from matland.core.knowledge import Knowledge
from matland.render import data as d
from matland.workshop.aggregate import (
    Group,
    ItemSpread,
    ParticipantResult,
    Scenario,
    Workshop,
)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def item(spread: ItemSpread) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": spread.type,
        "n": spread.n,
        "unsure": spread.unsure,
        "mean": _round(spread.mean),
        "median": spread.median,
        "min": spread.minimum,
        "max": spread.maximum,
        "q1": _round(spread.q1),
        "q3": _round(spread.q3),
        "iqr": _round(spread.iqr),
        "disagreement": spread.disagreement,
        # A split item has no group value: the median would hide the split.
        "group_value": spread.reported,
    }
    if spread.type == "scale":
        data["low"] = spread.low
        data["high"] = spread.high
    return data


def participant(result: ParticipantResult, knowledge: Knowledge) -> dict[str, Any]:
    a = result.assessment
    return {
        "name": result.name,
        "role": result.role,
        "source": result.participant.source,
        **d.placement(a, knowledge),
    }


def scenario(s: Scenario | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {
        "paradigm": s.placement.paradigm,
        "scores": {k: _round(v, 1) for k, v in s.placement.scores.items()},
        "values": dict(s.values),
    }


def group(g: Group, workshop: Workshop, knowledge: Knowledge) -> dict[str, Any]:
    a = g.assessment
    dis = g.disagreement
    evidence = workshop.rules.conflict_evidence
    rule = workshop.rules.disagreement
    return {
        "participants": len(g.members),
        **d.placement(a, knowledge),
        "answers": {qid: answer.value for qid, answer in a.proposal.answers.items()},
        "support_mix": d.support(a),
        # the group has no file behind it, so its risks have no line or column
        "risks": [
            {k: v for k, v in d.risk(r).items() if k not in ("line", "column")} for r in a.risks
        ],
        "disagreement": {
            "items": list(dis.contested),
            "conflict_items": list(dis.conflict_items),
            "conflict_evidence": (
                {"text": " ".join(evidence.text.split()), "source": evidence.source}
                if dis.conflict_items
                else None
            ),
            "if_high_answers_right": scenario(dis.if_high),
            "if_low_answers_right": scenario(dis.if_low),
            "rule": {
                "low_max": rule.low_max,
                "high_min": rule.high_min,
                "divisor": rule.divisor,
                "min_spread": rule.min_spread,
                "source": " ".join(rule.source.split()),
            },
        },
    }


def workshop(w: Workshop, knowledge: Knowledge) -> dict[str, Any]:
    document: dict[str, Any] = {
        "matland": __version__,
        "title": w.title,
        "participants": [participant(p, knowledge) for p in w.participants],
        "items": {qid: item(s) for qid, s in w.items.items()},
        "group": group(w.group, w, knowledge),
    }
    if w.roles:
        document["roles"] = [
            {
                "role": r.role,
                "participants": list(r.group.members),
                **d.placement(r.group.assessment, knowledge),
                "contested": list(r.group.disagreement.contested),
            }
            for r in w.roles
        ]
        document["role_gaps"] = [
            {"item": g.item, "gap": g.gap, "medians": dict(g.medians)} for g in w.role_gaps
        ]
    document["errors"] = [d.finding(f) for f in w.errors]
    return document
