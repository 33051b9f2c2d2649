"""`--format sarif`: a SARIF 2.1.0 log that the official schema accepts, whose results point at
the YAML node each finding is about, at the right level, with accepted risks suppressed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from matland.check.runner import check_paths
from matland.cli.main import cli
from matland.core.assessment import FileResult
from matland.core.findings import Finding
from matland.core.knowledge import Knowledge
from matland.render import RenderOptions
from matland.render.sarif import artifact_uri, render

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"
SCHEMA = ROOT / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.json"

ACCEPTED = """\
accepted_risks:
  - id: dispersed-governance
    reason: "152 councils are the delivery model: accepted by the programme board"
  - id: funding-gap
    reason: "kept from an earlier draft"
"""
BAD_ANSWER = "matland: 1\npolicy:\n  title: T\nanswers:\n  goal_ambiguity: 7\n"
BAD_YAML = "matland: 1\npolicy:\n  title: [unclosed\n"
UNKNOWN_KEY = "matland: 1\npolicy:\n  title: T\n  titel: typo\nanswers: {}\n"


@pytest.fixture
def workdir(checkout: Callable[..., Path]) -> Path:
    return checkout(
        ACCEPTED,
        {"bad-answer.yaml": BAD_ANSWER, "bad-yaml.yaml": BAD_YAML, "unknown-key.yaml": UNKNOWN_KEY},
    )


@pytest.fixture
def results(workdir: Path, knowledge: Knowledge) -> list[FileResult]:
    return list(check_paths(["examples", "proposals"], knowledge))


def sarif(results: list[FileResult], knowledge: Knowledge) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(render(results, RenderOptions(knowledge)))
    return log


def paired(results: list[FileResult], log: dict[str, Any]) -> list[tuple[Finding, Any]]:
    findings = [f for r in results for f in r.findings()]
    out = log["runs"][0]["results"]
    assert len(out) == len(findings)
    return list(zip(findings, out, strict=True))


def region(item: dict[str, Any]) -> tuple[str, int, int]:
    location = item["locations"][0]["physicalLocation"]
    return (
        location["artifactLocation"]["uri"],
        location["region"]["startLine"],
        location["region"]["startColumn"],
    )


def text_at(path: str, line: int, column: int) -> str:
    return Path(path).read_text(encoding="utf-8").splitlines()[line - 1][column - 1 :]


def test_log_validates_against_the_official_sarif_schema(
    results: list[FileResult], knowledge: Knowledge
) -> None:
    jsonschema = pytest.importorskip(
        "jsonschema", reason="jsonschema (dev extra) validates against the official schema"
    )
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema)
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in validator.iter_errors(sarif(results, knowledge))
    ]
    assert errors == []


def test_one_run_whose_driver_is_matland_with_the_risk_catalogue(
    results: list[FileResult], knowledge: Knowledge
) -> None:
    log = sarif(results, knowledge)
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "matland"
    rules = {rule["id"]: rule for rule in driver["rules"]}
    for risk in knowledge.risks:
        rule = rules[risk.id]
        assert rule["shortDescription"]["text"] == risk.rule.title
        assert rule["properties"]["source"] == risk.rule.source
        assert " ".join(risk.rule.source.split()) in rule["help"]["text"]
        assert " ".join(risk.rule.mitigation.split()) in rule["help"]["text"]
        assert " ".join(risk.rule.explanation.split()) in rule["fullDescription"]["text"]


def test_every_result_rule_id_is_defined_by_the_driver(
    results: list[FileResult], knowledge: Knowledge
) -> None:
    log = sarif(results, knowledge)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert len(ids) == len(set(ids))
    seen = set()
    for item in log["runs"][0]["results"]:
        assert rules[item["ruleIndex"]]["id"] == item["ruleId"]
        seen.add(item["ruleId"])
    # validation errors and the stale acceptance are rule ids outside the risk catalogue
    assert {"invalid-answer", "yaml-syntax", "unknown-key", "stale-acceptance"} <= seen


def test_one_result_per_finding_at_the_findings_place(
    results: list[FileResult], knowledge: Knowledge
) -> None:
    for finding, item in paired(results, sarif(results, knowledge)):
        assert item["ruleId"] == finding.rule_id
        assert region(item) == (finding.path, finding.line, finding.column)
        assert not item["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith(
            ("/", "file:")
        )


def test_risk_locations_point_at_the_answer_that_triggered_them(
    results: list[FileResult], knowledge: Knowledge
) -> None:
    log = sarif(results, knowledge)
    by_place = {(i["ruleId"], *region(i)) for i in log["runs"][0]["results"]}
    checked = 0
    for result in results:
        if result.assessment is None:
            continue
        proposal = result.assessment.proposal
        for fired in result.assessment.risks:
            assert (fired.id, result.path, fired.line, fired.column) in by_place
            text = text_at(result.path, fired.line, fired.column)
            starts = [f"{t}:" for t in fired.triggers] + list(proposal.support_plan)
            assert text.startswith(tuple(starts)), (fired.id, text)
            checked += 1
    assert checked > 20


def test_invalid_answer_points_at_the_bad_value(
    results: list[FileResult], knowledge: Knowledge
) -> None:
    log = sarif(results, knowledge)
    (item,) = [i for i in log["runs"][0]["results"] if i["ruleId"] == "invalid-answer"]
    uri, line, column = region(item)
    assert (uri, line, column) == ("proposals/bad-answer.yaml", 5, 19)
    assert text_at(uri, line, column) == "7"
    assert item["level"] == "error"
    assert "outside 1–5" in item["message"]["text"]
    assert "from 1 (least) to 5 (most)" in item["message"]["text"]  # the hint travels along


def test_yaml_syntax_and_unknown_key_errors_are_located(
    results: list[FileResult], knowledge: Knowledge
) -> None:
    items = {i["ruleId"]: i for i in sarif(results, knowledge)["runs"][0]["results"]}
    uri, line, _ = region(items["yaml-syntax"])
    assert uri == "proposals/bad-yaml.yaml" and line >= 3
    uri, line, column = region(items["unknown-key"])
    assert uri == "proposals/unknown-key.yaml"
    assert text_at(uri, line, column).startswith("titel:")
    assert "did you mean 'title'" in items["unknown-key"]["message"]["text"]


def test_levels_follow_severity(results: list[FileResult], knowledge: Knowledge) -> None:
    expected = {"error": "error", "high": "error", "medium": "warning", "low": "note"}
    severities = set()
    for finding, item in paired(results, sarif(results, knowledge)):
        assert item["level"] == expected[finding.severity]
        severities.add(finding.severity)
    assert severities == set(expected)  # the run has each severity at least once


def test_accepted_risk_is_suppressed_in_source_with_its_reason(
    results: list[FileResult], knowledge: Knowledge
) -> None:
    log = sarif(results, knowledge)
    mine = [i for i in log["runs"][0]["results"] if region(i)[0] == "proposals/accepted.yaml"]
    accepted = [i for i in mine if i["suppressions"]]
    assert [i["ruleId"] for i in accepted] == ["dispersed-governance"]
    assert accepted[0]["suppressions"] == [
        {
            "kind": "inSource",
            "justification": "152 councils are the delivery model: accepted by the programme board",
        }
    ]
    assert accepted[0]["level"] == "warning"  # still reported at its level, but suppressed
    others = [i for i in mine if not i["suppressions"]]
    assert others and all(i["suppressions"] == [] for i in others)
    stale = next(i for i in mine if i["ruleId"] == "stale-acceptance")
    uri, line, column = region(stale)
    assert text_at(uri, line, column).startswith("id: funding-gap")


def test_artifact_uris_are_relative_forward_slashed_and_escaped() -> None:
    assert artifact_uri("examples/care act.yaml") == "examples/care%20act.yaml"
    assert artifact_uri("a/100%#1.yaml") == "a/100%25%231.yaml"
    assert artifact_uri("/tmp/x.yaml") == "file:///tmp/x.yaml"


def test_cli_check_examples_format_sarif(workdir: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "examples/", "--format", "sarif"])
    assert result.exit_code == 1, result.output  # the examples have high risks
    log = json.loads(result.stdout)
    uris = {region(i)[0] for i in log["runs"][0]["results"]}
    assert uris == {f"examples/{p.name}" for p in EXAMPLES.glob("*.yaml")}


def test_cli_sarif_with_an_invalid_file_exits_2_and_reports_it(workdir: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "check",
            "examples/troubled-families.yaml",
            "proposals/bad-answer.yaml",
            "--format",
            "sarif",
        ],
    )
    assert result.exit_code == 2
    log = json.loads(result.stdout)
    levels = {(region(i)[0], i["level"]) for i in log["runs"][0]["results"]}
    assert ("proposals/bad-answer.yaml", "error") in levels
    assert ("examples/troubled-families.yaml", "warning") in levels


def test_columns_count_characters_as_the_log_declares(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, knowledge: Knowledge
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("wide.yaml").write_text(
        'matland: 1\npolicy: {title: "Café – ünïcode 😀", colour: 1}\nanswers: {}\n',
        encoding="utf-8",
    )
    log = sarif(list(check_paths(["wide.yaml"], knowledge)), knowledge)
    assert log["runs"][0]["columnKind"] == "unicodeCodePoints"
    (item,) = log["runs"][0]["results"]
    uri, line, column = region(item)
    assert text_at(uri, line, column).startswith("colour:")
