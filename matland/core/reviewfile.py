"""The review file, format `matland-review: 1` (docs/review-v1.md), as objects.

A review says, after roll-out, how the policy's implementation support fared on the six
criteria of the report's Table 3 (rules/review.yaml), which of the risks its assessment
flagged materialised, which support approaches were delivered, what happened that nothing
flagged, and (optionally) how the classification items would be answered now.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from matland.core.assessment import Assessment, FileResult, assess
from matland.core.knowledge import Knowledge
from matland.core.model import Answer
from matland.core.records import record
from matland.core.vocabulary import REVIEW_KEY as REVIEW_KEY  # its home before
from matland.core.yamlpos import Document

REVIEW_VERSION = 1

Rating = Literal["success", "conflicted", "failure", "unsure"]
Materialised = Literal["yes", "partly", "no", "too early"]
Delivered = Literal["yes", "partly", "no", "unsure"]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]


def _yes_no(value: Any) -> Any:
    # YAML 1.1 reads a bare `yes` / `no` as true / false: they mean the words here.
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value


def _none_is_empty(empty: Any) -> Any:
    def convert(value: Any) -> Any:
        return empty() if value is None else value

    return BeforeValidator(convert)


class _Node(BaseModel):
    # Unknown keys are reported before validation, with "did you mean" and their position.
    model_config = ConfigDict(extra="ignore", frozen=True, strict=True)


class CriterionRating(_Node):
    rating: Rating
    evidence: Annotated[str, _none_is_empty(str)] = ""
    rater: str | None = None


class RiskOutcome(_Node):
    materialised: Annotated[Materialised, BeforeValidator(_yes_no)]
    note: Annotated[str, _none_is_empty(str)] = ""


class SupportOutcome(_Node):
    delivered: Annotated[Delivered, BeforeValidator(_yes_no)]
    note: Annotated[str, _none_is_empty(str)] = ""


class ReviewFile(_Node):
    """The envelope; `matland-review` itself is checked before (it is not a name)."""

    proposal: Text = Field(description="the proposal file reviewed, relative to this file")
    date: IsoDate = Field(description="when the review was made, YYYY-MM-DD")
    phase: Text = Field(description='e.g. "stocktake 2", "one year on"')
    rater: str | None = Field(default=None, description="who rated, unless a criterion says")
    criteria: Annotated[dict[str, CriterionRating], _none_is_empty(dict)] = {}
    risks: Annotated[dict[str, RiskOutcome], _none_is_empty(dict)] = {}
    support: Annotated[dict[str, SupportOutcome], _none_is_empty(dict)] = {}
    unexpected: Annotated[list[Text], _none_is_empty(list)] = []
    reanswered: Annotated[dict[str, Any], _none_is_empty(dict)] = {}


@record
class Review:
    """A validated review and the assessment of the proposal it reviews."""

    path: str
    file: ReviewFile
    proposal_path: str  # as the review's directory resolves it
    assessment: Assessment
    reanswered: Mapping[str, Answer] = field(default_factory=dict)
    document: Document = field(default_factory=lambda: Document(data={}), compare=False)

    def rating(self, criterion_id: str) -> Rating:
        rated = self.file.criteria.get(criterion_id)
        return "unsure" if rated is None else rated.rating


def reassess(review: Review, knowledge: Knowledge) -> Assessment:
    """The proposal assessed again with the items re-answered at review time (the same
    assessment when none were): where the policy stands now."""
    if not review.reanswered:
        return review.assessment
    proposal = review.assessment.proposal
    answers = {**proposal.answers, **review.reanswered}
    return assess(dataclasses.replace(proposal, answers=answers), knowledge)


def as_checked(review: Review, knowledge: Knowledge) -> FileResult:
    """How `matland check` shows a valid review: the policy where the review places it, with
    no findings of its own (the proposal's risks are the proposal file's findings)."""
    now = reassess(review, knowledge)
    shown = dataclasses.replace(now, risks=(), extra_findings=())
    return FileResult(review.path, shown, kind="review")
