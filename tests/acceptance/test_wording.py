"""Messages in the user's words: YAML's, not Python's, and no hint that sends them wrong."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

Run = Callable[..., Result]


@pytest.mark.parametrize(
    ("text", "says", "not_said"),
    [
        ("matland: true\npolicy: {title: x}\n", "unknown format version (true)", "True"),
        ("matland: 1\nx-deep: " + "[" * 5000 + "]" * 5000 + "\n", "nesting too deep", "closed"),
        (
            "matland: 1\npolicy: {title: x}\nx-long: [" + "1, " * 100_001 + "1]\n",
            "document expands to over 100,000 nodes",
            "remove the anchors",
        ),
    ],
)
def test_messages_say_what_is_wrong_in_yaml_words(
    run_cli: Run, text: str, says: str, not_said: str
) -> None:
    result = run_cli("check", "-", input=text)
    assert result.exit_code == 2
    assert says in result.stdout and not_said not in result.stdout


def test_standard_input_twice_is_a_usage_error(run_cli: Run) -> None:
    result = run_cli("check", "-", "-", input="")
    assert result.exit_code == 2 and "given more than once" in result.stderr


def test_init_dash_prints_the_template(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("init", "-")
    assert result.exit_code == 0 and result.stdout.startswith("# A matland proposal")
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize(
    "text",
    [
        "matland: 1\npolicy:\n  title: x\nanswers:\n  goal_ambiguity: 2\n   means_ambiguity: 2\n",
        "matland: 1\npolicy:\n  title: Reform: phase 2\n",
    ],
)
def test_a_stray_colon_or_indent_says_what_to_check(run_cli: Run, text: str) -> None:
    result = run_cli("check", "-", input=text)
    assert "mapping values" not in result.stdout  # the parser's words
    assert "check the indentation of this line" in result.stdout
    assert "put a value holding ': ' in quotes" in result.stdout
