"""Matland's 2×2 matrix drawn in Unicode, with one or more positions marked.

Laid out as report Table 10: conflict across (low left), ambiguity down (low at the top).
"""

from __future__ import annotations

from collections.abc import Sequence

from matland.core.knowledge import Knowledge

CELL_WIDTH = 22
CELL_HEIGHT = 4
MARKER = "●"


def cell(ambiguity: float, conflict: float, knowledge: Knowledge) -> tuple[int, int]:
    """The character cell a position is drawn in: always inside its own quadrant (on the
    midpoint a score counts as high, as classify counts it), below the quadrant's label."""
    rows, cols = 2 * CELL_HEIGHT, 2 * CELL_WIDTH
    mid = knowledge.classification.midpoint
    row = min(int(ambiguity / 100 * rows), rows - 1)
    col = min(int(conflict / 100 * cols), cols - 1)
    row = max(row, CELL_HEIGHT + 1) if ambiguity >= mid else min(max(row, 1), CELL_HEIGHT - 1)
    col = max(col, CELL_WIDTH) if conflict >= mid else min(col, CELL_WIDTH - 1)
    return row, col


def draw(points: Sequence[tuple[float, float, str]], knowledge: Knowledge) -> list[str]:
    """Lines of the matrix; each point is (ambiguity, conflict, marker character)."""
    rows = 2 * CELL_HEIGHT
    cols = 2 * CELL_WIDTH
    grid = [[" "] * cols for _ in range(rows)]
    for paradigm in knowledge.paradigms.values():
        top = 0 if paradigm.ambiguity == "low" else CELL_HEIGHT
        left = 0 if paradigm.conflict == "low" else CELL_WIDTH
        for i, char in enumerate(paradigm.id.upper()[: CELL_WIDTH - 2]):
            grid[top][left + 1 + i] = char
    for ambiguity, conflict, marker in points:
        row, col = cell(ambiguity, conflict, knowledge)
        grid[row][col] = marker
    bar = "─" * CELL_WIDTH
    lines = [
        " " * 12 + f"{'low conflict':^{CELL_WIDTH}} {'high conflict':^{CELL_WIDTH}}",
        " " * 11 + f"┌{bar}┬{bar}┐",
    ]
    for r in range(rows):
        if r == CELL_HEIGHT:
            lines.append(" " * 11 + f"├{bar}┼{bar}┤")
        label = ""
        if r % CELL_HEIGHT == 1:
            label = "low" if r < CELL_HEIGHT else "high"
        elif r % CELL_HEIGHT == 2:
            label = "ambiguity"
        cells = "".join(grid[r])
        lines.append(f"{label:>10} │{cells[:CELL_WIDTH]}│{cells[CELL_WIDTH:]}│")
    lines.append(" " * 11 + f"└{bar}┴{bar}┘")
    return lines
