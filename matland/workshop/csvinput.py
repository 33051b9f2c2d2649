"""A workshop's answers as a CSV: one row per participant, one column per question id.

A `participant` column names each row; an optional `role` column says who they are. A map
file (`--map`, YAML) translates a survey tool's export: its long column headers to question
ids, its answer labels ("Strongly agree") to values, and items worded the other way round.

Every cell becomes an answer in a proposal validated by load.proposal_from_document, with
the cell's row and column as its position, so a bad value is a Finding at `file:row:column`
and its row is left out; the other rows still count. Rows are numbered as a spreadsheet
shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt, ValidationError

from matland.core.classify import SCALE_MAX, SCALE_MIN
from matland.core.findings import Finding, Severity, did_you_mean
from matland.core.knowledge import Knowledge, Question
from matland.core.model import FORMAT_VERSION
from matland.core.yamlpos import DEFAULT_MAX_BYTES, Document, Path, YamlProblem, load, read_text
from matland.source.load import proposal_from_document
from matland.workshop.aggregate import Participant

PARTICIPANT, ROLE = "participant", "role"
UNSURE = "unsure"
BOOL_WORDS = {"yes": True, "true": True, "no": False, "false": False}
DELIMITERS = ",;\t"  # spreadsheets in many locales export with ; and some tools with tabs
_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?\d*\.\d+")

LabelValue = StrictInt | StrictBool | Literal["unsure"]


class ColumnMap(BaseModel):
    """The map file: a survey tool's headers and labels in matland's terms."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    columns: dict[str, str] = {}  # header -> question id, `participant` or `role`
    labels: dict[str, LabelValue] = {}  # answer label -> value, for every question column
    item_labels: dict[str, dict[str, LabelValue]] = {}  # question id -> its own labels
    reverse: list[str] = []  # scale items asked the other way round: v becomes 6 - v

    def header(self, text: str) -> str | None:
        return {key(h): target for h, target in self.columns.items()}.get(key(text))

    def label(self, question_id: str, text: str) -> tuple[bool, Any]:
        labels = self.item_labels.get(question_id, self.labels)
        found = {key(label): value for label, value in labels.items()}
        return (True, found[key(text)]) if key(text) in found else (False, None)

    def known_labels(self, question_id: str) -> list[str]:
        return list(self.item_labels.get(question_id, self.labels))


def key(text: str) -> str:
    """Headers and labels compare without case and extra spaces (survey exports vary)."""
    return " ".join(text.split()).casefold()


# ------------------------------------------------------------------ the map file


def load_map(path: str, knowledge: Knowledge) -> tuple[ColumnMap | None, list[Finding]]:
    try:
        document = load(path)
    except YamlProblem as problem:
        return None, [problem.finding(path)]
    try:
        column_map = ColumnMap.model_validate(document.data)
    except ValidationError as error:
        return None, _pydantic_findings(path, document, error)
    findings = _check_map(path, document, column_map, knowledge)
    return (None if findings else column_map), findings


def _pydantic_findings(path: str, document: Document, error: ValidationError) -> list[Finding]:
    findings: dict[Path, Finding] = {}
    for item in error.errors(include_url=False):
        loc: Path = tuple(p for p in item["loc"] if isinstance(p, str | int))
        findings.setdefault(
            loc[:-1] if _branch(loc) else loc, _pydantic_finding(path, document, item)
        )
    return list(findings.values())


def _branch(loc: Path) -> bool:
    """A union's branch name (`int`, `bool`, `literal['unsure']`) ends the loc of a label."""
    return bool(loc) and loc[-1] in ("int", "bool", "literal['unsure']") and len(loc) >= 3


def _pydantic_finding(path: str, document: Document, item: Any) -> Finding:
    loc: Path = tuple(p for p in item["loc"] if isinstance(p, str | int))
    if _branch(loc):
        loc = loc[:-1]
        line, column = document.value_position(loc)
        return Finding(
            path,
            line,
            column,
            "invalid-map",
            "error",
            f"{'.'.join(str(p) for p in loc)}: {item['input']!r} is not an answer",
            "a label maps to 1-5, a count, true/false or unsure",
        )
    line, column = document.position(loc)
    where = ".".join(str(p) for p in loc)
    if item["type"] == "extra_forbidden":
        message, hint = f"unknown key '{loc[-1]}'", "allowed: " + ", ".join(ColumnMap.model_fields)
    elif item["type"] == "missing":
        message, hint = f"missing required key '{where}'", "start the file with `version: 1`"
    else:
        message, hint = f"{where}: {item['msg']}", "a value is 1-5, a count, true/false or unsure"
    return Finding(path, line, column, "invalid-map", "error", message, hint)


