"""Many participants' answers about one policy: per-item spread, disagreement, the group's
position, and (with roles) where the roles differ.

Pure: participants come in as validated Proposals (read by matland/participants.py), the
result goes out as one frozen Workshop. The group's scores, paradigm, support mix and risks
come from assess() on a proposal made of the per-item medians; nothing is scored here.
The numbers of the disagreement rule live in rules/workshop.yaml.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from matland.core.assessment import Assessment, assess
from matland.core.classify import SCALE_MAX, SCALE_MIN, Placement, classify
from matland.core.findings import Finding
from matland.core.knowledge import Knowledge, Question
from matland.core.model import Answer, AnswerValue, Policy, Proposal, Stakeholder
from matland.core.rulefiles import load_rules_file

CONTESTED = "contested"
Half = Literal["towards_midpoint", "up", "down"]
Text = Annotated[str, Field(min_length=1)]


# ------------------------------------------------------------------ rules/workshop.yaml


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


class GroupRule(_Rule):
    scale_half: Half
    count_half: Half
    source: Text


class RolesRule(_Rule):
    top_items: Annotated[int, Field(ge=1)]
    min_gap: Annotated[float, Field(ge=0)]
    unspecified: Text
    source: Text


class WorkshopRules(_Rule):
    version: Literal[1]
    disagreement: DisagreementRule
    conflict_evidence: ConflictEvidence
    group: GroupRule
    roles: RolesRule


def load_workshop_rules(rules_dir: str | None = None) -> WorkshopRules:
    """rules/workshop.yaml (bundled, or in --rules DIR); raises KnowledgeError."""
    rules: WorkshopRules = load_rules_file("workshop", WorkshopRules, rules_dir)
    return rules


# ------------------------------------------------------------------ results


@dataclass(frozen=True)
class Participant:
    """One participant's answers, as read from a proposal file or a CSV row."""

    name: str
    role: str | None
    source: str  # `path`, or `path:row` for a CSV row
    proposal: Proposal
    at: tuple[int, int] = (1, 1)  # where the name stands in the source


@dataclass(frozen=True)
class ParticipantResult:
    participant: Participant
    assessment: Assessment

    @property
    def name(self) -> str:
        return self.participant.name

    @property
    def role(self) -> str | None:
        return self.participant.role


@dataclass(frozen=True)
class ItemSpread:
    """How the participants answered one item (unsure and missing answers left out)."""

    id: str
    type: str  # scale | count | bool (yes = 1, no = 0)
    answers: tuple[tuple[str, float], ...]  # (participant, value), in participant order
    unsure: int
    mean: float | None
    median: float | None
    minimum: float | None
    maximum: float | None
    q1: float | None
    q3: float | None
    low: int  # answers in the low extreme (scale items)
    high: int  # answers in the high extreme
    disagreement: bool
    group_value: AnswerValue  # the whole answer the group proposal carries

    @classmethod
    def unanswered(cls, item: str, kind: str, unsure: int) -> ItemSpread:
        return cls(item, kind, (), unsure, *(None,) * 6, 0, 0, False, None)

    @property
    def n(self) -> int:
        return len(self.answers)

    @property
    def iqr(self) -> float | None:
        return None if self.q1 is None or self.q3 is None else self.q3 - self.q1

    @property
    def reported(self) -> float | str | None:
        """The group value as reported: `contested` for a split item, else the whole answer
        the group's assessment uses (the median, rounded as rules/workshop.yaml says)."""
        if self.disagreement:
            return CONTESTED
        if isinstance(self.group_value, bool):
            return "yes" if self.group_value else "no"
        if self.group_value is None:
            return None if self.median is None else "unsure"  # a yes/no tie
        return self.group_value


@dataclass(frozen=True)
class Scenario:
    """The group's position if one side of every contested item were right."""

    side: Literal["high", "low"]
    values: Mapping[str, int]  # contested item -> the answer that side gives it
    placement: Placement


