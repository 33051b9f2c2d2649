"""What a final review of the session found, each held by a test."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from matland.check.execute import _all_or_none
from matland.cli.main import cli

ROOT = Path(__file__).parents[2]
WORKSHOP = ROOT / "examples" / "workshop"
CARE = ROOT / "examples" / "care-act-2014.yaml"


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="no signal mask here")
def test_signals_wait_while_the_outputs_are_put_in_place() -> None:
    caught: list[int] = []
    old = signal.signal(signal.SIGTERM, lambda signum, frame: caught.append(signum))
    try:
        with _all_or_none():
            os.kill(os.getpid(), signal.SIGTERM)
            assert caught == []  # held back
        assert caught == [signal.SIGTERM]  # delivered once they are in place
    finally:
        signal.signal(signal.SIGTERM, old)


def test_two_csv_sessions_of_one_workshop_are_not_different_policies(tmp_path: Path) -> None:
    lines = (WORKSHOP / "workshop.csv").read_text().splitlines()
    (tmp_path / "session1.csv").write_text("\n".join(lines[:4]) + "\n")
    (tmp_path / "session2.csv").write_text("\n".join([lines[0], *lines[4:]]) + "\n")
    result = run("workshop", str(tmp_path / "session1.csv"), str(tmp_path / "session2.csv"))
    assert "different policies" not in result.output


def test_rows_left_out_of_an_upper_case_csv_are_counted(tmp_path: Path) -> None:
    lines = (WORKSHOP / "workshop.csv").read_text().splitlines()
    header = lines[0].split(",")
    assert header
    for index in (2, 3):
        lines[index] += ",x,y"  # more cells than columns: the row cannot be trusted
    (tmp_path / "W.CSV").write_text("\n".join(lines) + "\n")
    out = run("workshop", str(tmp_path / "W.CSV")).stdout
    assert "; 2 rows or files left out" in out.splitlines()[2]


def test_stakeholders_added_are_listed_in_the_files_order(tmp_path: Path) -> None:
    text = CARE.read_text()
    added = "".join(
        f"  - name: New {n}\n    role: affected\n" for n in ("Zeta", "Alpha", "Mid", "Beta")
    )
    (tmp_path / "v2.yaml").write_text(text.replace("stakeholders:\n", "stakeholders:\n" + added))
    data = run("compare", str(CARE), str(tmp_path / "v2.yaml"), "--format", "json").stdout
    order = [
        line.split("New ")[1].split(" ")[0] for line in data.split('"') if "added: New" in line
    ]
    assert order == ["Zeta", "Alpha", "Mid", "Beta"]


def test_standard_input_is_not_made_a_path_in_annotations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    out = run("check", "-", "--format", "github", "--fail-on", "never", input=CARE.read_text())
    assert "file=<stdin>," in out.stdout and "sub/<stdin>" not in out.stdout


def test_the_github_verdict_names_a_gate(tmp_path: Path) -> None:
    out = run(
        "check",
        str(CARE),
        "--format",
        "github",
        "--fail-on",
        "never",
        "--expect-paradigm",
        "political",
    ).stdout
    assert "or a gate asked for (--require-complete, --expect-paradigm)" in out.splitlines()[-1]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_directory_of_special_files_is_not_said_to_be_excluded(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "g.yaml")
    out = run("check", str(tmp_path)).stdout
    assert "no .yaml or .yml files in this directory" in out and "excluded" not in out


def test_an_unclassifiable_report_gives_the_plan_its_own_heading(tmp_path: Path) -> None:
    draft = tmp_path / "draft.yaml"
    draft.write_text("matland: 1\npolicy: {title: Draft}\nsupport_plan: [written_guidance]\n")
    out = run("report", str(draft)).stdout
    assert "\nYour support plan\n─────────────────\n" in out
