"""The map file (`--map`, YAML): a survey tool's headers and labels in matland's terms.

It is needed only for what differs from the questionnaire: headers that are a question's
text or id, labels that are its anchors, and survey tools' own columns are recognised
without it (csvinput.py). It can rename roles, and `ignore` any column.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt, ValidationError

from matland.core import invalid
from matland.core.findings import Finding, did_you_mean
from matland.core.invalid import Loc, describe, dotted
from matland.core.knowledge import Knowledge
from matland.core.yamlpos import Document, Path, YamlProblem, load
from matland.workshop.folding import key

if TYPE_CHECKING:
    from matland.core.invalid import Issue

PARTICIPANT, ROLE, POLICY, SUBMITTED, IGNORE = (
    "participant",
    "role",
    "policy",
    "submitted",
    "ignore",
)
SPECIAL = (PARTICIPANT, ROLE, POLICY, SUBMITTED, IGNORE)
NOTE = ".note"  # `<id>.note`: a column of notes on an item's answers

LabelValue = StrictInt | StrictBool | Literal["unsure"]


def targets_of(knowledge: Knowledge) -> list[str]:
    """Everything a column can be: each question, its notes, and the special columns."""
    return [*knowledge.questions, *(q + NOTE for q in knowledge.questions), *SPECIAL]


class ColumnMap(BaseModel):
    """The map file: a survey tool's headers and labels in matland's terms."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    # header -> a question id, `<id>.note`, `participant`, `role`, `policy`, `submitted`
    # or `ignore`
    columns: dict[str, str] = {}
    labels: dict[str, LabelValue] = {}  # answer label -> value, for every question column
    item_labels: dict[str, dict[str, LabelValue]] = {}  # question id -> its own labels
    reverse: list[str] = []  # scale items asked the other way round: v becomes 6 - v
    roles: dict[str, str] = {}  # a role as the export says it -> the role to report

    def header(self, text: str) -> str | None:
        return {key(h): target for h, target in self.columns.items()}.get(key(text))

    def role(self, text: str) -> str:
        return {key(label): role for label, role in self.roles.items()}.get(key(text), text)

    def label(self, question_id: str, text: str) -> tuple[bool, Any]:
        labels = self.item_labels.get(question_id, self.labels)
        found = {key(label): value for label, value in labels.items()}
        return (True, found[key(text)]) if key(text) in found else (False, None)

    def known_labels(self, question_id: str) -> list[str]:
        return list(self.item_labels.get(question_id, self.labels))


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
    def at(loc: Loc, item: Issue) -> tuple[int, int]:
        return document.value_position(loc) if _branch(item) else document.position(loc)

    def words(loc: Loc, item: Issue) -> tuple[str, str]:
        if _branch(item):
            hint = "a label maps to 1-5, a count, true/false or unsure"
            return f"{dotted(loc)}: {item['input']!r} is not an answer", hint
        message, _ = describe(loc, item)
        if item["type"] == "extra_forbidden":
            return message, "allowed: " + ", ".join(ColumnMap.model_fields)
        if item["type"] == "missing":
            return message, "start the file with `version: 1`"
        return f"{dotted(loc)}: {item['msg']}", "a value is 1-5, a count, true/false or unsure"

    return invalid.findings(error, path, "invalid-map", at, words, one_a_place=True)


def _branch(item: Issue) -> bool:
    """A union's branch name (`int`, `bool`, `literal['unsure']`) ends the loc of a label."""
    loc = item["loc"]
    return bool(loc) and loc[-1] in ("int", "bool", "literal['unsure']") and len(loc) >= 3


def _check_map(
    path: str, document: Document, column_map: ColumnMap, knowledge: Knowledge
) -> list[Finding]:
    findings = _collisions(path, document, column_map)
    targets = set(targets_of(knowledge))

    def fail(at: Path, message: str, hint: str) -> None:
        line, column = document.value_position(at)
        findings.append(Finding(path, line, column, "invalid-map", "error", message, hint))

    for header, target in column_map.columns.items():
        if target not in targets:
            hint = did_you_mean(target, targets) or "see `matland questions`"
            fail(
                ("columns", header),
                f"'{target}' is not a question id",
                hint or "a column maps to a question id, `<id>.note`, " + ", ".join(SPECIAL),
            )
    for question_id in column_map.item_labels:
        if question_id not in knowledge.questions:
            findings.append(
                _map_error(
                    path,
                    document.position(("item_labels", question_id)),
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


def _collisions(path: str, document: Document, column_map: ColumnMap) -> list[Finding]:
    """Keys that are one once case and spaces are ignored (`Agree: 4`, `agree: 5`): the
    second would silently win, so it is an error at the second."""
    findings = []
    tables: list[tuple[Path, Mapping[str, Any]]] = [
        (("columns",), column_map.columns),
        (("labels",), column_map.labels),
        (("roles",), column_map.roles),
        *((("item_labels", q), labels) for q, labels in column_map.item_labels.items()),
    ]
    for at, table in tables:
        seen: dict[str, str] = {}
        for name in table:
            first = seen.setdefault(key(name), name)
            if first is name:
                continue
            findings.append(
                _map_error(
                    path,
                    document.position((*at, name)),
                    f"'{name}' is '{first}' again once case and spaces are ignored",
                    "keep one of them: headers and labels are compared that way",
                )
            )
    return findings


def _map_error(path: str, at: tuple[int, int], message: str, hint: str) -> Finding:
    return Finding(path, at[0], at[1], "invalid-map", "error", message, hint)
