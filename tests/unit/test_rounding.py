"""Numbers shown together add up as a reader checks them: shares to 100%, a points column to
its total."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from matland.core.numbers import percents, tenths


@given(st.lists(st.floats(0, 1), min_size=1, max_size=6).filter(lambda v: sum(v) > 0))
def test_percents_of_a_whole_add_up_to_100(raw: list[float]) -> None:
    total = sum(raw)
    shares = {str(i): v / total for i, v in enumerate(raw)}
    shown = percents(shares)
    assert sum(shown.values()) == 100
    for key, share in shares.items():
        assert abs(shown[key] - share * 100) < 1  # each as near its exact value as it can be


@given(st.lists(st.floats(0, 50, allow_nan=False), min_size=1, max_size=8))
def test_a_column_adds_up_to_its_rounded_total(points: list[float]) -> None:
    total = sum(points)
    shown = tenths(points, total)
    assert round(sum(shown), 1) == round(round(total / 0.1) * 0.1, 1)
    assert all(abs(s - p) < 0.1 + 1e-9 for s, p in zip(shown, points, strict=True))


def test_the_reviewers_examples() -> None:
    assert percents({"a": 0.255, "p": 0.19, "e": 0.32, "s": 0.235}) == {
        "a": 26,  # 25.5 and 23.5: the first of two equal remainders gets the point
        "p": 19,
        "e": 32,
        "s": 23,
    }
    assert round(sum(tenths([6.25, 12.5, 9.375, 6.25, 3.125, 6.25], 43.75)), 1) == 43.8
