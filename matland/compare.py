"""Two assessments side by side: two versions of a proposal, or one and its what-if.

`what_if` re-assesses a proposal with some answers changed (the same road as any file:
classify, risks, support), so the comparison never estimates anything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from matland.assessment import Assessment, assess
from matland.explain import hanging
from matland.findings import did_you_mean
from matland.knowledge import MIX_KEYS, Knowledge
from matland.load import check_value
from matland.model import Answer, AnswerValue, Proposal
from matland.render import data as d
from matland.render.matrix import draw
from matland.render.text import heading, paradigm_text, score_text
from matland.risks import FiredRisk
from matland.support import LABELS

# How an answer stands in one version: a value, "unsure", or None when not answered.
AnswerState = int | bool | str | None
UNSURE = "unsure"
BOOL_WORDS = {"true": True, "yes": True, "false": False, "no": False}
# Markers of the two positions in the matrix: hollow for the one before, filled for after.
BEFORE_MARKER, AFTER_MARKER = "○", "●"


@dataclass(frozen=True)
class AnswerChange:
    item: str
    old: AnswerState
    new: AnswerState


@dataclass(frozen=True)
class Comparison:
    old: Assessment
    new: Assessment
    changed: tuple[AnswerChange, ...]
    risks_raised: tuple[FiredRisk, ...]
    risks_cleared: tuple[FiredRisk, ...]
    risks_regraded: tuple[tuple[FiredRisk, FiredRisk], ...]  # fired in both, severity changed

    @property
    def moved(self) -> bool:
        return self.old.paradigm != self.new.paradigm


def with_answers(proposal: Proposal, changes: Mapping[str, AnswerValue]) -> Proposal:
    """The proposal with these answers set (None: unsure); every other answer kept."""
    answers = dict(proposal.answers)
    answers.update({item: Answer(value) for item, value in changes.items()})
    return replace(proposal, answers=answers)


def what_if(
    assessment: Assessment, changes: Mapping[str, AnswerValue], knowledge: Knowledge
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
    )


def state(proposal: Proposal, item: str) -> AnswerState:
    answer = proposal.answers.get(item)
    if answer is None:
        return None
    return UNSURE if answer.unsure else answer.value


def parse_changes(
    settings: Sequence[str], knowledge: Knowledge
) -> tuple[dict[str, AnswerValue], list[str]]:
    """`id=value` settings as answers, and a message for each one that is wrong."""
    changes: dict[str, AnswerValue] = {}
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
        return lowered if lowered == UNSURE else raw


# ---------------------------------------------------------------- output


def as_data(comparison: Comparison, knowledge: Knowledge) -> dict[str, Any]:
    old, new = comparison.old, comparison.new
    return {
        "from": _side(old),
        "to": _side(new),
        "moved": comparison.moved,
        "changed": {c.item: {"from": c.old, "to": c.new} for c in comparison.changed},
        "risks_raised": [d.risk(r) for r in comparison.risks_raised],
        "risks_cleared": [d.risk(r) for r in comparison.risks_cleared],
        "risks_regraded": [
            {"id": b.id, "from": b.severity, "to": a.severity} for b, a in comparison.risks_regraded
        ],
        "support_mix": {"from": d.support(old), "to": d.support(new)},
    }


def _side(a: Assessment) -> dict[str, Any]:
    place = a.placement
    return {
        "path": a.proposal.path,
        "title": a.proposal.policy.title,
        "paradigm": place.paradigm,
        "scores": {k: None if v is None else round(v, 1) for k, v in place.scores.items()},
        "elements": list(place.elements),
        "confidence": place.confidence,
    }


def as_text(
    comparison: Comparison, knowledge: Knowledge, labels: tuple[str, str], title: str = ""
) -> str:
    old, new = comparison.old, comparison.new
    title = title or f"{old.proposal.policy.title} → {new.proposal.policy.title}"
    lines = [title, "═" * len(title)]
    lines.append(f"  {BEFORE_MARKER} {labels[0]}: {old.proposal.path}")
    lines.append(f"  {AFTER_MARKER} {labels[1]}: {new.proposal.path}")
    lines += heading("Position in Matland's matrix")
    points = [
        (a.placement.ambiguity.score, a.placement.conflict.score, marker)
        for a, marker in ((old, BEFORE_MARKER), (new, AFTER_MARKER))
    ]
    drawable = [(x, y, m) for x, y, m in points if x is not None and y is not None]
    if drawable:
        lines += ["", *draw(drawable, knowledge), ""]
    rows = [
        (
            "ambiguity",
            score_text(old.placement.ambiguity.score),
            score_text(new.placement.ambiguity.score),
        ),
        (
            "conflict",
            score_text(old.placement.conflict.score),
            score_text(new.placement.conflict.score),
        ),
        ("paradigm", paradigm_text(old), paradigm_text(new)),
        ("confidence", old.placement.confidence or "—", new.placement.confidence or "—"),
    ]
    lines += [f"  {name:<11} {before} → {after}" for name, before, after in rows]
    lines += heading(f"Answers changed ({len(comparison.changed)})")
    lines += [
        f"  {c.item:<26} {answer_text(c.old)} → {answer_text(c.new)}" for c in comparison.changed
    ] or ["  none"]
    lines += _risk_lines(comparison)
    lines += _support_lines(old, new)
    return "\n".join(lines) + "\n"


def answer_text(value: AnswerState) -> str:
    if value is None:
        return "unanswered"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _risk_lines(comparison: Comparison) -> list[str]:
    raised, cleared = comparison.risks_raised, comparison.risks_cleared
    lines = heading(f"Risks: {len(raised)} raised, {len(cleared)} cleared")
    for mark, risks in (("+", raised), ("-", cleared)):
        for r in risks:
            lines += hanging(f"[{r.severity}] {r.id}: {r.risk.rule.title}", f"  {mark} ")
    lines += [f"  ~ {b.id}: {b.severity} → {a.severity}" for b, a in comparison.risks_regraded]
    if not (raised or cleared or comparison.risks_regraded):
        lines.append("  no change")
    return lines


def _support_lines(old: Assessment, new: Assessment) -> list[str]:
    lines = heading("Support mix")
    if old.mix is None or new.mix is None:
        return [*lines, "  not available: a version is not classifiable"]
    for key in MIX_KEYS:
        lines.append(f"  {LABELS[key]:<24} {old.mix.need(key):4.0%} → {new.mix.need(key):4.0%}")
    before = [r.id for r in old.recommendations]
    after = [r.id for r in new.recommendations]
    lines.append("")
    lines += hanging(", ".join(after), "  recommended: ")
    added = [r for r in after if r not in before]
    dropped = [r for r in before if r not in after]
    if added:
        lines += hanging(", ".join(added), "  added:       ")
    if dropped:
        lines += hanging(", ".join(dropped), "  dropped:     ")
    return lines
