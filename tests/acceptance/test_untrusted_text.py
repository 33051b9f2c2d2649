"""A proposal in a pull request is untrusted: whatever its titles, notes, reasons and file
names hold, the text and Markdown outputs show it on the line it belongs to. No line of them
starts a GitHub workflow command (`::warning …`, `::stop-commands::`), no escape sequence
reaches the terminal, no table gains a row, no HTML passes into the Markdown page; ordinary
text, accents and all, is shown as written. (github, junit, sarif: their own tests.)"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

Run = Callable[..., Result]

# The reviewer's example: a reason that would print a workflow command on a line of its own,
# then erase and climb back over a line with ANSI escapes.
INJECTED = r"""matland: 1
policy: {title: "T"}
answers:
  funding_gap: {value: 5, note: "n"}
  goal_ambiguity: 3
accepted_risks:
  - id: funding-gap
    reason: "ok\n::warning file=README.md,line=1::injected from reason\n\e[2K\e[1A"
"""
# A title that tries every way off its line: LF, CR, NEL, U+2028, ESC (an OSC sequence, which
# click's ANSI stripping leaves alone), NUL, BEL and a bidi override.
TITLE = r"T\n::error::title\r::add-mask::x\N\L\e]0;owned\a\0\u202Eevil"
TITLED = f"""matland: 1
policy:
  title: "{TITLE}"
  owner: "Team\\n::notice::owner"
  summary: "Says\\n::stop-commands::tok\\e[2J and more"
answers:
  goal_ambiguity: {{value: 2, note: "fine\\n::warning::note\\e[1A"}}
"""
UNICODE_TITLE = "Café naïve — 漢字 👩‍👩‍👧 Ærø"
UNICODE_NOTE = "Funding confirmed (2024), see §3; ça marche"
UNICODE = f"""matland: 1
policy: {{title: "{UNICODE_TITLE}", owner: "Jürgen Ødegård"}}
answers:
  goal_ambiguity: {{value: 2, note: "{UNICODE_NOTE}"}}
"""
VIEWS = [
    ("check", "text"),
    ("check", "markdown"),
    ("report", "text"),
    ("report", "markdown"),
]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()  # no outer config is found
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(run_cli: Run, command: str, fmt: str, path: str) -> Result:
    extra = ("--fail-on", "never") if command == "check" else ()
    result = run_cli(command, path, "--format", fmt, *extra)
    assert result.exit_code == 0, result.output
    return result


def assert_safe(output: str) -> None:
    for line in output.splitlines():
        assert not line.lstrip().startswith("::"), line
    assert not any(c in output for c in "\x1b\x00\x07\x85\u2028\u202e"), repr(output)
    assert "\r" not in output


def table_rows(output: str) -> list[str]:
    """The rows of a check's table of files, in text (to the first blank line) or Markdown."""
    if output.startswith("## matland check"):
        return output.split("\n\n")[2].splitlines()[2:]
    return output.split("\n\n")[0].splitlines()[2:]


def shown_safely(run_cli: Run, folder: Path, command: str, fmt: str, text: str) -> str:
    """The output for a file holding `text`: safe, and one row in a check's table."""
    (folder / "p.yaml").write_text(text)
    output = run(run_cli, command, fmt, "p.yaml").stdout
    assert_safe(output)
    if command == "check":
        assert len(table_rows(output)) == 1
    return output


@pytest.mark.usefixtures("wide_terminal")
@pytest.mark.parametrize(("command", "fmt"), VIEWS)
def test_an_injected_reason_cannot_start_a_line_or_reach_the_terminal(
    run_cli: Run, folder: Path, command: str, fmt: str
) -> None:
    output = shown_safely(run_cli, folder, command, fmt, INJECTED)
    if fmt == "text":  # the reason is shown (Markdown's views leave it out), escaped
        shown = "ok\\n::warning" if command == "check" else "ok ::warning"
        assert shown in output and "\\x1b[2K\\x1b[1A" in output


@pytest.mark.usefixtures("wide_terminal")
@pytest.mark.parametrize(("command", "fmt"), VIEWS)
def test_a_title_summary_and_note_stay_on_their_lines(
    run_cli: Run, folder: Path, command: str, fmt: str
) -> None:
    output = shown_safely(run_cli, folder, command, fmt, TITLED)
    if (command, fmt) != ("check", "text"):  # where the title is not clipped
        osc = "\\x1b]0;owned" if fmt == "text" else "\\x1b\\]0;owned"  # Markdown: no link
        assert osc + "\\x07\\x00\\u202eevil" in output
    if (command, fmt) == ("report", "text"):
        title, underline = output.splitlines()[:2]
        assert title.startswith("T\\n::error::title\\r::add-mask::x\\x85\\u2028")
        assert underline == "═" * len(title)


