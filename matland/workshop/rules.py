"""rules/workshop.yaml as typed objects: the disagreement rule, the group's rounding, the
roles' comparison, who counts in the group's position, and survey tools' own columns."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from matland.core.classify import SCALE_MAX, SCALE_MIN
from matland.core.rulefiles import load_rules_file

Half = Literal["towards_midpoint", "up", "down"]
Text = Annotated[str, Field(min_length=1)]


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DisagreementRule(_Rule):
    low_max: Annotated[int, Field(ge=SCALE_MIN, le=SCALE_MAX)]
    high_min: Annotated[int, Field(ge=SCALE_MIN, le=SCALE_MAX)]
    divisor: Annotated[int, Field(ge=1)]
    min_spread: Annotated[int, Field(ge=0)]
    explanation: Text
    source: Text

    @model_validator(mode="after")
    def _extremes_apart(self) -> DisagreementRule:
        if self.low_max >= self.high_min:
            raise ValueError("low_max must be below high_min")
        return self


class ConflictEvidence(_Rule):
    text: Text
    source: Text
    # Whether a contested conflict item counts at its high side's median in the group's
    # position (the medians alone are then shown beside it).
    counts_in_position: bool = False
    position_text: str = ""


class GroupRule(_Rule):
    scale_half: Half
    count_half: Half
    source: Text


class RolesRule(_Rule):
    top_items: Annotated[int, Field(ge=1)]
    min_gap: Annotated[float, Field(ge=0)]
    unspecified: Text
    source: Text


class ParticipantsRule(_Rule):
    min_classification_answered: Annotated[float, Field(ge=0, le=1)]
    source: Text


class SurveyColumns(_Rule):
    """Headers survey tools write, recognised without a map (folded as csvinput folds)."""

    participant: tuple[Text, ...]
    role: tuple[Text, ...]
    policy: tuple[Text, ...]
    submitted: tuple[Text, ...]
    ignored: tuple[Text, ...]
    source: Text


class StabilityRule(_Rule):
    """How stable the group's paradigm is to who happened to attend: a bootstrap."""

    resamples: int = Field(ge=1, le=100_000)
    seed: int
    source: Text


class WorkshopRules(_Rule):
    version: Literal[1]
    disagreement: DisagreementRule
    conflict_evidence: ConflictEvidence
    stability: StabilityRule | None = None
    group: GroupRule
    roles: RolesRule
    participants: ParticipantsRule
    survey: SurveyColumns


def load_workshop_rules(rules_dir: str | None = None) -> WorkshopRules:
    """rules/workshop.yaml (bundled, or in --rules DIR); raises KnowledgeError."""
    rules: WorkshopRules = load_rules_file("workshop", WorkshopRules, rules_dir)
    return rules
