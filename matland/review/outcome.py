"""One review set beside its prediction: the profile across the six criteria, the place on
McConnell's spectrum, the flagged risks against what happened, the support delivered
against the mix recommended, and whether the paradigm still fits."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from matland.core.assessment import Assessment
from matland.core.knowledge import Knowledge
from matland.core.records import record
from matland.core.reviewfile import Rating, Review, reassess
from matland.core.reviewrules import LEVELS, Criterion, Position, ReviewRules
from matland.core.vocabulary import DELIVERED, MATERIALISED
from matland.core.words import flat

NOT_SAID = "not said"  # a risk or approach the review leaves out


@record
class CriterionResult:
    criterion: Criterion
    rating: Rating
    evidence: str
    rater: str | None

    @property
    def described(self) -> str:
        """Table 3's words for the level rated ('' when unsure)."""
        if self.rating == "unsure":
            return ""
        text: str = getattr(self.criterion.levels, self.rating)
        return flat(text)


@record
class SpectrumPlace:
    """Where the six criteria put the result; `position` None: too few rated to say."""

    position: Position | None
    counts: Mapping[str, int]  # success, conflicted, failure, unsure
    rated: int
    min_rated: int
    source: str
    positions: tuple[Position, ...]  # the whole mapping, as rules/review.yaml states it

    def share(self, level: str) -> float:
        return self.counts[level] / self.rated if self.rated else 0.0


@record
class RiskOutcome:
    id: str
    title: str
    severity: str
    met_by: tuple[str, ...]  # the plan's approaches the assessment said meet it
    materialised: str  # MATERIALISED, or NOT_SAID
    note: str


@record
class SupportOutcome:
    id: str
    name: str
    rank: int | None  # its place among the recommendations, None if not recommended
    planned: bool
    delivered: str  # DELIVERED, or NOT_SAID
    note: str


@record
class ItemChange:
    id: str
    before: int | bool | None
    after: int | bool | None
    note: str


@record
class ParadigmCheck:
    """The paradigm predicted and the one at review time, from the items re-answered."""

    changes: tuple[ItemChange, ...]
    before: Assessment
    after: Assessment

    @property
    def reanswered(self) -> bool:
        return bool(self.changes)

    @property
    def still_fits(self) -> bool:
        return self.before.paradigm == self.after.paradigm


@record
class ReviewOutcome:
    review: Review
    criteria: tuple[CriterionResult, ...]
    spectrum: SpectrumPlace
    risks: tuple[RiskOutcome, ...]
    unexpected: tuple[str, ...]
    support: tuple[SupportOutcome, ...]
    paradigm: ParadigmCheck

    @property
    def title(self) -> str:
        return self.review.assessment.proposal.policy.title

    def risk_tally(self) -> dict[str, int]:
        counted = Counter(r.materialised for r in self.risks)
        return {k: counted[k] for k in (*MATERIALISED, NOT_SAID) if counted[k]}

    def support_tally(self) -> dict[str, int]:
        counted = Counter(s.delivered for s in self.support)
        return {k: counted[k] for k in (*DELIVERED, NOT_SAID) if counted[k]}


def outcome(review: Review, knowledge: Knowledge, rules: ReviewRules) -> ReviewOutcome:
    criteria = tuple(_criterion(review, c) for c in rules.criteria)
    return ReviewOutcome(
        review=review,
        criteria=criteria,
        spectrum=place(tuple(c.rating for c in criteria), rules),
        risks=_risks(review),
        unexpected=tuple(review.file.unexpected),
        support=_support(review, knowledge),
        paradigm=_paradigm(review, knowledge),
    )


def place(ratings: tuple[Rating, ...], rules: ReviewRules) -> SpectrumPlace:
    """The first position of the spectrum (rules/review.yaml) whose limits the shares of
    the rated criteria meet; none when fewer than `min_rated` are rated."""
    spectrum = rules.spectrum
    counts: Counter[str] = Counter(ratings)
    tally = {level: counts[level] for level in (*LEVELS, "unsure")}
    rated = sum(tally[level] for level in LEVELS)
    found = None
    if rated >= spectrum.min_rated:
        success, failure = tally["success"] / rated, tally["failure"] / rated
        found = next((p for p in spectrum.positions if p.holds(success, failure)), None)
    return SpectrumPlace(
        found, tally, rated, spectrum.min_rated, spectrum.source, tuple(spectrum.positions)
    )


def _criterion(review: Review, criterion: Criterion) -> CriterionResult:
    rated = review.file.criteria.get(criterion.id)
    if rated is None:
        return CriterionResult(criterion, "unsure", "", review.file.rater)
    evidence = flat(rated.evidence)
    return CriterionResult(criterion, rated.rating, evidence, rated.rater or review.file.rater)


def _risks(review: Review) -> tuple[RiskOutcome, ...]:
    said = review.file.risks
    found = []
    for fired in review.assessment.risks:
        entry = said.get(fired.id)
        found.append(
            RiskOutcome(
                fired.id,
                fired.risk.rule.title,
                fired.severity,
                fired.met_by,
                entry.materialised if entry else NOT_SAID,
                flat(entry.note) if entry else "",
            )
        )
    return tuple(found)


def _support(review: Review, knowledge: Knowledge) -> tuple[SupportOutcome, ...]:
    assessment = review.assessment
    ranks = {rec.id: rank for rank, rec in enumerate(assessment.recommendations, 1)}
    planned = assessment.proposal.support_plan
    ids = [*ranks, *(a for a in planned if a not in ranks)]
    found = []
    for approach in ids:
        entry = review.file.support.get(approach)
        found.append(
            SupportOutcome(
                approach,
                knowledge.approaches[approach].name,
                ranks.get(approach),
                approach in planned,
                entry.delivered if entry else NOT_SAID,
                flat(entry.note) if entry else "",
            )
        )
    return tuple(found)


def _paradigm(review: Review, knowledge: Knowledge) -> ParadigmCheck:
    before = review.assessment
    answers = before.proposal.answers
    changes = tuple(
        ItemChange(
            item,
            answers[item].value if item in answers else None,
            answer.value,
            answer.note,
        )
        for item, answer in review.reanswered.items()
    )
    return ParadigmCheck(changes, before, reassess(review, knowledge))
