"""explain: the trace of an assessment adds up, and shows the values each rule saw."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from matland.core.assessment import Assessment, assess
from matland.core.knowledge import Knowledge
from matland.design.explain import ConditionTrace, explain
from matland.render.design.explain import as_data, as_text
from matland.source.load import load_proposal

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.yaml"))


def example(path: Path, knowledge: Knowledge) -> Assessment:
    proposal, errors = load_proposal(str(path), knowledge)
    assert proposal is not None, [e.one_line() for e in errors]
    return assess(proposal, knowledge)


def leaves(node: ConditionTrace) -> list[ConditionTrace]:
    if node.kind == "leaf":
        return [node]
    return [leaf for part in node.parts for leaf in leaves(part)]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_contributions_add_up_to_the_scores(path: Path, knowledge: Knowledge) -> None:
    explanation = explain(example(path, knowledge), knowledge)
    for dimension in explanation.dimensions:
        assert dimension.score is not None
        assert sum(c.points for c in dimension.contributions) == pytest.approx(dimension.score)
    data = as_data(explanation)
    for dimension, points in data["contributions"].items():
        # Each item is rounded to 0.01 in JSON: the sum may drift by half a cent per item.
        assert sum(points.values()) == pytest.approx(data["scores"][dimension], abs=0.05)


def test_each_contribution_is_the_weighted_share_of_its_answer(knowledge: Knowledge) -> None:
    explanation = explain(example(EXAMPLES[0], knowledge), knowledge)
    ambiguity = explanation.dimensions[0]
    total_weight = sum(c.weight for c in ambiguity.contributions)
    for c in ambiguity.contributions:
        assert c.points == pytest.approx(c.weight * (c.value - 1) / 4 * 100 / total_weight)


def test_every_risk_rule_is_traced_and_fired_as_assessed(knowledge: Knowledge) -> None:
    assessment = example(EXAMPLES[0], knowledge)
    explanation = explain(assessment, knowledge)
    assert [t.risk.id for t in explanation.risks if t.fired] == [
        r.id for r in knowledge.risks if r.id in {f.id for f in assessment.risks}
    ]
    assert len(explanation.risks) == len(knowledge.risks)
    for t in explanation.risks:
        assert t.condition.holds == t.fired


def test_leaves_carry_the_values_they_looked_at(
    knowledge: Knowledge, assess_data: Callable[..., Assessment]
) -> None:
    assessment = assess_data(
        {"funding_gap": 5, "goal_ambiguity": "unsure", "pilot": False, "evidence_gap": 4}
    )
    traces = {t.risk.id: t for t in explain(assessment, knowledge).risks}
    (funding,) = leaves(traces["funding-gap"].condition)
    assert (funding.subject, funding.actual, funding.holds) == ("funding_gap", 5, True)
    untested = {
        leaf.subject: leaf.actual for leaf in leaves(traces["evidence-base-untested"].condition)
    }
    assert untested == {"evidence_gap": 4, "pilot": False}
    core = {leaf.text: leaf.actual for leaf in leaves(traces["core-items-unanswered"].condition)}
    assert core["goal_ambiguity is unsure"] == "unsure"
    assert core["means_ambiguity is missing"] == "missing"
    timeline = leaves(traces["timeline-unrealistic"].condition)[0]
    assert (timeline.actual, timeline.holds) == ("missing", False)


def test_the_paradigm_decision_shows_midpoint_band_and_distances(knowledge: Knowledge) -> None:
    assessment = example(EXAMPLES[0], knowledge)
    decision = explain(assessment, knowledge).decision
    rules = knowledge.classification
    assert (decision.midpoint, decision.band) == (rules.midpoint, rules.band)
    for axis in decision.axes:
        assert axis.distance == pytest.approx(abs(axis.score - rules.midpoint))
        assert axis.within_band == (axis.distance <= rules.band)
    assert decision.paradigm == assessment.paradigm


def test_recommendations_come_with_their_reasons(knowledge: Knowledge) -> None:
    assessment = example(EXAMPLES[0], knowledge)
    data = as_data(explain(assessment, knowledge))
    assert [r["id"] for r in data["support"]["recommended"]] == [
        r.id for r in assessment.recommendations
    ]
    assert all(r["reasons"] for r in data["support"]["recommended"])


def test_text_names_every_rule_and_the_decision(knowledge: Knowledge) -> None:
    explanation = explain(example(EXAMPLES[0], knowledge), knowledge)
    text = as_text(explanation, knowledge)
    assert "midpoint 50, band ±10" in text
    for risk in knowledge.risks:
        assert f"  {risk.id} (" in text


def test_an_unclassifiable_proposal_says_what_to_answer(
    knowledge: Knowledge, assess_data: Callable[..., Assessment]
) -> None:
    explanation = explain(assess_data({"goal_ambiguity": 2}), knowledge)
    assert explanation.decision.paradigm is None and explanation.decision.axes == ()
    assert "Not classifiable; answer:" in as_text(explanation, knowledge)
