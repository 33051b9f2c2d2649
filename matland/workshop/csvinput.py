"""A workshop's answers as a CSV: one row per participant, one column per question.

Columns are recognised by their headers: a question's id, its text as `matland questions`
prints it, or "id: text"; `participant`, `role`, `policy` and a survey tool's own columns
(its timestamp, e-mail, …: rules/workshop.yaml `survey`); `<id>.note` for notes. A map file
(`--map`, columnmap.py) is needed only for what differs.

Every cell becomes an answer in a proposal validated by load.proposal_from_document, with
the cell's row and column as its position, so a bad value is a Finding at `file:row:column`.
A bad cell counts as unanswered and the rest of its row still counts; a row the reader
cannot trust (more cells than columns, a cell over the size limit) is left out; the other
rows still count. Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from matland.core.classify import SCALE_MAX, SCALE_MIN
from matland.core.findings import Finding, Severity, did_you_mean
from matland.core.knowledge import Knowledge, Question
from matland.core.model import FORMAT_VERSION
from matland.core.records import record
from matland.core.yamlpos import (
    DEFAULT_MAX_BYTES,
    Document,
    Path,
    YamlProblem,
    decode,
    read_bytes,
)
from matland.source.load import proposal_from_document
from matland.workshop import cells
from matland.workshop.columnmap import (
    IGNORE,
    NOTE,
    PARTICIPANT,
    POLICY,
    ROLE,
    SUBMITTED,
    ColumnMap,
    load_map,
    targets_of,
)
from matland.workshop.folding import key
from matland.workshop.participant import Participant
from matland.workshop.results import BAD_CELL
from matland.workshop.rules import SurveyColumns, WorkshopRules, load_workshop_rules

__all__ = ["ColumnMap", "CsvOptions", "key", "load_map", "read_csv", "read_participants"]

DELIMITERS = ",;\t"  # spreadsheets in many locales export with ; and some tools with tabs
FIELD_LIMIT = 131_072  # characters in one cell: the csv module's own default limit


@record
class CsvOptions:
    """How to read a workshop's CSV: its map, the title its rows take when they name no
    policy (default: the file's name), the size limit, and the workshop rules (default:
    the bundled ones, or those beside --rules)."""

    column_map: ColumnMap | None = None
    title: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    rules: WorkshopRules | None = None


def read_participants(
    path: str, knowledge: Knowledge, column_map: ColumnMap | None = None, **options: Any
) -> tuple[list[Participant], list[Finding]]:
    """Every row that can be read as a Participant; every problem as a Finding at its row
    and column (`options`: CsvOptions' other fields)."""
    return read_csv(path, knowledge, CsvOptions(column_map, **options))


def read_csv(
    path: str, knowledge: Knowledge, options: CsvOptions
) -> tuple[list[Participant], list[Finding]]:
    column_map, title, max_bytes, rules = (
        options.column_map,
        options.title,
        options.max_bytes,
        options.rules,
    )
    try:
        raw = read_bytes(path, max_bytes)
    except YamlProblem as problem:
        return [], [problem.finding(path)]
    text, notes = _text(path, raw)
    if text is None:
        return [], notes
    survey = (rules or load_workshop_rules(str(knowledge.root))).survey
    reader = _Reader(path, knowledge, column_map, title or _stem(path), survey)
    reader.findings += notes
    return reader.read(text)


def _text(path: str, raw: bytes) -> tuple[str | None, list[Finding]]:
    """The file's text: UTF-8, or else Windows-1252 (what Excel writes for "CSV") with a
    note; UTF-16 and anything else is an error that says how to save it."""
    try:
        return decode(raw), []
    except YamlProblem as problem:
        utf8 = problem
    save = "save it from the spreadsheet as “CSV UTF-8 (comma delimited)”"
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw:
        return None, [
            Finding(path, 1, 1, "not-utf8", "error", "the file is UTF-16, not UTF-8 text", save)
        ]
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None, [utf8.finding(path)._replace(hint=save)]
    note = Finding(
        path,
        utf8.line,
        utf8.column,
        "csv-encoding",
        "info",
        "not UTF-8: read as Windows-1252 (what Excel writes for CSV); check accented names",
        save + " to be sure",
    )
    return text, [note]


def _stem(path: str) -> str:
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] or name


