"""`--format text` check table, streamed: the rows wait while the widths are measured, then
come out as one table that fits the terminal (titles clipped to make room) or, when it
cannot fit, as a block a file; either way within the width and every file in it."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from matland.core.knowledge import Knowledge
from matland.render import RenderOptions, printable, prose, text
from matland.render.data import count_findings
from matland.render.stream import Piece

# Cells as `piece` makes them (printable: no line break or control character reaches a cell):
# wide and accented characters, escapes, spaces, numbers.
ATOMS = ["x", "é", "漢", " ", "\t", "\n", "\x1b[31m", "-", "1", ".", "e"]
CELL = st.lists(st.sampled_from(ATOMS), max_size=12).map(lambda s: printable("".join(s)))
ROW = st.lists(CELL, min_size=len(text.CHECK_HEADERS), max_size=len(text.CHECK_HEADERS))


def streamed(rows: list[list[str]], knowledge: Knowledge) -> list[str]:
    assembly = text.Assembly(RenderOptions(knowledge))
    for row in rows:
        assembly.add(Piece("p.yaml", True, count_findings([]), 0, "", tuple(row)))
    output = "".join(assembly.end())
    summary = f"\n\n{len(rows)} file(s): {len(rows)} valid, 0 invalid; findings: none\n"
    assert output.endswith(summary)
    return output.removesuffix(summary).split("\n")


@given(rows=st.lists(ROW, min_size=1, max_size=9), width=st.integers(60, 240))
@example(rows=[["漢" * 30, "t", "1", "2", "p", "c", "none"]], width=60)
def test_the_table_or_its_blocks_fit_the_terminal_and_hold_every_file(
    rows: list[list[str]], width: int, knowledge: Knowledge
) -> None:
    rows = [["p" + r[0].strip(), *r[1:]] for r in rows]  # a path starts at the margin
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COLUMNS", str(width))
        lines = streamed(rows, knowledge)
    paths = {r[0] for r in rows}
    # within the width, but for a path too long for it on a line of its own
    assert all(prose.columns(line) <= width or line in paths for line in lines), lines
    if lines[0].startswith("file"):  # the table: a header, its rule, one line a file
        assert len(lines) == len(rows) + 2
        assert all(line.startswith(r[0]) for line, r in zip(lines[2:], rows, strict=True))
    else:  # blocks: each starts at the margin with the file's path
        starts = [line for line in lines if line and not line.startswith(" ")]
        assert len(starts) == len(rows)
        assert all(line.startswith(r[0]) for line, r in zip(starts, rows, strict=True))


def row(path: str, title: str) -> list[str]:
    return [path, title, "75", "25", "experimental (+ political)", "high", "2 medium"]


def test_a_wide_terminal_gets_the_table_with_titles_in_full(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    lines = streamed([row("a.yaml", "A short title"), row("long/path/b.yaml", "B")], knowledge)
    assert lines[0].split() == list(text.CHECK_HEADERS)
    # the first file's row is laid out for the longer path of the second
    assert lines[2].index("A short") == lines[3].index("B  ") == len("long/path/b.yaml  ")
    assert lines[1].startswith("-" * len("long/path/b.yaml") + "  ")


def test_a_title_is_clipped_to_make_the_table_fit(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    title = "A title long enough to push the table past the width of the terminal"
    lines = streamed([row("a.yaml", title)], knowledge)
    assert lines[0].startswith("file")
    clipped = lines[2].split("  ")[1]
    assert clipped.endswith("…") and title.startswith(clipped[:-1])
    assert max(map(len, lines)) == 120  # clipped no further than the width asks
    # a terminal where the title would be cut short gets blocks, which show it whole
    monkeypatch.setenv("COLUMNS", "100")
    lines = streamed([row("a.yaml", title)], knowledge)
    assert lines[0] == f"a.yaml  {title}"


def test_a_narrow_terminal_gets_a_block_a_file(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    lines = streamed([row("examples/care-act-2014.yaml", "Care Act 2014")], knowledge)
    assert lines == [
        "examples/care-act-2014.yaml  Care Act 2014",
        "  experimental (+ political), confidence high; ambiguity 75,",
        "    conflict 25",
        "  findings: 2 medium",
    ]


def test_the_width_is_columns_else_the_terminal_else_80(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "132")
    assert prose.terminal_width() == 132 and prose.width() == prose.WIDEST_PROSE
    monkeypatch.setenv("COLUMNS", "20")  # narrower than the matrix: the matrix's width
    assert prose.terminal_width() == prose.NARROWEST
    monkeypatch.delenv("COLUMNS")  # pytest's captured standard output is not a terminal
    assert prose.terminal_width() == 80


def test_wide_characters_take_two_columns_and_clip_by_columns() -> None:
    assert prose.columns("漢字ab") == 6 and prose.columns("e\u0301") == 1
    assert prose.clip("漢字漢字", 5) == "漢字…" and prose.columns(prose.clip("漢字漢字", 5)) == 5
    assert prose.clip("short", 5) == "short"


@pytest.mark.parametrize("first", ["- ", "      Source (a wide first prefix): "])
@pytest.mark.parametrize("rest", ["  ", " " * 30])
@pytest.mark.parametrize("lead", ["", "a word "])
def test_cjk_text_is_cut_to_fit_each_line_whatever_its_prefixes(
    first: str, rest: str, lead: str
) -> None:
    cjk = "政策执行的模糊冲突模型在中国城市垃圾分类中的应用研究与实践分析报告" * 3
    lines = prose.hanging(lead + cjk, first, rest, at=40)
    assert max(prose.columns(line) for line in lines) <= 40
    assert lines[0].startswith(first) and all(line.startswith(rest) for line in lines[1:])
    assert "".join(line[len(rest) :] for line in lines[1:]).endswith(cjk[-5:])
    assert "".join(lines).replace(" ", "").endswith(cjk)


def test_a_fitted_table_wraps_its_column_within_the_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    note = "a note long enough to need three or four lines in a sixty-column terminal"
    lines = prose.fitted([["goal_ambiguity", "4", note]], ("item", "answer", "note"), wrapped=2)
    assert lines is not None and len(lines) > 3
    assert max(map(len, lines)) <= 60
    assert " ".join(line[lines[0].index("note") :] for line in lines[2:]).split() == note.split()
    # no room for the note beside a forty-character item: the caller lays it out otherwise
    assert prose.fitted([["x" * 40, "4", note]], ("item", "answer", "note"), wrapped=2) is None
