"""The README's sample output is real output."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

ROOT = Path(__file__).parents[2]


def test_readme_check_sample_is_what_check_prints(
    run_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (ROOT / "README.md").read_text()
    command, sample = re.search(
        r"```console\n\$ (matland check [^\n]+)\n```\n\n```text\n(.*?)```", readme, re.S
    ).groups()  # type: ignore[union-attr]
    monkeypatch.chdir(ROOT)
    result = run_cli(*command.split()[1:])
    assert result.stdout == sample


def test_readme_set_up_commands_are_the_ones_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install -e '.[dev]' && pytest" in readme
    assert "pip install -q -e '.[dev]'" in ci and "\npytest\n" in ci


def test_readme_review_timeline_is_what_review_prints(
    run_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (ROOT / "README.md").read_text()
    command, sample = re.search(
        r"\n(matland review examples/[^\n]+)\n```\n\n```text\n\$ \(the timeline[^\n]*\n(.*?)```",
        readme,
        re.S,
    ).groups()  # type: ignore[union-attr]
    monkeypatch.chdir(ROOT)
    result = run_cli(*command.split()[1:])
    assert result.exit_code == 0
    assert sample in result.stdout