def _check_map(
    path: str, document: Document, column_map: ColumnMap, knowledge: Knowledge
) -> list[Finding]:
    findings = []
    targets = {*knowledge.questions, PARTICIPANT, ROLE}

    def fail(at: Path, message: str, hint: str) -> None:
        line, column = document.value_position(at)
        findings.append(Finding(path, line, column, "invalid-map", "error", message, hint))

    for header, target in column_map.columns.items():
        if target not in targets:
            hint = did_you_mean(target, targets) or "see `matland questions`"
            fail(("columns", header), f"'{target}' is not a question id", hint)
    for question_id in column_map.item_labels:
        if question_id not in knowledge.questions:
            line, column = document.position(("item_labels", question_id))
            findings.append(
                Finding(
                    path,
                    line,
                    column,
                    "invalid-map",
                    "error",
                    f"'{question_id}' is not a question id",
                    did_you_mean(question_id, knowledge.questions) or "see `matland questions`",
                )
            )
    for index, question_id in enumerate(column_map.reverse):
        question = knowledge.questions.get(question_id)
        if question is None or question.type != "scale":
            fail(
                ("reverse", index),
                f"'{question_id}' is not a 1-5 scale question",
                did_you_mean(question_id, knowledge.questions) or "only scale items reverse",
            )
    return findings


# ------------------------------------------------------------------ the CSV


@dataclass(frozen=True)
class _Column:
    index: int  # 0-based in the row
    target: str  # question id, `participant` or `role`

    @property
    def number(self) -> int:
        return self.index + 1


def read_participants(
    path: str,
    knowledge: Knowledge,
    column_map: ColumnMap | None = None,
    title: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[list[Participant], list[Finding]]:
    """Every good row as a Participant; every problem as a Finding at its row and column."""
    try:
        text = read_text(path, max_bytes)
    except YamlProblem as problem:
        return [], [problem.finding(path)]
    reader = _Reader(path, knowledge, column_map, title or _stem(path))
    return reader.read(text)


def _stem(path: str) -> str:
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] or name


