"""The rules files' schema as pydantic models: what a rules directory is validated against
when it is read (ruleload.py), each model turned then into the plain record of the same name
in knowledge.py, which is what the rest of matland uses and the rules cache keeps. So a run
with the rules cache warm imports no pydantic (a test keeps the two sides' fields in step).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from matland.core.knowledge import Evidence, Hindrance
from matland.core.vocabulary import ParadigmName

Text = Annotated[str, Field(min_length=1)]


def _rating(value: Any) -> Any:
    # An unquoted yes/no in YAML 1.1 is a boolean; the catalogue means the word.
    return {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value


Rating = Annotated[Literal["yes", "in part", "no"], BeforeValidator(_rating)]


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Group(_Rule):
    id: Text
    title: Text
    intro: Text
    source: Text


class Question(_Rule):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    group: Text
    type: Literal["scale", "bool", "count"]
    text: Text
    help: Text
    anchors: dict[int, Text] | None = None
    lever: str | None = None
    lever_source: str | None = None
    # Asked only when an earlier yes/no item has this answer (`{pilot: true}`); unanswered or
    # unsure, the item is asked.
    asked_when: dict[str, bool] | None = None
    source: Text


class QuestionsFile(_Rule):
    version: Literal[1]
    groups: list[Group]
    questions: list[Question]


class Paradigm(_Rule):
    id: ParadigmName
    name: Text
    ambiguity: Literal["low", "high"]
    conflict: Literal["low", "high"]
    principle: Text
    decides: Text
    description: Text
    support_model: Text
    pitfalls: list[Text]
    example: Text
    evidence: Evidence
    source: Text


class ParadigmsFile(_Rule):
    version: Literal[1]
    paradigms: list[Paradigm]


class ConfidenceLevel(_Rule):
    min_distance: Annotated[float, Field(ge=0, le=50)]
    min_answered_share: Annotated[float, Field(ge=0, le=1)]


class TieRule(_Rule):
    side: Literal["low", "high"]
    when: Any
    why: Text
    source: Text


class Ties(_Rule):
    within: Annotated[float, Field(ge=0, lt=50)]
    ambiguity: list[TieRule] = []
    conflict: list[TieRule] = []


class Classification(_Rule):
    version: Literal[1]
    weights: dict[Literal["ambiguity", "conflict"], dict[str, Annotated[float, Field(gt=0)]]]
    midpoint: Annotated[float, Field(gt=0, lt=100)]
    band: Annotated[float, Field(ge=0, lt=50)]
    min_answered_share: Annotated[float, Field(ge=0, le=1)]
    confidence: dict[Literal["high", "medium"], ConfidenceLevel]
    ties: Ties = Ties(within=0)
    source: Text


class Premise(_Rule):
    """What an approach presupposes; the answers that contradict it leave it out."""

    says: Text
    contradicted_when: Any
    source: Text


class Approach(_Rule):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name: Text
    description: Text
    performance_management: Rating
    problem_solving: Rating
    capacity_building: Rating
    collaboration: Rating
    evidence: Evidence
    mitigates: list[Hindrance] = []
    premise: Premise | None = None
    source: Text


Share = Annotated[float, Field(ge=0, le=1)]


class MixEntry(_Rule):
    performance_management: Share
    problem_solving: Share
    capacity_building: Share
    collaboration: Share
    summary: Text
    evidence: Evidence
    source: Text
    model: list[str] = []  # the approaches that embody the paradigm's support model


class Ranking(_Rule):
    top: Annotated[int, Field(ge=1)]
    rating_values: dict[Literal["yes", "in part", "no"], Share]
    risk_bonus: Share
    source: Text


class SupportFile(_Rule):
    version: Literal[1]
    approaches: list[Approach]
    mix: dict[ParadigmName, MixEntry]
    ranking: Ranking


class Escalation(_Rule):
    when: Any
    severity: Literal["info", "low", "medium", "high"]
    why: Text


class RiskExamples(_Rule):
    fires: list[dict[str, Any]] = []
    quiet: list[dict[str, Any]] = []
    escalates: list[dict[str, Any]] = []


class MetBy(_Rule):
    """The support approaches that meet a risk: in the proposal's plan, the risk is still
    reported, at `severity` (lowered), as met by the plan."""

    approaches: Annotated[list[str], Field(min_length=1)]
    severity: Literal["info", "low", "medium"]
    source: Text


class RiskRule(_Rule):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    title: Text
    category: Literal[
        "over_optimism",
        "dispersed_governance",
        "collaborative_policymaking",
        "political_cycle",
        "paradigm",
        "preparation",
        "support_plan",
        "consistency",
        "completeness",
    ]
    severity: Literal["info", "low", "medium", "high"]
    escalate: list[Escalation] = []
    when: Any
    explanation: Text
    mitigation: Text
    evidence: Evidence
    source: Text
    examples: RiskExamples = RiskExamples()
    met_by: MetBy | None = None


class RisksFile(_Rule):
    version: Literal[1]
    risks: list[RiskRule]


class Work(_Rule):
    """A work the rules cite (rules/sources.yaml)."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    cited_as: Annotated[list[Text], Field(min_length=1)]
    authors: Text
    title: Text
    year: int | None = None
    journal: str | None = None
    publisher: str | None = None
    doi: str | None = None
    url: str | None = None


class SourcesFile(_Rule):
    version: Literal[1]
    sources: list[Work]
