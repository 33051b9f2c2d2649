"""`matland review`: the worked example (the report's own assessment of the Care Act
support programme against Table 3) in every format, the timeline of two stocktakes, and
`matland review init`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import Result

from matland.core.knowledge import load_knowledge
from matland.source.review import load_review

ROOT = Path(__file__).parents[2]
GOLDEN = ROOT / "tests" / "golden"
READINESS = "examples/review/care-act-2014-readiness.yaml"
POST = "examples/review/care-act-2014-post-implementation.yaml"
Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def _at_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the goldens name the files as a user in the checkout does


def _golden(request: pytest.FixtureRequest, name: str, text: str) -> None:
    golden = GOLDEN / name
    if request.config.getoption("--update-golden"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("fmt", "golden"),
    [
        ("text", "review-care-act.txt"),
        ("markdown", "review-care-act.md"),
        ("json", "review-care-act.json"),
    ],
)
def test_the_worked_review_matches_its_golden(
    run_cli: Run, request: pytest.FixtureRequest, fmt: str, golden: str
) -> None:
    result = run_cli("review", POST, "--format", fmt)
    assert result.exit_code == 0, result.output
    _golden(request, golden, result.stdout)


def test_the_timeline_of_two_stocktakes_matches_its_golden(
    run_cli: Run, request: pytest.FixtureRequest
) -> None:
    # given out of date order: the timeline is in date order all the same
    result = run_cli("review", POST, READINESS)
    assert result.exit_code == 0, result.output
    timeline = result.stdout.split("Timeline: ", 1)[1]
    _golden(request, "review-care-act-timeline.txt", "Timeline: " + timeline)


def test_the_report_own_findings_place_the_programme_as_a_resilient_success(run_cli: Run) -> None:
    (post,) = json.loads(run_cli("review", POST, "--format", "json").stdout)["reviews"]
    ratings = {c["id"]: c["rating"] for c in post["criteria"]}
    assert ratings == {
        "legitimacy": "success",
        "stakeholder_engagement": "success",
        "programme_clarity": "conflicted",
        "complexity": "success",
        "political_support": "success",
        "objectives": "conflicted",
    }
    assert post["spectrum"]["position"] == "resilient_success"
    assert "matland's own reading" in post["spectrum"]["source"]
    assert post["paradigm"]["still_fits"] is True
    assert post["risk_tally"]["yes"] == 7 and len(post["unexpected"]) == 3


def test_timeline_json_shows_each_criterion_move(run_cli: Run) -> None:
    data = json.loads(run_cli("review", READINESS, POST, "--format", "json").stdout)
    (timeline,) = data["timelines"]
    assert [r["date"] for r in timeline["reviews"]] == ["2015-03-31", "2018-07-31"]
    moves = {c["id"]: (c["ratings"], c["moved"]) for c in timeline["criteria"]}
    assert moves["programme_clarity"] == (["conflicted", "conflicted"], "same")
    assert moves["objectives"] == (["unsure", "conflicted"], "rated once")
    assert timeline["overall"] == [None, "resilient_success"]


def test_one_review_has_no_timeline(run_cli: Run) -> None:
    assert json.loads(run_cli("review", POST, "--format", "json").stdout)["timelines"] == []
    assert "Timeline:" not in run_cli("review", POST).stdout


def test_html_is_one_page_with_the_profile_and_the_timeline_drawn(run_cli: Run) -> None:
    page = run_cli("review", READINESS, POST, "--format", "html").stdout
    assert page.startswith("<!DOCTYPE html>") and page.count("</html>") == 1
    assert 'aria-label="profile across the six criteria"' in page
    assert 'aria-label="timeline of the six criteria"' in page
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org", "")


def test_html_escapes_what_the_review_file_says(run_cli: Run, tmp_path: Path) -> None:
    text = (ROOT / POST).read_text(encoding="utf-8")
    text = text.replace(
        "proposal: ../care-act-2014.yaml", f"proposal: {ROOT / 'examples' / 'care-act-2014.yaml'}"
    )
    text = text.replace(
        "phase: post-implementation review (the report's fieldwork, 2016-2018)",
        'phase: "<script>alert(1)</script> review"',
    )
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(text, encoding="utf-8")
    page = run_cli("review", str(hostile), "--format", "html").stdout
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_bad_review_exits_2_with_its_positioned_error(run_cli: Run) -> None:
    result = run_cli("review", "tests/data/bad-review/unknown-criterion.yaml")
    assert result.exit_code == 2
    assert "unknown-criterion.yaml:7:3: unknown criterion 'legitimcy'" in result.stderr
    assert "did you mean 'legitimacy'?" in result.stderr


def test_a_proposal_given_to_review_is_not_a_review(run_cli: Run) -> None:
    result = run_cli("review", "examples/care-act-2014.yaml")
    assert result.exit_code == 2
    assert "unknown review format version" in result.stderr


def test_the_four_plus_one_questions_still_print(run_cli: Run) -> None:
    result = run_cli("review-questions")
    assert result.exit_code == 0 and "What will we do next?" in result.stdout


# ------------------------------------------------------------------ review init


def test_init_lists_the_assessment_risks_and_approaches_and_loads_as_it_is(
    run_cli: Run, tmp_path: Path
) -> None:
    out = tmp_path / "reviews" / "stocktake-1.yaml"
    out.parent.mkdir()
    result = run_cli(
        "review", "init", "examples/care-act-2014.yaml", "-o", str(out), "--date", "2015-01-15"
    )
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["matland-review"] == 1
    assert (out.parent / data["proposal"]).resolve() == (ROOT / "examples" / "care-act-2014.yaml")
    assert len(data["criteria"]) == 6
    assert {"funding-gap", "support-assurance-mixed", "timeline-unrealistic"} <= set(data["risks"])
    assert {"sharing_what_works", "regional_support"} <= set(data["support"])
    review, errors = load_review(str(out), load_knowledge())
    assert errors == [] and review is not None
    shown = run_cli("review", str(out))
    assert shown.exit_code == 0 and "Overall: too early to place" in shown.stdout


def test_init_never_overwrites_without_force(run_cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "review.yaml"
    out.write_text("mine\n", encoding="utf-8")
    refused = run_cli("review", "init", "examples/care-act-2014.yaml", "-o", str(out))
    assert refused.exit_code == 2 and "exists; not overwritten" in refused.stderr
    assert out.read_text(encoding="utf-8") == "mine\n"
    forced = run_cli("review", "init", "examples/care-act-2014.yaml", "-o", str(out), "--force")
    assert forced.exit_code == 0 and out.read_text(encoding="utf-8").count("matland-review: 1") == 1


def test_init_refuses_an_invalid_proposal(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli(
        "review", "init", "tests/data/bad/blank-title.yaml", "-o", str(tmp_path / "r.yaml")
    )
    assert result.exit_code == 2 and not (tmp_path / "r.yaml").exists()


def test_the_cli_offers_every_review_format() -> None:
    from matland.cli.review import REVIEW_FORMATS
    from matland.render.review import REVIEW_RENDERERS

    assert REVIEW_FORMATS == REVIEW_RENDERERS
