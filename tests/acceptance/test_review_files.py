"""Review files (`matland-review: 1`): validated like proposals, each problem at its
line:column, by `matland check` and by `matland review`.

The corpus is tests/data/bad-review/*.yaml, one bad review per file, each starting with
`# expect: RULE_ID LINE:COL TEXT` as tests/data/bad/ does. Adding a case is adding a file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from matland.cli.main import cli
from matland.core.reviewrules import load_review_rules

ROOT = Path(__file__).parents[2]
CORPUS = ROOT / "tests" / "data" / "bad-review"
REVIEWS = ROOT / "examples" / "review"
CASES = sorted(CORPUS.glob("*.yaml"))
EXPECT = re.compile(
    r"^# expect: (?P<rule>[a-z][a-z-]*) (?P<line>\d+):(?P<column>\d+) (?P<text>.+)$"
)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def errors_of(path: Path) -> list[dict[str, Any]]:
    result = invoke("check", str(path), "--format", "json", "--fail-on", "never")
    assert result.exit_code == 2, result.output
    (file,) = json.loads(result.stdout)["files"]
    errors: list[dict[str, Any]] = file["errors"]
    return errors


def test_the_corpus_has_the_cases_the_issue_names() -> None:
    names = {case.stem for case in CASES}
    assert {"unknown-criterion", "risk-never-flagged", "no-such-proposal"} <= names


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_a_bad_review_is_one_clear_positioned_error(case: Path) -> None:
    match = EXPECT.match(case.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{case.name}: first line must be `# expect: RULE_ID LINE:COL TEXT`"
    (error,) = errors_of(case)
    assert (error["rule_id"], error["line"], error["column"]) == (
        match["rule"],
        int(match["line"]),
        int(match["column"]),
    )
    assert match["text"] in f"{error['message']} {error.get('hint', '')}"


def test_check_accepts_the_worked_reviews_and_shows_where_the_policy_now_stands() -> None:
    result = invoke("check", str(REVIEWS), "--format", "json", "--fail-on", "low")
    assert result.exit_code == 0, result.output
    files = json.loads(result.stdout)["files"]
    assert [Path(f["path"]).name for f in files] == [
        "care-act-2014-post-implementation.yaml",
        "care-act-2014-readiness.yaml",
    ]
    assert all(f["valid"] and f["paradigm"] == "experimental" and not f["findings"] for f in files)


def test_a_proposal_is_still_checked_as_before_beside_reviews() -> None:
    both = invoke("check", str(ROOT / "examples" / "care-act-2014.yaml"), str(REVIEWS))
    alone = invoke("check", str(ROOT / "examples" / "care-act-2014.yaml"))
    finding = "[funding-gap] Funding inadequate for the objectives"
    assert finding in both.output and finding in alone.output
    assert "3 file(s): 3 valid, 0 invalid" in both.output


def test_the_review_schema_names_the_criteria_and_the_version() -> None:
    result = invoke("schema", "--review")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["properties"]["matland-review"] == {
        "const": 1,
        "description": "review format version",
    }
    criteria = schema["properties"]["criteria"]["anyOf"][0]["properties"]
    assert tuple(criteria) == load_review_rules().criterion_ids
    assert "matland-review" in schema["required"]


def test_a_review_file_is_not_taken_for_a_proposal_elsewhere() -> None:
    review = str(REVIEWS / "care-act-2014-post-implementation.yaml")
    report = invoke("report", review)
    assert report.exit_code == 2 and "is a review file" in report.output
    search = invoke("precedents", str(ROOT / "examples" / "care-act-2014.yaml"), "--format", "json")
    with_reviews = invoke(
        "precedents",
        str(ROOT / "examples" / "care-act-2014.yaml"),
        "--library",
        str(REVIEWS),
        "--format",
        "json",
    )
    assert with_reviews.exit_code == search.exit_code == 0, with_reviews.output
    assert json.loads(with_reviews.stdout) == json.loads(search.stdout)
