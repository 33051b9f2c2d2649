"""rules/review.yaml as typed objects: the "four + one" questions, the six criteria of the
report's Table 3 with their level descriptions, and the mapping onto McConnell's spectrum.

In the core because three parts read it: the review questions handout (render), the review
file's validation (source) and the review's computations (review).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from matland.core.rulefiles import load_rules_file

Text = Annotated[str, Field(min_length=1)]
Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Share = Annotated[float, Field(ge=0.0, le=1.0)]
LEVELS = ("success", "conflicted", "failure")  # Table 3's three columns, in its order


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReviewQuestion(_Rule):
    id: Id
    part: Literal["four", "one"]
    question: Text
    prompt: Text
    source: Text


class Levels(_Rule):
    success: Text
    conflicted: Text
    failure: Text


class Criterion(_Rule):
    id: Id
    name: Text
    asks: Text
    levels: Levels
    source: Text


class Position(_Rule):
    id: Id
    name: Text
    describes: Text
    success_share_at_least: Share
    failure_share_at_most: Share

    def holds(self, success_share: float, failure_share: float) -> bool:
        return (
            success_share >= self.success_share_at_least
            and failure_share <= self.failure_share_at_most
        )


class Spectrum(_Rule):
    source: Text
    min_rated: Annotated[int, Field(ge=1)]
    positions: Annotated[list[Position], Field(min_length=1)]


class ReviewRules(_Rule):
    version: Literal[1]
    title: Text
    intro: Text
    source: Text
    questions: list[ReviewQuestion]
    criteria_source: Text
    criteria: Annotated[list[Criterion], Field(min_length=1)]
    spectrum: Spectrum

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)

    @property
    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria)


def load_review_rules(rules_dir: str | None = None) -> ReviewRules:
    rules: ReviewRules = load_rules_file("review", ReviewRules, rules_dir)
    return rules
