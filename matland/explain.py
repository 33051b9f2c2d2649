"""The whole trace of one assessment: why each score, paradigm, risk and recommendation.

Nothing is recomputed: the points are classify's contributions, the risks are the compiled
conditions walked with the proposal's facts, the reasons are support's. `as_data` and
`as_text` turn the trace into the `matland explain` output.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

from tabulate import tabulate

from matland.assessment import Assessment
from matland.classify import DimensionScore
from matland.conditions import All, AnyOf, Compare, Condition, Facts, Not, State
from matland.knowledge import Knowledge, Risk
from matland.render.text import WIDTH, heading, score_text
from matland.support import Recommendation

MISSING = "missing"
UNSURE = "unsure"
COUNTED = ("stakeholders", "support_plan")  # subjects that count entries


@dataclass(frozen=True)
class Contribution:
    item: str
    value: int
    weight: float
    points: float  # the item's share of the dimension score


@dataclass(frozen=True)
class DimensionTrace:
    dimension: str
    score: float | None
    contributions: tuple[Contribution, ...]  # their points add up to the score
    unanswered: tuple[str, ...]


@dataclass(frozen=True)
class Axis:
    """One dimension's side of the matrix: high or low, and how far from the line."""

    dimension: str
    score: float
    distance: float  # from the midpoint, in points
    high: bool
    within_band: bool  # close enough to carry elements of the paradigm across the line


@dataclass(frozen=True)
class Decision:
    paradigm: str | None
    midpoint: float
    band: float
    axes: tuple[Axis, ...]  # empty when not classifiable
    elements: tuple[str, ...]
    borderline: bool
    confidence: str | None
    answered_share: float  # of the classification items
    to_answer: tuple[str, ...]


@dataclass(frozen=True)
class ConditionTrace:
    kind: str  # all | any | not | leaf
    text: str
    holds: bool
    parts: tuple[ConditionTrace, ...] = ()
    subject: str = ""
    actual: Any = None  # the subject's value in this proposal (leaves only)


@dataclass(frozen=True)
class Escalation:
    severity: str
    why: str
    condition: ConditionTrace


@dataclass(frozen=True)
class RiskTrace:
    risk: Risk
    fired: bool
    severity: str | None  # as fired (after escalation); None when quiet
    condition: ConditionTrace
    escalations: tuple[Escalation, ...]


@dataclass(frozen=True)
class Explanation:
    assessment: Assessment
    dimensions: tuple[DimensionTrace, ...]
    decision: Decision
    risks: tuple[RiskTrace, ...]  # every rule, fired first
    recommendations: tuple[Recommendation, ...]


def explain(assessment: Assessment, knowledge: Knowledge) -> Explanation:
    place = assessment.placement
    dimensions = tuple(
        _dimension(score, assessment, knowledge) for score in (place.ambiguity, place.conflict)
    )
    return Explanation(
        assessment=assessment,
        dimensions=dimensions,
        decision=_decision(assessment, knowledge),
        risks=_risks(assessment, knowledge),
        recommendations=assessment.recommendations,
    )


def _dimension(score: DimensionScore, a: Assessment, knowledge: Knowledge) -> DimensionTrace:
    weights = knowledge.classification.weights[score.dimension]  # type: ignore[index]
    contributions = tuple(
        Contribution(item, int(a.facts.values[item]), weights[item], points)  # type: ignore[arg-type]
        for item, points in score.contributions.items()
    )
    return DimensionTrace(score.dimension, score.score, contributions, score.unanswered)


def _decision(a: Assessment, knowledge: Knowledge) -> Decision:
    rules = knowledge.classification
    place = a.placement
    axes = tuple(
        Axis(
            dim.dimension,
            dim.score,
            abs(dim.score - rules.midpoint),
            dim.score >= rules.midpoint,
            abs(dim.score - rules.midpoint) <= rules.band,
        )
        for dim in (place.ambiguity, place.conflict)
        if dim.score is not None and place.classifiable
    )
    answered = len(place.ambiguity.answered) + len(place.conflict.answered)
    total = answered + len(place.ambiguity.unanswered) + len(place.conflict.unanswered)
    return Decision(
        paradigm=place.paradigm,
        midpoint=rules.midpoint,
        band=rules.band,
        axes=axes,
        elements=place.elements,
        borderline=place.borderline,
        confidence=place.confidence,
        answered_share=answered / total,
        to_answer=place.to_answer,
    )


