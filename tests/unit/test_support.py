from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from matland.core.assessment import Assessment
from matland.core.classify import membership
from matland.core.knowledge import MIX_KEYS, Knowledge
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
    assert all(r.reasons for r in ranked)
    top = ranked[0].approach
    assert top.problem_solving == "yes"  # experimental: problem-solving leads


def test_a_fired_hindrance_lifts_approaches_that_address_it(knowledge: Knowledge) -> None:
    mix = support_mix(membership(80, 20, knowledge), knowledge)
    plain = {r.id: r.fit for r in recommend(mix, {}, knowledge)}
    lifted = recommend(mix, {"dispersed_governance": ("no-intermediary-tier",)}, knowledge)
    for rec in lifted:
        if "dispersed_governance" in rec.approach.mitigates and rec.id in plain:
            assert rec.fit > plain[rec.id]
            assert any("no-intermediary-tier" in reason for reason in rec.reasons)


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