@pytest.mark.usefixtures("wide_terminal")
def test_the_check_table_keeps_one_row_a_file(run_cli: Run, folder: Path) -> None:
    for n in range(3):
        (folder / f"p{n}.yaml").write_text(TITLED.replace('title: "T', f'title: "{n}'))
    output = run(run_cli, "check", "text", ".").stdout
    assert_safe(output)
    assert len(table_rows(output)) == 3


def test_the_invalid_files_findings_quote_their_values_escaped(run_cli: Run, folder: Path) -> None:
    (folder / "bad.yaml").write_text(
        'matland: 1\npolicy: {title: T}\n"x\\n::error::key\\e[2K": 1\n'
    )
    # Markdown, where a line break inside a paragraph or a cell reads as a space, folds it
    for fmt, shown, bracket in (("text", "'x\\n::error", "["), ("markdown", "'x ::error", "\\[")):
        result = run_cli("check", "bad.yaml", "--format", fmt)
        assert result.exit_code == 2
        assert_safe(result.stdout)
        assert f"unknown key {shown}::key\\x1b{bracket}2K'" in result.stdout
    report = run_cli("report", "bad.yaml")  # the findings go to stderr, one line each
    assert report.exit_code == 2
    assert_safe(report.stderr)
    assert report.stderr.count("\n") == 1


def test_markdown_fences_a_file_name_with_back_ticks(run_cli: Run, folder: Path) -> None:
    names = ["we`ird.yaml", "`edge``.yaml"]
    for name in names:
        (folder / name).write_text(UNICODE)
    output = run_cli("check", *names, "--format", "markdown").stdout
    assert "| ``we`ird.yaml`` |" in output
    assert "| ``` `edge``.yaml ``` |" in output  # the space either side is not shown
    assert len(table_rows(output)) == 2


def test_markdown_shows_html_in_a_title_as_text(run_cli: Run, folder: Path) -> None:
    title = "<script>alert(1)</script> & <a href='https://x.test'>link</a> | <https://x.test>"
    (folder / "p.yaml").write_text(UNICODE.replace(UNICODE_TITLE, title))
    for command in ("check", "report"):
        output = run(run_cli, command, "markdown", "p.yaml").stdout
        assert "<script>" not in output and "<a " not in output and "<https:" not in output
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;a href='https://x.test'&gt;" in (
            output
        )
    check = run(run_cli, "check", "markdown", "p.yaml").stdout
    assert len(table_rows(check)) == 1 and "&gt; \\| &lt;https" in check


def test_a_markdown_summary_cannot_open_a_block(run_cli: Run, folder: Path) -> None:
    (folder / "p.yaml").write_text(UNICODE.replace("owner:", 'summary: "# Approved",  owner:'))
    output = run(run_cli, "report", "markdown", "p.yaml").stdout
    assert "\n\\# Approved\n" in output


@pytest.mark.parametrize(("command", "fmt"), VIEWS)
def test_ordinary_text_is_shown_as_written(
    run_cli: Run, folder: Path, command: str, fmt: str
) -> None:
    (folder / "p.yaml").write_text(UNICODE)
    output = run(run_cli, command, fmt, "p.yaml").stdout
    assert UNICODE_TITLE in output
    if command == "report":
        assert "Jürgen Ødegård" in output and UNICODE_NOTE in output


def test_json_keeps_the_users_exact_text(run_cli: Run, folder: Path) -> None:
    (folder / "inj.yaml").write_text(INJECTED)
    data = json.loads(run(run_cli, "check", "json", "inj.yaml").stdout)
    accepted = [f["accepted"] for f in data["files"][0]["findings"] if "accepted" in f]
    assert accepted == ["ok\n::warning file=README.md,line=1::injected from reason\n\x1b[2K\x1b[1A"]


@pytest.mark.usefixtures("wide_terminal")
@pytest.mark.parametrize("command", ["explain", "levers", "precedents"])
def test_design_commands_show_the_title_on_its_line(
    run_cli: Run, folder: Path, command: str
) -> None:
    (folder / "p.yaml").write_text(TITLED)
    output = run_cli(command, "p.yaml").stdout
    assert_safe(output)
    title = output.split("\n═")[0]  # the title, wrapped to the prose width, above its rule
    assert "::error::title" in title and not title.startswith("\n")  # escaped, in the title
