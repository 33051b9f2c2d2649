"""`matland check` as a CI pipeline uses it: gating, outputs, acceptances, config, jobs."""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

from matland.check.runner import PARALLEL_MIN_FILES
from matland.core.knowledge import bundled_rules
from matland.source import paths

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"
CARE = EXAMPLES / "care-act-2014.yaml"
Run = Callable[..., Result]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty repository as the working directory, so no outer config is found."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def findings(result: Result) -> list[dict[str, object]]:
    return [f for file in json.loads(result.stdout)["files"] for f in file["findings"]]


@pytest.mark.parametrize(
    ("fail_on", "code"),
    [
        ("never", 0),
        ("high", 0),
        ("medium", 1),
        ("low", 1),
        ("info", 1),
    ],
)
def test_fail_on_levels(run_cli: Run, repo: Path, fail_on: str, code: int) -> None:
    # the Care Act example fires medium risks but no high one
    result = run_cli("check", str(CARE), "--fail-on", fail_on)
    assert result.exit_code == code


def test_require_complete_turns_gaps_into_findings(run_cli: Run, repo: Path) -> None:
    draft = repo / "draft.yaml"
    draft.write_text("matland: 1\npolicy: {title: D}\nanswers:\n  goal_ambiguity: unsure\n")
    plain = run_cli("check", str(draft), "--format", "json")
    strict = run_cli("check", str(draft), "--format", "json", "--require-complete")
    assert plain.exit_code == 0
    assert strict.exit_code == 1
    gaps = [f for f in findings(strict) if f["rule_id"] in ("answer-unsure", "answer-missing")]
    unsure = next(f for f in gaps if f["rule_id"] == "answer-unsure")
    assert unsure["line"] == 4


def test_expect_paradigm(run_cli: Run, repo: Path) -> None:
    assert run_cli("check", str(CARE), "--expect-paradigm", "experimental").exit_code == 0
    wrong = run_cli("check", str(CARE), "--expect-paradigm", "political", "--format", "json")
    assert wrong.exit_code == 1
    assert any(f["rule_id"] == "unexpected-paradigm" for f in findings(wrong))


def test_outputs_are_written_besides_the_terminal_format(run_cli: Run, repo: Path) -> None:
    result = run_cli(
        "check",
        str(EXAMPLES),
        "--fail-on",
        "never",
        "--exclude",
        "*-map.yaml",
        "--output",
        f"json:{repo / 'out.json'}",
        "--output",
        f"markdown:{repo / 'out.md'}",
    )
    assert result.exit_code == 0
    assert "care-act-2014.yaml" in result.stdout  # the text table still on the terminal
    document = json.loads((repo / "out.json").read_text())
    proposals = [p for p in EXAMPLES.rglob("*.yaml") if not p.name.endswith("-map.yaml")]
    assert document["summary"]["files"] == len(proposals)
    assert (repo / "out.md").read_text().startswith("## matland check")


def test_output_never_overwrites_an_input(run_cli: Run, repo: Path) -> None:
    copy = repo / "care.yaml"
    shutil.copy(CARE, copy)
    before = copy.read_text()
    result = run_cli("check", str(copy), "--output", f"json:{copy}")
    assert result.exit_code == 2
    assert "not overwritten" in result.stderr
    assert copy.read_text() == before


def test_bad_output_spec_is_a_usage_error(run_cli: Run, repo: Path) -> None:
    assert run_cli("check", str(CARE), "--output", "pdf:x.pdf").exit_code == 2
    assert run_cli("check", str(CARE), "--output", "json").exit_code == 2


def test_accepted_risk_is_reported_but_does_not_gate(run_cli: Run, repo: Path) -> None:
    text = CARE.read_text() + (
        "accepted_risks:\n"
        "  - id: funding-gap\n    reason: funding settled in the spending review\n"
        "  - id: opposition-understated\n    reason: no longer relevant\n"
    )
    proposal = repo / "accepted.yaml"
    proposal.write_text(text)
    result = run_cli("check", str(proposal), "--format", "json", "--fail-on", "medium")
    found = {f["rule_id"]: f for f in findings(result)}
    assert found["funding-gap"]["accepted"] == "funding settled in the spending review"
    assert found["stale-acceptance"]["severity"] == "low"
    tally = json.loads(result.stdout)["files"][0]["tally"]
    assert tally["accepted"] == 1
    # other medium risks still fail the run; accept them all and it passes
    assert result.exit_code == 1


