"""Every `matland check` format, on the terminal and as `--output`, prints exactly what the
golden files hold: one run over a directory mixing valid, risky, unclassifiable and broken
files, stdin (`-`) and a missing path. The golden files pin the output byte for byte."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"
BAD = ROOT / "tests" / "data" / "bad"
GOLDEN = ROOT / "tests" / "golden"
Run = Callable[..., Result]

SUFFIXES = {
    "text": "txt",
    "markdown": "md",
    "json": "json",
    "sarif": "sarif",
    "junit": "xml",
    "github": "log",
}
# Gates and a threshold below `high`, so every format has failures, passes, gate findings
# (rule ids outside the risk catalogue) and findings below the threshold to show.
ARGS = (
    "check",
    "proposals",
    "-",
    "missing.yaml",
    "--fail-on",
    "medium",
    "--expect-paradigm",
    "administrative",
)
DRAFT = """\
matland: 1
policy:
  title: "Café | <pilot> & \\x01 a title well over thirty-two characters long"
answers:
  goal_ambiguity: 4
  stakes: unsure
accepted_risks:
  - {id: funding-gap, reason: "funded in full"}
"""
ACCEPTED = """\
accepted_risks:
  - {id: dispersed-governance, reason: "each authority agreed a local plan"}
"""


@pytest.fixture
def mixed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "proposals"
    (folder / "nested").mkdir(parents=True)
    for name in ("care-act-2014", "junior-doctors-contract-2016", "troubled-families"):
        shutil.copy(EXAMPLES / f"{name}.yaml", folder / f"{name}.yaml")
    for name in ("unclosed-bracket", "unknown-top-key", "root-list"):
        shutil.copy(BAD / f"{name}.yaml", folder / "nested" / f"{name}.yml")
    troubled = (EXAMPLES / "troubled-families.yaml").read_text(encoding="utf-8")
    (folder / "accepted.yaml").write_text(troubled + ACCEPTED, encoding="utf-8")
    (folder / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def stdin() -> str:
    return (EXAMPLES / "nhs-vanguard.yaml").read_text(encoding="utf-8")


def golden(fmt: str, text: str, request: pytest.FixtureRequest) -> str:
    path = GOLDEN / f"check-mixed.{SUFFIXES[fmt]}"
    if request.config.getoption("--update-golden"):
        path.write_text(text, encoding="utf-8", newline="")
    return path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("fmt", SUFFIXES)
def test_check_prints_each_format_as_the_golden_file(
    run_cli: Run, mixed: Path, fmt: str, request: pytest.FixtureRequest
) -> None:
    result = run_cli(*ARGS, "--format", fmt, input=stdin())
    assert result.exit_code == 2  # broken files and a missing path
    assert result.stdout == golden(fmt, result.stdout, request)


def test_every_output_is_written_as_the_golden_file_in_one_run(
    run_cli: Run, mixed: Path, request: pytest.FixtureRequest
) -> None:
    outputs = [f"{fmt}:out/check.{suffix}" for fmt, suffix in SUFFIXES.items()]
    (mixed / "out").mkdir()
    result = run_cli(
        *ARGS, "--format", "github", *(f"--output={o}" for o in outputs), input=stdin()
    )
    assert result.exit_code == 2
    assert result.stderr == ""
    assert result.stdout == golden("github", result.stdout, request)
    for fmt, suffix in SUFFIXES.items():
        written = (mixed / "out" / f"check.{suffix}").read_bytes().decode("utf-8")
        assert written == golden(fmt, written, request), fmt
