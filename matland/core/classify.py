"""Scores, membership, paradigm, elements and confidence: Matland's matrix applied to answers.

Weights, midpoint, band and confidence thresholds live in rules/classification.yaml.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from matland.core.knowledge import Knowledge
from matland.core.model import AnswerValue

Confidence = Literal["high", "medium", "low"]
SCALE_MIN, SCALE_MAX = 1, 5  # the contract's scale (questionnaire-v1): 1 least, 5 most


@dataclass(frozen=True)
class DimensionScore:
    dimension: str
    score: float | None  # 0-100, None when too few items are answered
    answered: tuple[str, ...]
    unanswered: tuple[str, ...]  # missing or unsure
    contributions: Mapping[str, float]  # item -> points; they add up to the score


@dataclass(frozen=True)
class Placement:
    """Where a policy sits in the matrix and what that means."""

    ambiguity: DimensionScore
    conflict: DimensionScore
    paradigm: str | None  # None: not classifiable
    membership: Mapping[str, float] | None
    elements: tuple[str, ...]
    borderline: bool
    confidence: Confidence | None
    to_answer: tuple[str, ...]  # what to answer to make it classifiable
    distance: float | None = None  # points from the nearer line (None: not classifiable)

    @property
    def classifiable(self) -> bool:
        return self.paradigm is not None

    @property
    def answered_share(self) -> float:
        """The share of the classification items answered."""
        return answered_share(self.ambiguity, self.conflict)

    @property
    def scores(self) -> dict[str, float | None]:
        return {"ambiguity": self.ambiguity.score, "conflict": self.conflict.score}


def answered_share(ambiguity: DimensionScore, conflict: DimensionScore) -> float:
    """The share of the classification items answered (what confidence weighs)."""
    answered = len(ambiguity.answered) + len(conflict.answered)
    total = answered + len(ambiguity.unanswered) + len(conflict.unanswered)
    return answered / total if total else 0.0


def item_points(value: int) -> float:
    """An answer on the 1-5 scale as 0-100 points: (v-1)/4*100."""
    return (value - SCALE_MIN) / (SCALE_MAX - SCALE_MIN) * 100


def score_dimension(
    dimension: str, values: Mapping[str, AnswerValue], knowledge: Knowledge
) -> DimensionScore:
    """The weighted mean of the answered items of one dimension (unsure and missing left out)."""
    weights = knowledge.classification.weights[dimension]  # type: ignore[index]
    answered = tuple(item for item in weights if isinstance(values.get(item), int))
    unanswered = tuple(item for item in weights if item not in answered)
    share = len(answered) / len(weights)
    if not answered or share < knowledge.classification.min_answered_share:
        return DimensionScore(dimension, None, answered, unanswered, {})
    total_weight = sum(weights[item] for item in answered)
    contributions = {
        item: weights[item] * item_points(int(values[item])) / total_weight  # type: ignore[arg-type]
        for item in answered
    }
    return DimensionScore(
        dimension, sum(contributions.values()), answered, unanswered, contributions
    )


def membership(ambiguity: float, conflict: float, knowledge: Knowledge) -> dict[str, float]:
    """The profile over the four paradigms (report §5.1: "categories are not mutually
    exclusive"): with a, c in 0..1, administrative (1-a)(1-c), political (1-a)c,
    experimental a(1-c), symbolic ac. It sums to 1."""
    a, c = ambiguity / 100, conflict / 100
    levels = {"low": lambda x: 1 - x, "high": lambda x: x}
    return {
        paradigm.id: levels[paradigm.ambiguity](a) * levels[paradigm.conflict](c)
        for paradigm in knowledge.paradigms.values()
    }


def _quadrant(high_ambiguity: bool, high_conflict: bool, knowledge: Knowledge) -> str:
    wanted = ("high" if high_ambiguity else "low", "high" if high_conflict else "low")
    return next(p.id for p in knowledge.paradigms.values() if (p.ambiguity, p.conflict) == wanted)


def classify(values: Mapping[str, AnswerValue], knowledge: Knowledge) -> Placement:
    rules = knowledge.classification
    ambiguity = score_dimension("ambiguity", values, knowledge)
    conflict = score_dimension("conflict", values, knowledge)
    if ambiguity.score is None or conflict.score is None:
        to_answer = tuple(
            item for dim in (ambiguity, conflict) if dim.score is None for item in dim.unanswered
        )
        return Placement(ambiguity, conflict, None, None, (), False, None, to_answer)
    a, c, mid = ambiguity.score, conflict.score, rules.midpoint
    # On the midpoint itself a score counts as high, and the result is flagged borderline.
    high_a, high_c = a >= mid, c >= mid
    paradigm = _quadrant(high_a, high_c, knowledge)
    near_a, near_c = abs(a - mid) <= rules.band, abs(c - mid) <= rules.band
    neighbours = []
    if near_a:
        neighbours.append(_quadrant(not high_a, high_c, knowledge))
    if near_c:
        neighbours.append(_quadrant(high_a, not high_c, knowledge))
    if near_a and near_c:
        neighbours.append(_quadrant(not high_a, not high_c, knowledge))
    profile = membership(a, c, knowledge)
    elements = tuple(sorted(neighbours, key=lambda p: -profile[p]))
    distance = min(abs(a - mid), abs(c - mid))
    share = answered_share(ambiguity, conflict)
    return Placement(
        ambiguity,
        conflict,
        paradigm,
        profile,
        elements,
        borderline=a == mid or c == mid,
        confidence=confidence(distance, share, knowledge),
        to_answer=(),
        distance=distance,
    )


def why_confident(place: Placement, knowledge: Knowledge) -> str:
    """What the confidence rests on, and what the next level up would need: the report's one
    line (`matland explain` shows the whole trace)."""
    if place.confidence is None or place.distance is None:
        return ""
    levels = knowledge.classification.confidence
    text = (
        f"confidence {place.confidence}: {place.distance:.1f} points from the nearer line, "
        f"{place.answered_share:.0%} of the classification items answered"
    )
    if place.confidence == "high":
        return text
    above: Literal["high", "medium"] = "medium" if place.confidence == "low" else "high"
    need = levels[above]
    return (
        f"{text} ({above} needs {need.min_distance:g} points and "
        f"{need.min_answered_share:.0%} answered)"
    )


def confidence(distance: float, answered_share: float, knowledge: Knowledge) -> Confidence:
    """High / medium / low from the distance to the nearer boundary and the share answered."""
    levels = knowledge.classification.confidence
    for level in ("high", "medium"):  # strongest first
        need = levels[level]
        if distance >= need.min_distance and answered_share >= need.min_answered_share:
            return level
    return "low"
