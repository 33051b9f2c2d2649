"""`--format junit`: one suite, one test case per file; invalid files and unaccepted findings at
or above --fail-on fail it, everything else is kept in the case's system-out."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from matland.check.runner import check_paths
from matland.cli.main import cli
from matland.core.assessment import FileResult
from matland.core.knowledge import Knowledge
from matland.render import RenderOptions
from matland.render.junit import render

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"

ACCEPTED = """\
accepted_risks:
  - id: dispersed-governance
    reason: "152 councils <are> the delivery model & accepted"
"""
BAD_ANSWER = "matland: 1\npolicy:\n  title: T\nanswers:\n  goal_ambiguity: 7\n"
# A key no XML 1.0 document can hold, even escaped, next to characters that need escaping.
ODD_KEY = 'matland: 1\npolicy:\n  title: T\n  "a<b>&\\x01c": 1\nanswers: {}\n'


@pytest.fixture
def workdir(checkout: Callable[..., Path]) -> Path:
    return checkout(ACCEPTED, {"bad-answer.yaml": BAD_ANSWER, "odd-key.yaml": ODD_KEY})


@pytest.fixture
def results(workdir: Path, knowledge: Knowledge) -> list[FileResult]:
    return list(check_paths(["examples", "proposals"], knowledge))


def junit(results: list[FileResult], knowledge: Knowledge, fail_on: str) -> ET.Element:
    return ET.fromstring(render(results, RenderOptions(knowledge, "check", fail_on)))


def cases(root: ET.Element) -> dict[str, ET.Element]:
    return {case.attrib["classname"]: case for case in root.iter("testcase")}


def rule_ids(case: ET.Element) -> list[str]:
    """The rule ids a case fails on, from its one failure's text (a finding a paragraph)."""
    failures = case.findall("failure")
    assert len(failures) <= 1  # the JUnit schema allows one a case
    text = failures[0].text or "" if failures else ""
    return re.findall(r"^\S+:\d+:\d+: (\S+) \(", text, flags=re.MULTILINE)


def test_one_suite_with_one_case_per_file_and_counts(
    results: list[FileResult], knowledge: Knowledge
) -> None:
    root = junit(results, knowledge, "high")
    (suite,) = root.iter("testsuite")
    assert suite.attrib["name"] == "matland"
    assert int(suite.attrib["tests"]) == len(results) == 9
    failed = [c for c in suite.iter("testcase") if c.find("failure") is not None]
    assert int(suite.attrib["failures"]) == len(failed)
    assert list(cases(root)) == [r.path for r in results]


def test_a_run_with_no_files_is_one_empty_suite_as_elementtree_writes_it(
    knowledge: Knowledge,
) -> None:
    text = render([], RenderOptions(knowledge, "check", "high"))
    counts = {"tests": "0", "failures": "0", "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": "matland", **counts})
    ET.SubElement(root, "testsuite", {"name": "matland", **counts})
    ET.indent(root, "  ")
    assert text == ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def test_case_is_named_by_the_policy_title_or_the_path(
    results: list[FileResult], knowledge: Knowledge
) -> None:
    by_path = cases(junit(results, knowledge, "high"))
    assert by_path["examples/care-act-2014.yaml"].attrib["name"] == "Care Act 2014"
    assert by_path["proposals/bad-answer.yaml"].attrib["name"] == "proposals/bad-answer.yaml"


def test_invalid_file_fails_with_its_error_even_when_fail_on_is_never(
    results: list[FileResult], knowledge: Knowledge
) -> None:
    root = junit(results, knowledge, "never")
    bad = cases(root)["proposals/bad-answer.yaml"]
    (failure,) = bad.findall("failure")
    assert failure.attrib["type"] == "invalid-answer"
    assert "outside 1–5" in failure.attrib["message"]
    assert "proposals/bad-answer.yaml:5:19" in (failure.text or "")
    assert "from 1 (least) to 5 (most)" in (failure.text or "")  # the hint
    valid = [c for p, c in cases(root).items() if p.startswith("examples/")]
    assert valid and all(c.find("failure") is None for c in valid)


def test_threshold_splits_failures_from_system_out(
    results: list[FileResult], knowledge: Knowledge
) -> None:
    result = next(r for r in results if r.path == "examples/health-and-wellbeing-boards.yaml")
    severities = {f.rule_id: f.severity for f in result.findings()}
    assert {"high", "medium", "low"} <= set(severities.values())
    for fail_on, failing in [
        ("high", {"high"}),
        ("medium", {"high", "medium"}),
        ("low", {"high", "medium", "low"}),
        ("never", set()),
    ]:
        case = cases(junit(results, knowledge, fail_on))[result.path]
        failed = rule_ids(case)
        assert {severities[r] for r in failed} == failing, fail_on
        out = case.findtext("system-out") or ""
        for rule_id in set(severities) - set(failed):
            assert rule_id in out, (fail_on, rule_id)
        for rule_id in failed:
            assert rule_id not in out


def test_failure_text_carries_line_column_message_and_hint(
    results: list[FileResult], knowledge: Knowledge
) -> None:
    result = next(r for r in results if r.path == "examples/troubled-families.yaml")
    case = cases(junit(results, knowledge, "medium"))[result.path]
    (failure,) = case.findall("failure")
    findings = result.findings()
    assert len(findings) > 1
    first = findings[0]
    assert failure.attrib["type"] == first.rule_id
    assert failure.attrib["message"] == (
        f"{len(findings)} findings: {first.message} (and {len(findings) - 1} more)"
    )
    text = failure.text or ""
    for finding in findings:
        assert f"{finding.path}:{finding.line}:{finding.column}: {finding.rule_id}" in text
        assert finding.hint in text


def test_accepted_risk_never_fails_and_shows_its_reason(
    results: list[FileResult], knowledge: Knowledge
) -> None:
    case = cases(junit(results, knowledge, "info"))["proposals/accepted.yaml"]
    assert "dispersed-governance" not in rule_ids(case)
    assert "no-intermediary-tier" in rule_ids(case)  # the others still fail
    out = case.findtext("system-out") or ""
    assert "dispersed-governance (medium, accepted: 152 councils <are> the delivery model &" in out


def test_characters_xml_cannot_hold_are_replaced_and_the_rest_escaped(
    results: list[FileResult], knowledge: Knowledge
) -> None:
    case = cases(junit(results, knowledge, "high"))["proposals/odd-key.yaml"]
    (failure,) = case.findall("failure")
    assert failure.attrib["type"] == "unknown-key"
    assert "a<b>&\ufffdc" in failure.attrib["message"]


def test_cli_check_examples_format_junit(workdir: Path) -> None:
    result = CliRunner().invoke(
        cli, ["check", "examples/", "--format", "junit", "--fail-on", "high"]
    )
    assert result.exit_code == 1, result.output
    root = ET.fromstring(result.stdout)
    (suite,) = root.iter("testsuite")
    assert suite.attrib["tests"] == str(len(list(EXAMPLES.glob("*.yaml"))))
    # three examples have a high risk (see `matland check examples/`)
    assert suite.attrib["failures"] == "3"


def test_cli_junit_with_an_invalid_file(workdir: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "check",
            "examples/troubled-families.yaml",
            "proposals/bad-answer.yaml",
            "--format",
            "junit",
            "--fail-on",
            "never",
        ],
    )
    assert result.exit_code == 2
    by_path = cases(ET.fromstring(result.stdout))
    assert rule_ids(by_path["proposals/bad-answer.yaml"]) == ["invalid-answer"]
    assert rule_ids(by_path["examples/troubled-families.yaml"]) == []
