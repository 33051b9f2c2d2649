"""The proposal file, format version 1 (the contract: docs/questionnaire-v1.md), as objects.

Plain frozen records: the pydantic models that validate a file's envelope, and that
`matland schema` is made from, are in proposalfile.py (each with the fields of its record
here), imported only when a file needs them (load.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import Any, Literal

from matland.core.records import record
from matland.core.vocabulary import NA, UNSURE
from matland.core.yamlpos import Document

FORMAT_VERSION = 1
PLACEHOLDER_TITLE = "TITLE OF THE POLICY"  # what `matland init` writes until told the title

Role = Literal["implementer", "sponsor", "affected", "partner", "opponent"]
Stance = Literal["support", "neutral", "oppose"]
Influence = Literal["low", "medium", "high"]


@record(kw_only=True)
class Policy:
    title: str
    summary: str | None = None
    owner: str | None = None
    jurisdiction: str | None = None


@record(kw_only=True)
class Stakeholder:
    name: str
    role: Role
    stance: Stance = "neutral"
    influence: Influence = "medium"


@record(kw_only=True)
class Respondent:
    name: str | None = None
    role: str | None = None


@record(kw_only=True)
class AcceptedRisk:
    id: str
    reason: str


@record(kw_only=True)
class Action:
    """Who takes a risk or a recommended approach of the action plan forward, and by when:
    kept in the proposal so every later run shows it (`actions:`)."""

    item: str  # a risk id or a support approach id
    owner: str | None = None
    due: str | None = None  # a date as the team writes it (2027-03-31, "Q2 2027")
    outcome: str | None = None  # the expected outcome


@record(kw_only=True)
class ProposalFile:
    """The envelope of a proposal as validated (its answers are checked in load.py)."""

    matland: int
    policy: Policy
    answers: dict[str, Any] = field(default_factory=dict)
    stakeholders: list[Stakeholder] = field(default_factory=list)
    support_plan: list[str] = field(default_factory=list)
    accepted_risks: list[AcceptedRisk] = field(default_factory=list)
    lessons: list[str] = field(default_factory=list)
    respondent: Respondent | None = None
    actions: list[Action] = field(default_factory=list)


# Each record by name: what proposalfile.py's validated models are turned into.
RECORDS: Mapping[str, type] = {
    kind.__name__: kind
    for kind in (Policy, Stakeholder, Respondent, AcceptedRisk, Action, ProposalFile)
}


AnswerValue = int | bool | None  # None: no value (the respondent said `unsure` or `n/a`)


class NotApplicable:
    """The answer `n/a`: the item does not apply to this policy (not "I do not know")."""

    _one: NotApplicable | None = None

    def __new__(cls) -> NotApplicable:
        if cls._one is None:
            cls._one = super().__new__(cls)
        return cls._one

    def __repr__(self) -> str:
        return "NOT_APPLICABLE"


NOT_APPLICABLE = NotApplicable()
# What a reader of answers gives back: a value, None for `unsure`, or NOT_APPLICABLE.
GivenValue = AnswerValue | NotApplicable


@record
class Answer:
    value: AnswerValue
    note: str = ""
    # False for `n/a`: the item does not apply, so it is left out of every count and score
    # (an `unsure` item applies; its answer is not known).
    applies: bool = True

    @property
    def unsure(self) -> bool:
        return self.value is None and self.applies

    @property
    def written(self) -> int | bool | str:
        """The value as the file writes it: a number, true/false, `unsure` or `n/a`."""
        if self.value is None:
            return UNSURE if self.applies else NA
        return self.value

    @classmethod
    def given(cls, value: GivenValue, note: str = "") -> Answer:
        if isinstance(value, NotApplicable):
            return cls(None, note, applies=False)
        return cls(value, note)


@record
class Proposal:
    """A validated proposal; `document` keeps every node's position for later findings."""

    path: str
    policy: Policy
    answers: Mapping[str, Answer]
    stakeholders: tuple[Stakeholder, ...] = ()
    support_plan: tuple[str, ...] = ()
    accepted_risks: tuple[AcceptedRisk, ...] = ()
    lessons: tuple[str, ...] = ()
    respondent: Respondent | None = None
    actions: tuple[Action, ...] = ()
    document: Document = field(default_factory=lambda: Document(data={}), compare=False)

    def value(self, question_id: str) -> AnswerValue:
        answer = self.answers.get(question_id)
        return None if answer is None else answer.value

    def answer_position(self, question_id: str) -> tuple[int, int]:
        return self.document.position(("answers", question_id))
