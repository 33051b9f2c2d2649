"""Proposal files: YAML → positioned data → Proposal, or the Findings that say what is wrong."""

from __future__ import annotations

import dataclasses
import functools
from typing import TYPE_CHECKING, Any

from matland.core.findings import Finding, did_you_mean
from matland.core.invalid import dotted, plain
from matland.core.knowledge import Knowledge, Question
from matland.core.model import (
    FORMAT_VERSION,
    NOT_APPLICABLE,
    RECORDS,
    AcceptedRisk,
    Action,
    Answer,
    GivenValue,
    NotApplicable,
    Policy,
    Proposal,
    ProposalFile,
    Respondent,
    Stakeholder,
)
from matland.core.records import from_model
from matland.core.vocabulary import DIMENSIONS, NA, REVIEW_KEY, UNSURE
from matland.core.yamlpos import DEFAULT_MAX_BYTES, Document, Path, YamlProblem, load, parse
from matland.source.envelope import quick_envelope

if TYPE_CHECKING:
    from pydantic import ValidationError

Loaded = tuple[Proposal | None, list[Finding]]
_BARE = {(type(v), v): Answer(v) for v in (None, True, False, 1, 2, 3, 4, 5)}
STDIN = "-"


def load_proposal(
    path: str, knowledge: Knowledge, max_bytes: int = DEFAULT_MAX_BYTES, text: str | None = None
) -> Loaded:
    """Read and validate one proposal; `text` given means it was already read (stdin)."""
    document, problems = read_document(path, max_bytes, text)
    if document is None:
        return None, problems
    return proposal_from_document(path, document, knowledge)


def read_document(
    path: str, max_bytes: int = DEFAULT_MAX_BYTES, text: str | None = None
) -> tuple[Document | None, list[Finding]]:
    """The positioned YAML of a file (a proposal or a review), or why it cannot be read."""
    try:
        return (parse(text) if text is not None else load(path, max_bytes)), []
    except YamlProblem as problem:
        return None, [problem.finding(path)]


def is_review(document: Document) -> bool:
    """A file whose top key is `matland-review:` is a review, whatever else it holds."""
    data = document.data
    return isinstance(data, dict) and next(iter(data), None) == REVIEW_KEY


def proposal_from_document(path: str, document: Document, knowledge: Knowledge) -> Loaded:
    proposal, findings = _from_document(path, document, knowledge)
    return proposal, sorted(findings, key=lambda f: (f.line, f.column))


def _from_document(path: str, document: Document, knowledge: Knowledge) -> Loaded:
    checker = _Checker(path, document)
    data = document.data
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        checker.error(
            (),
            "not-a-proposal",
            f"the file holds {kind}, not a proposal",
            "a proposal is a mapping with `matland: 1`, `policy:` and `answers:`",
        )
        return None, checker.findings
    if not checker.check_version(data):
        return None, checker.findings
    # Every stage runs, so one pass reports every problem in the file, not just the first.
    checker.check_keys(data, ProposalFile, ())
    # A plain file's envelope is checked without pydantic; the model decides the rest.
    envelope = quick_envelope(data)
    if envelope is None:
        return _validated(checker, data, knowledge)
    return _checked(checker, envelope, document, knowledge)


def _validated(checker: _Checker, data: dict[str, Any], knowledge: Knowledge) -> Loaded:
    """The envelope validated by its pydantic model (the reference), every problem found."""
    from pydantic import ValidationError

    from matland.core import proposalfile

    try:
        validated = proposalfile.ProposalFile.model_validate(data)
    except ValidationError as error:
        checker.pydantic_errors(error, data)
        if isinstance(data.get("answers"), dict):
            checker.answers(data["answers"], knowledge)
        # The ids that are text are checked too: one pass reports every problem (a CI round
        # is a push), not a misspelt id only once the wrong types are fixed.
        accepted = _listed(data.get("accepted_risks"))
        checker.ids(
            _listed(data.get("support_plan")),
            [r.get("id") if isinstance(r, dict) else None for r in accepted],
            knowledge,
        )
        return None, checker.findings
    envelope: ProposalFile = from_model(validated, RECORDS)
    return _checked(checker, envelope, checker.document, knowledge)


