"""check's outputs, signals and annotations, driven through the CLI."""

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
