"""Two assessments side by side: two versions of a proposal, or one and its what-if.

`what_if` re-assesses a proposal with some answers changed (the same road as any file:
classify, risks, support), so the comparison never estimates anything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from matland.core.assessment import Assessment, assess
from matland.core.findings import did_you_mean
from matland.core.knowledge import Knowledge
from matland.core.model import NOT_APPLICABLE, Answer, GivenValue, NotApplicable, Proposal
from matland.core.records import record
from matland.core.risks import FiredRisk
from matland.core.vocabulary import NA, UNSURE
from matland.core.words import flat
from matland.source.load import check_value

# How an answer stands in one version: a value, "unsure", "n/a", or None when not answered.
AnswerState = int | bool | str | None
BOOL_WORDS = {"true": True, "yes": True, "false": False, "no": False}
# Markers of the two positions in the matrix: hollow for the one before, filled for after.
BEFORE_MARKER, AFTER_MARKER = "○", "●"


@record
class AnswerChange:
    item: str
    old: AnswerState
    new: AnswerState


@record
class Comparison:
    old: Assessment
    new: Assessment
    changed: tuple[AnswerChange, ...]
    risks_raised: tuple[FiredRisk, ...]
    risks_cleared: tuple[FiredRisk, ...]
    risks_regraded: tuple[tuple[FiredRisk, FiredRisk], ...]  # fired in both, severity changed
    # What changed besides the answers' values: the title, notes, stakeholders, the support
    # plan, accepted risks; each said in a line (a what-if changes none of them)
    other_changes: tuple[str, ...] = ()

    @property
    def moved(self) -> bool:
        return self.old.paradigm != self.new.paradigm


def with_answers(proposal: Proposal, changes: Mapping[str, GivenValue]) -> Proposal:
    """The proposal with these answers set (None: unsure); every other answer kept."""
    answers = dict(proposal.answers)
    answers.update(
        {  # the item's note stays with it: what-if changes a value, not the evidence
            item: Answer.given(value, answers[item].note if item in answers else "")
            for item, value in changes.items()
        }
    )
    return replace(proposal, answers=answers)


def what_if(
    assessment: Assessment, changes: Mapping[str, GivenValue], knowledge: Knowledge
) -> Comparison:
    changed = assess(with_answers(assessment.proposal, changes), knowledge)
    return compare(assessment, changed, knowledge)


def compare(old: Assessment, new: Assessment, knowledge: Knowledge) -> Comparison:
    items = [
        *knowledge.questions,
        *(q for q in new.proposal.answers if q not in knowledge.questions),
    ]
    changed = tuple(
        AnswerChange(item, state(old.proposal, item), state(new.proposal, item))
        for item in items
        if state(old.proposal, item) != state(new.proposal, item)
    )
    before = {r.id: r for r in old.risks}
    after = {r.id: r for r in new.risks}
    return Comparison(
        old=old,
        new=new,
        changed=changed,
        risks_raised=tuple(r for r in new.risks if r.id not in before),
        risks_cleared=tuple(r for r in old.risks if r.id not in after),
        risks_regraded=tuple(
            (before[r.id], r)
            for r in new.risks
            if r.id in before and before[r.id].severity != r.severity
        ),
        other_changes=tuple(other_changes(old.proposal, new.proposal)),
    )


def other_changes(old: Proposal, new: Proposal) -> list[str]:
    """The changes between two versions that are not answers' values, in words, in the
    order a reader checks them: title, notes, stakeholders, support plan, accepted risks."""
    said = []
    for key in ("title", "summary", "owner", "jurisdiction"):
        was, now = getattr(old.policy, key), getattr(new.policy, key)
        if was != now:
            said.append(f"{key}: {_shown(was)} → {_shown(now)}")
    if old.respondent != new.respondent:
        said.append(f"respondent: {_person(old.respondent)} → {_person(new.respondent)}")
    notes = [
        item
        for item in dict.fromkeys([*old.answers, *new.answers])
        if (old.answers[item].note if item in old.answers else "")
        != (new.answers[item].note if item in new.answers else "")
    ]
    if notes:
        said.append(f"notes changed on {len(notes)} item(s): {', '.join(notes)}")
    before = {s.name: s for s in old.stakeholders}
    after = {s.name: s for s in new.stakeholders}
    for name in [n for n in after if n not in before]:  # in the files' order
        s = after[name]
        said.append(f"stakeholder added: {name} ({s.role}, {s.stance}, {s.influence} influence)")
    for name in [n for n in before if n not in after]:
        said.append(f"stakeholder removed: {name}")
    for name in [n for n in after if n in before]:
        b, a = before[name], after[name]
        moves = [
            f"{key} {getattr(b, key)} → {getattr(a, key)}"
            for key in ("role", "stance", "influence")
            if getattr(b, key) != getattr(a, key)
        ]
        if moves:
            said.append(f"stakeholder {name}: {', '.join(moves)}")
    for label, old_ids, new_ids in (
        ("support plan", old.support_plan, new.support_plan),
        (
            "accepted risks",
            tuple(r.id for r in old.accepted_risks),
            tuple(r.id for r in new.accepted_risks),
        ),
    ):
        added = [i for i in new_ids if i not in old_ids]
        removed = [i for i in old_ids if i not in new_ids]
        if added:
            said.append(f"{label}: added {', '.join(added)}")
        if removed:
            said.append(f"{label}: removed {', '.join(removed)}")
    return said  # title, notes, stakeholders, support plan, accepted risks: as built


def _shown(text: str | None, longest: int = 60) -> str:
    if text is None:
        return "(none)"
    line = flat(text)
    return repr(line if len(line) <= longest else line[: longest - 1] + "…")


def _person(respondent: object) -> str:
    if respondent is None:
        return "(none)"
    name, role = getattr(respondent, "name", None), getattr(respondent, "role", None)
    return ", ".join(x for x in (name, role) if x) or "(none)"


def state(proposal: Proposal, item: str) -> AnswerState:
    answer = proposal.answers.get(item)
    if answer is None:
        return None
    return given_state(answer.value if answer.applies else NOT_APPLICABLE)


def given_state(value: GivenValue) -> AnswerState:
    """An answer's value as a version shows it: `unsure` and `n/a` in words."""
    if value is None:
        return UNSURE
    return NA if isinstance(value, NotApplicable) else value


def parse_changes(
    settings: Sequence[str], knowledge: Knowledge
) -> tuple[dict[str, GivenValue], list[str]]:
    """`id=value` settings as answers, and a message for each one that is wrong."""
    changes: dict[str, GivenValue] = {}
    problems: list[str] = []
    for setting in settings:
        item, sep, raw = (part.strip() for part in setting.partition("="))
        if not sep or not item or not raw:
            problems.append(f"'{setting}': write ID=VALUE, e.g. goal_conflict=2")
            continue
        question = knowledge.questions.get(item)
        if question is None:
            hint = did_you_mean(item, knowledge.questions) or "see `matland questions`"
            problems.append(f"unknown question id '{item}' ({hint})")
            continue
        problem, value = check_value(question, _word(raw))
        if problem:
            problems.append(f"{item}: {problem}")
            continue
        changes[item] = value
    return changes, problems


def _word(raw: str) -> Any:
    lowered = raw.lower()
    if lowered in BOOL_WORDS:
        return BOOL_WORDS[lowered]
    try:
        return int(raw)
    except ValueError:
        return lowered if lowered in (UNSURE, NA) else raw


# ---------------------------------------------------------------- output
