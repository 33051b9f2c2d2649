from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from matland.core.assessment import Assessment
from matland.core.classify import membership
from matland.core.knowledge import MIX_KEYS, Knowledge, load_knowledge
from matland.core.support import LABELS, recommend, support_mix


def test_catalogue_has_at_least_fifteen_sourced_approaches(knowledge: Knowledge) -> None:
    assert len(knowledge.approaches) >= 15
    for approach in knowledge.approaches.values():
        assert approach.source and approach.evidence in ("finding", "hypothesis", "practice")


def test_table_5_ratings_are_kept(knowledge: Knowledge) -> None:
    # report §3 Table 5: "Targeted support" is Yes on all three models.
    force = knowledge.approaches["support_force"]
    assert (force.performance_management, force.problem_solving, force.capacity_building) == (
        "yes",
        "yes",
        "yes",
    )


@pytest.mark.parametrize(("a", "c"), [(0, 0), (100, 100), (50, 50), (30, 70), (55, 45)])
def test_mix_shares_sum_to_one(knowledge: Knowledge, a: float, c: float) -> None:
    mix = support_mix(membership(a, c, knowledge), knowledge)
    total = mix.performance_management + mix.problem_solving + mix.capacity_building
    assert total == pytest.approx(1.0)


def test_pure_paradigm_gets_its_own_mix(knowledge: Knowledge) -> None:
    mix = support_mix(membership(0, 0, knowledge), knowledge)
    assert mix.performance_management == pytest.approx(
        knowledge.mix["administrative"].performance_management
    )


def test_near_a_boundary_the_mix_is_blended(knowledge: Knowledge) -> None:
    pure = support_mix(membership(90, 10, knowledge), knowledge)
    near = support_mix(membership(90, 48, knowledge), knowledge)
    symbolic = knowledge.mix["symbolic"]
    experimental = knowledge.mix["experimental"]
    assert experimental.capacity_building < near.capacity_building < symbolic.capacity_building
    assert near.capacity_building > pure.capacity_building


def test_recommendations_are_ranked_and_explained(knowledge: Knowledge) -> None:
    mix = support_mix(membership(80, 20, knowledge), knowledge)
    ranked = recommend(mix, {}, knowledge)
    assert len(ranked) == knowledge.ranking.top
    assert [r.fit for r in ranked] == sorted((r.fit for r in ranked), reverse=True)
    assert all(r.reasons and "matches the mix" in r.reasons[0] for r in ranked)
    top = ranked[0].approach
    assert top.problem_solving == "yes"  # experimental: problem-solving leads
    assert top.performance_management == "no"  # and performance management stifles it


def test_a_fired_hindrance_lifts_approaches_that_address_it(knowledge: Knowledge) -> None:
    mix = support_mix(membership(80, 20, knowledge), knowledge)
    plain = {r.id: r.fit for r in recommend(mix, {}, knowledge)}
    lifted = recommend(mix, {"dispersed_governance": ("no-intermediary-tier",)}, knowledge)
    for rec in lifted:
        if "dispersed_governance" in rec.approach.mitigates and rec.id in plain:
            assert rec.fit > plain[rec.id]
            assert any("no-intermediary-tier" in reason for reason in rec.reasons)


# The classification items, as the rules list them (not a second copy here).
AMBIGUITY = load_knowledge().dimension_items("ambiguity")
CONFLICT = load_knowledge().dimension_items("conflict")
# Clear cases: every classification item at one extreme or next to it, in each quadrant,
# with the failure-risk items answered three ways (all low, all middling, all high).
LOW, HIGH = (1, 2), (4, 5)
CLEAR = {
    "administrative": (LOW, LOW),
    "political": (LOW, HIGH),
    "experimental": (HIGH, LOW),
    "symbolic": (HIGH, HIGH),
}
RISK_ITEMS = ("funding_gap", "timeline_pressure", "capacity_gap", "no_codesign", "payoff_delay")


def clear_cases() -> list[tuple[str, dict[str, Any]]]:
    cases = []
    for paradigm, (ambiguity, conflict) in CLEAR.items():
        for a, c, risk in ((ambiguity[0], conflict[0], 1), (ambiguity[1], conflict[1], 3)):
            for r in (risk, 5):
                answers = {i: a for i in AMBIGUITY} | {i: c for i in CONFLICT}
                answers |= dict.fromkeys(RISK_ITEMS, r)
                cases.append((paradigm, answers))
    return cases


@pytest.mark.parametrize(("paradigm", "answers"), clear_cases())
def test_a_clear_case_gets_its_quadrants_support_model_on_top(
    assess_data: Callable[..., Assessment], knowledge: Knowledge, paradigm: str, answers: Any
) -> None:
    """report §5.1 Table 10: a different support model per paradigm; `model:` in
    rules/support.yaml lists the approaches that embody each (the ranking never reads it)."""
    assessment = assess_data(answers)
    assert assessment.paradigm == paradigm
    top = [r.id for r in assessment.recommendations[:3]]
    assert set(top) <= set(knowledge.mix[paradigm].model), top