def _checked(
    checker: _Checker, envelope: ProposalFile, document: Document, knowledge: Knowledge
) -> Loaded:
    """The answers and the ids of a valid envelope checked against the rules."""
    answers = checker.answers(envelope.answers, knowledge)
    checker.ids(envelope.support_plan, [risk.id for risk in envelope.accepted_risks], knowledge)
    checker.unique(
        [s.name for s in envelope.stakeholders], "stakeholders", "stakeholder", ("name",)
    )
    checker.unique(envelope.support_plan, "support_plan", "approach")
    checker.unique([r.id for r in envelope.accepted_risks], "accepted_risks", "risk", ("id",))
    checker.action_items([a.item for a in envelope.actions], knowledge)
    if checker.findings:
        return None, checker.findings
    proposal = Proposal(
        path=checker.path,
        policy=envelope.policy,
        answers=answers,
        stakeholders=tuple(envelope.stakeholders),
        support_plan=tuple(envelope.support_plan),
        accepted_risks=tuple(envelope.accepted_risks),
        lessons=tuple(envelope.lessons),
        respondent=envelope.respondent,
        actions=tuple(envelope.actions),
        document=document,
    )
    return proposal, []


# The parts a key of the envelope holds (a list of them: True); a part's keys are its
# record's fields (tests/unit/test_envelope.py checks both against proposalfile's models).
PARTS: dict[str, tuple[type, bool]] = {
    "policy": (Policy, False),
    "stakeholders": (Stakeholder, True),
    "accepted_risks": (AcceptedRisk, True),
    "respondent": (Respondent, False),
    "actions": (Action, True),
}


# A part's keys, each with the parts it may hold: (kind, a list of them).
Fields = dict[str, tuple[tuple[type, bool], ...]]


@functools.cache
def _record_fields(kind: type) -> Fields:
    under = PARTS if kind is ProposalFile else {}
    return {
        item.name: (under[item.name],) if item.name in under else ()
        for item in dataclasses.fields(kind)
    }


