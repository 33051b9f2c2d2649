"""Review files (`matland-review: 1`): YAML → positioned data → Review, or the Findings
that say what is wrong, each at its line:column, as for proposals (load.py).

A review is checked against what it reviews: the proposal file must exist and be valid;
a risk it reports on must be one the proposal's assessment flagged; a support approach one
that was recommended or planned; a re-answered item a classification item.
"""

from __future__ import annotations

import functools
import os
import types
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from matland.core.assessment import Assessment, assess
from matland.core.findings import Finding, did_you_mean
from matland.core.knowledge import Knowledge
from matland.core.model import Answer
from matland.core.reviewfile import (
    REVIEW_KEY,
    REVIEW_VERSION,
    CriterionRating,
    Review,
    ReviewFile,
    RiskOutcome,
    SupportOutcome,
)
from matland.core.reviewrules import ReviewRules, load_review_rules
from matland.core.yamlpos import DEFAULT_MAX_BYTES, Document
from matland.source.load import Fields, _Checker, check_value, load_proposal, read_document

Loaded = tuple[Review | None, list[Finding]]


def load_review(path: str, knowledge: Knowledge, max_bytes: int = DEFAULT_MAX_BYTES) -> Loaded:
    """Read and validate one review file, and assess the proposal it reviews."""
    document, problems = read_document(path, max_bytes)
    if document is None:
        return None, problems
    return review_from_document(path, document, knowledge, max_bytes)


def review_from_document(
    path: str, document: Document, knowledge: Knowledge, max_bytes: int = DEFAULT_MAX_BYTES
) -> Loaded:
    checker = _ReviewChecker(path, document, knowledge, load_review_rules(str(knowledge.root)))
    review = checker.run(max_bytes)
    findings = sorted(checker.findings, key=lambda f: (f.line, f.column))
    return (review if not findings else None), findings


