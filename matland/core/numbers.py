"""Numbers shown together that add up, as a reader checks them: shares to 100%, a points
column to its total (each rounded alone, 25 + 19 + 32 + 25 = 101)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def percents(shares: Mapping[str, float]) -> dict[str, int]:
    """Shares of a whole as whole percentages that add up to 100, as a reader checks (each
    rounded alone, 25 + 19 + 32 + 25 = 101): rounded down, then the points left over go to
    the largest remainders."""
    rounded = tenths([v * 100 for v in shares.values()], 100 * sum(shares.values()), 0)
    return {key: int(value) for key, value in zip(shares, rounded, strict=True)}


def tenths(values: Sequence[float], total: float, places: int = 1) -> list[float]:
    """Values rounded to `places` decimals so that they add up to `total` rounded the same
    way (largest remainder), as a table with a total row must."""
    unit = 10.0**-places
    scaled = [v / unit for v in values]
    floors = [math.floor(x) for x in scaled]
    short = round(total / unit) - sum(floors)
    by_remainder = sorted(range(len(scaled)), key=lambda i: floors[i] - scaled[i])
    for i in by_remainder[: max(0, short)]:
        floors[i] += 1
    return [round(f * unit, places) for f in floors]


def whole(value: float) -> int:
    """A score as a whole number, half up (12.5 is 13), as a reader rounds: Python's round()
    and format() round half to even, and showed 12.5 as 12 beside explain's 12.5."""
    return math.floor(value + 0.5)
