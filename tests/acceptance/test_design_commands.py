"""explain, levers, whatif, compare and precedents as a user drives them."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"
CARE = str(EXAMPLES / "care-act-2014.yaml")
DOCTORS = str(EXAMPLES / "junior-doctors-contract-2016.yaml")
Run = Callable[..., Result]


def ok_json(result: Result) -> object:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_explain_json_adds_up_and_traces_every_rule(run_cli: Run) -> None:
    data = ok_json(run_cli("explain", CARE, "--format", "json"))
    assert isinstance(data, dict)
    for dimension, points in data["contributions"].items():
        assert sum(points.values()) == pytest.approx(data["scores"][dimension], abs=0.05)
    decision = data["decision"]
    assert decision["paradigm"] == "experimental"
    assert {"midpoint", "band", "distances"} <= set(decision)
    funding = next(r for r in data["risks"] if r["id"] == "funding-gap")
    assert funding["fired"] and funding["condition"]["parts"][0]["actual"] == 4
    assert any(not r["fired"] for r in data["risks"])


def test_explain_text_walks_the_road(run_cli: Run) -> None:
    result = run_cli("explain", CARE)
    assert result.exit_code == 0
    for heading in ("Ambiguity score", "Conflict score", "Paradigm decision", "Risk rules"):
        assert heading in result.stdout
    assert "✓ funding_gap >= 4   [funding_gap = 4]" in result.stdout


def test_levers_json_lists_true_levers(run_cli: Run) -> None:
    document = ok_json(run_cli("levers", DOCTORS, "--format", "json"))
    assert isinstance(document, dict)  # an object, as every command's JSON is
    assert document["paradigm"] == "political" and document["path"] == DOCTORS
    data = document["levers"]
    targets = {(lever["target"]["kind"], lever["target"]["id"]) for lever in data}
    assert ("paradigm", "administrative") in targets and ("risk", "funding-gap") in targets
    to_administrative = next(lever for lever in data if lever["to_paradigm"] == "administrative")
    assert "from political to administrative implementation" in to_administrative["lever"]
    assert to_administrative["source"]


def test_levers_text_groups_by_target(run_cli: Run) -> None:
    result = run_cli("levers", CARE)
    assert result.exit_code == 0
    assert "To move to administrative implementation" in result.stdout
    assert "To clear funding-gap (medium)" in result.stdout
    assert "funding_gap 4→3" in result.stdout


def test_whatif_sets_answers_side_by_side(run_cli: Run) -> None:
    result = run_cli("whatif", CARE, "--set", "goal_ambiguity=1", "--set", "means_ambiguity=2")
    said = f"● what if: {CARE} with goal_ambiguity=1, means_ambiguity=2"
    assert said in " ".join(result.stdout.split())
    assert result.exit_code == 0, result.output
    assert "experimental → administrative" in result.stdout
    assert "goal_ambiguity             4 → 1" in result.stdout
    data = ok_json(run_cli("whatif", CARE, "--set", "funding_gap=2", "--format", "json"))
    assert isinstance(data, dict)
    assert data["current"]["paradigm"] == data["whatif"]["paradigm"] == "experimental"
    assert data["whatif"]["answers"]["funding_gap"]["value"] == 2
    assert "funding-gap" in [r["id"] for r in data["risks_cleared"]]


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("goal_ambiguty=1", "did you mean 'goal_ambiguity'?"),
        ("goal_ambiguity=9", "9 is outside 1–5"),
    ],
)
def test_whatif_refuses_a_bad_setting(run_cli: Run, setting: str, message: str) -> None:
    result = run_cli("whatif", CARE, "--set", setting)
    assert result.exit_code == 2
    assert message in result.stderr and result.stdout == ""


def test_compare_two_examples(run_cli: Run) -> None:
    data = ok_json(run_cli("compare", CARE, DOCTORS, "--format", "json"))
    assert isinstance(data, dict)
    assert data["from"]["paradigm"] == "experimental" and data["to"]["paradigm"] == "political"
    assert set(data["from"]["scores"]) == {"ambiguity", "conflict"}
    assert data["changed"]["goal_conflict"] == {"from": 2, "to": 4}
    assert {"risks_raised", "risks_cleared", "support_mix"} <= set(data)
    text = run_cli("compare", CARE, DOCTORS).stdout
    assert "○" in text and "●" in text and "experimental → political" in text


def test_compare_an_edited_copy(run_cli: Run, tmp_path: Path) -> None:
    edited = tmp_path / "care-v2.yaml"
    text = Path(CARE).read_text().replace("funding_gap: {value: 4,", "funding_gap: {value: 2,")
    edited.write_text(text)
    data = ok_json(run_cli("compare", CARE, str(edited), "--format", "json"))
    assert isinstance(data, dict)
    assert data["changed"] == {"funding_gap": {"from": 4, "to": 2}}
    assert [r["id"] for r in data["risks_cleared"]] == ["funding-gap"]
    assert data["risks_raised"] == []


def test_precedents_find_the_original_of_an_edited_copy(run_cli: Run, tmp_path: Path) -> None:
    draft = tmp_path / "draft.yaml"
    text = Path(DOCTORS).read_text().replace("stakes: {value: 4,", "stakes: {value: 3,")
    draft.write_text(text)
    data = ok_json(run_cli("precedents", str(draft), "--format", "json"))
    assert isinstance(data, dict)
    first = data["precedents"][0]
    assert first["path"].endswith("junior-doctors-contract-2016.yaml")
    assert first["paradigm"] == "political" and first["lessons"]
    result = run_cli("precedents", DOCTORS, "--library", str(tmp_path))
    assert result.exit_code == 0
    assert "Lessons:" in result.stdout
    assert os.path.relpath(draft) in result.stdout  # relative, never absolute


@pytest.mark.parametrize(
    "args",
    [
        ["explain", "{bad}"],
        ["levers", "{bad}"],
        ["whatif", "{bad}", "--set", "stakes=2"],
        ["compare", CARE, "{bad}"],
        ["precedents", "{bad}"],
    ],
)
def test_an_invalid_file_prints_its_findings_and_exits_2(
    run_cli: Run, tmp_path: Path, args: list[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("matland: 1\npolicy:\n  title: T\nanswers:\n  goal_ambiguity: 7\n")
    result = run_cli(*(arg.format(bad=bad) for arg in args))
    assert result.exit_code == 2
    assert f"{bad}:5:19: goal_ambiguity: 7 is outside 1–5" in result.stderr
    assert result.stdout == ""


def test_levers_skip_a_risk_the_proposal_accepted(run_cli: Run, tmp_path: Path) -> None:
    text = Path(DOCTORS).read_text()
    path = tmp_path / "accepted.yaml"
    path.write_text(
        text + "accepted_risks:\n  - {id: funding-gap, reason: agreed with HM Treasury}\n"
    )
    document = ok_json(run_cli("levers", str(path), "--format", "json"))
    targets = {lever["target"]["id"] for lever in document["levers"]}
    assert "funding-gap" not in targets and "frontline-unreached" in targets


def test_compare_says_a_risk_met_by_a_plan_change_in_every_format(
    run_cli: Run, tmp_path: Path
) -> None:
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    text = Path(DOCTORS).read_text()
    old.write_text(text)
    at = text.index("\n", text.index("support_plan:")) + 1  # after the key's line (and comment)
    new.write_text(text[:at] + "  - funding_management\n" + text[at:])
    assert "funding_management" in new.read_text()
    data = ok_json(run_cli("compare", str(old), str(new), "--format", "json"))
    regraded = {r["id"]: r for r in data["risks_regraded"]}
    assert regraded["funding-gap"]["met_by_plan"] == ["funding_management"]
    assert any("support plan: added funding_management" in c for c in data["other_changes"])
    markdown = run_cli("compare", str(old), str(new), "--format", "markdown").stdout
    assert "regraded: funding-gap: medium → low (met by the plan: funding_management)" in markdown
    page = run_cli("compare", str(old), str(new), "--format", "html").stdout
    assert page.startswith("<!DOCTYPE html>") and "met by the plan: funding_management" in page
    text_out = run_cli("compare", str(old), str(new)).stdout
    assert "~ funding-gap: medium → low (met by the plan: funding_management)" in text_out


def test_whatif_has_markdown_and_html_too(run_cli: Run) -> None:
    for fmt in ("markdown", "html"):
        result = run_cli("whatif", CARE, "--set", "funding_gap=2", "--format", fmt)
        assert result.exit_code == 0 and "funding_gap" in result.stdout
        assert "cleared" in result.stdout and "funding-gap" in result.stdout