class _ReviewChecker(_Checker):
    def __init__(
        self, path: str, document: Document, knowledge: Knowledge, rules: ReviewRules
    ) -> None:
        super().__init__(path, document)
        self.knowledge = knowledge
        self.rules = rules

    def fields_of(self, kind: type) -> Fields:
        """A review's parts are its pydantic models' (core/reviewfile.py)."""
        return _model_fields(kind)

    def run(self, max_bytes: int) -> Review | None:
        data = self.document.data
        if not isinstance(data, dict) or not self._version(data):
            return None
        body = {k: v for k, v in data.items() if k != REVIEW_KEY}
        self.check_keys(body, ReviewFile, ())
        self._entries(body, "criteria", CriterionRating, self.rules.criterion_ids, "criterion")
        self._entries(body, "risks", RiskOutcome, None, "risk")
        self._entries(body, "support", SupportOutcome, None, "approach")
        try:
            envelope = ReviewFile.model_validate(body)
        except ValidationError as error:
            self.pydantic_errors(error, body)
            self.findings = [_plain_date(f) for f in self.findings]
            return None
        assessment, proposal_path = self._proposal(envelope.proposal, max_bytes)
        reanswered = self._reanswered(envelope.reanswered)
        if assessment is None:
            return None
        self._risks(envelope, assessment)
        self._support(envelope, assessment)
        if self.findings:
            return None
        return Review(self.path, envelope, proposal_path, assessment, reanswered, self.document)

    def _version(self, data: dict[str, Any]) -> bool:
        version = data.get(REVIEW_KEY)
        if version == REVIEW_VERSION and type(version) is int:
            return True
        self.error(
            (REVIEW_KEY,),
            "bad-version",
            f"unknown review format version ({version!r})",
            f"write `{REVIEW_KEY}: {REVIEW_VERSION}` as the first line",
            value=True,
        )
        return False

    def _entries(
        self,
        body: dict[str, Any],
        key: str,
        model: type[CriterionRating | RiskOutcome | SupportOutcome],
        known: tuple[str, ...] | None,
        kind: str,
    ) -> None:
        """The keys of each entry of a mapping of entries; for criteria, the ids too."""
        entries = body.get(key)
        if not isinstance(entries, dict):
            return
        for entry_id, entry in entries.items():
            if known is not None and entry_id not in known:
                self.error(
                    (key, entry_id),
                    f"unknown-{kind}",
                    f"unknown {kind} '{entry_id}'",
                    did_you_mean(entry_id, known) or f"the criteria are: {', '.join(known)}",
                )
                continue
            self.check_keys(entry, model, (key, entry_id))

    def _proposal(self, named: str, max_bytes: int) -> tuple[Assessment | None, str]:
        base = os.path.dirname(self.path)
        path = os.path.normpath(os.path.join(base, named)) if base else named
        at = ("proposal",)
        if not os.path.isfile(path):
            self.error(
                at,
                "no-such-proposal",
                f"the proposal file '{named}' does not exist (looked for {path})",
                "give the proposal's path relative to this review file",
                value=True,
            )
            return None, path
        proposal, errors = load_proposal(path, self.knowledge, max_bytes)
        if proposal is None:
            first = errors[0].one_line() if errors else ""
            self.error(
                at,
                "invalid-proposal",
                f"the proposal it reviews is not valid: {first}",
                f"run `matland check {path}`",
                value=True,
            )
            return None, path
        return assess(proposal, self.knowledge), path

    def _risks(self, envelope: ReviewFile, assessment: Assessment) -> None:
        flagged = [r.id for r in assessment.risks]
        self._named(
            "risks",
            envelope.risks,
            flagged,
            self.knowledge.risk_ids,
            ("unflagged-risk", "was never flagged by the assessment of " + envelope.proposal),
            ("unknown-risk", "unknown risk id"),
            "if it happened, write it under `unexpected:`; flagged: " + ", ".join(flagged),
        )

    def _support(self, envelope: ReviewFile, assessment: Assessment) -> None:
        offered = [r.id for r in assessment.recommendations]
        offered += list(assessment.proposal.support_plan)
        self._named(
            "support",
            envelope.support,
            offered,
            self.knowledge.support_ids,
            ("unplanned-approach", "was neither recommended nor planned"),
            ("unknown-approach", "unknown approach id"),
            "see `matland review init` for the list",
        )

    def _named(
        self,
        key: str,
        named: Iterable[str],
        offered: list[str],
        known: frozenset[str],
        not_offered: tuple[str, str],
        unknown: tuple[str, str],
        fallback: str,
    ) -> None:
        """Each id a review reports on is one the assessment gave (flagged, recommended,
        planned): a known id it did not give, or an unknown id, is an error at the entry."""
        for entry_id in named:
            if entry_id in offered:
                continue
            rule_id, words = not_offered if entry_id in known else unknown
            message = f"'{entry_id}' {words}" if entry_id in known else f"{words} '{entry_id}'"
            hint = did_you_mean(entry_id, offered) or fallback
            self.error((key, entry_id), rule_id, message, hint)

    def _reanswered(self, raw: dict[str, Any]) -> dict[str, Answer]:
        items = {
            *self.knowledge.dimension_items("ambiguity"),
            *self.knowledge.dimension_items("conflict"),
        }
        answers: dict[str, Answer] = {}
        for item, entry in raw.items():
            at: tuple[str, ...] = ("reanswered", item)
            if item not in items:
                known = item in self.knowledge.questions
                self.error(
                    at,
                    "not-a-classification-item" if known else "unknown-question",
                    f"'{item}' is not a classification item"
                    if known
                    else f"unknown question id '{item}'",
                    did_you_mean(item, items) or "re-answer ambiguity and conflict items only",
                )
                continue
            note = ""
            value = entry
            if isinstance(entry, dict):
                for key in entry:
                    if key not in ("value", "note"):
                        self.error(
                            (*at, key),
                            "unknown-key",
                            f"unknown key '{key}' in an answer",
                            did_you_mean(key, ("value", "note")) or "use `value` and `note`",
                        )
                value = entry.get("value")
                raw_note = entry.get("note")
                note = raw_note if isinstance(raw_note, str) else ""
                at = (*at, "value")
            problem, checked = check_value(self.knowledge.questions[item], value)
            if problem:
                self.error(
                    at,
                    "invalid-answer",
                    f"{item}: {problem}",
                    "give a whole number from 1 to 5, or unsure",
                    value=True,
                )
                continue
            answers[item] = Answer.given(checked, note.strip())
        return answers


def _plain_date(finding: Finding) -> Finding:
    if finding.rule_id == "invalid-value" and finding.message.startswith("date: string should"):
        return finding._replace(
            message="date: must be a date written YYYY-MM-DD", hint="e.g. `date: 2018-07-31`"
        )
    return finding


@functools.cache
def _model_fields(model: type[BaseModel]) -> Fields:
    """Each field of a model with the sub-models its type names; worked out once."""
    return {name: _sub_models(info.annotation) for name, info in model.model_fields.items()}


def _sub_models(annotation: Any) -> tuple[tuple[type, bool], ...]:
    """(model, is a list of it) for each model a field's type names."""
    found: list[tuple[type, bool]] = []
    for candidate in _flatten(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            found.append((candidate, False))
        elif typing.get_origin(candidate) is list:
            (item_type,) = typing.get_args(candidate) or (Any,)
            found += [(model, True) for model, _ in _sub_models(item_type)]
    return tuple(found)


def _flatten(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _flatten(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [part for arg in typing.get_args(annotation) for part in _flatten(arg)]
    return [annotation]
