"""Bad input, as a user would hand it over: every case exits 2 with a positioned message.

The corpus is tests/data/bad/*.yaml, one bad proposal per file. Each starts with one line

    # expect: RULE_ID LINE:COL TEXT

meaning: `matland check FILE` reports an error with that rule id at that position whose
message or hint (what the user reads) contains TEXT. Adding a case is adding a file.
Inputs a file cannot hold (no bytes, bad bytes, stdin, directories ...) are tested below.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from matland.cli.main import cli

ROOT = Path(__file__).parents[2]
CORPUS = ROOT / "tests" / "data" / "bad"
EXAMPLES = ROOT / "examples"
CASES = sorted(CORPUS.glob("*.yaml"))
EXPECT = re.compile(
    r"^# expect: (?P<rule>[a-z][a-z0-9-]*) (?P<line>[0-9]+):(?P<column>[0-9]+) (?P<text>\S.*)$"
)
VALID = "matland: 1\npolicy:\n  title: T\nanswers:\n  goal_ambiguity: 4\n"
INVALID = "matland: 1\npolicy:\n  title: T\nanswers:\n  goal_ambiguity: 7\n"


@dataclass(frozen=True)
class Expectation:
    rule: str
    line: int
    column: int
    text: str


def expectation(case: Path) -> Expectation:
    first = case.read_text(encoding="utf-8").splitlines()[0]
    match = EXPECT.match(first)
    assert match, f"{case.name}: first line must be `# expect: RULE_ID LINE:COL TEXT`"
    return Expectation(
        match["rule"], int(match["line"]), int(match["column"]), match["text"].rstrip()
    )


# Run from an empty directory, so no project config changes what these tests see.
pytestmark = pytest.mark.usefixtures("outside_the_project")


def invoke(*args: str, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def check_json(*args: str, input: str | bytes | None = None) -> tuple[Result, dict[str, Any]]:
    result = invoke("check", *args, "--format", "json", "--fail-on", "never", input=input)
    assert "Traceback" not in result.output
    return result, json.loads(result.stdout)


def said(error: dict[str, Any]) -> str:
    """What the user reads about one error: the message and the hint."""
    return f"{error['message']} {error.get('hint', '')}"


def shown(errors: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{e['line']}:{e['column']} {e['rule_id']} {e['message']} ({e.get('hint', '')})"
        for e in errors
    )


# ---------------------------------------------------------------- the corpus


def test_corpus_covers_the_cases() -> None:
    assert len(CASES) >= 40
    for case in CASES:
        expectation(case)  # each file states a well-formed expectation
        lines = case.read_text(encoding="utf-8").splitlines()
        assert sum(line.startswith("# expect:") for line in lines) == 1, case.name


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.stem)
def test_bad_file_is_reported_in_json(case: Path) -> None:
    want = expectation(case)
    result, document = check_json(str(case))
    assert result.exit_code == 2, result.output
    assert len(document["files"]) == 1
    file = document["files"][0]
    assert file["valid"] is False
    assert document["summary"]["invalid"] == 1
    matching = [
        e
        for e in file["errors"]
        if e["rule_id"] == want.rule
        and (e["line"], e["column"]) == (want.line, want.column)
        and want.text in said(e)
    ]
    assert matching, f"wanted {want}, got:\n{shown(file['errors'])}"
    assert all(e["severity"] == "error" for e in file["errors"])


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.stem)
def test_bad_file_is_reported_in_text(case: Path) -> None:
    want = expectation(case)
    result = invoke("check", str(case), "--format", "text")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert str(case) in result.output
    assert f"{want.line}:{want.column}" in result.output
    assert want.rule in result.output


def test_whole_corpus_in_one_run_reports_every_file() -> None:
    result, document = check_json(str(CORPUS))
    assert result.exit_code == 2
    assert document["summary"]["files"] == len(CASES)
    assert document["summary"]["invalid"] == len(CASES)
    assert sorted(Path(f["path"]).name for f in document["files"]) == [c.name for c in CASES]


# ---------------------------------------------------------------- what a file cannot hold


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_bytes(b"")
    result, document = check_json(str(empty))
    assert result.exit_code == 2
    (error,) = document["files"][0]["errors"]
    assert (error["line"], error["column"]) == (1, 1)
    assert "empty" in error["message"]
    assert error.get("hint")


def test_bytes_that_are_not_utf8_are_named_by_line(tmp_path: Path) -> None:
    latin = tmp_path / "latin1.yaml"
    latin.write_bytes(b"matland: 1\npolicy:\n  title: caf\xe9\n")
    result, document = check_json(str(latin))
    assert result.exit_code == 2
    (error,) = document["files"][0]["errors"]
    assert (error["line"], error["column"]) == (3, 13)
    assert "0xe9" in error["message"] and "UTF-8" in error["message"]
    assert "UTF-8" in error["hint"]
    text = invoke("check", str(latin), "--format", "text")
    assert text.exit_code == 2 and "3:13" in text.output


def test_utf8_bom_is_accepted_and_does_not_shift_positions(tmp_path: Path) -> None:
    good = tmp_path / "bom.yaml"
    good.write_bytes(b"\xef\xbb\xbf" + VALID.encode())
    result, document = check_json(str(good))
    assert result.exit_code == 0, result.output
    assert document["files"][0]["valid"] is True
    bad = tmp_path / "bom-bad.yaml"
    bad.write_bytes(b"\xef\xbb\xbf" + INVALID.encode())
    result, document = check_json(str(bad))
    assert result.exit_code == 2
    (error,) = document["files"][0]["errors"]
    assert (error["rule_id"], error["line"], error["column"]) == ("invalid-answer", 5, 19)


def test_file_over_the_size_cap_is_refused_unread() -> None:
    care = EXAMPLES / "care-act-2014.yaml"
    result, document = check_json(str(care), "--max-bytes", "100")
    assert result.exit_code == 2
    (error,) = document["files"][0]["errors"]
    assert "100-byte limit" in error["message"]
    assert "--max-bytes" in error["hint"]
    assert check_json(str(care))[0].exit_code == 0  # the default cap admits it


def test_stdin_over_the_size_cap_is_refused() -> None:
    result, document = check_json("-", "--max-bytes", "100", input=VALID + "#" * 200 + "\n")
    assert result.exit_code == 2
    assert document["files"][0]["valid"] is False


@pytest.mark.parametrize("over", [0, 1, 2])
def test_stdin_of_multibyte_characters_is_measured_in_bytes(over: int) -> None:
    """The cut at the limit falls inside a character (`é` is two bytes, `漢` three): that is
    "over the limit", not invalid UTF-8 at a column; input of as many characters as the limit
    but more bytes is over it too, not passed cut short."""
    comment = "# " + "é漢" * 40 + "\n"
    text = VALID + comment * 10
    size = len(text.encode())
    assert len(text) < size - 200
    result, document = check_json("-", "--max-bytes", str(size - over), input=text)
    errors = document["files"][0]["errors"]
    if over == 0:
        assert result.exit_code == 0 and not errors, result.output
        return
    assert result.exit_code == 2
    assert [(e["rule_id"], e["line"], e["column"]) for e in errors] == [("too-large", 1, 1)]
    assert f"{size - over:,}-byte limit" in errors[0]["message"]


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file regardless"
)
def test_unreadable_file(tmp_path: Path) -> None:
    locked = tmp_path / "locked.yaml"
    locked.write_text(VALID)
    locked.chmod(0)
    try:
        result, document = check_json(str(locked))
    finally:
        locked.chmod(0o600)
    assert result.exit_code == 2
    (error,) = document["files"][0]["errors"]
    assert "cannot read" in error["message"] and "permission" in error["hint"]


def test_directory_given_to_report() -> None:
    result = invoke("report", str(EXAMPLES))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert str(EXAMPLES) in result.output
    assert "give one proposal file" in result.output


def test_nonexistent_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result, document = check_json(str(missing))
    assert result.exit_code == 2
    (error,) = document["files"][0]["errors"]
    assert error["rule_id"] == "no-such-file"
    assert "no such file" in error["message"]
    report = invoke("report", str(missing))
    assert report.exit_code == 2
    assert "Traceback" not in report.output and str(missing) in report.output


def test_symlink_loop_in_a_directory_terminates_and_the_rest_is_checked(tmp_path: Path) -> None:
    top = tmp_path / "proposals"
    sub = top / "sub"
    sub.mkdir(parents=True)
    (top / "good.yaml").write_text((EXAMPLES / "care-act-2014.yaml").read_text())
    (sub / "bad.yaml").write_text(INVALID)
    (sub / "up").symlink_to("..", target_is_directory=True)
    (sub / "self").symlink_to(".", target_is_directory=True)
    result, document = check_json(str(top))
    assert result.exit_code == 2
    by_name = {Path(f["path"]).name: f for f in document["files"]}
    assert sorted(Path(f["path"]).name for f in document["files"]) == ["bad.yaml", "good.yaml"]
    assert by_name["good.yaml"]["valid"] is True
    assert by_name["good.yaml"]["paradigm"] == "experimental"
    assert by_name["bad.yaml"]["valid"] is False


def test_stdin_valid_proposal_exits_0() -> None:
    result, document = check_json("-", input=VALID)
    assert result.exit_code == 0, result.output
    assert document["files"][0]["valid"] is True


def test_stdin_invalid_proposal_exits_2_naming_stdin() -> None:
    result, document = check_json("-", input=INVALID)
    assert result.exit_code == 2
    (error,) = document["files"][0]["errors"]
    assert error["path"] in ("-", "<stdin>")
    assert (error["line"], error["column"]) == (5, 19)
    text = invoke("check", "-", "--format", "text", input=INVALID)
    assert text.exit_code == 2
    assert "5:19" in text.output


def test_stdin_bytes_that_are_not_utf8() -> None:
    result, document = check_json("-", input=b"matland: 1\npolicy:\n  title: caf\xe9\n")
    assert result.exit_code == 2
    (error,) = document["files"][0]["errors"]
    assert error["path"] in ("-", "<stdin>")
    assert (error["line"], error["column"]) == (3, 13)


def test_directory_mixing_good_and_bad_files(tmp_path: Path) -> None:
    for example in sorted(EXAMPLES.glob("*.yaml"))[:2]:
        (tmp_path / example.name).write_text(example.read_text())
    chosen = ["duplicate-answer.yaml", "unknown-question.yaml", "python-tag.yaml"]
    for name in chosen:
        (tmp_path / name).write_text((CORPUS / name).read_text())
    (tmp_path / "notes.txt").write_text("not a proposal, not a .yaml file")
    result, document = check_json(str(tmp_path))
    assert result.exit_code == 2
    assert document["summary"]["files"] == 5
    assert document["summary"]["valid"] == 2 and document["summary"]["invalid"] == 3
    for file in document["files"]:
        name = Path(file["path"]).name
        assert file["valid"] is (name not in chosen), name
        if name in chosen:
            want = expectation(CORPUS / name)
            assert any(
                (e["line"], e["column"], e["rule_id"]) == (want.line, want.column, want.rule)
                for e in file["errors"]
            )
        else:
            assert file["paradigm"]


def test_object_constructing_tags_run_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []

    def system(*args: object) -> int:
        calls.append(args)
        return 0

    monkeypatch.setattr(os, "system", system)
    marker = tmp_path / "ran"
    evil = tmp_path / "evil.yaml"
    evil.write_text(
        "matland: 1\npolicy:\n  title: T\n"
        f'answers:\n  goal_ambiguity: !!python/object/apply:os.system ["touch {marker}"]\n'
        f'  stakes: !!python/object/new:subprocess.Popen [["touch", "{marker}"]]\n'
    )
    result, document = check_json(str(evil))
    assert result.exit_code == 2
    assert document["files"][0]["errors"][0]["rule_id"] == "yaml-syntax"
    assert calls == [] and not marker.exists()


# ------------------------------------------------------------------ the environment


CARE = Path(__file__).parents[2] / "examples" / "care-act-2014.yaml"


def _matland(*args: str, **streams: Any) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "matland", *args]
    return subprocess.run(command, text=True, timeout=60, check=False, **streams)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("command", ["check", "report"])
def test_a_full_disk_is_said_plainly_not_called_a_bug(command: str) -> None:
    with open("/dev/full", "w") as full:
        result = _matland(command, str(CARE), stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == 2
    assert "No space left on device" in result.stderr and "bug" not in result.stderr


@pytest.mark.skipif(os.name != "posix", reason="closing descriptors: POSIX")
def test_closed_standard_streams_are_not_a_crash() -> None:
    closed_out = _matland(
        "check", str(CARE), stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1)
    )
    assert closed_out.returncode == 0 and "bug" not in closed_out.stderr
    closed_in = _matland("check", "-", capture_output=True, preexec_fn=lambda: os.close(0))
    assert closed_in.returncode == 2
    assert "<stdin>:1:1: error [unreadable] standard input is closed" in closed_in.stdout


class _Panic(BaseException):
    """Like pyo3's PanicException: a BaseException that is neither exit nor interrupt."""


def test_any_escaping_base_exception_is_one_line_and_exit_3(
    run_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    import matland.core.assessment as assessment

    def panic(*args: object, **kwargs: object) -> None:
        raise _Panic("called `Option::unwrap()` on a `None` value")

    monkeypatch.setattr(assessment, "classify", panic)
    result = run_cli("check", str(EXAMPLES / "care-act-2014.yaml"), "--no-cache")
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1 and "internal error: _Panic" in result.stderr
    assert "Traceback" not in result.stderr
    monkeypatch.setenv("MATLAND_DEBUG", "1")
    debug = run_cli("check", str(EXAMPLES / "care-act-2014.yaml"), "--no-cache")
    assert debug.exit_code == 3 and "Traceback" in debug.stderr