class _Checker:
    """Collects every problem in one file (not just the first), each at its position."""

    def __init__(self, path: str, document: Document) -> None:
        self.path = path
        self.document = document
        self.findings: list[Finding] = []

    def error(
        self, at: Path, rule_id: str, message: str, hint: str = "", *, value: bool = False
    ) -> None:
        line, column = self.document.value_position(at) if value else self.document.position(at)
        self.findings.append(Finding(self.path, line, column, rule_id, "error", message, hint))

    def check_version(self, data: dict[str, Any]) -> bool:
        if "matland" not in data:
            self.error(
                (),
                "missing-version",
                "missing `matland: 1` (the format version)",
                "add `matland: 1` as the first line",
            )
            return False
        version = data["matland"]
        if version == FORMAT_VERSION and type(version) is int:
            return True
        if isinstance(version, int) and not isinstance(version, bool) and version > 1:
            self.error(
                ("matland",),
                "future-version",
                f"format version {version} is newer than this matland reads ({FORMAT_VERSION})",
                "upgrade matland",
                value=True,
            )
        else:
            self.error(
                ("matland",),
                "bad-version",
                f"unknown format version ({_as_written(version)})",
                f"write `matland: {FORMAT_VERSION}`",
                value=True,
            )
        return False

    def check_keys(self, data: Any, kind: type, at: Path) -> None:
        """Unknown keys, with a suggestion; `x-` keys are the user's own and allowed."""
        if not isinstance(data, dict):
            return  # a wrong type is reported by the model
        fields = self.fields_of(kind)
        for key, value in data.items():
            nested = fields.get(key)
            if nested is None:
                if not key.startswith("x-"):
                    hint = did_you_mean(key, fields) or f"allowed: {', '.join(fields)}"
                    self.error((*at, key), "unknown-key", f"unknown key '{key}'", hint)
                continue
            for sub_kind, is_list in nested:
                if not is_list:
                    self.check_keys(value, sub_kind, (*at, key))
                elif isinstance(value, list):
                    for index, item in enumerate(value):
                        self.check_keys(item, sub_kind, (*at, key, index))

    def fields_of(self, kind: type) -> Fields:
        """A part's keys, each with the parts it holds (a proposal's: from its records)."""
        return _record_fields(kind)

    def pydantic_errors(self, error: ValidationError, data: dict[str, Any]) -> None:
        for item in error.errors(include_url=False):
            loc = tuple(item["loc"])
            field = dotted(loc)
            if item["type"] == "missing":
                self.error(loc[:-1], "missing-key", _missing(loc, data), _missing_hint(loc))
            else:
                text, hint = plain(item)
                if item.get("input", "") is None:
                    text = "is empty"
                    hint = "add `title:` under it" if loc == ("policy",) else "fill it in"
                self.error(loc, "invalid-value", f"{field}: {text}", hint, value=True)

    def answers(self, raw: dict[str, Any], knowledge: Knowledge) -> dict[str, Answer]:
        answers: dict[str, Answer] = {}
        questions = knowledge.questions
        for question_id, entry in raw.items():
            question = questions.get(question_id)
            if question is None:
                if not question_id.startswith("x-"):
                    hint = did_you_mean(question_id, questions) or "see `matland questions`"
                    self.error(
                        ("answers", question_id),
                        "unknown-question",
                        f"unknown question id '{question_id}'",
                        hint,
                    )
                continue
            if type(entry) is int and 1 <= entry <= 5 and question.type == "scale":
                answers[question_id] = _BARE[(int, entry)]  # most answers: no checks to do
                continue
            if type(entry) is dict and len(entry) == 2 and question.type == "scale":
                # the next most common: `{value: 3, note: "…"}`, nothing to report
                value, note = entry.get("value"), entry.get("note")
                if type(value) is int and 1 <= value <= 5 and type(note) is str:
                    note = note.strip()
                    answers[question_id] = Answer(value, note) if note else _BARE[(int, value)]
                    continue
            answer = self._answer(question, entry, ("answers", question_id))
            if answer is not None:
                answers[question_id] = answer
        return answers

    def _answer(self, question: Question, entry: Any, at: Path) -> Answer | None:
        note = ""
        value_at = at
        if isinstance(entry, dict):
            for key in entry:
                if key not in ("value", "note") and not key.startswith("x-"):
                    self.error(
                        (*at, key),
                        "unknown-key",
                        f"unknown key '{key}' in an answer",
                        did_you_mean(key, ("value", "note")) or "use `value` and `note`",
                    )
            if "value" not in entry:
                self.error(
                    at,
                    "missing-key",
                    f"answer '{question.id}' has no `value`",
                    'write `{value: N, note: "..."}`',
                )
                return None
            raw_note = entry.get("note")
            if raw_note is not None and not isinstance(raw_note, str):
                self.error(
                    (*at, "note"),
                    "invalid-value",
                    "a note must be text",
                    "put the note in quotes",
                    value=True,
                )
            note = raw_note if isinstance(raw_note, str) else ""
            value_at, entry = (*at, "value"), entry["value"]
        problem, value = check_value(question, entry)
        if problem:
            self.error(
                value_at,
                "invalid-answer",
                f"{question.id}: {problem}",
                _answer_hint(question),
                value=True,
            )
            return None
        note = note.strip()
        if note or isinstance(value, NotApplicable):
            return Answer.given(value, note)
        # Most answers have no note: share one object per common value.
        return _BARE.get((type(value), value)) or Answer(value)

    def unique(self, names: list[str], key: str, kind: str, suffix: Path = ()) -> None:
        """The same stakeholder, approach or accepted risk listed twice: a copy left behind,
        or two entries that were meant to differ."""
        first: dict[str, int] = {}
        for index, name in enumerate(names):
            if name not in first:
                first[name] = index
                continue
            line = self.document.value_position((key, first[name], *suffix))[0]
            self.error(
                (key, index, *suffix),
                "duplicate-entry",
                f"{kind} '{name}' is listed twice in {key} (first at line {line})",
                "remove one, or tell them apart",
                value=True,
            )

    def ids(self, support_plan: list[Any], accepted: list[Any], knowledge: Knowledge) -> None:
        """The support plan's approach ids and the accepted risks' ids, each a known one."""
        self.ids_known(
            support_plan,
            "support_plan",
            knowledge.support_ids,
            "approach",
            "see `matland rules list --kind support`",
        )
        self.ids_known(
            accepted,
            "accepted_risks",
            knowledge.risk_ids,
            "risk",
            "see `matland rules list --kind risk`",
            suffix=("id",),
        )

    def action_items(self, items: list[str], knowledge: Knowledge) -> None:
        """An action names a risk or a support approach of the catalogue."""
        known = knowledge.risk_ids | knowledge.support_ids
        for index, item in enumerate(items):
            if item not in known:
                hint = did_you_mean(item, known)
                self.error(
                    ("actions", index, "item"),
                    "unknown-action-item",
                    f"action item '{item}' is neither a risk nor a support approach",
                    hint or "see `matland rules list --kind risk` and `--kind support`",
                    value=True,
                )

    def ids_known(
        self,
        ids: list[Any],
        key: str,
        known: frozenset[str],
        kind: str,
        fallback: str,
        suffix: Path = (),
    ) -> None:
        for index, item in enumerate(ids):
            if isinstance(item, str) and item not in known:  # not text: the model said so
                hint = did_you_mean(item, known) or fallback
                self.error(
                    (key, index, *suffix),
                    f"unknown-{kind}",
                    f"unknown {kind} id '{item}' in {key}",
                    hint,
                    value=True,
                )


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def check_value(question: Question, value: Any) -> tuple[str, GivenValue]:
    """('', value) for a good answer (None for `unsure`, NOT_APPLICABLE for `n/a`), or
    (what is wrong, None)."""
    if value == UNSURE:
        return "", None
    if value == NA:
        if question.group in DIMENSIONS:
            return (
                "`n/a` is not an answer to one of the twelve items that place the policy "
                f"(every policy has a level of {question.group}); write `unsure` if it is not "
                "known",
                None,
            )
        return "", NOT_APPLICABLE
    if value is None:
        return "no answer given", None
    if question.type == "bool":
        if isinstance(value, bool):
            return "", value
        return f"{value!r} is not a yes/no answer", None
    if isinstance(value, bool):
        return "a yes/no answer (true/false) where a number is asked", None
    if not isinstance(value, int | float):
        return f"{value!r} is not a number", None
    if isinstance(value, float) and not value.is_integer():
        return f"{value} is not a whole number", None
    number = int(value)
    if isinstance(value, float):
        return f"{value} is not a whole number (write {number})", None
    if question.type == "count":
        return ("", number) if number >= 1 else (f"{number} is not a positive count", None)
    if not 1 <= number <= 5:
        return f"{number} is outside 1–5", None
    return "", number


