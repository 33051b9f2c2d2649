"""Every `matland check` format, on the terminal and as `--output`, prints exactly what the
golden files hold: one run over a directory mixing valid, risky, unclassifiable and broken
files, stdin (`-`) and a missing path. The golden files pin the output byte for byte."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from matland.render import stream

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


@pytest.fixture(params=["in memory", "spooled to disk"])
def limits(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """As a small run goes (one table batch, spools in memory), or as a large one: spools
    moved to temporary files at the first byte, read back a few characters at a time."""
    if request.param == "spooled to disk":
        monkeypatch.setattr(stream, "SPOOL_IN_MEMORY", 1)
        monkeypatch.setattr(stream, "READ", 7)


@pytest.mark.parametrize("fmt", SUFFIXES)
def test_check_prints_each_format_as_the_golden_file(
    run_cli: Run, mixed: Path, limits: None, fmt: str, request: pytest.FixtureRequest
) -> None:
    result = run_cli(*ARGS, "--format", fmt, input=stdin())
    assert result.exit_code == 2  # broken files and a missing path
    assert result.stdout == golden(fmt, result.stdout, request)


@pytest.mark.usefixtures("wide_terminal")
def test_a_text_output_file_is_laid_out_for_80_columns_whatever_the_terminal(
    run_cli: Run, mixed: Path, tmp_path: Path
) -> None:
    out = tmp_path / "check.txt"
    result = run_cli(*ARGS, "--format", "text", f"--output=text:{out}", input=stdin())
    assert result.stdout.startswith("file ")  # the wide terminal: the table
    at_80 = (GOLDEN / "check-mixed.txt").read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == at_80 != result.stdout


@pytest.mark.usefixtures("wide_terminal")
def test_a_wide_terminal_gets_the_check_table_as_its_golden_file(
    run_cli: Run, mixed: Path, limits: None, request: pytest.FixtureRequest
) -> None:
    result = run_cli(*ARGS, "--format", "text", input=stdin())
    path = GOLDEN / "check-mixed-wide.txt"
    if request.config.getoption("--update-golden"):
        path.write_text(result.stdout, encoding="utf-8", newline="")
    assert result.stdout == path.read_text(encoding="utf-8")


def test_every_output_is_written_as_the_golden_file_in_one_run(
    run_cli: Run, mixed: Path, limits: None, request: pytest.FixtureRequest
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
    assert sorted(p.name for p in (mixed / "out").iterdir()) == sorted(
        f"check.{suffix}" for suffix in SUFFIXES.values()
    )  # no temporary file left


def test_worker_processes_give_the_same_output_in_every_format(run_cli: Run, mixed: Path) -> None:
    from matland.check.runner import PARALLEL_MIN_FILES

    sources = sorted((mixed / "proposals").rglob("*.y*ml"))
    for i in range(PARALLEL_MIN_FILES):
        source = sources[i % len(sources)]
        shutil.copy(source, mixed / "proposals" / f"copy-{i:03d}{source.suffix}")
    written = {}
    for jobs in ("1", "2"):
        (mixed / jobs).mkdir()
        outputs = [f"--output={fmt}:{jobs}/check.{suffix}" for fmt, suffix in SUFFIXES.items()]
        result = run_cli(*ARGS, "--jobs", jobs, *outputs, input=stdin())
        assert result.exit_code == 2
        written[jobs] = {p.name: p.read_bytes() for p in (mixed / jobs).iterdir()}
    assert written["1"] == written["2"]
    assert len(written["1"]) == len(SUFFIXES)


def test_an_output_found_among_the_checked_files_is_not_overwritten(
    run_cli: Run, mixed: Path
) -> None:
    target = mixed / "proposals" / "care-act-2014.yaml"
    before = target.read_bytes()
    result = run_cli("check", "proposals", "--output", "junit:proposals/care-act-2014.yaml")
    assert result.exit_code == 2
    assert "proposals/care-act-2014.yaml: is one of the inputs; not overwritten" in result.stderr
    assert target.read_bytes() == before
    assert not list((mixed / "proposals").glob(".matland-*"))  # its temporary file is gone


def test_an_output_that_cannot_be_written_is_reported_and_the_others_written(
    run_cli: Run, mixed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    (mixed / "locked").mkdir()
    make = tempfile.mkstemp

    def refused_in_locked(*args: object, **kwargs: object) -> tuple[int, str]:
        if str(kwargs.get("dir", "")).endswith("locked"):  # as a read-only directory would
            raise PermissionError(13, "Permission denied")
        return make(*args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(tempfile, "mkstemp", refused_in_locked)
    result = run_cli(
        "check",
        "proposals/care-act-2014.yaml",
        "--output",
        "sarif:locked/out.sarif",
        "--output",
        "junit:out.xml",
    )
    assert result.exit_code == 2  # findings alone would be 0
    assert result.stderr == "matland: locked/out.sarif: cannot write: Permission denied\n"
    assert (mixed / "out.xml").read_text(encoding="utf-8").startswith("<?xml")
    assert not list((mixed / "locked").iterdir())


def test_an_output_whose_disk_fills_is_reported_and_dropped(
    run_cli: Run, mixed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matland.source import files

    write = files.AtomicFile.write

    def full_for_sarif(self: files.AtomicFile, text: str) -> None:
        if self.path.endswith(".sarif"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        write(self, text)

    monkeypatch.setattr(files.AtomicFile, "write", full_for_sarif)
    outputs = ("--output", "sarif:out.sarif", "--output", "json:out.json")
    result = run_cli("check", "proposals/care-act-2014.yaml", *outputs)
    assert result.exit_code == 2
    assert result.stderr == "matland: out.sarif: cannot write: No space left on device\n"
    assert sorted(p.name for p in mixed.iterdir() if p.is_file()) == ["out.json"]
