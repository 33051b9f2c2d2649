"""report on a proposal that cannot be classified, driven through the CLI."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from matland.cli.main import cli

ROOT = Path(__file__).parents[2]
WORKSHOP = ROOT / "examples" / "workshop"
CARE = ROOT / "examples" / "care-act-2014.yaml"


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_an_unclassifiable_report_gives_the_plan_its_own_heading(tmp_path: Path) -> None:
    draft = tmp_path / "draft.yaml"
    draft.write_text("matland: 1\npolicy: {title: Draft}\nsupport_plan: [written_guidance]\n")
    out = run("report", str(draft)).stdout
    assert "\nYour support plan\n─────────────────\n" in out
