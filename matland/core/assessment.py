"""The one result object every command and every renderer consumes: assess() builds it."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import field
from typing import Any

from matland.core.classify import Placement, classify
from matland.core.conditions import stakeholder_fields
from matland.core.findings import Finding
from matland.core.knowledge import Knowledge
from matland.core.model import PLACEHOLDER_TITLE, AnswerValue, Proposal
from matland.core.records import record
from matland.core.risks import FiredRisk, by_hindrance, fire_risks, meeting, stale_acceptances
from matland.core.support import Recommendation, SupportMix, recommend, support_mix


@record
class ProposalFacts:
    """What the rule language sees of one proposal (conditions.Facts)."""

    values: Mapping[str, AnswerValue]
    unsure: frozenset[str]
    not_applicable: frozenset[str]  # answered `n/a`: out of every count
    scores: Mapping[str, float | None]
    paradigm: str | None
    paradigms: tuple[str, ...]  # one, or the co-primary quadrants of an undecided policy
    membership: Mapping[str, float] | None
    stats: Mapping[str, float]
    stakeholder_fields: tuple[Mapping[str, str], ...]  # role, stance, influence of each
    plan_ratings: tuple[Mapping[str, str], ...]
    # Filled as rules count stakeholders or plan items; fresh for every (replaced) copy.
    counts: dict[Any, int] = field(default_factory=dict, init=False, compare=False, repr=False)


@record
class Assessment:
    proposal: Proposal
    placement: Placement
    mix: SupportMix | None
    recommendations: tuple[Recommendation, ...]
    risks: tuple[FiredRisk, ...]
    missing: tuple[str, ...]  # questionnaire items not answered
    unsure: tuple[str, ...]
    facts: ProposalFacts
    extra_findings: tuple[Finding, ...] = ()

    @property
    def paradigm(self) -> str | None:
        return self.placement.paradigm

    def findings(self) -> list[Finding]:
        return list(self._findings)

    @functools.cached_property
    def _findings(self) -> tuple[Finding, ...]:  # several renderers ask; made once
        return tuple(r.finding(self.proposal.path) for r in self.risks) + self.extra_findings


@record
class FileResult:
    """One file of a run: its assessment, or the errors that stopped it being read."""

    path: str
    assessment: Assessment | None = None
    errors: tuple[Finding, ...] = field(default=())
    gates: tuple[Finding, ...] = field(default=())  # from CI options (--require-complete …)
    # `review`: a review file (matland-review: 1) that `check` validated; its assessment is
    # the policy where the review places it, for `check` to show, not a proposal to use.
    kind: str = "proposal"

    @property
    def valid(self) -> bool:
        return self.assessment is not None and not self.errors

    def findings(self) -> list[Finding]:
        found = list(self.errors)
        if self.assessment is not None:
            found += self.assessment.findings()
        return found + list(self.gates)


def answered_values(proposal: Proposal) -> dict[str, AnswerValue]:
    """Each answered item's value (unsure and missing items left out)."""
    return {qid: a.value for qid, a in proposal.answers.items() if a.value is not None}


def facts_for(
    proposal: Proposal,
    placement: Placement,
    knowledge: Knowledge,
    values: Mapping[str, AnswerValue] | None = None,
) -> ProposalFacts:
    values = answered_values(proposal) if values is None else values
    unsure = frozenset(qid for qid, a in proposal.answers.items() if a.unsure)
    not_applicable = frozenset(qid for qid, a in proposal.answers.items() if not a.applies)
    # an item answered `n/a` is out of the denominator as well as the counts
    total = len(knowledge.questions.keys() - not_applicable)
    answered = len(values.keys() & knowledge.questions.keys())
    unsure_count = len(unsure & knowledge.questions.keys())
    return ProposalFacts(
        values=values,
        unsure=unsure,
        not_applicable=not_applicable,
        scores=placement.scores,
        paradigm=placement.paradigm,
        paradigms=placement.paradigms or ((placement.paradigm,) if placement.paradigm else ()),
        membership=placement.membership,
        stats={
            "answered_share": answered / total,
            "unsure_count": unsure_count,
            "missing_count": total - answered - unsure_count,
        },
        stakeholder_fields=stakeholder_fields(proposal.stakeholders),
        plan_ratings=tuple(knowledge.approaches[a].ratings for a in proposal.support_plan),
    )


def assess(proposal: Proposal, knowledge: Knowledge) -> Assessment:
    values = answered_values(proposal)
    placement = classify(values, knowledge, stakeholder_fields(proposal.stakeholders))
    facts = facts_for(proposal, placement, knowledge, values)
    risks = fire_risks(facts, proposal, knowledge)
    mix = support_mix(placement.membership, knowledge) if placement.membership else None
    recommendations = (
        recommend(mix, by_hindrance(risks), knowledge, meeting(risks), facts) if mix else ()
    )
    return Assessment(
        proposal=proposal,
        placement=placement,
        mix=mix,
        recommendations=recommendations,
        risks=risks,
        missing=_missing(proposal, knowledge),
        unsure=tuple(q for q in knowledge.questions if q in facts.unsure),
        facts=facts,
        extra_findings=(*stale_acceptances(risks, proposal), *_placeholder_title(proposal)),
    )


def _missing(proposal: Proposal, knowledge: Knowledge) -> tuple[str, ...]:
    """The items not answered that are to be asked (a pilot's item is not, for no pilot)."""
    missing = tuple(q for q in knowledge.questions if q not in proposal.answers)
    conditional = knowledge.asked_when_items
    if not conditional.intersection(missing):  # nearly always: nothing more to look at
        return missing
    return tuple(
        q
        for q in missing
        if q not in conditional or knowledge.questions[q].applies(proposal.answers)
    )


def _placeholder_title(proposal: Proposal) -> list[Finding]:
    """A file started by `matland init` whose title was never filled in: worth saying, not
    an invalid file (assess goes on filling in such a file)."""
    if proposal.policy.title != PLACEHOLDER_TITLE:
        return []
    line, column = proposal.document.value_position(("policy", "title"))
    return [
        Finding(
            proposal.path,
            line,
            column,
            "placeholder-title",
            "medium",
            "the title is still the placeholder `matland init` wrote",
            "write the policy's title",
        )
    ]
