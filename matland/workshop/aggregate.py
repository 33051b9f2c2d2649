"""Many participants' answers about one policy: per-item spread, disagreement, the group's
position, and (with roles) where the roles differ and which roles sit at opposite extremes.

Pure: participants come in as validated Proposals (read by participants.py, or the server),
the result goes out as one frozen Workshop (results.py). Who counts is settled first
(roster.py: roles folded, other policies left out, half-blank forms kept out of the
group's position). The group's scores, paradigm, support mix and risks come from assess()
on a proposal made of the per-item medians; nothing is scored here. The numbers of the
disagreement rule live in rules/workshop.yaml.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Literal

from matland.core.assessment import assess
from matland.core.classify import SCALE_MAX, SCALE_MIN, classify
from matland.core.findings import Finding
from matland.core.knowledge import Knowledge, Question
from matland.core.model import Answer, AnswerValue, Policy, Proposal, Stakeholder
from matland.core.words import flat
from matland.workshop import roster
from matland.workshop.participant import Participant, is_csv
from matland.workshop.results import (
    BAD_CELL,
    CONTESTED,
    DUPLICATE,
    Bootstrap,
    Disagreement,
    Group,
    ItemSpread,
    ParticipantResult,
    RoleGap,
    RoleGroup,
    RoleSplit,
    Scenario,
    Workshop,
    counted,
)
from matland.workshop.roster import common_title
from matland.workshop.rules import (
    DisagreementRule,
    Half,
    WorkshopRules,
    load_workshop_rules,
)

__all__ = [
    "BAD_CELL",
    "CONTESTED",
    "DUPLICATE",
    "Disagreement",
    "Group",
    "ItemSpread",
    "Participant",
    "ParticipantResult",
    "RoleGap",
    "RoleGroup",
    "RoleSplit",
    "Scenario",
    "Workshop",
    "WorkshopRules",
    "aggregate",
    "common_title",
    "counted",
    "disagrees",
    "is_csv",
    "load_workshop_rules",
    "needed",
    "whole",
]


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
    notes: list[tuple[str, str]] = []
    unsure = 0
    for name, proposal in proposals:
        answer = proposal.answers.get(question.id)
        if answer is None:
            continue
        if answer.note.strip():
            notes.append((name, flat(answer.note)))
        if answer.value is None:
            unsure += answer.unsure  # an `n/a` is neither an answer nor unsure
            continue
        answers.append((name, float(answer.value)))  # yes = 1.0, no = 0.0
    values = sorted(v for _, v in answers)
    rule = rules.disagreement
    scale = question.type == "scale"
    if not values:
        return ItemSpread.unanswered(question.id, question.type, unsure, tuple(notes))
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
        notes=tuple(notes),
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
    from matland.core import proposalfile  # the title taken as a file's is: stripped

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
        policy=proposalfile.validated(proposalfile.Policy, Policy, title=title),
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
    counted: Sequence[str] | None = None,
) -> Group:
    """The members taken together. Every member's answers make each item's spread, whether
    it is contested and the sides of its scenarios (they were said in the room); the
    `counted` ones alone (default: all) make the group's position, the medians."""
    items = {q.id: spread(q, members, rules) for q in knowledge.questions.values()}
    voices, position = members, items
    if counted is not None and len(counted) < len(members):
        chosen = set(counted)
        voices = [(name, p) for name, p in members if name in chosen]
        position = {q.id: spread(q, voices, rules) for q in knowledge.questions.values()}
        items = {
            qid: replace(item, group_value=position[qid].group_value) for qid, item in items.items()
        }
    conflict = set(knowledge.dimension_items("conflict"))
    median_proposal = group_proposal(title, position, [p for _, p in voices])
    base = {qid: a.value for qid, a in median_proposal.answers.items()}
    moved = _conflict_counted(items, conflict, rules)
    if moved:
        position = {
            qid: replace(item, group_value=moved[qid]) if qid in moved else item
            for qid, item in position.items()
        }
    proposal = group_proposal(title, position, [p for _, p in voices]) if moved else median_proposal
    assessment = assess(proposal, knowledge)
    contested = tuple(item.id for item in items.values() if item.disagreement)
    disagreement = Disagreement(
        contested=contested,
        conflict_items=tuple(i for i in contested if i in conflict),
        if_high=scenario("high", items, base, knowledge, rules),
        if_low=scenario("low", items, base, knowledge, rules),
    )
    return Group(
        tuple(name for name, _ in members),
        items,
        assessment,
        disagreement,
        None if counted is None else tuple(counted),
        conflict_counted=tuple(moved),
        median_placement=assess(median_proposal, knowledge).placement if moved else None,
    )