def _risks(a: Assessment, knowledge: Knowledge) -> tuple[RiskTrace, ...]:
    fired = {f.id: f for f in a.risks}
    traces = [
        RiskTrace(
            risk=risk,
            fired=risk.id in fired,
            severity=fired[risk.id].severity if risk.id in fired else None,
            condition=trace(risk.condition, a.facts),
            escalations=tuple(
                Escalation(severity, why, trace(condition, a.facts))
                for condition, severity, why in risk.escalations
            ),
        )
        for risk in knowledge.risks
    ]
    return tuple(sorted(traces, key=lambda t: not t.fired))


def trace(condition: Condition, facts: Facts) -> ConditionTrace:
    """The condition evaluated node by node, each leaf with the value it looked at."""
    holds = condition.evaluate(facts).fired
    if isinstance(condition, All | AnyOf):
        kind = "all" if isinstance(condition, All) else "any"
        parts = tuple(trace(part, facts) for part in condition.parts)
        return ConditionTrace(kind, condition.describe(), holds, parts)
    if isinstance(condition, Not):
        return ConditionTrace("not", condition.describe(), holds, (trace(condition.part, facts),))
    if isinstance(condition, Compare | State):
        subject = condition.subject
        return ConditionTrace(
            "leaf", condition.describe(), holds, (), subject.name, actual_value(condition, facts)
        )
    raise TypeError(f"unknown condition node {type(condition).__name__}")


def actual_value(leaf: Compare | State, facts: Facts) -> Any:
    subject = leaf.subject
    if isinstance(leaf, State) or subject.kind.startswith("answer"):
        name = subject.name
        if name in facts.unsure:
            return UNSURE
        if name not in facts.values:
            return MISSING
        return "answered" if isinstance(leaf, State) else facts.values[name]
    return subject.value(facts)


# ---------------------------------------------------------------- output


def _num(value: Any, places: int = 2) -> Any:
    return round(value, places) if isinstance(value, float) else value


def condition_data(node: ConditionTrace) -> dict[str, Any]:
    data: dict[str, Any] = {"op": node.kind, "text": node.text, "holds": node.holds}
    if node.kind == "leaf":
        data["subject"] = node.subject
        data["actual"] = _num(node.actual, 3)
    else:
        data["parts"] = [condition_data(part) for part in node.parts]
    return data


def as_data(explanation: Explanation) -> dict[str, Any]:
    a = explanation.assessment
    decision = explanation.decision
    return {
        "path": a.proposal.path,
        "title": a.proposal.policy.title,
        "scores": {d.dimension: _num(d.score) for d in explanation.dimensions},
        "contributions": {
            d.dimension: {c.item: _num(c.points) for c in d.contributions}
            for d in explanation.dimensions
        },
        "answers_used": {
            d.dimension: {c.item: {"value": c.value, "weight": c.weight} for c in d.contributions}
            for d in explanation.dimensions
        },
        "unanswered": {d.dimension: list(d.unanswered) for d in explanation.dimensions},
        "decision": {
            "paradigm": decision.paradigm,
            "midpoint": decision.midpoint,
            "band": decision.band,
            "distances": {
                axis.dimension: {
                    "score": _num(axis.score),
                    "side": "high" if axis.high else "low",
                    "distance": _num(axis.distance),
                    "within_band": axis.within_band,
                }
                for axis in decision.axes
            },
            "elements": list(decision.elements),
            "borderline": decision.borderline,
            "confidence": decision.confidence,
            "answered_share": _num(decision.answered_share, 3),
            "to_answer": list(decision.to_answer),
        },
        "risks": [
            {
                "id": t.risk.id,
                "fired": t.fired,
                "severity": t.severity,
                "base_severity": t.risk.rule.severity,
                "condition": condition_data(t.condition),
                "escalations": [
                    {"severity": e.severity, "why": e.why, "condition": condition_data(e.condition)}
                    for e in t.escalations
                ],
            }
            for t in explanation.risks
        ],
        "support": {
            "blend": {k: _num(v, 3) for k, v in (a.mix.blend if a.mix else {}).items()},
            "recommended": [
                {"id": r.id, "fit": _num(r.fit, 3), "reasons": list(r.reasons)}
                for r in explanation.recommendations
            ],
        },
    }


def as_text(explanation: Explanation, knowledge: Knowledge) -> str:
    a = explanation.assessment
    title = f"Why matland says what it says: {a.proposal.policy.title}"
    lines = [title, "═" * len(title)]
    for dimension in explanation.dimensions:
        lines += _dimension_text(dimension)
    lines += _decision_text(explanation.decision, knowledge)
    lines += _risks_text(explanation.risks)
    lines += _support_text(explanation)
    return "\n".join(lines) + "\n"


