"""One measure for text on a terminal, and the helpers that keep every text output within it.

The width is the terminal's: `COLUMNS` when set (as shells and `watch` set it), else the
size of the terminal standard output is, else 80 (a pipe, a file, a CI log). Prose is wrapped
to at most 100 columns even on a wide terminal, as a paragraph is read, and never to fewer
than 60, the width of Matland's matrix; tables may use the terminal's whole width.

Lines that tools read, one finding a line (`path:line:col: …`), are never wrapped: editors
and CI problem matchers take a finding from one line.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence

from matland.core.words import flat
from matland.render import line_start, printable

NARROWEST, WIDEST_PROSE = 60, 100
WHEN_NOT_A_TERMINAL = 80


def columns(text: str) -> int:
    """The columns a text takes on a terminal: a wide (CJK) character two, a combining mark
    none."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def clip(text: str, width: int) -> str:
    """The text cut to `width` columns, an ellipsis where it was cut."""
    if columns(text) <= width:
        return text
    kept, used = [], 1
    for char in text:
        used += columns(char)
        if used > width:
            break
        kept.append(char)
    return "".join(kept) + "…"


def terminal_width() -> int:
    """The columns there are to write in: `COLUMNS`, the terminal's, or 80."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return max(int(columns), NARROWEST)
    try:
        return max(os.get_terminal_size(1).columns, NARROWEST)
    except OSError:  # not a terminal
        return WHEN_NOT_A_TERMINAL


def width() -> int:
    """The width prose is wrapped to."""
    return min(terminal_width(), WIDEST_PROSE)


def table_width() -> int:
    """The width a table may take."""
    return terminal_width()


def prose(text: str) -> str:
    """Text read as prose (a summary, a reason, a note): its line breaks and runs of spaces
    as one space, as a paragraph reads, and on one line of output."""
    return printable(flat(text))


def hanging(text: str, first: str, rest: str | None = None, at: int | None = None) -> list[str]:
    """Text wrapped under a first-line prefix (a bullet, a number), later lines aligned:
    between words only (a rule id such as no-review-points, a path, stays whole), a wide
    character counted as the two columns it takes."""
    limit = at or width()
    rest = " " * len(first) if rest is None else rest
    lines: list[str] = []
    line = ""
    for word in prose(text).split():
        if not line:
            line = (rest if lines else first) + _starting(word, rest if lines else first)
        elif columns(line) + 1 + columns(word) <= limit:
            line += " " + word
        else:
            lines.append(line)
            line = rest + _starting(word, rest)
    return [*lines, line] if line else lines


def _starting(word: str, indent: str) -> str:
    """A word that starts a line: one that would start a workflow command, escaped (when
    only blanks come before it on the line)."""
    return line_start(word) if not indent.strip() else word


def fit(text: str, first: str = "", rest: str | None = None) -> list[str]:
    """A line kept as written (its alignment, its runs of spaces) when it fits the width;
    else wrapped under `first`, later lines indented by `rest` (or as far as `first`)."""
    line = first + (line_start(text) if not first.strip() else text)
    return [line] if columns(line) <= width() else hanging(text, first, rest)


def wrap(text: str, indent: str = "  ") -> list[str]:
    """A paragraph, each line indented alike (one blank-ish line for an empty text)."""
    return hanging(text, indent, indent) or [indent.rstrip()]


def heading(text: str) -> list[str]:
    """A section heading, underlined, after a blank line."""
    return ["", *titled(text, "─")]


def titled(text: str, rule: str = "═") -> list[str]:
    """A title, wrapped to the width, underlined as wide as its widest line."""
    lines = hanging(text, "", "") or [""]
    return [*lines, rule * max(columns(line) for line in lines)]


def divider(char: str = "═") -> str:
    """A line across the prose width, between parts of one output."""
    return char * width()


def cell_lines(text: str, room: int) -> str:
    """A table cell wrapped between words to `room` columns, its lines joined by newlines."""
    return "\n".join(hanging(text, "", "", at=room)) or text


def grid(
    rows: Sequence[Sequence[str]],
    headers: Sequence[str],
    colalign: Sequence[str] | None = None,
    widths: Sequence[int] | None = None,
) -> list[str]:
    """A table: each column as wide as its widest line (or `widths`), two spaces apart, the
    headers over a rule of dashes; a cell of several lines (newlines) makes its row as tall."""
    align = colalign or ["left"] * len(headers)
    cells = [[str(cell).split("\n") for cell in row] for row in rows]
    if widths is None:
        widths = [
            max([columns(headers[i])] + [columns(line) for row in cells for line in row[i]])
            for i in range(len(headers))
        ]
    lines = [row_line(headers, widths, align), row_line(["-" * w for w in widths], widths, align)]
    for row in cells:
        for depth in range(max(len(cell) for cell in row)):
            parts = [cell[depth] if depth < len(cell) else "" for cell in row]
            lines.append(row_line(parts, widths, align))
    return lines


def row_line(cells: Sequence[str], widths: Sequence[int], align: Sequence[str]) -> str:
    """One line of a table."""
    return "  ".join(
        _pad(cell, width, how) for cell, width, how in zip(cells, widths, align, strict=True)
    ).rstrip()


def _pad(cell: str, width: int, how: str) -> str:
    room = max(width - columns(cell), 0)
    if how == "right":
        return " " * room + cell
    if how == "center":
        return " " * (room // 2) + cell + " " * (room - room // 2)
    return cell + " " * room


def fitted(
    rows: Sequence[Sequence[str]],
    headers: Sequence[str],
    *,
    wrapped: int,
    indent: str = "  ",
    colalign: Sequence[str] | None = None,
    narrowest: int | None = None,
) -> list[str] | None:
    """A table within the width, its column `wrapped` wrapped between words to the room the
    other columns leave; None when that room is under `narrowest` (by default the column's
    longest word), and the caller then lays the rows out another way."""
    room = _room(rows, headers, wrapped, indent)
    if room < (_longest_word(rows, headers, wrapped) if narrowest is None else narrowest):
        return None
    return _drawn(rows, headers, wrapped, room, indent, colalign)


def table(
    rows: Sequence[Sequence[str]],
    headers: Sequence[str],
    *,
    wrapped: int,
    indent: str = "  ",
    colalign: Sequence[str] | None = None,
) -> list[str]:
    """A table within the width, its column `wrapped` wrapped between words; on a terminal
    narrower than the other columns, that column as narrow as its longest word and the
    others overflow rather than be cut."""
    room = max(_room(rows, headers, wrapped, indent), _longest_word(rows, headers, wrapped))
    return _drawn(rows, headers, wrapped, room, indent, colalign)


def _room(rows: Sequence[Sequence[str]], headers: Sequence[str], wrapped: int, indent: str) -> int:
    """The columns the other columns leave for the wrapped one."""
    fixed = sum(
        max([columns(headers[i])] + [columns(line) for row in rows for line in row[i].split("\n")])
        for i in range(len(headers))
        if i != wrapped
    )
    return table_width() - len(indent) - fixed - 2 * (len(headers) - 1)


def _longest_word(rows: Sequence[Sequence[str]], headers: Sequence[str], column: int) -> int:
    words = [word for row in rows for word in row[column].split()] + [headers[column]]
    return max(columns(word) for word in words)


def _drawn(
    rows: Sequence[Sequence[str]],
    headers: Sequence[str],
    wrapped: int,
    room: int,
    indent: str,
    colalign: Sequence[str] | None,
) -> list[str]:
    laid = [
        [cell_lines(cell, room) if i == wrapped else cell for i, cell in enumerate(row)]
        for row in rows
    ]
    return [(indent + line).rstrip() for line in grid(laid, headers, colalign)]
