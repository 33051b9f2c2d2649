"""A workshop as plain data: what JSON prints (and what a program reads)."""

from __future__ import annotations

from typing import Any

from matland import __version__
from matland.core.knowledge import Knowledge
from matland.core.model import Answer
from matland.core.words import flat
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


def answer_value(answer: Answer) -> Any:
    return answer.written


def notes(spread: ItemSpread, anonymous: bool) -> list[dict[str, Any]]:
    """Each note on the item, by participant (no one named when anonymous)."""
    return [
        {"participant": None if anonymous else name, "note": note} for name, note in spread.notes
    ]


def item(spread: ItemSpread, anonymous: bool = False) -> dict[str, Any]:
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
    data["notes"] = notes(spread, anonymous)
    return data


def participant(
    number: int, result: ParticipantResult, knowledge: Knowledge, anonymous: bool
) -> dict[str, Any]:
    """One participant: who (`Participant N` and no source when anonymous), where they
    place the policy, whether they count in the group's position, and their answers."""
    a = result.assessment
    data: dict[str, Any] = {"number": number, "name": result.name, "role": result.role}
    if not anonymous:
        data["source"] = result.participant.source
    return {
        **data,
        "in_group_position": result.in_position,
        **d.placement(a, knowledge),
        "answers": {qid: answer_value(ans) for qid, ans in a.proposal.answers.items()},
    }


def sides(w: Workshop, item_id: str) -> dict[str, Any]:
    """Who sits on each side of a contested item: names, or counts by role when anonymous."""
    low, high = w.sides(item_id)
    if w.anonymous:
        return {"low": w.by_role(low), "high": w.by_role(high)}
    return {"low": list(low), "high": list(high)}


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
        "counted": list(g.counted) if g.counted is not None else list(g.members),
        "conflict_counted_high": list(g.conflict_counted),
        "bootstrap": (
            {
                "resamples": workshop.bootstrap.resamples,
                "seed": workshop.bootstrap.seed,
                "same_paradigm": workshop.bootstrap.same,
                "share": round(workshop.bootstrap.share, 3),
                "others": dict(workshop.bootstrap.others),
            }
            if workshop.bootstrap is not None
            else None
        ),
        "median_position": (
            {
                "label": g.median_placement.label,
                "scores": {
                    k: None if v is None else round(v, 1)
                    for k, v in g.median_placement.scores.items()
                },
            }
            if g.median_placement is not None
            else None
        ),
        "disagreement": {
            "items": list(dis.contested),
            "sides": {i: sides(workshop, i) for i in dis.contested},
            "conflict_items": list(dis.conflict_items),
            "conflict_evidence": (
                {"text": flat(evidence.text), "source": evidence.source}
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
                "source": flat(rule.source),
            },
        },
    }


def workshop(w: Workshop, knowledge: Knowledge) -> dict[str, Any]:
    document: dict[str, Any] = {
        "matland": __version__,
        "title": w.title,
        "anonymous": w.anonymous,
        "participants": [
            participant(i + 1, p, knowledge, w.anonymous) for i, p in enumerate(w.participants)
        ],
        "left_out_of_group_position": list(w.flagged),
        "items": {qid: item(s, w.anonymous) for qid, s in w.items.items()},
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
        document["role_splits"] = [
            {
                "item": s.item,
                "low": list(s.low),
                "high": list(s.high),
                "between": list(s.between),
                "contested": s.contested,
            }
            for s in w.role_splits
        ]
    document["errors"] = [d.finding(f) for f in w.errors]
    return document
