"""One measure for text on a terminal, and the helpers that keep every text output within it.

The width is the terminal's: `COLUMNS` when set (as shells and `watch` set it), else the
size of the terminal standard output is, else 80 (a pipe, a file, a CI log). Prose is wrapped
to at most 100 columns even on a wide terminal, as a paragraph is read, and never to fewer
than 60, the width of Matland's matrix; tables may use the terminal's whole width.

Lines that tools read, one finding a line (`path:line:col: …`), are never wrapped: editors
and CI problem matchers take a finding from one line.
"""

from __future__ import annotations

import contextlib
import os
import unicodedata
from collections.abc import Iterator, Sequence

from matland.core.words import flat
from matland.render import line_start, printable

NARROWEST, WIDEST_PROSE = 60, 100
LONGEST_WORD = 24  # a table cell's words are cut beyond this, to keep the table in the width
_GLUE = "\ue000"  # a private-use character: a space no line breaks at, while wrapping
WHEN_NOT_A_TERMINAL = 80


def columns(text: str) -> int:
    """The columns a text takes on a terminal: a wide (CJK, emoji) character two; a combining
    mark, a format character (a zero-width joiner) and what a joiner joins, none."""
    if text.isascii():
        return len(text)
    total, joined = 0, False
    for c in text:
        if joined or unicodedata.category(c) in ("Mn", "Me", "Cf"):
            joined = c == "\u200d"
            continue
        total += 2 if unicodedata.east_asian_width(c) in "WF" else 1
    return total


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


FILE_COLUMNS = 80  # an --output file's text, read in an editor or a CI artifact
_fixed: list[int] = []  # the columns set by `laid_out_for`, innermost last


@contextlib.contextmanager
def laid_out_for(columns: int | None) -> Iterator[None]:
    """Text rendered inside is laid out for `columns` (None: the terminal's): an --output
    file is laid out for FILE_COLUMNS whatever the terminal it was made in."""
    if columns is None:
        yield
        return
    _fixed.append(columns)
    try:
        yield
    finally:
        _fixed.pop()


def terminal_width() -> int:
    """The columns there are to write in: `laid_out_for`'s, `COLUMNS`, the terminal's, or
    80."""
    if _fixed:
        return _fixed[-1]
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


def hanging(
    text: str, first: str, rest: str | None = None, at: int | None = None, cut: bool = False
) -> list[str]:
    """Text wrapped under a first-line prefix (a bullet, a number), later lines aligned:
    between words (a rule id such as no-review-points, a path, stays whole; `glued` words
    stay together), a wide character counted as the two columns it takes. A word wider than
    a whole line is cut where it must when it is CJK (written without spaces), or any word
    with `cut` (a table cell's long URL)."""
    limit = at or width()
    rest = " " * len(first) if rest is None else rest
    lines: list[str] = []
    line = ""
    words = _GLUE.join(prose(part) for part in text.split(_GLUE)).split()  # glue kept
    for whole in words:
        for word in _pieces(whole, limit, rest if line else first, rest, cut):
            if not line:
                line = (rest if lines else first) + word
            elif columns(line) + 1 + columns(word) <= limit:
                line += " " + word
            else:
                lines.append(line)
                line = rest + word
    done = [*lines, line] if line else lines
    return [line_start(line.replace(_GLUE, " ")) for line in done]


def glued(text: str) -> str:
    """Words that wrapping keeps on one line (a label and its value: `conflict 25`)."""
    return text.replace(" ", _GLUE)


def _pieces(word: str, limit: int, first: str, rest: str, cut: bool) -> list[str]:
    """A word as it fits on lines `limit` wide: whole, or cut into pieces (a word of wide
    characters, or any with `cut`), the first piece sized for a line after `first` (the
    prefix of the line it opens), the others for lines after `rest`."""
    room = max(limit - columns(rest), 1)
    wide = columns(word)
    if wide <= min(room, limit - columns(first)) or not (cut or wide > len(word)):
        return [word]
    pieces: list[str] = []
    piece = ""
    for char in word:
        if piece and columns(piece + char) > (room if pieces else max(limit - columns(first), 1)):
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece]


def fit(text: str, first: str = "", rest: str | None = None) -> list[str]:
    """A line kept as written (its alignment, its runs of spaces) when it fits the width;
    else wrapped under `first`, later lines indented by `rest` (or as far as `first`)."""
    line = line_start((first + text).replace(_GLUE, " "))
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
    """A table cell wrapped between words to `room` columns, its lines joined by newlines
    (`glued` words stay together)."""
    lines = hanging(text, "", "", at=room, cut=True)
    return "\n".join(lines) or text