def _dimension_text(d: DimensionTrace) -> list[str]:
    lines = heading(f"{d.dimension.capitalize()} score: {score_text(d.score)} / 100")
    if d.score is None:
        lines.append("  Not scored: fewer than half its items are answered.")
    else:
        rows = [[c.item, c.value, f"{c.weight:g}", f"{c.points:.1f}"] for c in d.contributions]
        rows.append(["total", "", "", f"{d.score:.1f}"])
        table = tabulate(
            rows,
            headers=["item", "answer", "weight", "points"],
            colalign=("left", "right", "right", "right"),
            disable_numparse=True,
        )
        lines += ["  " + line for line in table.splitlines()]
        lines += hanging(
            "Each answer v counts (v-1)/4*100 points, weighted; the score is the weighted mean.",
            "  ",
        )
    if d.unanswered:
        lines += hanging("Left out (unsure or unanswered): " + ", ".join(d.unanswered), "  ")
    return lines


def _decision_text(decision: Decision, knowledge: Knowledge) -> list[str]:
    lines = heading("Paradigm decision")
    if decision.paradigm is None:
        return [
            *lines,
            *hanging("Not classifiable; answer: " + ", ".join(decision.to_answer), "  "),
        ]
    lines.append(f"  midpoint {decision.midpoint:g}, band ±{decision.band:g} points")
    for axis in decision.axes:
        side = "above" if axis.high else "below"
        band = "within the band" if axis.within_band else "outside the band"
        lines.append(
            f"  {axis.dimension:<10} {axis.score:5.1f}: {'high' if axis.high else 'low'} "
            f"({axis.distance:.1f} points {side} the midpoint, {band})"
        )
    name = knowledge.paradigms[decision.paradigm].name
    lines.append(f"  → {name}; confidence {decision.confidence}")
    if decision.elements:
        lines += hanging(
            "Elements of " + ", ".join(decision.elements) + " (within the band).", "  "
        )
    if decision.borderline:
        lines += hanging(
            "Borderline: a score lies exactly on the midpoint, which counts as high.", "  "
        )
    lines += hanging(
        f"Confidence rests on the distance to the nearer line "
        f"({min(axis.distance for axis in decision.axes):.1f} points) and the share of "
        f"classification items answered ({decision.answered_share:.0%}).",
        "  ",
    )
    return lines


def _risks_text(risks: tuple[RiskTrace, ...]) -> list[str]:
    fired = sum(1 for t in risks if t.fired)
    lines = heading(f"Risk rules: {fired} of {len(risks)} fired")
    for t in risks:
        state = f"fired, {t.severity}" if t.fired else "quiet"
        lines += ["", f"  {t.risk.id} ({state}): {t.risk.rule.title}"]
        lines += _condition_text(t.condition, "    ")
        for e in t.escalations:
            holds = "holds" if e.condition.holds else "does not hold"
            lines.append(f"    raised to {e.severity} when ({holds}):")
            lines += _condition_text(e.condition, "      ")
    return lines


def _condition_text(node: ConditionTrace, indent: str) -> list[str]:
    mark = "✓" if node.holds else "✗"
    if node.kind == "leaf":
        return [f"{indent}{mark} {node.text}   [{_actual_text(node)}]"]
    label = {"all": "all of", "any": "any of", "not": "not"}[node.kind]
    lines = [f"{indent}{mark} {label}:"]
    for part in node.parts:
        lines += _condition_text(part, indent + "    ")
    return lines


def _actual_text(node: ConditionTrace) -> str:
    actual = node.actual
    if node.subject in COUNTED:
        return f"{actual} counted"
    if isinstance(actual, bool):
        actual = "true" if actual else "false"  # as the rule language writes it
    elif isinstance(actual, float):
        actual = f"{actual:.2f}"
    return f"{node.subject} = {actual}"


def _support_text(explanation: Explanation) -> list[str]:
    mix = explanation.assessment.mix
    if mix is None:
        return []
    lines = heading("Support recommended")
    blend = ", ".join(f"{p} {share:.0%}" for p, share in mix.blend.items())
    lines += hanging(f"The support mix blends each paradigm's model by membership: {blend}.", "  ")
    for rank, rec in enumerate(explanation.recommendations, 1):
        lines.append(f"  {rank}. {rec.approach.name} [{rec.id}] fit {rec.fit:.2f}")
        for reason in rec.reasons:
            lines += hanging(reason, "       - ")
    return lines


def hanging(text: str, first: str, rest: str | None = None) -> list[str]:
    """Text wrapped under a first-line prefix (a bullet, a number), later lines aligned."""
    return textwrap.wrap(
        " ".join(text.split()),
        WIDTH,
        initial_indent=first,
        subsequent_indent=rest if rest is not None else " " * len(first),
        break_on_hyphens=False,  # rule ids such as no-review-points stay whole
    )
