"""How a workshop compares what people typed: headers, labels, names, roles and titles."""

from __future__ import annotations

from matland.core.words import flat


def key(text: str) -> str:
    """Text compared without case and extra spaces (survey exports and hands vary):
    "Commissioner", "commissioner " and "COMMISSIONER" are one role."""
    return flat(text).casefold()
