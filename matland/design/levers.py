"""Counterfactual search over answers: the smallest changes that move the policy into each
other paradigm, and that clear each high or medium risk.

Only answered scale items are changed (an unanswered or unsure item has no value to move
from, so it is left as it is). One-answer changes are tried first and two-answer changes only
for a target no single change reaches; within a size, changes are ranked by their total
steps. Every lever found is re-assessed on the full road before it is offered, so its claims
(the paradigm it gives, the risks it clears and raises) are what `matland report` would say.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Literal

from matland.core.assessment import Assessment, assess
from matland.core.classify import SCALE_MAX, SCALE_MIN, Placement, classify
from matland.core.conditions import DIMENSIONS
from matland.core.knowledge import Knowledge, Risk
from matland.core.records import record
from matland.core.words import flat
from matland.design.compare import with_answers

# A lever is a design move, not a redesign: the brief's search stops at two answers changed.
MAX_CHANGES = 2
# A designer weighs a few alternatives per target; more is a list to wade through.
LEVERS_PER_TARGET = 3
# Levers are sought for the risks worth designing out; low and info ones are left to the report.
RISK_SEVERITIES = ("high", "medium")
# Subjects of a risk condition that follow from the classification items.
PLACEMENT_SUBJECTS = ("paradigm", *DIMENSIONS)

Values = Mapping[str, int]
UP, DOWN, EITHER = 1, -1, 0  # the way an item may move in a search


@record
class Change:
    item: str
    old: int
    new: int

    @property
    def steps(self) -> int:
        return abs(self.new - self.old)


@record
class Target:
    kind: Literal["paradigm", "risk"]
    id: str


@record
class Lever:
    target: Target
    changes: tuple[Change, ...]
    to_paradigm: str | None  # the paradigm after the changes
    clears: tuple[str, ...]  # risks fired now and not after the changes
    raises: tuple[str, ...]  # risks not fired now that fire after the changes
    text: str
    source: str

    @property
    def total_change(self) -> int:
        return sum(c.steps for c in self.changes)


@record
class LeverSearch:
    assessment: Assessment
    levers: tuple[Lever, ...]
    unreached: tuple[Target, ...]  # no change of MAX_CHANGES answers or fewer reaches these
    fixed: tuple[str, ...]  # scale items left as they are: unanswered or unsure


def find_levers(
    assessment: Assessment,
    knowledge: Knowledge,
    only: Callable[[Target], bool] | None = None,
) -> LeverSearch:
    """The levers towards every target, or the targets `only` keeps."""
    values = scale_values(assessment, knowledge)
    levers: list[Lever] = []
    unreached: list[Target] = []
    for target, items, reaches in _targets(
        assessment, values, knowledge, _Placements(knowledge, assessment.facts.stakeholder_fields)
    ):
        if only is not None and not only(target):
            continue
        found = [
            lever
            for changes in search(values, items, reaches)
            if (lever := _verified(target, changes, assessment, knowledge)) is not None
        ]
        levers += found
        if not found:
            unreached.append(target)
    fixed = tuple(
        q.id for q in knowledge.questions.values() if q.type == "scale" and q.id not in values
    )
    return LeverSearch(assessment, tuple(levers), tuple(unreached), fixed)


def scale_values(assessment: Assessment, knowledge: Knowledge) -> dict[str, int]:
    return {
        item: value
        for item, value in assessment.facts.values.items()
        if isinstance(value, int) and knowledge.questions[item].type == "scale"
    }


def _targets(
    a: Assessment, values: Values, knowledge: Knowledge, place: _Placements
) -> Iterator[tuple[Target, Mapping[str, int], Callable[[Values], bool]]]:
    """Each target with the items that may change (item -> direction: +1 up, -1 down, 0 either)
    and the test that it is reached."""
    classification = tuple(
        item for dim in DIMENSIONS for item in knowledge.dimension_items(dim) if item in values
    )
    if a.paradigm is not None:
        now = a.placement.paradigms or (a.paradigm,)
        for paradigm in knowledge.paradigms:
            if paradigm != a.paradigm or a.placement.undecided:  # an undecided policy: any
                items = _towards(now, paradigm, values, knowledge)
                yield Target("paradigm", paradigm), items, _in(paradigm, place)
    for fired in a.risks:
        if fired.severity in RISK_SEVERITIES and not fired.accepted:  # accepted: no lever
            items = risk_items(fired.risk, values, classification)
            yield Target("risk", fired.id), items, _clear_of(fired.risk, a, place)


def _towards(
    current: tuple[str, ...], target: str, values: Values, knowledge: Knowledge
) -> dict[str, int]:
    """The items of each dimension the policy must cross (or, undecided on a line, leave),
    each moving towards the target's side. Scores rise with every answer (the weights are
    positive), so no other change helps."""
    items: dict[str, int] = {}
    for dim in DIMENSIONS:
        now = {getattr(knowledge.paradigms[p], dim) for p in current}
        wanted = getattr(knowledge.paradigms[target], dim)
        if now != {wanted}:
            direction = UP if wanted == "high" else DOWN
            items.update(
                {item: direction for item in knowledge.dimension_items(dim) if item in values}
            )
    return items


class _Placements:
    """classify's placement of changed answers, cached by the classification answers: the
    searches for different targets try many of the same answers."""

    def __init__(self, knowledge: Knowledge, stakeholders: tuple[Mapping[str, str], ...]) -> None:
        self.knowledge = knowledge
        self.stakeholders = stakeholders  # the evidence that decides a tie, as in the report
        self.items = tuple(item for dim in DIMENSIONS for item in knowledge.dimension_items(dim))
        self.cache: dict[tuple[int | None, ...], Placement] = {}

    def __call__(self, values: Values) -> Placement:
        key = tuple(values.get(item) for item in self.items)
        if key not in self.cache:
            self.cache[key] = classify(values, self.knowledge, self.stakeholders)
        return self.cache[key]


def _in(paradigm: str, place: _Placements) -> Callable[[Values], bool]:
    def reached(values: Values) -> bool:
        placement = place(values)
        return placement.paradigm == paradigm and not placement.undecided

    return reached


def _clear_of(risk: Risk, a: Assessment, place: _Placements) -> Callable[[Values], bool]:
    """The test that the risk no longer fires. Only answered items change value, so the
    counts in the facts stay as they are."""

    def clear(values: Values) -> bool:
        placement = place(values)
        facts = replace(
            a.facts,
            values={**a.facts.values, **values},
            scores=placement.scores,
            paradigm=placement.paradigm,
            paradigms=placement.paradigms or (placement.paradigm,) if placement.paradigm else (),
            membership=placement.membership,
        )
        return not risk.condition.evaluate(facts).fired

    return clear


def risk_items(risk: Risk, values: Values, classification: Sequence[str]) -> dict[str, int]:
    """The answered scale items the rule looks at (either way, as its condition says), and
    the classification items when it looks at the paradigm or a score: moving the policy can
    clear a paradigm's pitfall, but only by clarifying or settling it (those items down). Making
    a policy vaguer or more contested to leave a quadrant is no design lever: it raises the
    pitfalls of the next one."""
    subjects = risk.condition.subjects()
    items = {s.name: EITHER for s in subjects if s.kind == "answer-scale" and s.name in values}
    if any(s.name in PLACEMENT_SUBJECTS or s.name.startswith("membership.") for s in subjects):
        for item in classification:
            items.setdefault(item, DOWN)
    return items


def search(
    values: Values, items: Mapping[str, int], reaches: Callable[[Values], bool]
) -> list[tuple[Change, ...]]:
    """The smallest changes that reach a target: for each set of items, its change with the
    fewest total steps; sets of one item first, sets of two only if no single item will do."""
    order = {item: index for index, item in enumerate(items)}
    for size in range(1, MAX_CHANGES + 1):
        found = []
        for combo in itertools.combinations(items, size):
            for changes in _candidates(values, combo, items):
                if reaches({**values, **{c.item: c.new for c in changes}}):
                    found.append(changes)
                    break  # candidates come smallest first: the rest are no better
        if found:
            found.sort(key=lambda cs: (_rank(cs), [order[c.item] for c in cs]))
            return found[:LEVERS_PER_TARGET]
    return []


def _candidates(
    values: Values, combo: tuple[str, ...], direction: Mapping[str, int]
) -> list[tuple[Change, ...]]:
    """Every way of changing each item of the set (in its direction), smallest first."""
    options = [
        [
            Change(item, values[item], new)
            for new in range(SCALE_MIN, SCALE_MAX + 1)
            if new != values[item] and (new - values[item]) * direction[item] >= 0
        ]
        for item in combo
    ]
    return sorted(itertools.product(*options), key=_rank)


def _rank(changes: tuple[Change, ...]) -> tuple[int, int]:
    """Fewest total steps first; then the most even spread (two small moves over one big)."""
    return sum(c.steps for c in changes), max(c.steps for c in changes)


def _verified(
    target: Target, changes: tuple[Change, ...], a: Assessment, knowledge: Knowledge
) -> Lever | None:
    after = assess(with_answers(a.proposal, {c.item: c.new for c in changes}), knowledge)
    before_ids = {r.id for r in a.risks}
    after_ids = {r.id for r in after.risks}
    reached = (
        after.paradigm == target.id and not after.placement.undecided
        if target.kind == "paradigm"
        else target.id not in after_ids
    )
    if not reached:
        return None
    clears = tuple(r.id for r in a.risks if r.id not in after_ids)
    raises = tuple(r.id for r in after.risks if r.id not in before_ids)
    text = phrase(changes, a, after, clears, raises, knowledge)
    sources = (part.strip() for c in changes for part in _source(c, knowledge).split(";"))
    source = "; ".join(dict.fromkeys(sources))
    return Lever(target, changes, after.paradigm, clears, raises, text, source)


# ---------------------------------------------------------------- wording


def phrase(
    changes: tuple[Change, ...],
    before: Assessment,
    after: Assessment,
    clears: tuple[str, ...],
    raises: tuple[str, ...],
    knowledge: Knowledge,
) -> str:
    """The lever in the policy's terms: the design move (the question's `lever`), what it
    changes, and what follows."""
    moves = "; and ".join(_move(c, i > 0, knowledge) for i, c in enumerate(changes))
    title = before.proposal.policy.title
    effects = []
    if before.paradigm is not None and after.paradigm is not None:
        was, now = before.placement.label, after.placement.label
        if now != was:
            effects.append(f"moves {title} from {was} to {now} implementation")
        else:
            effects.append(f"keeps {title} in {now} implementation")
    if clears:
        effects.append("clears " + _join(clears))
    if raises:
        effects.append("raises " + _join(raises))
    return f"{moves}: this {'; '.join(effects)}." if effects else f"{moves}."


def _move(change: Change, later: bool, knowledge: Knowledge) -> str:
    question = knowledge.questions[change.item]
    if change.new < change.old and question.lever:
        text = flat(question.lever).rstrip(".")
        if later:
            text = text[:1].lower() + text[1:]
        return f"{text}, to bring {change.item} {change.old}→{change.new}"
    # A rise in ambiguity, conflict or risk is not a design move: say what would happen.
    rise = f"{change.item} rose {change.old}→{change.new}"
    return f"{'if' if later else 'If'} {rise} ({question.text.rstrip('?')})"


def _source(change: Change, knowledge: Knowledge) -> str:
    question = knowledge.questions[change.item]
    if change.new < change.old and question.lever_source:
        return question.lever_source
    return question.source


def _join(parts: tuple[str, ...]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# ---------------------------------------------------------------- output