@dataclass(frozen=True)
class Disagreement:
    contested: tuple[str, ...]  # items with disagreement
    conflict_items: tuple[str, ...]  # of them, the items of the conflict dimension
    if_high: Scenario | None
    if_low: Scenario | None

    @property
    def found(self) -> bool:
        return bool(self.contested)


@dataclass(frozen=True)
class Group:
    """Participants taken together: per-item spread and the assessment of their medians."""

    members: tuple[str, ...]
    items: Mapping[str, ItemSpread]
    assessment: Assessment
    disagreement: Disagreement


@dataclass(frozen=True)
class RoleGroup:
    role: str
    group: Group


@dataclass(frozen=True)
class RoleGap:
    item: str
    medians: Mapping[str, float]  # role -> its median on the item
    gap: float  # highest role median minus lowest


@dataclass(frozen=True)
class Workshop:
    title: str
    participants: tuple[ParticipantResult, ...]
    group: Group
    roles: tuple[RoleGroup, ...]  # empty unless asked for (--by role)
    role_gaps: tuple[RoleGap, ...]
    errors: tuple[Finding, ...]  # rows and files left out, and why
    rules: WorkshopRules

    @property
    def items(self) -> Mapping[str, ItemSpread]:
        return self.group.items

    @property
    def left_out(self) -> int:
        """Rows and files left out: the distinct places of the errors (a row may have several)."""
        return len({(f.path, f.line if is_csv(f.path) else 0) for f in self.errors if f.is_error})

    def no_split(self) -> str:
        """What a report says when no item is contested: that the rule found none, or that
        one participant cannot disagree."""
        if len(self.participants) < 2:
            return "One participant: disagreement needs two or more."
        return "No item met the rule for a contested item."

    def headcount(self) -> str:
        """`5 participants`, and what was left out or noted, said at the top of a report (not
        only at its end)."""
        n = len(self.participants)
        text = f"{n} participant" + ("" if n == 1 else "s")
        noted = len(self.errors)
        if self.left_out:
            text += f"; {self.left_out} row(s) or file(s) left out"
        if noted:
            text += f" (see “Left out or noted”, {noted} item(s))"
        return text


# ------------------------------------------------------------------ the rule


