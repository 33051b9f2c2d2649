"""Scores, membership, paradigm, elements and confidence: Matland's matrix applied to answers.

Weights, midpoint, band and confidence thresholds live in rules/classification.yaml.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import field
from typing import Any, Literal

from matland.core.knowledge import Knowledge
from matland.core.model import AnswerValue
from matland.core.records import record
from matland.core.vocabulary import PARADIGMS

Confidence = Literal["high", "medium", "low"]
SCALE_MIN, SCALE_MAX = 1, 5  # the contract's scale (questionnaire-v1): 1 least, 5 most


@record
class DimensionScore:
    dimension: str
    score: float | None  # 0-100, None when too few items are answered
    answered: tuple[str, ...]
    unanswered: tuple[str, ...]  # missing or unsure
    contributions: Mapping[str, float]  # item -> points; they add up to the score


@record
class Tie:
    """A score on a line, and how it was decided: by a rule of rules/classification.yaml
    `ties` (its side, why and source), or not at all (side None: both quadrants count)."""

    dimension: str
    side: str | None
    why: str = ""
    source: str = ""
    triggers: tuple[str, ...] = ()


@record
class Flip:
    """One answered classification item moved one step, and the paradigm it would give."""

    item: str
    dimension: str
    value: int
    moved_to: int
    paradigms: tuple[str, ...]  # after the move (two or four when it lands undecided)


@record
class Shift:
    """What one step of an item does to its dimension's score (the tornado chart)."""

    item: str
    dimension: str
    down: float | None  # points, None when the answer is already at the scale's end
    up: float | None


@record
class Stability:
    """How robust the paradigm is: which single one-step moves change it, what each item's
    step does to the score, and where the unsure and missing items could take it."""

    flips: tuple[Flip, ...]
    shifts: tuple[Shift, ...]
    # dimension -> (lowest, highest) score if every unsure or missing item were answered
    ranges: Mapping[str, tuple[float, float]]
    could_change: tuple[str, ...]  # unanswered items that alone could change the paradigm


@record
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
    # The co-primary quadrants of a policy on a line that no evidence decides (two, or four on
    # both lines); `paradigm` is then the first of them, for computations only: every text
    # says `label`.
    paradigms: tuple[str, ...] = ()
    ties: tuple[Tie, ...] = ()
    stability: Stability | None = field(default=None, compare=False)

    @property
    def classifiable(self) -> bool:
        return self.paradigm is not None

    @property
    def undecided(self) -> bool:
        return len(self.paradigms) > 1

    @property
    def label(self) -> str:
        """`political`, `undecided between political and administrative`, or `not
        classifiable`: how every output names the result."""
        if self.paradigm is None:
            return "not classifiable"
        if self.undecided:
            return "undecided between " + and_list(self.paradigms)
        return self.paradigm

    @property
    def answered_share(self) -> float:
        """The share of the classification items answered."""
        return answered_share(self.ambiguity, self.conflict)

    @property
    def scores(self) -> dict[str, float | None]:
        return {"ambiguity": self.ambiguity.score, "conflict": self.conflict.score}