def test_no_approach_tops_more_than_half_of_a_varied_set(
    assess_data: Callable[..., Assessment], knowledge: Knowledge
) -> None:
    from matland.core.assessment import assess
    from matland.source.load import load_proposal

    assessments = [assess_data(answers) for _, answers in clear_cases()]
    for path in sorted((Path(__file__).parents[2] / "examples").glob("*.yaml")):
        proposal, _ = load_proposal(str(path), knowledge)
        assert proposal is not None
        assessments.append(assess(proposal, knowledge))
    counts: dict[str, int] = {}
    for assessment in assessments:
        for rec in assessment.recommendations[:3]:
            counts[rec.id] = counts.get(rec.id, 0) + 1
    assert max(counts.values()) <= len(assessments) / 2, counts
    # The old sum of need x rating put support_force first for most policies.
    firsts = {a.recommendations[0].id for a in assessments}
    assert len(firsts) >= 4


def test_an_approach_whose_premise_the_answers_contradict_is_not_recommended(
    assess_data: Callable[..., Assessment],
) -> None:
    answers = {i: 2 for i in AMBIGUITY} | {i: 5 for i in CONFLICT}
    with_tier = assess_data(answers | {"no_intermediary": 1})
    without = assess_data(answers | {"no_intermediary": 5})
    assert "regional_support" in [r.id for r in without.recommendations]
    assert "regional_support" not in [r.id for r in with_tier.recommendations]
    unanswered = assess_data(answers)  # no answer contradicts it: it stays
    assert "regional_support" in [r.id for r in unanswered.recommendations]


def test_excluded_approaches_say_which_answers_contradict_them(
    assess_data: Callable[..., Assessment], knowledge: Knowledge
) -> None:
    from matland.core.support import excluded

    assessment = assess_data({"no_intermediary": 1, "support_assurance_mixed": 1})
    found = {e.approach.id: e for e in excluded(assessment.facts, knowledge)}
    assert found["regional_support"].triggers == ("no_intermediary",)
    assert "intermediary" in found["regional_support"].premise
    assert found["separate_assurance_from_support"].triggers == ("support_assurance_mixed",)
    assert "support_force" not in found  # its premise needs three answers that contradict it


EXPERIMENTAL = {
    "goal_ambiguity": 5,
    "means_ambiguity": 5,
    "evidence_gap": 5,
    "goal_conflict": 1,
    "means_conflict": 1,
    "stakes": 1,
}


def plan_risks(
    assess_data: Callable[..., Assessment], answers: dict[str, Any], plan: list[str]
) -> dict[str, Any]:
    assessment = assess_data(answers, support_plan=plan)
    return {r.id: r for r in assessment.risks if r.risk.rule.category == "support_plan"}


def test_performance_management_plan_for_experimental_policy_is_flagged(
    assess_data: Callable[..., Assessment], knowledge: Knowledge
) -> None:
    pbr = knowledge.approaches["payment_by_results"]
    assert "yes" not in (pbr.problem_solving, pbr.capacity_building)
    fired = plan_risks(assess_data, EXPERIMENTAL, ["payment_by_results"])
    assert fired, "a performance-management-only plan for an experimental policy"
    for risk in fired.values():
        assert "support_plan" in risk.triggers


def test_matching_plan_is_not_flagged(assess_data: Callable[..., Assessment]) -> None:
    fired = plan_risks(
        assess_data, EXPERIMENTAL, ["support_force", "peer_learning", "implementation_brokers"]
    )
    assert fired == {}


def test_no_plan_is_not_a_mismatch(assess_data: Callable[..., Assessment]) -> None:
    assert plan_risks(assess_data, EXPERIMENTAL, []) == {}


def test_a_reason_names_the_share_the_report_shows(knowledge: Knowledge) -> None:
    """Reasons quote the mix as its table does (shares adding up to 100)."""
    from matland.core.assessment import assess
    from matland.core.numbers import percents
    from matland.source.load import load_proposal

    for path in sorted((Path(__file__).parents[2] / "examples").glob("*.yaml")):
        proposal, _ = load_proposal(str(path), knowledge)
        assert proposal is not None
        a = assess(proposal, knowledge)
        if a.mix is None:
            continue
        shown = percents({k: a.mix.need(k) for k in MIX_KEYS[:3]})
        for rec in a.recommendations:
            for reason in rec.reasons:
                for key in MIX_KEYS[:3]:
                    if f"for {LABELS[key]}, which is" in reason:
                        assert f"which is {shown[key]}% of the mix" in reason
