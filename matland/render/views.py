"""Report sections as data, computed once from a Placement and worded once: every format
(text, Markdown, HTML, JSON) renders these, so the same fact reads the same everywhere."""

from __future__ import annotations

from typing import TYPE_CHECKING

from matland.core.assessment import Assessment
from matland.core.classify import Placement, Stability, and_list, why_confident
from matland.core.knowledge import Knowledge, Work, cited_works
from matland.core.model import Answer
from matland.core.numbers import percents, whole
from matland.core.records import as_dict, record
from matland.core.words import flat

if TYPE_CHECKING:  # the workshop's, read for its views only: not imported by a check
    from matland.workshop.results import Group, Workshop
    from matland.workshop.rules import WorkshopRules


ELEMENTS_NOTE = (
    "a paradigm across a line within the band; its % is its membership, how much of its "
    "character the position carries (the four add up to 100%)."
)


@record
class Element:
    id: str
    name: str  # lower case, as it reads inside a sentence
    share: int  # % of the membership, shares of the four adding up to 100


@record
class Position:
    """Where the policy is, in words: the paradigm (or the co-primary ones), its elements,
    how a line was decided, why the confidence, and how robust the result is."""

    label: str  # `political`, `undecided between political and administrative`
    name: str  # `Political implementation`, `Undecided: political or administrative …`
    paradigms: tuple[str, ...]  # one, or the co-primary quadrants
    confidence: str
    elements: tuple[Element, ...]
    on_line: str  # how a score on a line was decided ('' when none is)
    why: str
    stability: tuple[str, ...]  # sentences; empty when nothing is fragile

    @property
    def elements_text(self) -> str:
        return ", ".join(f"{e.name} ({e.share}%)" for e in self.elements)


def answer_word(answer: Answer) -> str:
    """An answer as every report's table of answers shows it: 3, yes, no, unsure or n/a."""
    value = answer.written
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def position(place: Placement, knowledge: Knowledge) -> Position:
    assert place.paradigm is not None and place.membership is not None
    shares = percents(place.membership)
    paradigms = place.paradigms or (place.paradigm,)
    names = [knowledge.paradigms[p].name for p in paradigms]
    if place.undecided:
        short = [n.lower().replace(" implementation", "") for n in names]
        name = f"Undecided between {and_list(short)} implementation"
    else:
        name = names[0]
    elements = tuple(
        Element(e, knowledge.paradigms[e].name.lower(), shares[e]) for e in place.elements
    )
    return Position(
        label=place.label,
        name=name,
        paradigms=paradigms,
        confidence=place.confidence or "",
        elements=elements,
        on_line=on_line(place),
        why=why_confident(place, knowledge) + ".",
        stability=stability_sentences(place.stability, place.label) if place.stability else (),
    )


def on_line(place: Placement) -> str:
    """How each score on a line was decided: by which evidence, or by none."""
    parts = []
    for tie in place.ties:
        if tie.side is None:
            parts.append(
                f"{tie.dimension} lies on the line and no evidence decides it, so the "
                "quadrants on both sides are co-primary: read both"
            )
        else:
            parts.append(
                f"{tie.dimension} lies on the line; counted {tie.side} because {tie.why} "
                f"({tie.source})"
            )
    return "; ".join(parts) + "." if parts else ""


def stability_sentences(stability: Stability, now: str) -> tuple[str, ...]:
    """What would change the paradigm: single one-step moves, and unanswered items."""
    sentences = []
    flips = stability.flips
    if flips:
        moves = ", ".join(
            f"{f.item} {f.value}→{f.moved_to} makes it {label(f.paradigms)}" for f in flips
        )
        count = "1 answer" if len(flips) == 1 else f"{len(flips)} moves of one step"
        sentences.append(f"{count} would change the paradigm ({now}): {moves}.")
    spread = [
        f"{dimension} between {low:.0f} and {high:.0f}"
        for dimension, (low, high) in stability.ranges.items()
        if high - low >= 0.5
    ]
    if spread:
        sentences.append(
            "Answered at either end, the unsure and missing items could put "
            + " and ".join(spread)
            + "."
        )
    if stability.could_change:
        sentences.append(
            "Answered alone, " + ", ".join(stability.could_change) + " could change the paradigm."
        )
    return tuple(sentences)


def label(paradigms: tuple[str, ...]) -> str:
    return paradigms[0] if len(paradigms) == 1 else "undecided between " + and_list(paradigms)


def stability_data(stability: Stability | None) -> dict[str, object] | None:
    """The `stability` object of the JSON of `report` and `check`."""
    if stability is None:
        return None
    return {
        "changes_paradigm": [
            {
                "item": f.item,
                "from": f.value,
                "to": f.moved_to,
                "paradigm": label(f.paradigms),
            }
            for f in stability.flips
        ],
        "steps": [
            {
                "item": s.item,
                "dimension": s.dimension,
                "down": None if s.down is None else round(s.down, 2),
                "up": None if s.up is None else round(s.up, 2),
            }
            for s in stability.shifts
        ],
        "unanswered_range": {
            k: [round(lo, 1), round(hi, 1)] for k, (lo, hi) in stability.ranges.items()
        },
        "unanswered_could_change": list(stability.could_change),
    }


