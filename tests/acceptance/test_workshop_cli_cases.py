"""Workshop CSV sessions, driven through the CLI."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from matland.cli.main import cli

ROOT = Path(__file__).parents[2]
WORKSHOP = ROOT / "examples" / "workshop"
CARE = ROOT / "examples" / "care-act-2014.yaml"


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


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