def _conflict_counted(
    items: Mapping[str, ItemSpread], conflict: set[str], rules: WorkshopRules
) -> dict[str, AnswerValue]:
    """Each contested conflict item's value in the group's position, when the rules count a
    split as conflict (conflict_evidence.counts_in_position): its high side's median."""
    if not rules.conflict_evidence.counts_in_position:
        return {}
    high = rules.disagreement.high_min
    return {
        item.id: whole(
            statistics.median(v for _, v in item.answers if v >= high), rules.group.scale_half
        )
        for item in items.values()
        if item.disagreement and item.id in conflict
    }


# ------------------------------------------------------------------ roles


def role_of(participant: Participant, rules: WorkshopRules) -> str:
    return participant.role or rules.roles.unspecified


def role_groups(
    participants: Sequence[Participant],
    title: str,
    knowledge: Knowledge,
    rules: WorkshopRules,
    counted: Sequence[str] | None = None,
) -> tuple[RoleGroup, ...]:
    by_role: dict[str, list[tuple[str, Proposal]]] = {}
    for p in participants:
        by_role.setdefault(role_of(p, rules), []).append((p.name, p.proposal))
    chosen = None if counted is None else set(counted)
    return tuple(
        RoleGroup(
            role,
            combine(
                title,
                members,
                knowledge,
                rules,
                None if chosen is None else [n for n, _ in members if n in chosen],
            ),
        )
        for role, members in by_role.items()
    )


def _role_medians(roles: Sequence[RoleGroup], item: str) -> dict[str, float]:
    return {r.role: m for r in roles if (m := r.group.items[item].median) is not None}


def role_gaps(
    roles: Sequence[RoleGroup], knowledge: Knowledge, rules: WorkshopRules
) -> tuple[RoleGap, ...]:
    """Scale items whose role medians lie furthest apart (at least `min_gap`), widest first;
    ties in questionnaire order, and every item tied with the last one listed is kept."""
    if len(roles) < 2:
        return ()
    gaps = []
    for question in knowledge.questions.values():
        if question.type != "scale":
            continue
        medians = _role_medians(roles, question.id)
        if len(medians) < 2:
            continue
        gap = max(medians.values()) - min(medians.values())
        if gap >= rules.roles.min_gap:
            gaps.append(RoleGap(question.id, medians, gap))
    gaps.sort(key=lambda g: -g.gap)  # stable: ties keep the questionnaire's order
    top = rules.roles.top_items
    if len(gaps) <= top:
        return tuple(gaps)
    cut = gaps[top - 1].gap
    return tuple(g for i, g in enumerate(gaps) if i < top or g.gap == cut)


def role_splits(
    roles: Sequence[RoleGroup], items: Mapping[str, ItemSpread], rules: WorkshopRules
) -> tuple[RoleSplit, ...]:
    """Scale items where some roles' medians sit in the low extreme and others' in the high
    one: a bloc of one role against another, which the whole group's rule misses when the
    blocs are small."""
    if len(roles) < 2:
        return ()
    rule = rules.disagreement
    splits = []
    for item in items.values():
        if item.type != "scale":
            continue
        medians = _role_medians(roles, item.id)
        low = tuple(r for r, m in medians.items() if m <= rule.low_max)
        high = tuple(r for r, m in medians.items() if m >= rule.high_min)
        if low and high:
            between = tuple(r for r in medians if r not in low and r not in high)
            splits.append(RoleSplit(item.id, low, high, between, item.disagreement))
    return tuple(splits)