@contextmanager
def _field_limit(size: int) -> Iterator[None]:
    """The csv module's limit raised to the file's size for this read: an oversized cell is
    then one row's finding, not an error that ends the file (the limit is global)."""
    before = csv.field_size_limit()
    csv.field_size_limit(max(before, size + 1))
    try:
        yield
    finally:
        csv.field_size_limit(before)


@record
class _Column:
    index: int  # 0-based in the row
    target: str  # question id, `<id>.note`, participant, role, policy or submitted

    @property
    def number(self) -> int:
        return self.index + 1


@record
class _Cells:
    """One row's cells by target, each with its column."""

    cells: Mapping[str, tuple[str, _Column]]

    def get(self, target: str) -> str:
        return self.cells.get(target, ("", None))[0]

    def column(self, target: str) -> _Column | None:
        return self.cells.get(target, ("", None))[1]


class _Reader:
    def __init__(
        self,
        path: str,
        knowledge: Knowledge,
        column_map: ColumnMap | None,
        title: str,
        survey: SurveyColumns,
    ) -> None:
        self.path = path
        self.knowledge = knowledge
        self.map = column_map
        self.title = title
        self.survey = survey
        self.findings: list[Finding] = []
        self.time_format: str | None = None
        self.headers = _headers(knowledge)

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

    # -------------------------------------------------------------- the rows

    def read(self, text: str) -> tuple[list[Participant], list[Finding]]:
        with _field_limit(len(text)):
            rows = self.records(text)
        if not rows:
            self.note(1, 1, "empty-csv", "the file is empty", "the first row names the columns")
            return [], self.findings
        header = rows[0]
        columns = self.columns(header)
        if columns is None:
            return [], self.findings
        when = next((c for c in columns if c.target == SUBMITTED), None)
        if when is not None:
            stamps = [r[when.index] for r in rows[1:] if when.index < len(r)]
            self.time_format = self.times(stamps, when.number)
        participants = []
        for number, row in enumerate(rows[1:], start=2):
            participant = self.row(number, row, columns, len(header))
            if participant is not None:
                participants.append(participant)
        return participants, self.findings

    def records(self, text: str) -> list[list[str]]:
        """The rows, read strictly: at a syntax error (a quote never closed) the rows before
        it still count, and the finding names the row where the bad one began."""
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
        rows: list[list[str]] = []
        while True:
            begins = reader.line_num + 1
            try:
                row = next(reader, None)
            except csv.Error as error:
                quote = "EOF" in str(error) or "end of data" in str(error)
                nul = "NUL" in str(error)  # Python 3.10's reader refuses the character
                self.note(
                    len(rows) + 1,
                    1,
                    "csv-syntax",
                    (
                        f"a quote opened in row {len(rows) + 1} (line {begins}) is never closed"
                        if quote
                        else f"CSV syntax error in row {len(rows) + 1} (line {begins}): {error}"
                    )
                    + "; this row and those after it are not read",
                    "remove the NUL characters: a spreadsheet never writes them"
                    if nul
                    else 'close the quote; a quote inside a quoted cell is written twice ("")',
                )
                return rows
            if row is None:
                return rows
            rows.append(row)

    def times(self, stamps: list[str], column: int) -> str | None:
        fmt = cells.time_format(stamps)
        if fmt is None and any(s.strip() for s in stamps):
            self.note(
                1,
                column,
                "unread-timestamps",
                "the timestamp column is in no format matland reads: duplicates are decided "
                "by row order",
                "ISO dates (2025-03-14 10:02:03) are always read",
                severity="low",
            )
        return fmt

    # -------------------------------------------------------------- the header

    def columns(self, header: list[str]) -> list[_Column] | None:
        columns: list[_Column] = []
        seen: dict[str, int] = {}
        rank: dict[str, int] = {}
        for index, cell in enumerate(header):
            found = self.target(cell)
            if found is None:
                self.unknown_column(index + 1, cell)
                continue
            target, priority = found
            if target == IGNORE:
                continue
            if target in seen:
                if priority < rank[target]:  # `Your name` before a tool's own `Name`
                    columns = [c for c in columns if c.target != target]
                else:
                    self.second_column(index + 1, target, seen[target])
                    continue
            seen[target], rank[target] = index + 1, priority
            columns.append(_Column(index, target))
        if PARTICIPANT not in seen:
            self.note(
                1,
                1,
                "no-participant-column",
                "no `participant` column",
                "name a column `participant` or `Your name` (or map one to it with --map)",
            )
            return None
        return sorted(columns, key=lambda c: c.index)

    def target(self, cell: str) -> tuple[str, int] | None:
        """What a header names, and how surely (a lower rank wins two columns of one
        target): the map first, then ids and question texts, then survey columns."""
        mapped = self.map.header(cell) if self.map else None
        if mapped is not None:
            return mapped, -1
        found = self.headers.get(key(cell))
        if found is not None:
            return found, 0
        for target in (PARTICIPANT, ROLE, POLICY, SUBMITTED):
            names = [key(n) for n in getattr(self.survey, target)]
            if key(cell) in names:
                return target, names.index(key(cell))
        if key(cell) in {key(n) for n in self.survey.ignored}:
            return IGNORE, 0
        return None

    def second_column(self, number: int, target: str, first: int) -> None:
        self.note(
            1,
            number,
            "duplicate-column",
            f"a second column for '{target}' (first is column {first}); ignored",
            "keep one column per question",
            severity="low" if target in (PARTICIPANT, ROLE, POLICY, SUBMITTED) else "error",
        )

    def unknown_column(self, number: int, cell: str) -> None:
        close = did_you_mean(key(cell), targets_of(self.knowledge))
        if close:  # a misspelt question id: its answers would be lost without a word
            self.note(1, number, "unknown-column", f"unknown column '{cell}'", close)
            return
        self.note(
            1,
            number,
            "ignored-column",
            f"column '{cell}' is not a question id; ignored",
            "if it holds answers, map it to a question id (--map); `ignore` silences this",
            severity="info",
        )

    # -------------------------------------------------------------- one row

    def row(
        self, number: int, row: list[str], columns: list[_Column], width: int
    ) -> Participant | None:
        if not any(cell.strip() for cell in row):
            return None  # a blank line between rows
        if not self.whole(number, row, columns, width):
            return None
        found = _Cells(
            {c.target: (row[c.index].strip() if c.index < len(row) else "", c) for c in columns}
        )
        answers: dict[str, Any] = {}
        positions: dict[Path, tuple[int, int]] = {}
        for target, (cell, column) in found.cells.items():
            question = self.knowledge.questions.get(target)
            if question is None or not cell:
                continue
            ok, value = self.value(number, column, question, cell)
            if not ok:
                continue
            note = found.get(target + NOTE)
            answers[target] = {"value": value, "note": note} if note else value
            positions[("answers", target)] = (number, column.number)
        return self.participant(number, found, answers, positions)

    def whole(self, number: int, row: list[str], columns: list[_Column], width: int) -> bool:
        """Whether the row can be trusted: no more cells than columns, no cell over the
        size limit; a row cut short is noted and still counts."""
        if any(cell.strip() for cell in row[width:]):
            self.note(
                number,
                width + 1,
                "extra-cells",
                f"row {number} has {len(row)} cells but the header names {width} columns",
                "check for an unquoted delimiter in a cell; the row is left out",
            )
            return False
        for index, cell in enumerate(row):
            if len(cell) > FIELD_LIMIT:
                self.note(
                    number,
                    index + 1,
                    "cell-too-large",
                    f"a cell of {len(cell):,} characters (over {FIELD_LIMIT:,}); the row "
                    "is left out",
                    "check for a quote that is never closed, or a pasted document",
                )
                return False
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
        return True

    def value(
        self, number: int, column: _Column, question: Question, cell: str
    ) -> tuple[bool, Any]:
        value = cells.convert(cell, question, self.map)
        if isinstance(value, cells.Unknown):
            assert self.map is not None
            hint = did_you_mean(cell, self.map.known_labels(question.id)) or (
                "add the label to `labels` in the map file"
            )
            self.bad_cell(number, column, f"{question.id}: unknown answer label '{cell}'", hint)
            return False, None
        if isinstance(value, cells.TooLong):
            what = "digits" if value.number else "characters"
            self.bad_cell(
                number,
                column,
                f"{question.id}: a cell of {value.length:,} {what} is not an answer",
                "give a whole number from 1 (least) to 5 (most), or unsure",
            )
            return False, None
        if self.map and question.id in self.map.reverse:
            value = _reversed(value)
        return True, value

    def bad_cell(self, number: int, column: _Column, message: str, hint: str) -> None:
        self.note(number, column.number, BAD_CELL, f"{message}; counted as unanswered", hint)

    def participant(
        self,
        number: int,
        found: _Cells,
        answers: dict[str, Any],
        positions: dict[Path, tuple[int, int]],
    ) -> Participant | None:
        name_column = found.column(PARTICIPANT)
        assert name_column is not None
        at = (number, name_column.number)
        name = found.get(PARTICIPANT) or f"row {number}"
        role = found.get(ROLE) or None
        if role and self.map:
            role = self.map.role(role)
        policy = found.get(POLICY) or None
        policy_column = found.column(POLICY)
        if policy_column is not None:
            positions[("policy", "title")] = (number, policy_column.number)
        data = {
            "matland": FORMAT_VERSION,
            "policy": {"title": policy or self.title},
            "answers": answers,
            "respondent": {"name": name, "role": role},
        }
        for attempt in range(2):  # once more without the cells the loader refused
            document = Document(data, {(): at, **positions}, dict(positions))
            proposal, errors = proposal_from_document(self.path, document, self.knowledge)
            if proposal is not None:
                submitted = cells.parse_time(found.get(SUBMITTED), self.time_format)
                return Participant(
                    name, role, f"{self.path}:{number}", proposal, at, policy, submitted
                )
            refused = self.refused_cells(errors, positions) if attempt == 0 else {}
            if not refused:
                break
            for item, error in refused.items():
                answers.pop(item, None)
                positions.pop(("answers", item), None)
                message = f"{error.message}; counted as unanswered"
                self.findings.append(error._replace(rule_id=BAD_CELL, message=message))
        self.findings += errors
        return None

    def refused_cells(
        self, errors: list[Finding], positions: Mapping[Path, tuple[int, int]]
    ) -> dict[str, Finding]:
        """The answers the loader refused, by item (each error stands at its cell)."""
        cell_of = {at: path[1] for path, at in positions.items() if path[0] == "answers"}
        refused: dict[str, Finding] = {}
        for error in errors:
            item = cell_of.get((error.line, error.column))
            if item is None:
                return {}  # a problem with the row itself: it is left out as it is
            refused.setdefault(str(item), error)
        return refused


