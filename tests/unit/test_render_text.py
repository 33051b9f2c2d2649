"""`--format text` check table, streamed: written batch by batch, it is the very table
tabulate makes of all the rows at once, whatever the cells hold."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matland.core.knowledge import Knowledge
from matland.render import RenderOptions, text
from matland.render.data import count_findings
from matland.render.stream import Piece

# Cells that change how tabulate measures and lays out a column: wide and accented
# characters, line breaks (multi-line rows), terminal colour codes, edge whitespace, numbers.
ATOMS = ["x", "é", "漢", " ", "\t", "\n", "\x1b[31m", "\x1b[0m", "-", "1", ".", "e"]
CELL = st.lists(st.sampled_from(ATOMS), max_size=20).map("".join)  # some wider than headers
ROW = st.lists(CELL, min_size=len(text.CHECK_HEADERS), max_size=len(text.CHECK_HEADERS))


def streamed_table(rows: list[list[str]], knowledge: Knowledge) -> str:
    assembly = text.Assembly(RenderOptions(knowledge))
    for row in rows:
        assembly.add(Piece("p.yaml", True, count_findings([]), 0, "", tuple(row)))
    output = "".join(assembly.end())
    summary = f"\n\n{len(rows)} file(s): {len(rows)} valid, 0 invalid; findings: none\n"
    assert output.endswith(summary)
    return output.removesuffix(summary)


@given(rows=st.lists(ROW, max_size=9))
def test_a_table_written_in_batches_is_the_table_of_all_rows(
    rows: list[list[str]], knowledge: Knowledge
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(text, "TABLE_BATCH", 2)
        assert streamed_table(rows, knowledge) == text.check_table(rows)


def test_a_narrow_batch_is_padded_to_the_widest_cell_of_the_run(knowledge: Knowledge) -> None:
    rows = [["a.yaml", "T", "1", "2", "p", "c", "none"]] * 3
    rows.append(["long/path/to/z.yaml", *rows[0][1:]])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(text, "TABLE_BATCH", 3)
        lines = streamed_table(rows, knowledge).split("\n")
    # the first batch's rows are laid out for the long path of the last batch
    assert lines[2].index("T") == lines[-1].index("T") == len("long/path/to/z.yaml  ")
    assert lines[1].startswith("-" * len("long/path/to/z.yaml") + "  ")
