"""Where markers go in a drawn matrix: each inside its own quadrant, as near its true position
as the others allow.

A marker's quadrant is the one `classify` gives its scores (on the midpoint a score counts
as high), and the whole marker stays inside it: pushed apart from the others only within
the quadrant, never across a paradigm line. Pure geometry, shared by the SVG matrix.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

from matland.core.records import record

STEP = 3.0  # candidate spots are tried on a grid this fine (SVG units)
CLEARANCE = 1.5  # between a marker's edge and a line (the lines are 1.5 units wide)


@record
class Box:
    """A rectangle in drawing units: x from left to right, y from top to bottom."""

    left: float
    top: float
    right: float
    bottom: float

    def clamp(self, x: float, y: float) -> tuple[float, float]:
        return min(max(x, self.left), self.right), min(max(y, self.top), self.bottom)

    def holds(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.top <= y <= self.bottom


@record
class Spot:
    """What the layout needs of a marker: its true position, its quadrant and its size."""

    x: float
    y: float
    quadrant: Box  # the quadrant the marker's scores fall in
    radius: float


@record
class Placed:
    x: float
    y: float
    moved: float  # how far from its true position (0: drawn where it is)
    overlaps: bool  # no free spot was left in the quadrant: drawn over another marker


def lay_out(spots: Sequence[Spot]) -> list[Placed]:
    """A place for every spot, in the order given (earlier spots keep their place)."""
    taken = _Taken()
    placed = []
    for spot in spots:
        inner = _inner(spot.quadrant, spot.radius)
        x0, y0 = inner.clamp(spot.x, spot.y)
        found = None
        for dx, dy in _offsets():
            x, y = x0 + dx, y0 + dy
            if inner.holds(x, y) and not taken.near(x, y, spot.radius):
                found = (x, y)
                break
        overlaps = found is None
        x, y = (x0, y0) if found is None else found
        taken.add(x, y, spot.radius)
        placed.append(Placed(x, y, math.hypot(x - spot.x, y - spot.y), overlaps))
    return placed


def _inner(box: Box, radius: float) -> Box:
    """Where a marker's centre may go so that all of it stays inside the box."""
    edge = radius + CLEARANCE
    cx, cy = (box.left + box.right) / 2, (box.top + box.bottom) / 2
    return Box(
        min(box.left + edge, cx),
        min(box.top + edge, cy),
        max(box.right - edge, cx),
        max(box.bottom - edge, cy),
    )


@lru_cache(maxsize=1)
def _offsets() -> tuple[tuple[float, float], ...]:
    """Grid offsets nearest first (a quadrant's diagonal at most): the first free one wins,
    so a marker moves as little as it can; ties go clockwise from the right, the same way
    every run."""
    reach = 290  # a quadrant's diagonal (200 units a side) and a little more
    n = int(reach / STEP)
    offsets = [
        (i * STEP, j * STEP)
        for i in range(-n, n + 1)
        for j in range(-n, n + 1)
        if (i * i + j * j) * STEP * STEP <= reach * reach
    ]
    offsets.sort(key=lambda o: (round(math.hypot(*o), 6), math.atan2(o[1], o[0]) % (2 * math.pi)))
    return tuple(offsets)


class _Taken:
    """Placed markers in a grid of buckets, so a look-up checks a few neighbours only."""

    def __init__(self) -> None:
        self.cell = 24.0
        self.buckets: dict[tuple[int, int], list[tuple[float, float, float]]] = {}
        self.widest = 0.0

    def _key(self, x: float, y: float) -> tuple[int, int]:
        return int(x // self.cell), int(y // self.cell)

    def add(self, x: float, y: float, radius: float) -> None:
        self.buckets.setdefault(self._key(x, y), []).append((x, y, radius))
        self.widest = max(self.widest, radius)

    def near(self, x: float, y: float, radius: float) -> bool:
        reach = int((radius + self.widest + 1) // self.cell) + 1
        kx, ky = self._key(x, y)
        for i in range(kx - reach, kx + reach + 1):
            for j in range(ky - reach, ky + reach + 1):
                for px, py, pr in self.buckets.get((i, j), ()):
                    if math.hypot(x - px, y - py) < radius + pr + 1:
                        return True
        return False
