"""Text as one line: what a table cell, a heading or a one-line summary needs."""

from __future__ import annotations


def flat(text: str) -> str:
    """`text` with every run of whitespace (line breaks included) made one space, and none at
    either end. Python's idea of whitespace: the ASCII separators 0x1c-0x1f count too."""
    return " ".join(text.split())