def test_acceptance_needs_a_reason_and_a_known_id(run_cli: Run, repo: Path) -> None:
    proposal = repo / "p.yaml"
    proposal.write_text(CARE.read_text() + "accepted_risks:\n  - id: funding-gp\n    reason: x\n")
    result = run_cli("check", str(proposal))
    assert result.exit_code == 2
    assert "did you mean 'funding-gap'" in result.output
    proposal.write_text(CARE.read_text() + "accepted_risks:\n  - id: funding-gap\n    reason: ''\n")
    assert run_cli("check", str(proposal)).exit_code == 2


def test_config_file_sets_defaults_and_flags_override(run_cli: Run, repo: Path) -> None:
    (repo / ".matland.yaml").write_text("fail-on: medium\nformat: json\nexclude: ['skip-*']\n")
    shutil.copy(CARE, repo / "care.yaml")
    (repo / "skip-me.yaml").write_text("not: a proposal\n")
    result = run_cli("check", str(repo))
    assert result.exit_code == 1  # medium risks fail under the config's fail-on
    assert [f["path"] for f in json.loads(result.stdout)["files"]] == [str(repo / "care.yaml")]
    assert run_cli("check", str(repo), "--fail-on", "never").exit_code == 0


def test_config_in_pyproject(run_cli: Run, repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.matland]\nfail-on = "never"\n'
    )
    assert run_cli("check", str(CARE), "--fail-on", "never").exit_code == 0
    (repo / "pyproject.toml").write_text('[tool.matland]\nfail_on = "never"\n')
    result = run_cli("check", str(CARE))
    assert result.exit_code == 2
    assert "pyproject.toml:2:1" in result.stderr and "did you mean 'fail-on'" in result.stderr


@pytest.mark.parametrize(
    ("toml", "said"),
    [
        (
            "[tool]\nmatland = 5\n",
            "pyproject.toml:2:1: [tool.matland] must be a table",
        ),
        ('tool = "x"\n', None),  # no [tool.matland]: not matland's, the defaults
        ('[other]\nmatland = "never"\n', None),
    ],
)
def test_a_pyproject_whose_tool_table_is_not_a_table_is_no_crash(
    run_cli: Run, repo: Path, toml: str, said: str | None
) -> None:
    (repo / "pyproject.toml").write_text(toml)
    result = run_cli("check", str(CARE))
    assert "internal error" not in result.stderr
    if said is None:
        assert result.exit_code in (0, 1) and result.stderr == ""
    else:
        assert result.exit_code == 2 and said in result.stderr


def test_unknown_config_key_names_file_and_line(run_cli: Run, repo: Path) -> None:
    (repo / ".matland.yaml").write_text("format: text\nfail_on: low\n")
    result = run_cli("check", str(CARE))
    assert result.exit_code == 2
    assert ".matland.yaml:2:1" in result.stderr and "did you mean 'fail-on'" in result.stderr


def test_parallel_run_gives_the_same_results(run_cli: Run, repo: Path) -> None:
    for i in range(PARALLEL_MIN_FILES + 10):
        source = sorted(EXAMPLES.glob("*.yaml"))[i % 6]
        shutil.copy(source, repo / f"p{i:04d}.yaml")
    (repo / "p0003.yaml").write_text("matland: 1\npolicy: {title: x}\nanswers: {stakes: 9}\n")
    one = run_cli("check", str(repo), "--format", "json", "--jobs", "1")
    two = run_cli("check", str(repo), "--format", "json", "--jobs", "2")
    assert one.exit_code == two.exit_code == 2
    assert json.loads(one.stdout) == json.loads(two.stdout)


def test_github_actions_default_format_is_workflow_commands(repo: Path) -> None:
    from click.testing import CliRunner

    from matland.cli.main import cli

    result = CliRunner(env={"GITHUB_ACTIONS": "true"}).invoke(
        cli, ["check", str(CARE)], catch_exceptions=False
    )
    *lines, summary, verdict = result.stdout.splitlines()
    assert lines and all(line.startswith("::") for line in lines if line)
    assert any(line.startswith("::warning file=") for line in lines)
    assert summary.startswith("matland: 1 file(s): 1 valid") and "passed" in verdict
    flagged = CliRunner(env={"GITHUB_ACTIONS": "true"}).invoke(
        cli, ["check", str(CARE), "--format", "text"], catch_exceptions=False
    )
    assert "care-act-2014.yaml" in flagged.stdout and not flagged.stdout.startswith("::")