def _as_written(value: Any) -> str:
    """A value in YAML's words (`true`, not Python's `True`)."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)


def _answer_hint(question: Question) -> str:
    if question.type == "bool":
        return f"answer true or false (yes/no), or unsure{_or_na(question)}"
    if question.type == "count":
        return f"give a whole number of 1 or more, or unsure{_or_na(question)}"
    return f"give a whole number from 1 (least) to 5 (most), or unsure{_or_na(question)}"


def _or_na(question: Question) -> str:
    return "" if question.group in DIMENSIONS else " (n/a when it does not apply)"


_ENTRY_NAMES = {"stakeholders": ("stakeholder", "name"), "accepted_risks": ("accepted risk", "id")}


def _missing(loc: tuple[Any, ...], data: dict[str, Any]) -> str:
    """A missing key in a reader's words: `stakeholder 2 (LGA) has no role:`."""
    if len(loc) == 3 and loc[0] in _ENTRY_NAMES and isinstance(loc[1], int):
        kind, named_by = _ENTRY_NAMES[loc[0]]
        entry = data[loc[0]][loc[1]]
        name = entry.get(named_by) if isinstance(entry, dict) else None
        called = f" ({name})" if isinstance(name, str) and name.strip() else ""
        return f"{kind} {loc[1] + 1}{called} has no `{loc[2]}:`"
    return "missing required key '" + ".".join(str(part) for part in loc) + "'"


def _missing_hint(loc: tuple[Any, ...]) -> str:
    if loc == ("policy",):
        return "add `policy:` with at least a `title:`"
    if loc == ("policy", "title"):
        return "add `title:` under `policy:`"
    return f"add `{loc[-1]}:`"
