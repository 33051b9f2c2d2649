"""compare's other changes, driven through the CLI."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from matland.cli.main import cli

ROOT = Path(__file__).parents[2]
WORKSHOP = ROOT / "examples" / "workshop"
CARE = ROOT / "examples" / "care-act-2014.yaml"


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


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