@pytest.fixture
def kept(repo: Path) -> Iterator[Path]:
    """A copy of the Care Act proposal that the test must leave exactly as it was."""
    copy = repo / "care.yaml"
    shutil.copy(CARE, copy)
    before = copy.read_bytes()
    yield copy
    assert copy.read_bytes() == before


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_report_output_never_replaces_its_input_even_with_force(
    run_cli: Run, kept: Path, fmt: str
) -> None:
    result = run_cli("report", str(kept), "--format", fmt, "-o", str(kept), "--force")
    assert result.exit_code == 2
    assert f"{kept}: is one of the inputs; not overwritten" in result.stderr


def test_a_gate_fails_even_under_fail_on_never(run_cli: Run, repo: Path) -> None:
    result = run_cli("check", str(CARE), "--expect-paradigm", "political", "--fail-on", "never")
    assert result.exit_code == 1


def configured(repo: Path, config: str, *proposals: str, broken: str = "") -> None:
    """A repository with this .matland.yaml, copies of the Care Act proposal at the given
    paths, and a file that is no proposal at `broken`."""
    (repo / ".matland.yaml").write_text(config)
    for name in [*proposals, broken]:
        if name:
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
    for name in proposals:
        shutil.copy(CARE, repo / name)
    if broken:
        (repo / broken).write_text("not: a proposal\n")