def _headers(knowledge: Knowledge) -> dict[str, str]:
    """Headers that name a column by themselves: an id, a question's text as `matland
    questions` prints it, "id: text", "text [id]", `<id>.note`, and the special names."""
    headers = {}
    for q in knowledge.questions.values():
        for form in (q.id, q.text, f"{q.id}: {q.text}", f"{q.text} [{q.id}]"):
            headers[key(form)] = q.id
        for form in (q.id + NOTE, f"{q.id} note", f"{q.id}: note"):
            headers[key(form)] = q.id + NOTE
    for special in (PARTICIPANT, ROLE, POLICY, SUBMITTED):
        headers[special] = special
    return headers


def _delimiter(text: str) -> str:
    """The delimiter that splits the header into the most columns (quotes respected)."""
    first = text.split("\n", 1)[0]

    def width(delimiter: str) -> int:
        try:
            return len(next(csv.reader([first], delimiter=delimiter), []))
        except csv.Error:
            return 0

    return max(DELIMITERS, key=width)  # on a tie the first: a comma


def _reversed(value: Any) -> Any:
    """A scale answer asked the other way round; anything else is left for the loader."""
    if isinstance(value, int) and not isinstance(value, bool) and SCALE_MIN <= value <= SCALE_MAX:
        return SCALE_MIN + SCALE_MAX - value
    return value