class _Reader:
    def __init__(
        self, path: str, knowledge: Knowledge, column_map: ColumnMap | None, title: str
    ) -> None:
        self.path = path
        self.knowledge = knowledge
        self.map = column_map
        self.title = title
        self.findings: list[Finding] = []

    def note(
        self,
        row: int,
        column: int,
        rule_id: str,
        message: str,
        hint: str = "",
        *,
        severity: Severity = "error",
    ) -> None:
        self.findings.append(Finding(self.path, row, column, rule_id, severity, message, hint))

    def read(self, text: str) -> tuple[list[Participant], list[Finding]]:
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
        try:
            header = next(rows, None)
            if header is None:
                self.note(1, 1, "empty-csv", "the file is empty", "the first row names the columns")
                return [], self.findings
            columns = self.columns(header)
            if columns is None:
                return [], self.findings
            participants = []
            for number, row in enumerate(rows, start=2):
                participant = self.row(number, row, columns, len(header))
                if participant is not None:
                    participants.append(participant)
        except csv.Error as error:
            self.note(rows.line_num, 1, "csv-syntax", f"CSV syntax error: {error}", "")
            return [], self.findings
        return participants, self.findings

    def columns(self, header: list[str]) -> list[_Column] | None:
        columns: list[_Column] = []
        seen: dict[str, int] = {}
        targets = {*self.knowledge.questions, PARTICIPANT, ROLE}
        for index, cell in enumerate(header):
            target = self.map.header(cell) if self.map else None
            if target is None and key(cell) in targets:
                target = key(cell)
            if target is None:
                self.unknown_column(index + 1, cell, targets)
                continue
            if target in seen:
                self.note(
                    1,
                    index + 1,
                    "duplicate-column",
                    f"a second column for '{target}' (first is column {seen[target]}); ignored",
                    "keep one column per question",
                )
                continue
            seen[target] = index + 1
            columns.append(_Column(index, target))
        if PARTICIPANT not in seen:
            self.note(
                1,
                1,
                "no-participant-column",
                "no `participant` column",
                "name a column `participant` (or map one to it with --map)",
            )
            return None
        return columns

    def unknown_column(self, number: int, cell: str, targets: set[str]) -> None:
        close = did_you_mean(key(cell), targets)
        if close:  # a misspelt question id: its answers would be lost without a word
            self.note(1, number, "unknown-column", f"unknown column '{cell}'", close)
            return
        self.note(
            1,
            number,
            "ignored-column",
            f"column '{cell}' is not a question id; ignored",
            "if it holds answers, map it to a question id (--map)",
            severity="info",
        )

    def row(
        self, number: int, row: list[str], columns: list[_Column], width: int
    ) -> Participant | None:
        if not any(cell.strip() for cell in row):
            return None  # a blank line between rows
        if any(cell.strip() for cell in row[width:]):
            self.note(
                number,
                width + 1,
                "extra-cells",
                f"row {number} has {len(row)} cells but the header names {width} columns",
                "check for an unquoted delimiter in a cell; the row is left out",
            )
            return None
        if len(row) < width:  # cut short: its last items count as unanswered, and it is said
            missing = [c.target for c in columns if c.index >= len(row)]
            self.note(
                number,
                len(row) + 1,
                "short-row",
                f"row {number} has {len(row)} cells but the header names {width} columns: "
                f"{', '.join(missing)} count as unanswered",
                "check whether the row was cut short",
                severity="low",
            )
        cells = {c.target: (row[c.index].strip() if c.index < len(row) else "", c) for c in columns}
        name_cell, name_column = cells[PARTICIPANT]
        role_cell = cells.get(ROLE, ("", None))[0]
        answers: dict[str, Any] = {}
        positions: dict[Path, tuple[int, int]] = {}
        good = True
        for target, (cell, column) in cells.items():
            question = self.knowledge.questions.get(target)
            if question is None or not cell:
                continue
            ok, value = self.value(number, column, question, cell)
            good = good and ok
            answers[target] = value
            positions[("answers", target)] = (number, column.number)
        if not good:
            return None
        return self.participant(
            number, name_cell or f"row {number}", role_cell or None, answers, positions, name_column
        )

    def value(
        self, number: int, column: _Column, question: Question, cell: str
    ) -> tuple[bool, Any]:
        value = _convert(cell, question, self.map)
        if value is _UNKNOWN_LABEL:
            assert self.map is not None
            hint = did_you_mean(cell, self.map.known_labels(question.id)) or (
                "add the label to `labels` in the map file"
            )
            self.note(
                number,
                column.number,
                "unknown-label",
                f"{question.id}: unknown answer label '{cell}'",
                hint,
            )
            return False, None
        if self.map and question.id in self.map.reverse:
            value = _reversed(value)
        return True, value

    def participant(
        self,
        number: int,
        name: str,
        role: str | None,
        answers: Mapping[str, Any],
        positions: dict[Path, tuple[int, int]],
        name_column: _Column,
    ) -> Participant | None:
        data = {
            "matland": FORMAT_VERSION,
            "policy": {"title": self.title},
            "answers": dict(answers),
            "respondent": {"name": name, "role": role},
        }
        at = (number, name_column.number)
        document = Document(data, {(): at, **positions}, dict(positions))
        proposal, errors = proposal_from_document(self.path, document, self.knowledge)
        if proposal is None:
            self.findings += errors
            return None
        return Participant(name, role, f"{self.path}:{number}", proposal, at)


_UNKNOWN_LABEL = object()


def _delimiter(text: str) -> str:
    """The delimiter that splits the header into the most columns (quotes respected)."""
    first = text.split("\n", 1)[0]

    def width(delimiter: str) -> int:
        try:
            return len(next(csv.reader([first], delimiter=delimiter), []))
        except csv.Error:
            return 0

    return max(DELIMITERS, key=width)  # on a tie the first: a comma


def _convert(cell: str, question: Question, column_map: ColumnMap | None) -> Any:
    """A cell as the value a YAML proposal would hold; the loader judges it."""
    if column_map is not None:
        found, value = column_map.label(question.id, cell)
        if found:
            return value
    if key(cell) == UNSURE:
        return UNSURE
    if _INT.fullmatch(cell):
        return int(cell)
    if _FLOAT.fullmatch(cell):
        return float(cell)
    if question.type == "bool" and key(cell) in BOOL_WORDS:
        return BOOL_WORDS[key(cell)]
    if column_map is not None and column_map.known_labels(question.id):
        return _UNKNOWN_LABEL
    return cell


def _reversed(value: Any) -> Any:
    """A scale answer asked the other way round; anything else is left for the loader."""
    if isinstance(value, int) and not isinstance(value, bool) and SCALE_MIN <= value <= SCALE_MAX:
        return SCALE_MIN + SCALE_MAX - value
    return value