def needed(n: int, rule: DisagreementRule) -> int:
    """How many answers each extreme must hold: n / divisor rounded to the nearest whole, as
    the RAND/UCLA table does (3 of 8-10, 4 of 11-13, 5 of 14-16), and at least one."""
    return max(1, (2 * n + rule.divisor) // (2 * rule.divisor))


def disagrees(values: Sequence[float], rule: DisagreementRule) -> bool:
    """RAND/UCLA disagreement on the 1-5 scale: about a third (`needed`) in each extreme (and
    the answers at least `min_spread` apart, which the bundled rules leave to the extremes)."""
    if not values or max(values) - min(values) < rule.min_spread:
        return False
    k = needed(len(values), rule)
    low = sum(1 for v in values if v <= rule.low_max)
    high = sum(1 for v in values if v >= rule.high_min)
    return low >= k and high >= k


def whole(value: float, half: Half) -> int:
    """A median as a whole answer; a value between two answers goes the way `half` says."""
    if value.is_integer():
        return int(value)
    if half == "up":
        return math.ceil(value)
    if half == "down":
        return math.floor(value)
    middle = (SCALE_MIN + SCALE_MAX) / 2
    return math.floor(value) if value > middle else math.ceil(value)


# ------------------------------------------------------------------ per item


def spread(
    question: Question, proposals: Sequence[tuple[str, Proposal]], rules: WorkshopRules
) -> ItemSpread:
    answers: list[tuple[str, float]] = []
    unsure = 0
    for name, proposal in proposals:
        answer = proposal.answers.get(question.id)
        if answer is None:
            continue
        if answer.value is None:
            unsure += 1
            continue
        answers.append((name, float(answer.value)))  # yes = 1.0, no = 0.0
    values = sorted(v for _, v in answers)
    rule = rules.disagreement
    scale = question.type == "scale"
    if not values:
        return ItemSpread.unanswered(question.id, question.type, unsure)
    q1, q3 = _quartiles(values)
    median = statistics.median(values)
    return ItemSpread(
        id=question.id,
        type=question.type,
        answers=tuple(answers),
        unsure=unsure,
        mean=statistics.fmean(values),
        median=median,
        minimum=values[0],
        maximum=values[-1],
        q1=q1,
        q3=q3,
        low=sum(1 for v in values if v <= rule.low_max) if scale else 0,
        high=sum(1 for v in values if v >= rule.high_min) if scale else 0,
        disagreement=scale and disagrees(values, rule),
        group_value=_group_value(question, median, rules),
    )


def _quartiles(values: Sequence[float]) -> tuple[float, float]:
    """First and third quartile by linear interpolation between the ordered answers
    (Hyndman & Fan type 7, as spreadsheets' QUARTILE.INC): stays inside the answers given."""
    if len(values) == 1:
        return values[0], values[0]
    q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q3


def _group_value(question: Question, median: float, rules: WorkshopRules) -> AnswerValue:
    if question.type == "bool":
        return None if median == 0.5 else median > 0.5  # a tie is unsure
    half = rules.group.scale_half if question.type == "scale" else rules.group.count_half
    return whole(median, half)


# ------------------------------------------------------------------ the group


def group_proposal(
    title: str, items: Mapping[str, ItemSpread], proposals: Sequence[Proposal]
) -> Proposal:
    """The group as one proposal: each item's group value (or `unsure` when everyone who
    answered was unsure); stakeholders and support plans of all participants, once each."""
    answers = {
        item.id: Answer(item.group_value)
        for item in items.values()
        if item.n or item.unsure  # an item nobody answered stays missing
    }
    stakeholders: dict[str, Stakeholder] = {}
    plan: dict[str, None] = {}
    for proposal in proposals:
        for stakeholder in proposal.stakeholders:
            stakeholders.setdefault(stakeholder.name, stakeholder)
        plan.update(dict.fromkeys(proposal.support_plan))
    return Proposal(
        path="group",
        policy=Policy(title=title),
        answers=answers,
        stakeholders=tuple(stakeholders.values()),
        support_plan=tuple(plan),
    )


def scenario(
    side: Literal["high", "low"],
    items: Mapping[str, ItemSpread],
    base: Mapping[str, AnswerValue],
    knowledge: Knowledge,
    rules: WorkshopRules,
) -> Scenario | None:
    """Where the group would sit if the answers on one side of each contested item were
    right: the item takes the median of that side's answers."""
    contested = [item for item in items.values() if item.disagreement]
    if not contested:
        return None
    rule = rules.disagreement
    on_side: Callable[[float], bool] = (
        (lambda v: v >= rule.high_min) if side == "high" else (lambda v: v <= rule.low_max)
    )
    chosen = {
        item.id: whole(
            statistics.median(v for _, v in item.answers if on_side(v)), rules.group.scale_half
        )
        for item in contested
    }
    values = {k: v for k, v in base.items() if v is not None} | chosen
    return Scenario(side, chosen, classify(values, knowledge))


def combine(
    title: str,
    members: Sequence[tuple[str, Proposal]],
    knowledge: Knowledge,
    rules: WorkshopRules,
) -> Group:
    items = {q.id: spread(q, members, rules) for q in knowledge.questions.values()}
    proposal = group_proposal(title, items, [p for _, p in members])
    assessment = assess(proposal, knowledge)
    base = {qid: a.value for qid, a in proposal.answers.items()}
    contested = tuple(item.id for item in items.values() if item.disagreement)
    conflict = set(knowledge.dimension_items("conflict"))
    disagreement = Disagreement(
        contested=contested,
        conflict_items=tuple(i for i in contested if i in conflict),
        if_high=scenario("high", items, base, knowledge, rules),
        if_low=scenario("low", items, base, knowledge, rules),
    )
    return Group(tuple(name for name, _ in members), items, assessment, disagreement)


# ------------------------------------------------------------------ roles


def role_of(participant: Participant, rules: WorkshopRules) -> str:
    return participant.role or rules.roles.unspecified


def role_groups(
    participants: Sequence[Participant], title: str, knowledge: Knowledge, rules: WorkshopRules
) -> tuple[RoleGroup, ...]:
    by_role: dict[str, list[tuple[str, Proposal]]] = {}
    for p in participants:
        by_role.setdefault(role_of(p, rules), []).append((p.name, p.proposal))
    return tuple(
        RoleGroup(role, combine(title, members, knowledge, rules))
        for role, members in by_role.items()
    )


def role_gaps(
    roles: Sequence[RoleGroup], knowledge: Knowledge, rules: WorkshopRules
) -> tuple[RoleGap, ...]:
    """Scale items whose role medians lie furthest apart (at least `min_gap`), widest first."""
    if len(roles) < 2:
        return ()
    gaps = []
    for question in knowledge.questions.values():
        if question.type != "scale":
            continue
        medians = {r.role: m for r in roles if (m := r.group.items[question.id].median) is not None}
        if len(medians) < 2:
            continue
        gap = max(medians.values()) - min(medians.values())
        if gap >= rules.roles.min_gap:
            gaps.append(RoleGap(question.id, medians, gap))
    gaps.sort(key=lambda g: -g.gap)  # stable: ties keep the questionnaire's order
    return tuple(gaps[: rules.roles.top_items])


# ------------------------------------------------------------------ the workshop


def common_title(participants: Iterable[Participant]) -> str:
    """The policy title most participants gave (the first one seen on a tie)."""
    counts = Counter(p.proposal.policy.title for p in participants)
    return counts.most_common(1)[0][0] if counts else "Workshop"


def is_csv(path: str) -> bool:
    """A CSV of participants' answers (one a row), not a proposal file of one."""
    return path.lower().endswith(".csv")


def different_titles(participants: Sequence[Participant]) -> list[Finding]:
    """A note when the participants' files name different policies: taken together as one
    workshop, they may not be about the same thing."""
    # A CSV's title is its file's name, not one its participants gave: only files count.
    filed = [p for p in participants if not is_csv(p.proposal.path)]
    counts = Counter(p.proposal.policy.title for p in filed)
    if len(counts) < 2:
        return []
    ranked = counts.most_common()  # the commonest first, as common_title picks it
    first = next(p for p in filed if p.proposal.policy.title != ranked[0][0])
    named = ", ".join(f"'{t}' ({n})" for t, n in ranked)
    return [
        Finding(
            first.proposal.path,
            *first.proposal.document.value_position(("policy", "title")),
            "different-policies",
            "medium",
            f"the participants name different policies: {named}",
            "check they assess the same policy; --title names the workshop",
        )
    ]


def aggregate(
    participants: Sequence[Participant],
    knowledge: Knowledge,
    rules: WorkshopRules,
    *,
    title: str | None = None,
    by_role: bool = False,
    errors: Sequence[Finding] = (),
) -> Workshop:
    if title is None:
        errors = [*errors, *different_titles(participants)]
    if by_role and participants and all(p.role is None for p in participants):
        first = participants[0]
        errors = [
            *errors,
            Finding(
                first.proposal.path,
                *first.at,
                "no-roles",
                "info",
                "--by role: no participant has a role, so there is one group",
                "add a `role` column (CSV) or `respondent: {role: …}` (proposal files)",
            ),
        ]
    title = title or common_title(participants)
    results = tuple(ParticipantResult(p, assess(p.proposal, knowledge)) for p in participants)
    group = combine(title, [(p.name, p.proposal) for p in participants], knowledge, rules)
    roles = role_groups(participants, title, knowledge, rules) if by_role else ()
    return Workshop(
        title=title,
        participants=results,
        group=group,
        roles=roles,
        role_gaps=role_gaps(roles, knowledge, rules),
        errors=tuple(errors),
        rules=rules,
    )
