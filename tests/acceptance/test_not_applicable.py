"""`n/a`: an item that does not apply to this policy, distinct from `unsure` (issue 22).

It is out of every count and denominator, never `many-unsure`, allowed by
`--require-complete`, and refused for the twelve items that place the policy."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result

from matland.assess.interview import interpret
from matland.cli.assess import FORCE_INTERACTIVE
from matland.core.assessment import Assessment
from matland.core.knowledge import Knowledge
from matland.core.model import NOT_APPLICABLE

pytestmark = pytest.mark.usefixtures("outside_the_project")

CLEAR = {  # the twelve placing items, a plainly administrative policy
    "goal_ambiguity": 1,
    "means_ambiguity": 2,
    "evidence_gap": 1,
    "role_ambiguity": 2,
    "interpretive_latitude": 1,
    "context_dependence": 2,
    "goal_conflict": 1,
    "means_conflict": 2,
    "stakes": 2,
    "zero_sum": 1,
    "organised_opposition": 1,
    "value_clash": 2,
}
SIX = (
    "funding_gap",
    "support_assurance_mixed",
    "partners_excluded",
    "no_intermediary",
    "learning_unsafe",
    "payoff_delay",
)


def complete(knowledge: Knowledge, **answers: Any) -> dict[str, Any]:
    """Every item answered (3, or no for yes/no, 1 body), then these answers."""
    base: dict[str, Any] = {}
    for qid, question in knowledge.questions.items():
        base[qid] = {"bool": False, "count": 1}.get(question.type, 3)
    return {**base, **CLEAR, **answers}


def write(tmp_path: Path, answers: dict[str, Any], name: str = "p.yaml") -> Path:
    path = tmp_path / name
    data = {"matland": 1, "policy": {"title": "School phones"}, "answers": answers}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_na_is_not_unsure_nor_missing(
    assess_data: Callable[..., Assessment], knowledge: Knowledge
) -> None:
    a = assess_data(complete(knowledge, funding_gap="n/a"))
    answer = a.proposal.answers["funding_gap"]
    assert not answer.applies and not answer.unsure and answer.value is None
    assert "funding_gap" not in a.unsure and "funding_gap" not in a.missing
    assert a.facts.stats["answered_share"] == 1.0  # out of the denominator too
    assert a.facts.stats["missing_count"] == 0
    assert a.facts.stats["unsure_count"] == 0
    # a leaf on the item is false, as for an unsure one: no funding risk fires
    assert not [r for r in a.risks if "funding_gap" in r.triggered_by]


def test_six_na_do_not_make_many_unsure(
    assess_data: Callable[..., Assessment], knowledge: Knowledge
) -> None:
    not_applicable = assess_data(complete(knowledge, **dict.fromkeys(SIX, "n/a")))
    unsure = assess_data(complete(knowledge, **dict.fromkeys(SIX, "unsure")))
    assert "many-unsure" not in {r.id for r in not_applicable.risks}
    assert "many-unsure" in {r.id for r in unsure.risks}


def test_na_refused_for_a_placing_item_with_its_position(
    tmp_path: Path, run_cli: Callable[..., Result], knowledge: Knowledge
) -> None:
    path = write(tmp_path, complete(knowledge, goal_conflict="n/a"))
    line = next(
        n for n, text in enumerate(path.read_text().splitlines(), 1) if "goal_conflict" in text
    )
    result = run_cli("check", str(path))
    assert result.exit_code == 2
    assert f"{path}:{line}:18: error" in result.output
    assert "`n/a` is not an answer to one of the twelve items" in result.output
    assert "write `unsure` if it is not known" in result.output


def test_require_complete_allows_na_not_unsure(
    tmp_path: Path, run_cli: Callable[..., Result], knowledge: Knowledge
) -> None:
    fine = write(tmp_path, complete(knowledge, funding_gap="n/a"), "na.yaml")
    unsure = write(tmp_path, complete(knowledge, funding_gap="unsure"), "unsure.yaml")
    assert run_cli("check", "--require-complete", "--fail-on", "never", str(fine)).exit_code == 0
    result = run_cli("check", "--require-complete", "--fail-on", "never", str(unsure))
    assert result.exit_code == 1 and "answer-unsure" in result.output


def test_reports_show_na_in_every_format(
    tmp_path: Path, run_cli: Callable[..., Result], knowledge: Knowledge
) -> None:
    path = write(tmp_path, complete(knowledge, funding_gap="n/a", capacity_gap="unsure"))
    data = json.loads(run_cli("report", str(path), "--format", "json").output)
    answers = data["files"][0]["answers"] if "files" in data else data["answers"]
    assert answers["funding_gap"]["value"] == "n/a"
    assert answers["capacity_gap"]["value"] == "unsure"
    text = run_cli("report", str(path)).output
    row = next(line for line in text.splitlines() if line.strip().startswith("funding_gap"))
    assert row.split()[1] == "n/a"
    markdown = run_cli("report", str(path), "--format", "markdown").output
    assert "| `funding_gap` | n/a |" in markdown
    assert "| `pilot` | no |" in markdown  # yes/no in words, as text and HTML say it
    html = run_cli("report", str(path), "--format", "html").output
    assert "<td class=num>n/a</td>" in html


def test_schema_takes_na_where_the_loader_does(
    run_cli: Callable[..., Result], knowledge: Knowledge
) -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(json.loads(run_cli("schema").output))

    def valid(**answers: Any) -> bool:
        data = {"matland": 1, "policy": {"title": "P"}, "answers": answers}
        return validator.is_valid(data)

    assert valid(funding_gap="n/a") and valid(pilot="n/a") and valid(implementing_bodies="n/a")
    assert not valid(goal_conflict="n/a")
    assert valid(goal_conflict="unsure") and not valid(funding_gap="N/A")


def test_whatif_sets_na(
    tmp_path: Path, run_cli: Callable[..., Result], knowledge: Knowledge
) -> None:
    path = write(tmp_path, complete(knowledge, funding_gap=5))
    result = run_cli("whatif", str(path), "--set", "funding_gap=n/a")
    assert result.exit_code == 0, result.output
    assert "funding_gap=n/a" in result.output
    assert "funding_gap" in result.output and "5 → n/a" in result.output
    refused = run_cli("whatif", str(path), "--set", "stakes=n/a")
    assert refused.exit_code == 2 and "twelve items" in refused.output


def test_interview_takes_na_except_for_placing_items(knowledge: Knowledge) -> None:
    funding = knowledge.questions["funding_gap"]
    assert interpret(funding, "n/a", None, False).value is NOT_APPLICABLE
    assert interpret(funding, "NA", None, False).value is NOT_APPLICABLE
    refused = interpret(knowledge.questions["stakes"], "n/a", None, False)
    assert refused.kind == "invalid" and "u (unsure)" in refused.text


def test_assess_writes_na_and_reads_it_back(
    tmp_path: Path,
    run_cli: Callable[..., Result],
    knowledge: Knowledge,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(FORCE_INTERACTIVE, "1")
    path = tmp_path / "new.yaml"
    items = list(knowledge.questions)
    # answer up to funding_gap with 3s (the twelve first), then n/a, then quit
    lines = ["Phones", "s"]  # the title a new file asks for first; s skips its details
    for qid in items:
        if qid == "funding_gap":
            lines.append("n/a")
            break
        lines.append("3" if knowledge.questions[qid].type == "scale" else "u")
    lines.append("q")
    result = run_cli("assess", str(path), input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert "funding_gap: n/a" in text
    assert "(12 unsure" not in text and ", 1 n/a)" in text
    report = json.loads(run_cli("report", str(path), "--format", "json").output)
    answers = report["files"][0]["answers"] if "files" in report else report["answers"]
    assert answers["funding_gap"]["value"] == "n/a"


def test_workshop_csv_reads_na(
    tmp_path: Path, run_cli: Callable[..., Result], knowledge: Knowledge
) -> None:
    header = ["name", *CLEAR, "funding_gap"]
    rows = [
        ["Ann", *map(str, CLEAR.values()), "N/A"],
        ["Bo", *map(str, CLEAR.values()), "4"],
        ["Cy", *map(str, CLEAR.values()), "unsure"],
    ]
    csv = tmp_path / "answers.csv"
    csv.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    result = run_cli("workshop", str(csv), "--format", "json", "--title", "Phones")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    spread = data["items"]["funding_gap"]
    assert spread["unsure"] == 1 and spread["n"] == 1  # Ann's N/A is neither
