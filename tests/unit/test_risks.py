"""Every risk rule fires on its documented examples and stays quiet on the others.

The examples live in rules/risks.yaml next to each rule, so adding a rule with examples adds
its tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matland.core.assessment import Assessment
from matland.core.knowledge import Knowledge, load_knowledge

RISKS = load_knowledge().risks


def _cases(kind: str) -> list[Any]:
    return [
        pytest.param(r.id, fragment, id=f"{r.id}-{i}")
        for r in RISKS
        for i, fragment in enumerate(getattr(r.rule.examples, kind))
    ]


def test_every_rule_has_a_firing_and_a_quiet_example() -> None:
    for risk in RISKS:
        assert risk.rule.examples.fires, f"{risk.id} has no `fires` example"
        assert risk.rule.examples.quiet, f"{risk.id} has no `quiet` example"


def test_every_rule_cites_a_source() -> None:
    for risk in RISKS:
        assert risk.rule.source.strip(), risk.id


@pytest.mark.parametrize(("risk_id", "fragment"), _cases("fires"))
def test_rule_fires_on_its_example(
    assess_data: Callable[..., Assessment], risk_id: str, fragment: dict[str, Any]
) -> None:
    assessment = assess_data(**fragment)
    assert risk_id in {r.id for r in assessment.risks}


@pytest.mark.parametrize(("risk_id", "fragment"), _cases("quiet"))
def test_rule_stays_quiet_on_its_counter_example(
    assess_data: Callable[..., Assessment], risk_id: str, fragment: dict[str, Any]
) -> None:
    assessment = assess_data(**fragment)
    assert risk_id not in {r.id for r in assessment.risks}


@pytest.mark.parametrize(("risk_id", "fragment"), _cases("escalates"))
def test_rule_escalates_as_documented(
    assess_data: Callable[..., Assessment], risk_id: str, fragment: dict[str, Any]
) -> None:
    expected = fragment["severity"]
    assessment = assess_data(**{k: v for k, v in fragment.items() if k != "severity"})
    fired = {r.id: r for r in assessment.risks}
    assert fired[risk_id].severity == expected
    assert fired[risk_id].escalated_because


def test_funding_gap_of_one_fires_no_funding_risk(assess_data: Callable[..., Assessment]) -> None:
    assessment = assess_data(
        {
            "funding_gap": 1,
            "goal_ambiguity": 1,
            "means_ambiguity": 1,
            "evidence_gap": 1,
            "goal_conflict": 1,
            "means_conflict": 1,
            "stakes": 1,
        }
    )
    assert not [r for r in assessment.risks if "funding_gap" in r.triggers]


def test_funding_gap_is_high_for_administrative_implementation(
    assess_data: Callable[..., Assessment],
) -> None:
    low = {
        "goal_ambiguity": 1,
        "means_ambiguity": 1,
        "evidence_gap": 1,
        "goal_conflict": 1,
        "means_conflict": 1,
        "stakes": 1,
    }
    high = {
        "goal_ambiguity": 5,
        "means_ambiguity": 5,
        "evidence_gap": 5,
        "goal_conflict": 1,
        "means_conflict": 1,
        "stakes": 1,
    }
    administrative = {r.id: r for r in assess_data({**low, "funding_gap": 5}).risks}
    experimental = {r.id: r for r in assess_data({**high, "funding_gap": 5}).risks}
    assert administrative["funding-gap"].severity == "high"
    assert experimental["funding-gap"].severity == "medium"


def test_a_risk_points_at_the_answer_that_triggered_it(
    assess_data: Callable[..., Assessment],
) -> None:
    assessment = assess_data({"goal_ambiguity": 2, "learning_unsafe": 5})
    fired = {r.id: r for r in assessment.risks}
    risk = next(r for r in fired.values() if "learning_unsafe" in r.triggers)
    position = assessment.proposal.answer_position("learning_unsafe")
    assert (risk.line, risk.column) == position
    assert risk.line > 1


def test_stakeholder_risk_points_at_the_stakeholder_entry(
    assess_data: Callable[..., Assessment],
) -> None:
    stakeholders = [{"name": "Ally", "role": "implementer", "stance": "support"}] + [
        {"name": f"Opponent {i}", "role": "opponent", "stance": "oppose", "influence": "high"}
        for i in range(2)
    ]
    assessment = assess_data({"goal_conflict": 1}, stakeholders=stakeholders)
    risk = next(r for r in assessment.risks if r.id == "stakeholder-alignment-assumed")
    assert risk.triggers == ("stakeholders",)
    assert (risk.line, risk.column) == assessment.proposal.document.position(("stakeholders", 1))


answer_values = st.one_of(st.integers(1, 5), st.just("unsure"))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_no_risk_is_triggered_by_an_absent_answer(
    knowledge: Knowledge, data: st.DataObject, assess_data: Callable[..., Assessment]
) -> None:
    answers: dict[str, Any] = {}
    for question in knowledge.questions.values():
        if not data.draw(st.booleans()):
            continue
        if question.type == "bool":
            answers[question.id] = data.draw(st.sampled_from([True, False, "unsure"]))
        elif question.type == "count":
            answers[question.id] = data.draw(st.one_of(st.integers(1, 300), st.just("unsure")))
        else:
            answers[question.id] = data.draw(answer_values)
    assessment = assess_data(answers)
    for risk in assessment.risks:
        if risk.risk.rule.category == "completeness":
            continue  # these fire *because* answers are missing
        for trigger in risk.triggers:
            if trigger in knowledge.questions:
                assert answers.get(trigger, "unsure") != "unsure", (risk.id, trigger)
