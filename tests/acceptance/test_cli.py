"""The CLI as a user drives it: exit codes, formats, files written."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from matland import __version__

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"
GOLDEN = ROOT / "tests" / "golden"
Run = Callable[..., Result]


def test_version_and_help(run_cli: Run) -> None:
    assert __version__ in run_cli("--version").output
    # Started as a user starts it, `--version` is said without importing click: the same
    # line click's option says, and nothing of the CLI loaded.
    probe = (
        "import sys; from matland.cli.launch import main; main(); "
        "print(sorted(m for m in ('click', 'yaml', 'matland.cli.main') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, "--version"], capture_output=True, text=True, check=True
    )
    said, loaded = done.stdout.splitlines()
    assert said + "\n" == run_cli("--version").output and loaded == "[]"
    for stdout in ("devnull", "closed", "/dev/full"):  # a vanished or full standard output
        with open("/dev/full" if stdout == "/dev/full" else os.devnull, "w") as out:
            closed = subprocess.run(
                [sys.executable, "-m", "matland", "--version"],
                stdout=out,
                stderr=subprocess.PIPE,
                text=True,
                preexec_fn=(lambda: os.close(1)) if stdout == "closed" else None,
            )
        full = "matland: cannot go on: No space left on device (writing the output)\n"
        expected = (2, full) if stdout == "/dev/full" else (0, "")
        assert (closed.returncode, closed.stderr) == expected, stdout
    result = run_cli("--help")
    assert result.exit_code == 0
    assert "Exit codes" in result.output


def test_check_examples_exits_1_on_their_high_risks(run_cli: Run) -> None:
    result = run_cli("check", str(EXAMPLES))
    assert result.exit_code == 1, result.output
    assert " high " in result.output
    assert "care-act-2014.yaml" in result.output
    assert "experimental" in result.output


def test_check_json_has_the_documented_shape(run_cli: Run) -> None:
    result = run_cli("check", str(EXAMPLES), "--format", "json")
    document = json.loads(result.stdout)
    proposals = [p for p in EXAMPLES.rglob("*.yaml") if not p.name.endswith("-map.yaml")]
    assert document["summary"]["files"] == len(proposals)
    care = next(f for f in document["files"] if f["path"].endswith("care-act-2014.yaml"))
    assert care["valid"] is True and care["errors"] == []
    assert care["paradigm"] == "experimental"
    assert set(care["scores"]) == {"ambiguity", "conflict"}
    for finding in care["findings"]:
        assert finding["line"] > 1 and finding["column"] >= 1


def test_invalid_file_exits_2_with_position_and_others_still_checked(
    run_cli: Run, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("matland: 1\npolicy:\n  title: T\nanswers:\n  goal_ambiguity: 7\n")
    good = tmp_path / "good.yaml"
    good.write_text((EXAMPLES / "care-act-2014.yaml").read_text())
    result = run_cli("check", str(tmp_path), "--fail-on", "never")
    assert result.exit_code == 2
    assert f"{bad}:5:19" in result.output or "5:19" in result.output
    assert "good.yaml" in result.output and "experimental" in result.output
    assert "Traceback" not in result.output


def test_fail_on_gates_on_severity(run_cli: Run) -> None:
    care = str(EXAMPLES / "care-act-2014.yaml")
    assert run_cli("check", care, "--fail-on", "never").exit_code == 0
    assert run_cli("check", care, "--fail-on", "medium").exit_code == 1


def test_usage_error_exits_2(run_cli: Run) -> None:
    assert run_cli("check").exit_code == 2
    assert run_cli("check", "--format", "pdf", str(EXAMPLES)).exit_code == 2


def test_report_json_carries_the_assessment(run_cli: Run) -> None:
    result = run_cli("report", str(EXAMPLES / "troubled-families.yaml"), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["policy"]["title"].startswith("Troubled Families")
    assert data["paradigm"] == "administrative"
    assert set(data["membership"]) == {"administrative", "political", "experimental", "symbolic"}
    assert sum(data["membership"].values()) == pytest.approx(1.0, abs=0.01)
    assert {"elements", "borderline", "confidence", "answers", "scores"} <= set(data)
    mix = data["support_mix"]
    assert sum(
        mix[k] for k in ("performance_management", "problem_solving", "capacity_building")
    ) == pytest.approx(1.0, abs=0.01)
    assert mix["recommended"][0]["reasons"]
    for risk in data["risks"]:
        assert {
            "id",
            "severity",
            "title",
            "triggers",
            "explanation",
            "mitigation",
            "source",
        } <= set(risk)


def test_report_text_matches_golden(run_cli: Run, request: pytest.FixtureRequest) -> None:
    result = run_cli("report", str(EXAMPLES / "care-act-2014.yaml"))
    assert result.exit_code == 0
    golden = GOLDEN / "care-act-2014.txt"
    if request.config.getoption("--update-golden"):
        golden.write_text(result.stdout)
    assert result.stdout == golden.read_text()


def test_report_of_invalid_file_exits_2(run_cli: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("matland: 1\npolicy: {title: T}\nanswers: {goal_ambiguty: 3}\n")
    result = run_cli("report", str(bad))
    assert result.exit_code == 2
    assert "did you mean 'goal_ambiguity'" in result.stderr


def test_not_classifiable_is_reported_not_an_error(run_cli: Run, tmp_path: Path) -> None:
    draft = tmp_path / "draft.yaml"
    draft.write_text("matland: 1\npolicy: {title: Draft}\nanswers: {goal_ambiguity: 4}\n")
    result = run_cli("check", str(draft))
    assert result.exit_code == 0
    assert "not classifiable" in result.output
    assert "means_ambiguity" in result.output


@pytest.mark.usefixtures("wide_terminal")
def test_check_table_shows_titles_as_written(run_cli: Run, tmp_path: Path) -> None:
    # tabulate read a column of number-like titles as numbers: "1.50" was shown as 1.5
    for name, title in (("a", "1.50"), ("b", "1e3")):
        (tmp_path / f"{name}.yaml").write_text(
            f'matland: 1\npolicy: {{title: "{title}"}}\nanswers: {{goal_ambiguity: 4}}\n'
        )
    rows = run_cli("check", str(tmp_path)).stdout.splitlines()[2:4]
    assert [row.split()[1] for row in rows] == ["1.50", "1e3"]


def test_questions_in_every_format(run_cli: Run, knowledge: object) -> None:
    for fmt in ("text", "markdown", "yaml"):
        result = run_cli("questions", "--format", fmt)
        assert result.exit_code == 0
        assert "goal_ambiguity" in result.output and "learning_unsafe" in result.output


def test_init_writes_a_template_that_checks_and_refuses_to_overwrite(
    run_cli: Run, tmp_path: Path
) -> None:
    target = tmp_path / "new.yaml"
    assert run_cli("init", str(target), "--title", "My policy").exit_code == 0
    text = target.read_text()
    assert "# goal_ambiguity:" in text and "1 = " in text
    checked = run_cli("check", str(target))
    assert checked.exit_code == 0, checked.output
    target.write_text(text + "# my edits\n")
    refused = run_cli("init", str(target))
    assert refused.exit_code == 2
    assert "--force" in refused.stderr
    assert target.read_text().endswith("# my edits\n")
    assert run_cli("init", str(target), "--force").exit_code == 0
    assert not target.read_text().endswith("# my edits\n")


def test_init_without_a_title_is_valid_but_says_the_title_is_a_placeholder(
    run_cli: Run, tmp_path: Path
) -> None:
    target = tmp_path / "new.yaml"
    assert run_cli("init", str(target)).exit_code == 0
    checked = run_cli("check", str(target), "--format", "json", "--fail-on", "medium")
    (file,) = json.loads(checked.stdout)["files"]
    assert file["valid"] and checked.exit_code == 1
    (placeholder,) = [f for f in file["findings"] if f["rule_id"] == "placeholder-title"]
    title_line = target.read_text().splitlines().index('  title: "TITLE OF THE POLICY"') + 1
    assert (placeholder["line"], placeholder["severity"]) == (title_line, "medium")
    titled = tmp_path / "titled.yaml"
    run_cli("init", str(titled), "--title", "Care hubs")
    checked = run_cli("check", str(titled), "--format", "json")
    assert "placeholder-title" not in checked.stdout


def test_schema_is_json_schema_naming_every_question(run_cli: Run) -> None:
    result = run_cli("schema")
    schema = json.loads(result.stdout)
    answers = schema["properties"]["answers"]["anyOf"][0]["properties"]
    assert "goal_ambiguity" in answers and "pilot" in answers


def test_rules_list_support_json(run_cli: Run) -> None:
    result = run_cli("rules", "list", "--kind", "support", "--format", "json")
    entries = json.loads(result.stdout)
    assert len(entries) >= 15
    for entry in entries:
        assert {
            "id",
            "name",
            "performance_management",
            "problem_solving",
            "capacity_building",
            "source",
        } <= set(entry)


def test_rules_show_a_risk_in_words(run_cli: Run) -> None:
    result = run_cli("rules", "show", "funding-gap")
    assert result.exit_code == 0
    assert "funding_gap >= 4" in result.output and "source" in result.output
    missing = run_cli("rules", "show", "fundng-gap")
    assert missing.exit_code == 2 and "funding-gap" in missing.output


def test_broken_rules_directory_names_file_entry_and_line(run_cli: Run, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    for source in (ROOT / "rules").glob("*.yaml"):
        (rules / source.name).write_text(source.read_text())
    risks = rules / "risks.yaml"
    risks.write_text(risks.read_text().replace("- funding_gap >= 4", "- fundng_gap >= 4", 1))
    result = run_cli("--rules", str(rules), "check", str(EXAMPLES))
    assert result.exit_code == 2
    assert "risks.yaml:" in result.stderr
    assert "funding-gap" in result.stderr and "did you mean 'funding_gap'" in result.stderr
    assert "Traceback" not in result.output


def test_asked_when_must_name_a_yes_no_item(run_cli: Run, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    questions = rules / "questions.yaml"
    questions.write_text(questions.read_text().replace("{pilot: true}", "{stakes: true}", 1))
    result = run_cli("--rules", str(rules), "check", str(EXAMPLES))
    assert result.exit_code == 2
    assert "questions.yaml:" in result.stderr
    assert "asked_when names 'stakes', which is not a yes/no item" in result.stderr


def test_check_json_lists_one_file_per_line(run_cli: Run) -> None:
    for paths in ([], [str(EXAMPLES / "care-act-2014.yaml"), str(EXAMPLES / "nhs-vanguard.yaml")]):
        result = run_cli(
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            *paths,
            "-",
            input="matland: 1\npolicy: {title: T}\n",
        )
        document = json.loads(result.stdout)
        lines = result.stdout.splitlines()
        start = lines.index('  "files": [')
        for offset, file in enumerate(document["files"], 1):
            assert json.loads(lines[start + offset].rstrip(",")) == file


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes")
def test_report_on_a_file_whose_name_is_not_utf8(run_cli: Run, tmp_path: Path) -> None:
    name = os.path.join(os.fsencode(tmp_path), b"caf\xe9.yaml")
    shutil.copy(EXAMPLES / "care-act-2014.yaml", name)
    result = run_cli("report", os.fsdecode(name), "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout_bytes.decode("utf-8"))  # JSON is UTF-8, whatever the name
    assert os.fsencode(document["path"]) == name
    checked = run_cli("check", os.fsdecode(name), "--format", "json")
    document = json.loads(checked.stdout_bytes.decode("utf-8"))
    assert os.fsencode(document["files"][0]["path"]) == name


@pytest.mark.parametrize(
    ("fmt", "said"), [("text", "(only when pilot is yes)"), ("markdown", "Only when pilot is yes.")]
)
def test_questions_say_when_an_item_is_asked(run_cli: Run, fmt: str, said: str) -> None:
    out = run_cli("questions", "--format", fmt).stdout
    after = out.split("pilot_dual_purpose")[1]
    assert said in after.split("PIRU")[0]


@pytest.mark.parametrize(
    "args",
    [
        ["report", str(EXAMPLES / "care-act-2014.yaml")],
        ["review", str(EXAMPLES / "review" / "care-act-2014-post-implementation.yaml")],
        ["workshop", str(EXAMPLES / "workshop" / "participants")],
    ],
    ids=lambda args: args[0],
)
def test_an_output_file_is_laid_out_for_80_columns_whatever_the_terminal(
    args: list[str], run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    at_80 = run_cli(*args)
    monkeypatch.setenv("COLUMNS", "200")
    wide = run_cli(*args)
    out = tmp_path / "out.txt"
    written = run_cli(*args, "--output", str(out))
    assert at_80.exit_code == wide.exit_code == written.exit_code, written.output
    assert out.read_text(encoding="utf-8") == at_80.stdout != wide.stdout
