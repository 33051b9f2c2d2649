"""The report holds the proposal's own support plan and stakeholders against what it
recommends, in every format a designer reads."""

from __future__ import annotations

import json
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


@pytest.mark.usefixtures("wide_terminal")
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


@pytest.mark.usefixtures("wide_terminal")
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


def test_the_brief_says_what_the_report_says(run_cli: Run) -> None:
    """Its top three actions are the report's top three recommendations, and its position
    is the report's, in both forms."""
    path = str(Path(__file__).parents[2] / "examples" / "junior-doctors-contract-2016.yaml")
    data = json.loads(run_cli("report", path, "--format", "json").stdout)
    top = [r["name"] for r in data["support_mix"]["recommended"][:3]]
    brief = run_cli("report", path, "--format", "brief-md").stdout
    actions = brief.split("## Top three actions")[1].split("##")[0]
    assert [
        line.split("**")[1] for line in actions.splitlines() if line[:2] in ("1.", "2.", "3.")
    ] == top
    assert "**Political implementation** (confidence high" in brief
    page = run_cli("report", path, "--format", "brief").stdout
    assert all(name.replace("'", "&#x27;") in page for name in top)
    assert "@page { size: A4" in page and "<script" not in page


ACTIONS = """actions:
  - item: no-intermediary-tier
    owner: Regional lead
    due: "2027-03-31"
    outcome: a broker in each region
  - {item: delivery_tracking, owner: Programme office}
"""


def test_the_action_plan_is_in_every_report_format_with_the_owners_kept(
    run_cli: Run, tmp_path: Path
) -> None:
    source = Path(__file__).parents[2] / "examples" / "troubled-families.yaml"
    path = tmp_path / "tf.yaml"
    path.write_text(source.read_text() + ACTIONS)
    data = json.loads(run_cli("report", str(path), "--format", "json").stdout)
    rows = {r["id"]: r for r in data["action_plan"]}
    assert rows["no-intermediary-tier"]["owner"] == "Regional lead"
    assert rows["no-intermediary-tier"]["due"] == "2027-03-31"
    assert rows["delivery_tracking"]["owner"] == "Programme office"
    assert rows["dispersed-governance"]["owner"] == ""  # not kept yet: blank, still listed
    text = run_cli("report", str(path)).stdout
    assert "owner: Regional lead; date: 2027-03-31; outcome: a broker in each region" in text
    markdown = run_cli("report", str(path), "--format", "markdown").stdout
    assert "| Regional lead | 2027-03-31 | a broker in each region |" in markdown
    page = run_cli("report", str(path), "--format", "html").stdout
    assert '<section class="action-plan">' in page and "<td>Regional lead</td>" in page


def test_an_action_for_an_unknown_item_is_an_error_at_its_line(
    run_cli: Run, tmp_path: Path
) -> None:
    source = Path(__file__).parents[2] / "examples" / "troubled-families.yaml"
    path = tmp_path / "tf.yaml"
    text = source.read_text() + "actions:\n  - {item: delivery_trackin, owner: x}\n"
    path.write_text(text)
    result = run_cli("check", str(path))
    assert result.exit_code == 2
    line = len(text.splitlines())
    assert f"tf.yaml:{line}:" in result.stdout
    assert "did you mean 'delivery_tracking'?" in result.stdout