def and_list(words: tuple[str, ...] | list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


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
    # one division of an exactly rounded sum: the sum of the contributions can land a float's
    # hair off (100.00000000000001, or 49.999… for a score on the line)
    points = math.fsum(weights[item] * item_points(int(values[item])) for item in answered)  # type: ignore[arg-type]
    score = min(max(points / total_weight, 0.0), 100.0)
    return DimensionScore(dimension, score, answered, unanswered, contributions)


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


def classify(
    values: Mapping[str, AnswerValue],
    knowledge: Knowledge,
    stakeholders: tuple[Mapping[str, str], ...] = (),
) -> Placement:
    """The position, paradigm, elements and confidence. `stakeholders` (each one's role,
    stance and influence) is evidence that may decide a score on a line."""
    rules = knowledge.classification
    ambiguity = score_dimension("ambiguity", values, knowledge)
    conflict = score_dimension("conflict", values, knowledge)
    if ambiguity.score is None or conflict.score is None:
        to_answer = tuple(
            item for dim in (ambiguity, conflict) if dim.score is None for item in dim.unanswered
        )
        return Placement(ambiguity, conflict, None, None, (), False, None, to_answer)
    a, c, mid = ambiguity.score, conflict.score, rules.midpoint
    evidence = _Evidence(values, stakeholders)
    paradigms, ties = decide(a, c, knowledge, evidence)
    high_a, high_c = _sides(a, ties, "ambiguity", mid), _sides(c, ties, "conflict", mid)
    near_a, near_c = abs(a - mid) <= rules.band, abs(c - mid) <= rules.band
    reach_a = (False, True) if near_a else high_a
    reach_c = (False, True) if near_c else high_c
    profile = membership(a, c, knowledge)
    # Across the ambiguity line, across the conflict line, then the diagonal (on equal shares).
    across = {
        _quadrant(x, y, knowledge): (x not in high_a) + 2 * (y not in high_c) * 0.75
        for x in reach_a
        for y in reach_c
    }
    elements = tuple(sorted(set(across) - set(paradigms), key=lambda p: (-profile[p], across[p])))
    distance = min(abs(a - mid), abs(c - mid))
    share = answered_share(ambiguity, conflict)
    stability = _stability(ambiguity, conflict, paradigms, values, knowledge, evidence)
    level = confidence(distance, share, knowledge)
    if paradigms and len(paradigms) > 1:
        level = "low"  # the twelve items and the evidence leave it open
    elif stability.flips and level == "high":
        level = "medium"  # one answer moved one step would change it
    return Placement(
        ambiguity,
        conflict,
        paradigms[0],
        profile,
        elements,
        borderline=abs(a - mid) < rules.ties.within or abs(c - mid) < rules.ties.within,
        confidence=level,
        to_answer=(),
        distance=distance,
        paradigms=paradigms if len(paradigms) > 1 else (),
        ties=ties,
        stability=stability,
    )


@record
class _Evidence:
    """What a tie rule's condition sees: the answers given and the stakeholder map."""

    values: Mapping[str, AnswerValue]
    stakeholder_fields: tuple[Mapping[str, str], ...]
    unsure: frozenset[str] = frozenset()
    not_applicable: frozenset[str] = frozenset()
    scores: Mapping[str, float | None] = field(default_factory=dict)
    paradigm: str | None = None
    paradigms: tuple[str, ...] = ()
    membership: Mapping[str, float] | None = None
    stats: Mapping[str, float] = field(default_factory=dict)
    plan_ratings: tuple[Mapping[str, str], ...] = ()
    counts: dict[Any, int] = field(default_factory=dict)


def decide(
    a: float, c: float, knowledge: Knowledge, evidence: _Evidence
) -> tuple[tuple[str, ...], tuple[Tie, ...]]:
    """The quadrant(s) of a position: one, or the co-primary ones where a score on a line is
    decided by no evidence; and how each tie was decided."""
    rules = knowledge.classification
    mid, within = rules.midpoint, rules.ties.within
    ties = tuple(
        _tie(dimension, evidence, knowledge)
        for dimension, score in (("ambiguity", a), ("conflict", c))
        if abs(score - mid) < within
    )
    sides_a, sides_c = _sides(a, ties, "ambiguity", mid), _sides(c, ties, "conflict", mid)
    profile = membership(a, c, knowledge)
    found = [_quadrant(x, y, knowledge) for x, y in itertools.product(sides_a, sides_c)]
    return tuple(sorted(found, key=lambda p: (-profile[p], PARADIGMS.index(p)))), ties


def _sides(score: float, ties: tuple[Tie, ...], dimension: str, mid: float) -> tuple[bool, ...]:
    """Which sides of the line a score counts on: (True,) high, (False,) low, or both."""
    for tie in ties:
        if tie.dimension == dimension:
            return (False, True) if tie.side is None else (tie.side == "high",)
    return (score > mid,)


def _tie(dimension: str, evidence: _Evidence, knowledge: Knowledge) -> Tie:
    for side, condition, why, source in knowledge.tie_rules.get(dimension, ()):
        fired = condition.test(evidence)
        if fired is not None:
            return Tie(dimension, side, why, source, tuple(sorted(fired)))
    return Tie(dimension, None)


def _stability(
    ambiguity: DimensionScore,
    conflict: DimensionScore,
    paradigms: tuple[str, ...],
    values: Mapping[str, AnswerValue],
    knowledge: Knowledge,
    evidence: _Evidence,
) -> Stability:
    """Each answered item one step up and down, worked out from the weights (no re-scoring);
    and the range the unanswered items leave open."""
    scores = {"ambiguity": ambiguity, "conflict": conflict}
    flips: list[Flip] = []
    shifts: list[Shift] = []
    for dimension, dim in scores.items():
        weights = knowledge.classification.weights[dimension]  # type: ignore[index]
        total = sum(weights[item] for item in dim.answered)
        step = (item_points(SCALE_MIN + 1) - item_points(SCALE_MIN)) / total
        for item in dim.answered:
            value = int(values[item])  # type: ignore[arg-type]
            moves = {}
            for delta in (-1, 1):
                if SCALE_MIN <= value + delta <= SCALE_MAX:
                    moves[delta] = delta * weights[item] * step
                    moved = _moved(scores, dimension, moves[delta])
                    after, _ = decide(*moved, knowledge, evidence)
                    if after != paradigms:
                        flips.append(Flip(item, dimension, value, value + delta, after))
            shifts.append(Shift(item, dimension, moves.get(-1), moves.get(1)))
    ranges: dict[str, tuple[float, float]] = {}
    could_change: list[str] = []
    for dimension, dim in scores.items():
        weights = knowledge.classification.weights[dimension]  # type: ignore[index]
        known = sum(weights[item] for item in dim.answered)
        assert dim.score is not None
        spare = sum(weights[item] for item in dim.unanswered)
        ranges[dimension] = (
            dim.score * known / (known + spare),
            (dim.score * known + 100 * spare) / (known + spare),
        )
        for item in dim.unanswered:  # answered alone at either end of the scale
            w = weights[item]
            for points in (0.0, 100.0):
                target = (dim.score * known + w * points) / (known + w)
                moved = _moved(scores, dimension, target - dim.score)
                if decide(*moved, knowledge, evidence)[0] != paradigms:
                    could_change.append(item)
                    break
    return Stability(tuple(flips), tuple(shifts), ranges, tuple(could_change))


def _moved(
    scores: Mapping[str, DimensionScore], dimension: str, delta: float
) -> tuple[float, float]:
    a, c = scores["ambiguity"].score, scores["conflict"].score
    assert a is not None and c is not None
    return (a + delta, c) if dimension == "ambiguity" else (a, c + delta)


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