def test_config_excludes_are_anchored_to_the_config(
    run_cli: Run, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configured(repo, "exclude: ['sub/skip.yaml']\n", "sub/care.yaml", broken="sub/skip.yaml")
    monkeypatch.chdir(repo / "sub")
    result = run_cli("check", ".", "--fail-on", "never")
    assert result.exit_code == 0, result.output


def test_the_exclude_flag_takes_the_place_of_the_configs(
    run_cli: Run, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configured(repo, "exclude: ['drafts']\n", "drafts/d.yaml", "final.yaml")
    monkeypatch.chdir(repo)

    def checked(*flags: str) -> list[str]:
        result = run_cli("check", ".", "--format", "json", "--fail-on", "never", *flags)
        return sorted(f["path"] for f in json.loads(result.stdout)["files"])

    assert checked() == ["./final.yaml"]  # the config's directory pattern
    assert checked("--exclude", "final.yaml") == ["./drafts/d.yaml"]  # in its place


def test_an_empty_config_means_the_defaults(run_cli: Run, repo: Path) -> None:
    (repo / ".matland.yaml").write_text("# nothing yet\n")
    assert run_cli("check", str(CARE)).exit_code == 0


def test_config_is_found_from_the_checked_path_too(
    run_cli: Run,
    repo: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (repo / ".matland.yaml").write_text("exclude: ['skip.yaml']\n")
    shutil.copy(CARE, repo / "care.yaml")
    (repo / "skip.yaml").write_text("not: a proposal\n")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / ".git").mkdir()
    monkeypatch.chdir(elsewhere)
    assert run_cli("check", str(repo), "--fail-on", "never").exit_code == 0


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_reader_that_stops_early_does_not_stop_the_run(repo: Path, jobs: str) -> None:
    """`matland check … | head -1`: the rest is still checked, `--output` files are written
    and the exit code tells of the invalid file (a real pipe, closed by the reader)."""
    for i in range(PARALLEL_MIN_FILES + 10):
        shutil.copy(CARE, repo / f"p{i:04d}.yaml")
    (repo / "p9999.yaml").write_text("matland: 1\npolicy: {title: x}\nanswers: {stakes: 9}\n")
    command = [sys.executable, "-m", "matland", "check", str(repo), "--format", "json"]
    command += ["--jobs", jobs, "--fail-on", "never", "--output", "sarif:out.sarif"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()  # what `head -1` does
        stderr = process.stderr.read().decode()
        code = process.wait(timeout=120)
    assert code == 2, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    sarif = json.loads((repo / "out.sarif").read_text())
    assert (
        len(
            {
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for r in sarif["runs"][0]["results"]
            }
        )
        == PARALLEL_MIN_FILES + 11
    )
    assert not list(repo.glob(".matland-*.tmp"))


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes")
@pytest.mark.parametrize("fmt", ["json", "text", "markdown", "github", "sarif", "junit"])
def test_an_output_names_a_file_whose_name_is_not_utf8(run_cli: Run, repo: Path, fmt: str) -> None:
    name = b"caf\xe9.yaml"  # Latin-1: Python reads it as 'caf\udce9.yaml'
    os.makedirs(b"in", exist_ok=True)
    shutil.copy(CARE, os.path.join(b"in", name))
    result = run_cli("check", "in", "--fail-on", "never", "--output", f"{fmt}:out")
    assert result.exit_code == 0, result.output
    written = (repo / "out").read_bytes()
    # as it was; URI-quoted in SARIF; escaped in JSON, which must be UTF-8 (os.fsencode reads
    # it back); in JUnit's XML, which cannot hold it, U+FFFD
    shown = {"sarif": b"caf%E9", "json": b"caf\\udce9", "junit": "caf\ufffd".encode()}
    assert shown.get(fmt, b"caf\xe9") in written


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_report_shows_the_findings_check_reports_beside_the_risks(
    run_cli: Run, repo: Path, fmt: str
) -> None:
    proposal = repo / "p.yaml"
    text = CARE.read_text().replace("title: ", "title: TITLE OF THE POLICY #", 1)
    proposal.write_text(text + "accepted_risks:\n  - {id: no-codesign, reason: not here}\n")
    checked = run_cli("check", str(proposal), "--format", "json", "--fail-on", "never")
    others = [
        f for f in findings(checked) if f["rule_id"] in ("stale-acceptance", "placeholder-title")
    ]
    assert len(others) == 2
    report = run_cli("report", str(proposal), "--format", fmt)
    assert report.exit_code == 0, report.output
    assert "Other findings (2)" in report.stdout
    for f in others:
        assert f"line {f['line']}" in report.stdout
        assert html.escape(str(f["message"])) in report.stdout or f["message"] in report.stdout


def test_the_summary_counts_the_errors_of_invalid_files(run_cli: Run, repo: Path) -> None:
    bad = repo / "bad.yaml"
    bad.write_text("matland: 1\npolicy: {title: B}\nanswers: {stakes: 9, zero_sum: 0}\n")
    result = run_cli("check", str(bad), str(CARE), "--format", "json")
    document = json.loads(result.stdout)
    errors = [e for f in document["files"] for e in f["errors"]]
    assert len(errors) == 2 and document["summary"]["findings"]["error"] == 2
    text = run_cli("check", str(bad))
    assert "1 invalid; findings: 2 error" in text.stdout


@pytest.mark.parametrize(
    ("outputs", "says"),
    [
        (["json:o.json", "sarif:o.json"], "already the file of --output json:o.json"),
        (["json:o.json", "sarif:./o.json"], "already the file of --output json:o.json"),
        (["json:-"], "the terminal shows --format json"),
        (["sarif:missing/x.sarif"], "create it first"),
    ],
)
def test_an_output_that_cannot_be_right_is_refused_before_checking(
    run_cli: Run, repo: Path, monkeypatch: pytest.MonkeyPatch, outputs: list[str], says: str
) -> None:
    monkeypatch.chdir(repo)
    flags = [flag for o in outputs for flag in ("--output", o)]
    result = run_cli("check", str(CARE), *flags)
    assert result.exit_code == 2 and says in result.stderr
    assert sorted(p.name for p in repo.iterdir()) == [".git"]  # nothing written


def test_an_output_path_with_a_tilde_is_in_the_home_directory(
    run_cli: Run, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(repo))
    assert run_cli("check", str(CARE), "--output", "json:~/o.json").exit_code == 0
    assert json.loads((repo / "o.json").read_text())["summary"]["files"] == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a FIFO to hold the run")
def test_sigterm_leaves_old_outputs_and_no_temporary_files(repo: Path) -> None:
    """A cancelled CI job: the run unwinds as on Ctrl-C (exit 143)."""
    out = repo / "out"
    out.mkdir()
    (out / "old.sarif").write_text("the last run's\n")
    held = repo / "held.yaml"
    os.mkfifo(held)  # named outright, it is read: the run waits on it
    command = [sys.executable, "-m", "matland", "check", str(CARE), str(held), "--jobs", "1"]
    command += ["--output", f"sarif:{out / 'old.sarif'}", "--output", f"junit:{out / 'x.xml'}"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        deadline = time.monotonic() + 30
        while len(list(out.iterdir())) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)  # until both temporary files exist: the run has started
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 143, stderr
    assert b"matland: terminated" in stderr
    assert [p.name for p in out.iterdir()] == ["old.sarif"]
    assert (out / "old.sarif").read_text() == "the last run's\n"


@pytest.mark.parametrize("fmt", ["github", "sarif"])
def test_paths_are_given_from_the_repository_root_wherever_matland_runs(
    run_cli: Run, repo: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """Code scanning and annotations resolve a path against the checkout's root."""
    (repo / "proposals" / "2026").mkdir(parents=True)
    shutil.copy(CARE, repo / "proposals" / "2026" / "care.yaml")
    monkeypatch.chdir(repo / "proposals")
    out = run_cli("check", ".", "./2026/care.yaml", "--format", fmt, "--fail-on", "never")
    assert out.exit_code == 0, out.output
    if fmt == "github":
        files = {
            line.split("file=")[1].split(",")[0]
            for line in out.stdout.splitlines()
            if "file=" in line
        }
    else:
        results = json.loads(out.stdout)["runs"][0]["results"]
        files = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert files == {"proposals/2026/care.yaml"}
    (repo / ".git").rmdir()  # outside any repository: as given, without ./
    paths._prefix.cache_clear()
    out = run_cli("check", "./2026/care.yaml", "--format", fmt, "--fail-on", "never")
    assert "2026/care.yaml" in out.stdout and "./2026" not in out.stdout
    paths._prefix.cache_clear()


@pytest.mark.parametrize("spec", ["json:{copy}", "json:{folder}"])
def test_an_output_on_an_input_or_a_directory_is_refused_before_the_run(
    run_cli: Run, repo: Path, kept: Path, spec: str
) -> None:
    result = run_cli("check", str(kept), "--output", spec.format(copy=kept, folder=repo))
    assert result.exit_code == 2 and "Usage:" in result.stderr  # refused as a flag


@pytest.mark.skipif(not Path("/dev/shm").is_dir(), reason="no /dev/shm here")
def test_a_regular_file_under_dev_is_replaced_not_appended_to(run_cli: Run, repo: Path) -> None:
    target = Path(tempfile.mkdtemp(dir="/dev/shm")) / "r.json"
    try:
        for _ in range(2):
            assert run_cli("check", str(CARE), "--output", f"json:{target}").exit_code == 0
        assert json.loads(target.read_text())["summary"]["files"] == 1  # one document
    finally:
        shutil.rmtree(target.parent)


def test_require_complete_does_not_ask_a_pilots_item_of_no_pilot(run_cli: Run, repo: Path) -> None:
    proposal = repo / "p.yaml"
    text = CARE.read_text()
    assert "pilot_dual_purpose" not in text and "  pilot: false" in text
    proposal.write_text(text)
    result = run_cli("check", str(proposal), "--require-complete", "--format", "json")
    missing = [f["message"] for f in findings(result) if f["rule_id"] == "answer-missing"]
    assert not any("pilot_dual_purpose" in m for m in missing)
    proposal.write_text(text.replace("  pilot: false", "  pilot: true"))
    result = run_cli("check", str(proposal), "--require-complete", "--format", "json")
    missing = [f["message"] for f in findings(result) if f["rule_id"] == "answer-missing"]
    assert "pilot_dual_purpose is not answered" in missing


NOTELESS = """matland: 1
policy: {title: School phone ban}
answers:
  goal_ambiguity: 1
  means_ambiguity: {value: 2, note: "schools already run bans"}
  evidence_gap: 2
  goal_conflict: {value: 2, note: "parents and heads agree"}
  means_conflict: {value: 2, note: "pouches and lockers are accepted"}
  stakes: 2
  funding_gap: 5
"""


def test_require_notes_names_each_answer_a_high_finding_or_the_paradigm_rests_on(
    run_cli: Run, tmp_path: Path
) -> None:
    path = tmp_path / "ban.yaml"
    path.write_text(NOTELESS)
    plain = run_cli("check", "--fail-on", "never", str(path))
    assert plain.exit_code == 0 and "note-missing" not in plain.stdout
    gated = run_cli("check", "--fail-on", "never", "--require-notes", "high", str(path))
    assert gated.exit_code == 1  # a gate: it fails whatever --fail-on says
    missing = [line for line in gated.stdout.splitlines() if "[note-missing]" in line]
    assert any(
        ":10:3:" in m and "funding_gap has no note, and the high finding funding-gap" in m
        for m in missing
    )
    assert any(
        ":4:3:" in m and "goal_ambiguity has no note, and the paradigm" in m for m in missing
    )
    assert not any("means_ambiguity" in m or "stakes" in m for m in missing), missing
    path.write_text(NOTELESS.replace("funding_gap: 5", 'funding_gap: {value: 5, note: "none"}'))
    path.write_text(
        path.read_text().replace("goal_ambiguity: 1", 'goal_ambiguity: {value: 1, note: "a ban"}')
    )
    assert (
        run_cli("check", "--fail-on", "never", "--require-notes", "high", str(path)).exit_code == 0
    )


def test_require_notes_is_read_from_the_config(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".matland.yaml").write_text("require-notes: high\nfail-on: never\n")
    (tmp_path / "ban.yaml").write_text(NOTELESS)
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", "ban.yaml")
    assert result.exit_code == 1 and "[note-missing]" in result.stdout


def test_force_exclude_on_a_named_directory_that_is_excluded_is_an_error(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "a.yaml").write_text(NOTELESS)
    (tmp_path / ".matland.yaml").write_text("exclude: [drafts]\n")
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", "--force-exclude", "drafts")
    assert result.exit_code == 2
    assert "drafts:1:1: error [no-proposals] this directory is excluded" in result.stdout
    skipped = run_cli("check", "--force-exclude", "drafts/a.yaml")  # a file: skipped quietly
    assert skipped.exit_code == 0 and "0 file(s)" in skipped.stdout


def test_a_config_rules_folder_that_is_not_there_is_placed_in_the_config(
    run_cli: Run, repo: Path
) -> None:
    (repo / ".matland.yaml").write_text("fail-on: high\nrules: nowhere\n")
    result = run_cli("check", str(CARE))
    assert result.exit_code == 2 and "Usage:" not in result.stderr
    assert (
        ".matland.yaml:2:8: rules: " in result.stderr
        and "nowhere is not a directory" in result.stderr
    )


def test_rules_may_be_given_after_check_too(run_cli: Run, repo: Path, tmp_path: Path) -> None:
    rules = tmp_path / "myrules"
    shutil.copytree(bundled_rules(), rules)
    risks = rules / "risks.yaml"
    risks.write_text(risks.read_text(encoding="utf-8").replace("version: 1", "version: 2", 1))
    after = run_cli("check", "--rules", str(rules), str(CARE))
    before = run_cli("--rules", str(rules), "check", str(CARE))
    assert after.exit_code == before.exit_code == 2  # the edited rules, read either way
    assert after.stderr == before.stderr and "risks.yaml" in after.stderr


def test_a_hook_run_whose_every_file_is_excluded_says_so_in_one_line(
    run_cli: Run, repo: Path
) -> None:
    (repo / ".matland.yaml").write_text('exclude: ["drafts"]\n')
    (repo / "drafts").mkdir()
    shutil.copy(CARE, repo / "drafts" / "one.yaml")
    result = run_cli("check", "--force-exclude", "drafts/one.yaml")
    assert result.exit_code == 0
    assert result.stdout == "0 file(s): 0 valid, 0 invalid; findings: none\n"


@pytest.mark.parametrize("key", ["fail-on", "format", "cache-dir", "exclude"])
def test_a_config_key_written_with_no_value_is_an_error_not_the_default(
    run_cli: Run, repo: Path, key: str
) -> None:
    (repo / ".matland.yaml").write_text(f"{key}:\n")
    result = run_cli("check", str(CARE))
    assert result.exit_code == 2
    assert f".matland.yaml:1:{len(key) + 2}: {key}: has no value" in result.stderr
