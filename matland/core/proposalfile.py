"""The proposal file's envelope as pydantic models (the contract: docs/questionnaire-v1.md):
the reference that validates a file the quick check in load.py does not vouch for, and what
`matland schema` is made from. Each model is turned into the plain record of the same name
in model.py, which is what a Proposal holds (a test keeps the two sides' fields in step).
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints

from matland.core.model import RECORDS, Influence, Role, Stance
from matland.core.records import from_model

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
R = TypeVar("R")


def _none_is_empty_list(value: Any) -> Any:
    # `stakeholders:` with every entry commented out is null in YAML; it means "none yet".
    return [] if value is None else value


def _none_is_empty_dict(value: Any) -> Any:
    return {} if value is None else value


class _Node(BaseModel):
    # Unknown keys are reported before validation (with "did you mean" and their position),
    # so the models themselves ignore extras such as the user's `x-` keys.
    model_config = ConfigDict(extra="ignore", frozen=True, strict=True)


class Policy(_Node):
    title: Text
    summary: str | None = None
    owner: str | None = None
    jurisdiction: str | None = None


class Stakeholder(_Node):
    name: Text
    role: Role
    stance: Stance = "neutral"
    influence: Influence = "medium"


class Respondent(_Node):
    name: str | None = None
    role: str | None = None


class AcceptedRisk(_Node):
    id: Text
    reason: Text


class Action(_Node):
    """Who takes a risk or a recommended approach of the action plan forward, and by when:
    kept in the proposal so every later run shows it (`actions:`)."""

    item: Text  # a risk id or a support approach id
    owner: str | None = None
    due: str | None = None  # a date as the team writes it (2027-03-31, "Q2 2027")
    outcome: str | None = None  # the expected outcome


class ProposalFile(_Node):
    """The envelope of a proposal; `answers` are checked against the questionnaire in load.py."""

    matland: int
    policy: Policy
    answers: Annotated[dict[str, Any], BeforeValidator(_none_is_empty_dict)] = {}
    stakeholders: Annotated[list[Stakeholder], BeforeValidator(_none_is_empty_list)] = []
    support_plan: Annotated[list[Text], BeforeValidator(_none_is_empty_list)] = []
    accepted_risks: Annotated[list[AcceptedRisk], BeforeValidator(_none_is_empty_list)] = []
    lessons: Annotated[list[Text], BeforeValidator(_none_is_empty_list)] = []
    respondent: Respondent | None = None
    actions: Annotated[list[Action], BeforeValidator(_none_is_empty_list)] = []


def validated(model: type[BaseModel], kind: type[R], **data: Any) -> R:
    """A part of a proposal made from what a person typed (`assess`, a workshop's title):
    validated by its model (raising ValidationError), as its record."""
    made: R = from_model(model.model_validate(data), RECORDS)
    assert isinstance(made, kind)
    return made
