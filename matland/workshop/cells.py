"""One CSV cell as an answer, or as the moment a form was sent.

A cell becomes the value a YAML proposal would hold, and the loader judges it (so a bad
value is told as a proposal's would be). Labels a map gives come first; then `unsure`,
numbers, yes/no, and the questionnaire's own anchors ("Broad consensus" is 1 for
goal_conflict, "5 - Goals strongly contested" is 5), so a form built from `matland
workshop form` needs no map.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

from matland.core.knowledge import Question
from matland.core.vocabulary import NA, UNSURE
from matland.core.yamlpos import MAX_DIGITS
from matland.workshop.columnmap import ColumnMap
from matland.workshop.folding import key

BOOL_WORDS = {"yes": True, "true": True, "no": False, "false": False}
_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?\d*\.\d+")
# "5 - Goals strongly contested", "5: …", "5. …", "5 (…)": a number and its anchor.
_NUMBERED = re.compile(r"(\d)\s*(?:[-–—:.)]|\()\s*(.+?)\)?")
MAX_CELL = 1000  # characters: longer is no answer (and is not repeated in a message)


class Unknown:
    """A cell that is no label the map knows (the map lists labels for this item)."""


class TooLong:
    """A cell too long to be an answer: a number of more than MAX_DIGITS digits, or any text
    over MAX_CELL characters."""

    def __init__(self, cell: str) -> None:
        self.length = len(cell)
        self.number = bool(_INT.fullmatch(cell))


UNKNOWN = Unknown()


def convert(cell: str, question: Question, column_map: ColumnMap | None) -> Any:
    """The cell as a proposal's answer would be written; Unknown or TooLong for a cell that
    cannot be one."""
    if column_map is not None:
        found, value = column_map.label(question.id, cell)
        if found:
            return value
    if len(cell) > MAX_CELL or (_INT.fullmatch(cell) and len(cell.lstrip("+-")) > MAX_DIGITS):
        return TooLong(cell)
    if key(cell) in (UNSURE, NA):
        return key(cell)  # the loader says whether the item may be `n/a`
    if _INT.fullmatch(cell):
        return int(cell)
    if _FLOAT.fullmatch(cell):
        return float(cell)
    if question.type == "bool" and key(cell) in BOOL_WORDS:
        return BOOL_WORDS[key(cell)]
    anchored = anchor_value(cell, question)
    if anchored is not None:
        return anchored
    if column_map is not None and column_map.known_labels(question.id):
        return UNKNOWN
    return cell


def anchor_value(cell: str, question: Question) -> int | None:
    """The value whose anchor the cell is (with or without its number in front)."""
    anchors = {key(text): value for value, text in (question.anchors or {}).items()}
    if key(cell) in anchors:
        return anchors[key(cell)]
    numbered = _NUMBERED.fullmatch(cell.strip())
    if numbered and anchors.get(key(numbered.group(2))) == int(numbered.group(1)):
        return int(numbered.group(1))
    return None


def choices(question: Question) -> list[str]:
    """The answers a form offers for an item, in order, each read back by `convert`."""
    if question.type == "bool":
        return ["yes", "no", UNSURE]
    if question.type == "count":
        return []  # a number field
    anchors = question.anchors or {}
    return [f"{v} - {anchors[v]}" if v in anchors else str(v) for v in range(1, 6)] + [UNSURE]


# Survey tools' timestamps: ISO (Typeform, SurveyMonkey's API), Google Forms (its sheet's
# locale: 14/03/2025 10:02:03 or 3/14/2025 10:02:03), Microsoft Forms (3/14/25 10:02:03).
TIME_FORMATS = (
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%y %H:%M:%S",
    "%m/%d/%y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
)


def time_format(cells: list[str]) -> str | None:
    """The first format that reads every non-empty cell of a timestamp column (one format
    for the whole column: 3/4/2025 is March or April by the column, not by the cell)."""
    filled = [c.strip() for c in cells if c.strip()]
    for fmt in TIME_FORMATS:
        if filled and all(_parse(c, fmt) is not None for c in filled):
            return fmt
    return None


def parse_time(cell: str, fmt: str | None) -> datetime | None:
    return None if fmt is None or not cell.strip() else _parse(cell.strip(), fmt)


def _parse(cell: str, fmt: str) -> datetime | None:
    text = re.sub(r"\s+(GMT|UTC|Z)$", "", cell).replace("Z", "+0000")
    try:
        moment = datetime.strptime(text, fmt)
    except ValueError:
        return None
    if moment.tzinfo is not None:  # compared with naive ones: all in UTC, naive
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment
