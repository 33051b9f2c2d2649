"""U+0085, U+2028 and U+2029 are line breaks to YAML 1.1 (libyaml, PyYAML) and not to
editors, GitHub code scanning or CI tools: every position matland reports counts lines on
LF, CRLF and CR only, as the user's editor does."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from matland.core import yamlparse
from matland.core.yamlpos import YamlProblem, decode, parse

Run = Callable[..., Result]
LOADERS = [yamlparse.LOADER, yamlparse.PurePythonLoader]
BREAKS = ["\x85", "\u2028", "\u2029"]  # NEL, LS, PS
ANSWER = ("answers", "goal_ambiguity")

# `{b}` is the YAML-only break; goal_ambiguity is on the last line, as an editor counts.
PLACES = {
    "quoted": 'matland: 1\npolicy: {title: X, summary: "a{b}b"}\nanswers:\n  goal_ambiguity: 9\n',
    "plain": "matland: 1\npolicy:\n  title: first{b}    second\nanswers:\n  goal_ambiguity: 9\n",
    "block": (
        "matland: 1\npolicy:\n  summary: |\n    first{b}    second\n    third\n"
        "answers:\n  goal_ambiguity: 9\n"
    ),
    "comment": "matland: 1\npolicy: {title: X}\n# pasted{b}\nanswers:\n  goal_ambiguity: 9\n",
}


def last_line(text: str) -> int:
    return len(text.rstrip("\n").split("\n"))


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("char", BREAKS)
@pytest.mark.parametrize("place", PLACES)
def test_positions_after_a_yaml_only_break_are_counted_as_an_editor_counts(
    place: str, char: str, loader: yamlparse.Loader
) -> None:
    text = PLACES[place].replace("{b}", char)
    document = parse(text, loader)
    line = last_line(text)
    assert document.position(ANSWER) == (line, 3)
    assert document.value_position(ANSWER) == (line, 19)
    assert document.exact(ANSWER) == (line, 3)
    assert document.position(("answers",)) == (line - 1, 1)


@pytest.mark.parametrize("loader", LOADERS)
def test_columns_after_a_yaml_only_break_count_from_the_start_of_the_editors_line(
    loader: yamlparse.Loader,
) -> None:
    document = parse('a: 1\nb: {c: "x\u2028y", d: 2}\n', loader)
    assert document.position(("b", "d")) == (2, 15)
    assert document.value_position(("b", "d")) == (2, 18)


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_files_keep_their_positions(newline: str, loader: yamlparse.Loader) -> None:
    text = PLACES["quoted"].replace("{b}", "\u2028").replace("\n", newline)
    assert parse(text, loader).position(ANSWER) == (4, 3)
    assert parse(text.replace("\u2028", ""), loader).position(ANSWER) == (4, 3)


def test_a_bom_is_not_a_column() -> None:
    text = decode(PLACES["quoted"].replace("{b}", "\x85").encode("utf-8-sig"))
    assert parse(text).position(ANSWER) == (4, 3)


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ('a: "\u2028"\nb: !thing 1\n', 2, 4, "tag !thing is not allowed"),
        ('a: "\u2028"\nb: 1\na: 2\n', 3, 1, "duplicate key 'a' (first at line 1)"),
        ('a: "\u2028"\nb: !!int x1\n', 2, 4, "not a valid !!int"),
        ('a: "\u2028"\nb: ' + "1" * 40 + "\n", 2, 4, "too long"),
        ('a: "\u2028"\nb: [1\n', 3, 1, "did not find expected ',' or ']'"),
    ],
)
def test_problems_after_a_yaml_only_break_are_placed_as_an_editor_counts(
    text: str, line: int, column: int, words: str
) -> None:
    with pytest.raises(YamlProblem) as caught:
        parse(text)
    assert words in caught.value.message
    assert (caught.value.line, caught.value.column) == (line, column)


def test_the_start_of_an_unclosed_bracket_is_placed_as_an_editor_counts() -> None:
    with pytest.raises(YamlProblem) as caught:
        parse('a: "\u2028"\nb: [1\n')
    assert "at line 2, column 4" in caught.value.hint


@pytest.mark.parametrize("loader", LOADERS)
def test_a_yaml_only_break_in_a_comment_is_named_at_its_place(loader: yamlparse.Loader) -> None:
    text = (
        "matland: 1\npolicy: {title: X}\n"
        "# comment with NEL \x85 and LS \u2028 here\nanswers:\n  goal_ambiguity: 9\n"
    )
    with pytest.raises(YamlProblem) as caught:
        parse(text, loader)
    problem = caught.value
    assert (problem.rule_id, problem.line, problem.column) == ("yaml-syntax", 3, 20)
    assert "next-line character U+0085 at line 3, column 20" in problem.message
    assert "reads as a line break" in problem.message
    assert problem.hint == "replace it with a space, and the other such character in the file"


@pytest.mark.parametrize("loader", LOADERS)
def test_a_yaml_only_break_that_ends_a_block_scalar_is_named(loader: yamlparse.Loader) -> None:
    text = "policy:\n  summary: |\n    pasted\u2028text\n  title: T\n"
    with pytest.raises(YamlProblem) as caught:
        parse(text, loader)
    problem = caught.value
    assert (problem.line, problem.column) == (3, 11)
    assert "line separator U+2028" in problem.message
    assert problem.hint == "replace it with a space"


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('a: "x\u2028y"\nb: [1\n', 3, 1),  # after a harmless one: placed as an editor counts
        ("a: [1\nb: '\u2029'\n", 2, 2),  # before any (right before the fix too)
    ],
)
def test_a_syntax_error_of_its_own_keeps_its_message(text: str, line: int, column: int) -> None:
    with pytest.raises(YamlProblem) as caught:
        parse(text)
    assert "expected ',' or ']'" in caught.value.message
    assert "U+" not in caught.value.message
    assert (caught.value.line, caught.value.column) == (line, column)


@pytest.mark.parametrize("loader", LOADERS)
def test_a_control_character_is_placed_as_an_editor_counts(loader: yamlparse.Loader) -> None:
    # libyaml says where in UTF-8 bytes; PyYAML's reader refuses it before parsing.
    text = 'a: "é\u2028"\rb: é\x01\r'
    with pytest.raises(YamlProblem) as caught:
        parse(text, loader)
    assert "U+0001" in caught.value.message
    assert (caught.value.line, caught.value.column) == (2, 5)


def test_a_byte_that_is_not_utf8_is_placed_in_characters() -> None:
    with pytest.raises(YamlProblem) as caught:
        decode(b"a: 1\rb: " + "é—".encode() + b"\xff\n")
    assert (caught.value.line, caught.value.column) == (2, 6)


def test_a_document_with_its_own_lines_survives_pickle() -> None:
    document = parse(PLACES["comment"].replace("{b}", "\u2029"))
    copy = pickle.loads(pickle.dumps(document))
    assert copy.position(ANSWER) == (5, 3)


def test_check_reports_the_line_an_editor_shows(tmp_path: Path, run_cli: Run) -> None:
    path = tmp_path / "nel.yaml"
    path.write_bytes(
        b'matland: 1\npolicy: {title: X, summary: "a\xc2\x85b\xe2\x80\xa8c"}\n'
        b"answers:\n  goal_ambiguity: 9\n"
    )
    result = run_cli("check", "--format", "json", str(path))
    assert result.exit_code == 2
    (finding,) = json.loads(result.stdout)["files"][0]["errors"]
    assert (finding["rule_id"], finding["line"], finding["column"]) == ("invalid-answer", 4, 19)