def grid(
    rows: Sequence[Sequence[str]],
    headers: Sequence[str] | None,
    colalign: Sequence[str] | None = None,
    widths: Sequence[int] | None = None,
) -> list[str]:
    """A table: each column as wide as its widest line (or `widths`), two spaces apart, the
    headers (if any) over a rule of dashes; a cell of several lines (newlines) makes its
    row as tall."""
    count = len(headers) if headers is not None else len(rows[0]) if rows else 0
    align = colalign or ["left"] * count
    cells = [[str(cell).split("\n") for cell in row] for row in rows]
    if widths is None:
        widths = [
            max(
                [columns(headers[i]) if headers else 0]
                + [columns(line) for row in cells for line in row[i]]
            )
            for i in range(count)
        ]
    lines = []
    if headers is not None:
        lines += [
            row_line(headers, widths, align),
            row_line(["-" * w for w in widths], widths, align),
        ]
    for row in cells:
        for depth in range(max(len(cell) for cell in row)):
            parts = [cell[depth] if depth < len(cell) else "" for cell in row]
            lines.append(row_line(parts, widths, align))
    return lines


def row_line(cells: Sequence[str], widths: Sequence[int], align: Sequence[str]) -> str:
    """One line of a table (never one a CI log reads as a workflow command)."""
    line = "  ".join(
        _pad(cell, width, how) for cell, width, how in zip(cells, widths, align, strict=True)
    )
    return line_start(line.rstrip().replace(_GLUE, " "))


def _pad(cell: str, width: int, how: str) -> str:
    room = max(width - columns(cell), 0)
    if how == "right":
        return " " * room + cell
    if how == "center":
        return " " * (room // 2) + cell + " " * (room - room // 2)
    return cell + " " * room


Wrapped = int | tuple[int, ...]  # the column, or columns, a table wraps to fit


def fitted(
    rows: Sequence[Sequence[str]],
    headers: Sequence[str],
    *,
    wrapped: Wrapped,
    indent: str = "  ",
    colalign: Sequence[str] | None = None,
    narrowest: int | None = None,
    limit: int | None = None,
) -> list[str] | None:
    """A table within `limit` (the prose width unless said: a table of notes reads as prose),
    its column `wrapped` (or columns) wrapped between words to the room the other columns
    leave; None when that room is under `narrowest` (by default
    each wrapped column's longest word), and the caller then lays the rows out another way."""
    chosen = (wrapped,) if isinstance(wrapped, int) else wrapped
    room = _room(rows, headers, chosen, indent, limit or width())
    least = {i: _longest_word(rows, headers, i) if narrowest is None else narrowest for i in chosen}
    if room < sum(least.values()):
        return None
    return _drawn(rows, headers, _shared(rows, headers, least, room), indent, colalign)


def table(
    rows: Sequence[Sequence[str]],
    headers: Sequence[str],
    *,
    wrapped: Wrapped,
    indent: str = "  ",
    colalign: Sequence[str] | None = None,
    limit: int | None = None,
) -> list[str]:
    """A table within the width, its column `wrapped` (or columns) wrapped between words; on
    a terminal narrower than the other columns, each wrapped one as narrow as its longest
    word, and the others overflow rather than be cut."""
    drawn = fitted(rows, headers, wrapped=wrapped, indent=indent, colalign=colalign, limit=limit)
    if drawn is not None:
        return drawn
    chosen = (wrapped,) if isinstance(wrapped, int) else wrapped
    least = {i: _longest_word(rows, headers, i) for i in chosen}
    return _drawn(rows, headers, least, indent, colalign)


def _natural(rows: Sequence[Sequence[str]], headers: Sequence[str], column: int) -> int:
    """A column's width unwrapped: its widest line, or its header."""
    lines = [line for row in rows for line in row[column].split("\n")]
    return max(columns(text) for text in [headers[column], *lines])


def _room(
    rows: Sequence[Sequence[str]],
    headers: Sequence[str],
    wrapped: Sequence[int],
    indent: str,
    limit: int,
) -> int:
    """The columns the other columns leave for the wrapped ones, in `limit`."""
    fixed = sum(_natural(rows, headers, i) for i in range(len(headers)) if i not in wrapped)
    return limit - len(indent) - fixed - 2 * (len(headers) - 1)


def _shared(
    rows: Sequence[Sequence[str]], headers: Sequence[str], least: dict[int, int], room: int
) -> dict[int, int]:
    """The room shared among the wrapped columns: each its longest word at least, then a
    column at a time to the narrowest one still short of its natural width (so a short text
    is whole before a long one takes the rest)."""
    natural = {i: _natural(rows, headers, i) for i in least}
    widths = dict(least)
    for _ in range(room - sum(widths.values())):
        short = [i for i in widths if widths[i] < natural[i]]
        if not short:
            break
        widths[min(short, key=lambda i: widths[i])] += 1
    return widths


def _longest_word(rows: Sequence[Sequence[str]], headers: Sequence[str], column: int) -> int:
    words = " ".join(row[column] for row in rows).split()
    # a cell cuts a word longer than LONGEST_WORD (a URL in a note) rather than widen for it
    return max([columns(headers[column]), *(min(columns(w), LONGEST_WORD) for w in words)])


def _drawn(
    rows: Sequence[Sequence[str]],
    headers: Sequence[str],
    rooms: dict[int, int],
    indent: str,
    colalign: Sequence[str] | None,
) -> list[str]:
    laid = [
        [cell_lines(cell, rooms[i]) if i in rooms else cell for i, cell in enumerate(row)]
        for row in rows
    ]
    return [(indent + line).rstrip() for line in grid(laid, headers, colalign)]
