"""The report holds the proposal's own support plan and stakeholders against what it
recommends, in every format a designer reads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from matland.core.assessment import assess
from matland.core.knowledge import load_knowledge
from matland.source.load import load_proposal

VANGUARD = Path(__file__).parents[2] / "examples" / "nhs-vanguard.yaml"
Run = Callable[..., Result]


@pytest.fixture(scope="module")
def expected() -> tuple[list[str], list[str], list[str]]:
    """(planned ids, recommended ids in the plan, recommended ids not in it)."""
    knowledge = load_knowledge()
    proposal, _ = load_proposal(str(VANGUARD), knowledge)
    assert proposal is not None
    a = assess(proposal, knowledge)
    recommended = [r.id for r in a.recommendations]
    planned = list(proposal.support_plan)
    assert any(r in planned for r in recommended) and any(r not in planned for r in recommended)
    return (
        planned,
        [r for r in recommended if r in planned],
        [r for r in recommended if r not in planned],
    )


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_the_report_shows_the_plan_and_the_stakeholders(
    run_cli: Run, fmt: str, expected: tuple[list[str], list[str], list[str]]
) -> None:
    planned, _, _ = expected
    out = run_cli("report", str(VANGUARD), "--format", fmt).stdout
    assert "Your support plan" in out and "Stakeholders (6)" in out
    for approach_id in planned:
        assert approach_id in out
    assert "Vanguard sites (NHS trusts, CCGs, primary care)" in out


def test_text_marks_recommendations_already_planned(
    run_cli: Run, expected: tuple[list[str], list[str], list[str]]
) -> None:
    _, in_plan, not_in_plan = expected
    out = run_cli("report", str(VANGUARD)).stdout
    for approach_id in in_plan:
        assert f"[{approach_id}]" in out and f"[{approach_id}] (finding) — in your plan" in out
    assert "Recommended, not in your plan: " + ", ".join(not_in_plan[:2]) in " ".join(out.split())


def test_markdown_action_plan_tells_planned_support_from_support_to_add(
    run_cli: Run, expected: tuple[list[str], list[str], list[str]]
) -> None:
    _, in_plan, not_in_plan = expected
    out = run_cli("report", str(VANGUARD), "--format", "markdown").stdout
    plan = out.split("## Action plan")[1]
    assert plan.count("Support (in the plan):") == len(in_plan)
    assert plan.count("Support (to add):") == len(not_in_plan)