def references(assessment: Assessment, knowledge: Knowledge) -> tuple[Work, ...]:
    """The works a report rests on, in the order it first uses them: the classification,
    the paradigm, the support mix and approaches recommended, the risks fired."""
    if not knowledge.sources:
        return ()
    place = assessment.placement
    texts = [knowledge.classification.source, *(t.source for t in place.ties if t.source)]
    for paradigm in place.paradigms or ((place.paradigm,) if place.paradigm else ()):
        texts.append(knowledge.paradigms[paradigm].source)
    if assessment.mix is not None:
        texts += [knowledge.mix[p].source for p, share in assessment.mix.blend.items() if share > 0]
        texts.append(knowledge.ranking.source)
    texts += [rec.approach.source for rec in assessment.recommendations]
    for fired in assessment.risks:
        texts.append(fired.risk.rule.source)
        if fired.met_by and fired.risk.rule.met_by is not None:
            texts.append(fired.risk.rule.met_by.source)
    found: dict[str, Work] = {}
    for text in texts:
        for work in cited_works(text, knowledge.sources):
            found.setdefault(work.id, work)
    return tuple(found.values())


def reference_data(work: Work) -> dict[str, object]:
    return {"id": work.id, **as_dict(work, exclude={"id", "cited_as"}, exclude_none=True)}


@record
class RestsOn:
    """A high finding, the answers it rests on, and the nearest change that clears it."""

    risk: str
    answers: tuple[tuple[str, str, str], ...]  # id, value as written, its note ('' if none)
    nearest: str  # `no_codesign 4→3`, or '' when no change of answers clears it

    def text(self) -> str:
        shown = "; ".join(
            f"{qid} = {value}" + (f" (note: {note})" if note else " (no note)")
            for qid, value, note in self.answers
        )
        words = f"Rests on: {shown}." if shown else "Rests on the stakeholder map or the plan."
        if self.nearest:
            words += f" Nearest change that clears it: {self.nearest} (matland levers)."
        return words


def high_findings(assessment: Assessment, knowledge: Knowledge) -> dict[str, RestsOn]:
    """Each high, unaccepted risk with what it rests on (by risk id)."""
    high = {f.id: f for f in assessment.risks if f.severity == "high" and not f.accepted}
    if not high:
        return {}
    from matland.design.levers import find_levers  # a search: only when a high risk fired

    search = find_levers(
        assessment, knowledge, only=lambda target: target.kind == "risk" and target.id in high
    )
    nearest: dict[str, str] = {}
    for lever in search.levers:
        nearest.setdefault(
            lever.target.id, ", ".join(f"{c.item} {c.old}→{c.new}" for c in lever.changes)
        )
    answers = assessment.proposal.answers
    found = {}
    for risk_id, fired in high.items():
        rests = tuple(
            (t, str(answers[t].value).lower(), flat(answers[t].note or ""))
            for t in fired.triggers
            if t in answers and answers[t].value is not None
        )
        found[risk_id] = RestsOn(risk_id, rests, nearest.get(risk_id, ""))
    return found


def group_basis(group: Group, rules: WorkshopRules) -> str:
    """What the group's position rests on, when split conflict items moved it: the rule,
    the items, and where the per-item medians alone would put it (every workshop format)."""
    median = group.median_placement
    if not group.conflict_counted or median is None:
        return ""
    scores = ", ".join(
        f"{dimension} {'—' if score is None else whole(score)}"
        for dimension, score in median.scores.items()
    )
    return (
        f"{flat(rules.conflict_evidence.position_text)} Counted at their high "
        f"side: {and_list(list(group.conflict_counted))}. The medians alone: {median.label} "
        f"({scores}). Source: {flat(rules.conflict_evidence.source)}."
    )


@record
class ActionRow:
    """One row of the action plan: a risk to mitigate or an approach to put in place, with
    the owner, date and outcome the proposal's `actions:` gives it (blank until filled in)."""

    kind: str  # risk | support
    id: str
    item: str  # the words shown in the first column
    action: str
    owner: str
    due: str
    outcome: str


def action_plan(assessment: Assessment) -> tuple[ActionRow, ...]:
    kept = {a.item: a for a in assessment.proposal.actions}

    def row(kind: str, ident: str, item: str, action: str) -> ActionRow:
        taken = kept.get(ident)
        return ActionRow(
            kind,
            ident,
            item,
            flat(action),
            (taken.owner or "") if taken else "",
            (taken.due or "") if taken else "",
            (taken.outcome or "") if taken else "",
        )

    planned = set(assessment.proposal.support_plan)
    rows = [
        row("risk", r.id, f"Risk: {r.risk.rule.title} ({r.severity})", r.risk.rule.mitigation)
        for r in assessment.risks
        if not r.accepted
    ]
    rows += [
        row(
            "support",
            rec.id,
            f"Support ({'in the plan' if rec.id in planned else 'to add'}): {rec.approach.name}",
            rec.approach.description,
        )
        for rec in assessment.recommendations
    ]
    return tuple(rows)


def action_plan_data(assessment: Assessment) -> list[dict[str, str]]:
    return [
        {
            "kind": r.kind,
            "id": r.id,
            "item": r.item,
            "action": r.action,
            "owner": r.owner,
            "due": r.due,
            "expected_outcome": r.outcome,
        }
        for r in action_plan(assessment)
    ]


def bootstrap_text(workshop: Workshop) -> str:
    """How stable the group's paradigm is to who happened to attend (every format)."""
    b = workshop.bootstrap
    if b is None:
        return ""
    counts = {"same": b.same, **b.others}
    shares = percents({k: v / b.resamples for k, v in counts.items()})
    others = ", ".join(f"{label} {shares[label]}%" for label in b.others)
    return (
        f"{shares['same']}% of {b.resamples:,} resamples of the participants (drawn again "
        f"with replacement, seed {b.seed}) give the group's paradigm, "
        f"{workshop.group.assessment.placement.label}"
        + (f"; the others give {others}." if others else ".")
    )
