"""An output file never replaces what the run has just read to know how to run: the config
file (.matland.yaml, or pyproject.toml's [tool.matland]) and the rules files (--rules DIR,
a config's `rules:`, the bundled ones), with --force or without, as inputs are spared."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from matland.core.knowledge import bundled_rules

Run = Callable[..., Result]
EXAMPLES = Path(__file__).parents[2] / "examples"

PROPOSAL = (EXAMPLES / "troubled-families.yaml").read_text(encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "p.yaml").write_text(PROPOSAL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def unchanged(path: Path, before: bytes, result: Result) -> None:
    assert path.read_bytes() == before
    assert result.exit_code == 2
    assert "not overwritten" in result.stderr


@pytest.mark.parametrize("name", [".matland.yaml", "pyproject.toml"])
def test_check_output_never_replaces_the_config_it_read(
    repo: Path, run_cli: Run, name: str
) -> None:
    text = "fail-on: never\n" if name == ".matland.yaml" else '[tool.matland]\nfail-on = "never"\n'
    config = repo / name
    config.write_text(text)
    result = run_cli("check", "p.yaml", "--output", f"json:{name}")
    unchanged(config, text.encode(), result)
    assert "config file" in result.stderr
    # from a subdirectory, the config found above it
    (repo / "sub").mkdir()
    (repo / "sub" / "q.yaml").write_text(PROPOSAL, encoding="utf-8")
    result = run_cli("check", "sub/q.yaml", "--output", f"sarif:{config}")
    unchanged(config, text.encode(), result)


def test_check_output_never_replaces_a_rules_file(repo: Path, run_cli: Run) -> None:
    shutil.copytree(bundled_rules(), repo / "rules")
    risks = repo / "rules" / "risks.yaml"
    before = risks.read_bytes()
    result = run_cli("--rules", "rules", "check", "p.yaml", "--output", "json:rules/risks.yaml")
    unchanged(risks, before, result)
    assert "rules file" in result.stderr
    (repo / ".matland.yaml").write_text("rules: rules\n")  # the config's rules, too
    result = run_cli("check", "p.yaml", "--output", "json:rules/risks.yaml")
    unchanged(risks, before, result)


def test_report_output_never_replaces_a_rules_file_even_with_force(
    repo: Path, run_cli: Run
) -> None:
    shutil.copytree(bundled_rules(), repo / "rules")
    questions = repo / "rules" / "questions.yaml"
    before = questions.read_bytes()
    result = run_cli("--rules", "rules", "report", "p.yaml", "-o", str(questions), "--force")
    unchanged(questions, before, result)
