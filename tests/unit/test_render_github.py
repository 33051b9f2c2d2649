"""`--format github`: one workflow command per finding, at the finding's place and level,
escaped so that no message or path can break the line or forge a command."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from matland.check.runner import check_paths
from matland.cli.main import cli
from matland.core.assessment import FileResult
from matland.core.knowledge import Knowledge
from matland.render import RenderOptions
from matland.render.github import escape_data, escape_property, render

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"
COMMAND = re.compile(
    r"^::(?P<level>error|warning|notice) "
    r"file=(?P<file>[^,:]*),line=(?P<line>\d+),col=(?P<col>\d+),title=(?P<title>[a-z0-9-]+)"
    r"::(?P<message>[^\r\n]*)$"
)
ACCEPTED = """\
accepted_risks:
  - id: dispersed-governance
    reason: "agreed, 100%: councils deliver"
"""
BAD_ANSWER = "matland: 1\npolicy:\n  title: T\nanswers:\n  goal_ambiguity: 7\n"
# A key with a newline and a fake workflow command in it.
FORGED = 'matland: 1\npolicy:\n  title: T\n  "x\\r\\n::error::forged": 1\nanswers: {}\n'
ODD_NAME = "odd, v1:100%.yaml"


@pytest.fixture
def workdir(checkout: Callable[..., Path]) -> Path:
    return checkout(
        ACCEPTED, {"bad-answer.yaml": BAD_ANSWER, "forged.yaml": FORGED, ODD_NAME: BAD_ANSWER}
    )


@pytest.fixture
def results(workdir: Path, knowledge: Knowledge) -> list[FileResult]:
    return list(check_paths(["examples", "proposals"], knowledge))


def commands(
    results: list[FileResult], knowledge: Knowledge, fail_on: str = "high"
) -> list[re.Match[str]]:
    lines = render(results, RenderOptions(knowledge, fail_on=fail_on)).splitlines()
    assert lines[-2].startswith("matland: ") and lines[-1].startswith("matland: ")
    lines = lines[:-2]  # the summary, in plain lines the log keeps
    matches = [COMMAND.match(line) for line in lines]
    assert all(matches), [line for line, m in zip(lines, matches, strict=True) if not m]
    return [m for m in matches if m]


def test_one_command_per_finding_at_its_place(
    results: list[FileResult], knowledge: Knowledge
) -> None:
    findings = [f for r in results for f in r.findings()]
    found = commands(results, knowledge)
    assert len(found) == len(findings) > 50
    for finding, match in zip(findings, found, strict=True):
        assert match["title"] == finding.rule_id
        assert (match["line"], match["col"]) == (str(finding.line), str(finding.column))
        if finding.path != f"proposals/{ODD_NAME}":
            assert match["file"] == finding.path


def test_risk_line_is_the_line_of_the_triggering_answer(
    results: list[FileResult], knowledge: Knowledge
) -> None:
    found = commands(results, knowledge)
    match = next(
        m
        for m in found
        if m["file"] == "examples/troubled-families.yaml" and m["title"] == "no-intermediary-tier"
    )
    line = Path(match["file"]).read_text(encoding="utf-8").splitlines()[int(match["line"]) - 1]
    assert line[int(match["col"]) - 1 :].startswith("no_intermediary:")


def test_levels_follow_severity(results: list[FileResult], knowledge: Knowledge) -> None:
    expected = {"error": "error", "high": "error", "medium": "warning", "low": "notice"}
    findings = [f for r in results for f in r.findings()]
    seen = set()
    for finding, match in zip(findings, commands(results, knowledge), strict=True):
        level = "notice" if finding.accepted else expected[finding.severity]
        assert match["level"] == level, finding
        seen.add(finding.severity)
    assert seen == set(expected)


@pytest.mark.parametrize("fail_on", ["never", "info", "low", "medium", "high"])
def test_error_is_what_fails_the_run(
    results: list[FileResult], knowledge: Knowledge, fail_on: str
) -> None:
    findings = [f for r in results for f in r.findings()]
    for finding, match in zip(findings, commands(results, knowledge, fail_on), strict=True):
        assert (match["level"] == "error") is finding.fails(fail_on), (fail_on, finding)
        if not finding.fails(fail_on) and not finding.accepted:
            below = "warning" if finding.severity in ("high", "medium") else "notice"
            assert match["level"] == below


def test_the_log_ends_with_the_summary_and_why_the_run_failed(
    results: list[FileResult], knowledge: Knowledge
) -> None:
    *_, summary, verdict = render(results, RenderOptions(knowledge)).splitlines()
    assert summary.startswith("matland: 10 file(s): 7 valid, 3 invalid; findings: 3 error")
    assert verdict == "matland: failed: invalid files (the ::error annotations)"
    valid = [r for r in results if r.valid]
    *_, verdict = render(valid, RenderOptions(knowledge, fail_on="never")).splitlines()
    assert verdict == "matland: passed: no finding at or above --fail-on never"
    *_, verdict = render(valid, RenderOptions(knowledge, fail_on="low")).splitlines()
    assert verdict.startswith("matland: failed: findings at or above --fail-on low")


def test_accepted_risk_is_a_notice_with_its_reason(
    results: list[FileResult], knowledge: Knowledge
) -> None:
    (match,) = [
        m
        for m in commands(results, knowledge)
        if m["file"] == "proposals/accepted.yaml" and m["title"] == "dispersed-governance"
    ]
    assert match["level"] == "notice"
    assert "(accepted: agreed, 100%25: councils deliver)" in match["message"]


def test_invalid_file_among_valid_ones_is_an_error_with_its_hint(
    results: list[FileResult], knowledge: Knowledge
) -> None:
    (match,) = [m for m in commands(results, knowledge) if m["file"] == "proposals/bad-answer.yaml"]
    assert (match["level"], match["line"], match["col"]) == ("error", "5", "19")
    assert match["title"] == "invalid-answer"
    assert match["message"].startswith("goal_ambiguity: 7 is outside 1–5%0Agive a whole number")


def test_message_newlines_cannot_start_a_command_of_their_own(
    results: list[FileResult], knowledge: Knowledge
) -> None:
    text = render(results, RenderOptions(knowledge))
    forged = [line for line in text.splitlines() if "forged" in line]
    assert len(forged) == 1
    assert forged[0].startswith("::error file=proposals/forged.yaml,")
    # the file's line break is shown as the escape `printable` makes of it (and the
    # backslash is only text to the runner); the one real break is before the hint: %0A
    assert "x\\r\\n::error::forged'%0Aallowed" in forged[0]


def test_paths_are_escaped_as_properties(results: list[FileResult], knowledge: Knowledge) -> None:
    files = {m["file"] for m in commands(results, knowledge)}
    assert "proposals/odd%2C v1%3A100%25.yaml" in files


def test_escaping_follows_the_runner() -> None:
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"
    assert escape_data("%0A") == "%250A"  # an escape in the text stays text


def test_cli_check_examples_format_github(workdir: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "examples/", "--format", "github"])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines and all(COMMAND.match(line) for line in lines[:-2])
    assert lines[-1].startswith("matland: failed: findings at or above --fail-on high")
    assert any(line.startswith("::error file=examples/") for line in lines)


def test_cli_github_is_the_default_under_github_actions(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = CliRunner().invoke(cli, ["check", "proposals/bad-answer.yaml"])
    assert result.exit_code == 2
    assert result.stdout.startswith("::error file=proposals/bad-answer.yaml,line=5,col=19,")
