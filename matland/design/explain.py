"""The whole trace of one assessment: why each score, paradigm, risk and recommendation.

Nothing is recomputed: the points are classify's contributions, the risks are the compiled
conditions walked with the proposal's facts, the reasons are support's. `as_data` and
`as_text` turn the trace into the `matland explain` output.
"""

from __future__ import annotations

from typing import Any

from matland.core.assessment import Assessment
from matland.core.classify import DimensionScore, Placement
from matland.core.conditions import All, AnyOf, Compare, Condition, Facts, Not, State
from matland.core.knowledge import Knowledge, Risk
from matland.core.records import record
from matland.core.support import Excluded, Recommendation, excluded
from matland.core.vocabulary import UNSURE

MISSING = "missing"
COUNTED = ("stakeholders", "support_plan")  # subjects that count entries


@record
class Contribution:
    item: str
    value: int
    weight: float
    points: float  # the item's share of the dimension score


@record
class DimensionTrace:
    dimension: str
    score: float | None
    contributions: tuple[Contribution, ...]  # their points add up to the score
    unanswered: tuple[str, ...]


@record
class Axis:
    """One dimension's side of the matrix: high or low, and how far from the line."""

    dimension: str
    score: float
    distance: float  # from the midpoint, in points
    high: bool | None  # None: on the line, undecided by any evidence
    within_band: bool  # close enough to carry elements of the paradigm across the line


@record
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
    placement: Placement | None = None  # the whole position, for its words (render.views)


@record
class ConditionTrace:
    kind: str  # all | any | not | leaf
    text: str
    holds: bool
    parts: tuple[ConditionTrace, ...] = ()
    subject: str = ""
    actual: Any = None  # the subject's value in this proposal (leaves only)


@record
class Escalation:
    severity: str
    why: str
    condition: ConditionTrace


@record
class RiskTrace:
    risk: Risk
    fired: bool
    severity: str | None  # as fired (after escalation); None when quiet
    condition: ConditionTrace
    escalations: tuple[Escalation, ...]


@record
class Explanation:
    assessment: Assessment
    dimensions: tuple[DimensionTrace, ...]
    decision: Decision
    risks: tuple[RiskTrace, ...]  # every rule, fired first
    recommendations: tuple[Recommendation, ...]
    excluded: tuple[Excluded, ...] = ()  # approaches whose premise the answers contradict


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
        excluded=excluded(assessment.facts, knowledge) if assessment.mix else (),
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
            _side(place, dim.dimension, dim.score, rules.midpoint),
            abs(dim.score - rules.midpoint) <= rules.band,
        )
        for dim in (place.ambiguity, place.conflict)
        if dim.score is not None and place.classifiable
    )
    return Decision(
        paradigm=place.paradigm,
        midpoint=rules.midpoint,
        band=rules.band,
        axes=axes,
        elements=place.elements,
        borderline=place.borderline,
        confidence=place.confidence,
        answered_share=place.answered_share,
        to_answer=place.to_answer,
        placement=place,
    )


def _side(place: Placement, dimension: str, score: float, midpoint: float) -> bool | None:
    for tie in place.ties:
        if tie.dimension == dimension:
            return None if tie.side is None else tie.side == "high"
    return score > midpoint


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


def num(value: Any, places: int = 2) -> Any:
    return round(value, places) if isinstance(value, float) else value


def condition_data(node: ConditionTrace) -> dict[str, Any]:
    data: dict[str, Any] = {"op": node.kind, "text": node.text, "holds": node.holds}
    if node.kind == "leaf":
        data["subject"] = node.subject
        data["actual"] = num(node.actual, 3)
    else:
        data["parts"] = [condition_data(part) for part in node.parts]
    return data