# ------------------------------------------------------------------ the workshop


def _no_roles(participants: Sequence[Participant]) -> list[Finding]:
    first = participants[0]
    return [
        Finding(
            first.proposal.path,
            *first.at,
            "no-roles",
            "info",
            "--by role: no participant has a role, so there is one group",
            "add a `role` column (CSV) or `respondent: {role: …}` (proposal files)",
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
    allow_mixed: bool = False,
    anonymous: bool = False,
    stability: bool = False,
) -> Workshop:
    """The workshop: who counts (roster.py), then the group, the roles and the findings.

    Participants who assessed another policy than the workshop's (`title` when some
    participant assessed it, else the one most did) are left out unless `allow_mixed`;
    those with too few classification items answered stay in each item's spread but out
    of the group's position; `anonymous` replaces every name by `Participant N`."""
    findings = list(errors)
    people = roster.fold_roles(participants)
    policy = roster.reference_policy(people, title)
    people, other = roster.same_policy(people, policy, allow_mixed)
    findings += other
    if by_role and people and all(p.role is None for p in people):
        findings += _no_roles(people)
    title = title or policy
    if anonymous:
        kept = {p.name for p in people}
        findings = roster.anonymised_findings(
            findings, [p.name for p in people], [p.name for p in participants if p.name not in kept]
        )
        people = roster.anonymised(people)
    flagged, half_blank = roster.half_blank(people, knowledge, rules)
    findings += half_blank
    counted = [p.name for p in people if p.name not in flagged] if flagged else None
    results = tuple(
        ParticipantResult(p, assess(p.proposal, knowledge), p.name not in flagged) for p in people
    )
    members = [(p.name, p.proposal) for p in people]
    group = combine(title, members, knowledge, rules, counted)
    roles = role_groups(people, title, knowledge, rules, counted) if by_role else ()
    voices = [m for m in members if counted is None or m[0] in set(counted)]
    resampled = bootstrap(voices, group, knowledge, rules) if stability else None
    return Workshop(
        title=title,
        participants=results,
        group=group,
        roles=roles,
        role_gaps=role_gaps(roles, knowledge, rules),
        errors=tuple(findings),
        rules=rules,
        role_splits=role_splits(roles, group.items, rules),
        anonymous=anonymous,
        role_names={p.name: p.role for p in people},
        bootstrap=resampled,
    )


def bootstrap(
    voices: Sequence[tuple[str, Proposal]],
    group: Group,
    knowledge: Knowledge,
    rules: WorkshopRules,
) -> Bootstrap | None:
    """The group's paradigm over seeded resamples of its participants (with replacement,
    as many as there were): only the classification items are recombined, as the group's
    position combines them (medians; split conflict items at their high side)."""
    rule = rules.stability
    if rule is None or len(voices) < 2 or not group.assessment.placement.classifiable:
        return None
    questions = [
        knowledge.questions[item]
        for dim in ("ambiguity", "conflict")
        for item in knowledge.dimension_items(dim)
    ]
    conflict = set(knowledge.dimension_items("conflict"))
    voices = sorted(voices, key=lambda voice: voice[0])  # the same draws whatever the input order
    draw = random.Random(rule.seed)
    stakeholders = group.assessment.facts.stakeholder_fields
    label = group.assessment.placement.label
    tally: dict[str, int] = {}
    for _ in range(rule.resamples):
        sample = [voices[draw.randrange(len(voices))] for _ in voices]
        items = {q.id: spread(q, sample, rules) for q in questions}
        values: dict[str, AnswerValue] = {
            i: s.group_value for i, s in items.items() if s.group_value is not None
        }
        values |= _conflict_counted(items, conflict, rules)
        place = classify(values, knowledge, stakeholders)
        tally[place.label] = tally.get(place.label, 0) + 1
    same = tally.pop(label, 0)
    others = dict(sorted(tally.items(), key=lambda kv: -kv[1]))
    return Bootstrap(rule.resamples, rule.seed, same, others)
