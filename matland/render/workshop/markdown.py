"""Markdown: the workshop's results as a document to share after the session."""

from __future__ import annotations

from matland.core.knowledge import Knowledge
from matland.core.words import flat
from matland.render import markdown as single
from matland.render import views
from matland.render.text import paradigm_text, score_text
from matland.render.workshop import WorkshopOptions
from matland.render.workshop.text import (
    FLAG,
    FLAGGED,
    ITEM_HEADERS,
    SPLITS_NOTE,
    answered,
    gaps_note,
    item_row,
    number,
    rounding_note,
    sides,
    split_text,
)
from matland.workshop.aggregate import CONTESTED, Scenario, Workshop, counted


def render(workshop: Workshop, options: WorkshopOptions) -> str:
    a = workshop.group.assessment
    place = a.placement
    lines = [
        f"# Workshop: {single.plain(workshop.title)}",
        "",
        f"{workshop.headcount()}. The group's answers are the per-item "
        "medians (a contested conflict item counts at its high side); an item that splits "
        "the group is *contested*.",
        "",
        "## The group's position",
        "",
        f"Ambiguity **{score_text(place.ambiguity.score)}**/100, "
        f"conflict **{score_text(place.conflict.score)}**/100: "
        f"**{paradigm_text(a)}**"
        + (f" (confidence: {place.confidence})" if place.confidence else "")
        + ".",
        "",
        *(
            [views.group_basis(workshop.group, workshop.rules), ""]
            if workshop.group.conflict_counted
            else []
        ),
        *([f"**Stable?** {views.bootstrap_text(workshop)}", ""] if workshop.bootstrap else []),
        "## Participants",
        "",
    ]
    lines += single.table(
        ["participant", "role", "ambiguity", "conflict", "paradigm"],
        [
            [
                single.plain(p.name),
                single.plain(p.role or ""),
                score_text(p.assessment.placement.ambiguity.score),
                score_text(p.assessment.placement.conflict.score),
                paradigm_text(p.assessment) + ("" if p.in_position else FLAG),
            ]
            for p in workshop.participants
        ],
    )
    if workshop.flagged:
        lines += ["", f"{FLAG.strip()} {FLAGGED}"]
    lines += ["", *disagreement(workshop, options.knowledge), "## Items", ""]
    lines += single.table(
        ITEM_HEADERS,
        [[f"`{row[0]}`", *row[1:]] for row in (item_row(s) for s in answered(workshop.group))],
    )
    lines += ["", f"*{rounding_note(workshop.rules)}*", "", *notes(workshop, options.knowledge)]
    lines += roles(workshop)
    lines += single.support(a, options.knowledge) + single.risks(a)
    if workshop.errors:
        lines += [f"## Left out or noted ({len(workshop.errors)})", ""]
        lines += [f"- {single.code(f.one_line())}" for f in workshop.errors]
        lines.append("")
    return "\n".join(lines) + "\n"


def _scenario(s: Scenario | None, side: str) -> list[str]:
    if s is None:
        return []
    values = ", ".join(f"`{item}` = {value}" for item, value in s.values.items())
    where = s.placement.paradigm or "not classifiable"
    return [
        f"- If the {side} answers were right ({values}): **{where}** "
        f"(ambiguity {score_text(s.placement.ambiguity.score)}, "
        f"conflict {score_text(s.placement.conflict.score)})"
    ]


def disagreement(workshop: Workshop, knowledge: Knowledge) -> list[str]:
    dis = workshop.group.disagreement
    rule = workshop.rules.disagreement
    lines = [f"## Disagreement ({counted(len(dis.contested), 'contested item')})", ""]
    if not dis.found:
        return [*lines, workshop.no_split(), ""]
    for item_id in dis.contested:
        s = workshop.items[item_id]
        lines.append(
            f"- `{item_id}` ({single.plain(knowledge.questions[item_id].text)}): "
            f"{s.low} of {s.n} answered low (≤ {rule.low_max}), {s.high} high "
            f"(≥ {rule.high_min}); group value **{CONTESTED}** (median {number(s.median)})"
        )
        low, high = sides(workshop, item_id)
        lines.append(f"  - low: {single.plain(low)}")
        lines.append(f"  - high: {single.plain(high)}")
    lines.append("")
    if dis.conflict_items:
        evidence = workshop.rules.conflict_evidence
        lines += [f"> {flat(evidence.text)} ({evidence.source})", ""]
    lines += _scenario(dis.if_high, "high") + _scenario(dis.if_low, "low")
    lines += [
        "",
        f"*Rule: {flat(rule.explanation)} Source: {flat(rule.source)}*",
        "",
    ]
    return lines


def roles(workshop: Workshop) -> list[str]:
    if not workshop.roles:
        return []
    lines = ["## By role", ""]
    lines += single.table(
        ["role", "n", "ambiguity", "conflict", "paradigm", "contested"],
        [
            [
                r.role,
                len(r.group.members),
                score_text(r.group.assessment.placement.ambiguity.score),
                score_text(r.group.assessment.placement.conflict.score),
                paradigm_text(r.group.assessment),
                ", ".join(r.group.disagreement.contested) or "—",
            ]
            for r in workshop.roles
        ],
    )
    lines += ["", "### Split between roles", ""]
    lines += [f"- {single.plain(split_text(workshop, s))}" for s in workshop.role_splits] or [
        "No item has roles at opposite extremes."
    ]
    lines += ["", f"*{SPLITS_NOTE}*", "", "### Where the roles differ most", ""]
    if not workshop.role_gaps:
        return [*lines, "No item differs by a whole answer or more between roles.", ""]
    names = [r.role for r in workshop.roles]
    lines += single.table(
        ["item", "gap", *names],
        [
            [f"`{g.item}`", number(g.gap), *(number(g.medians.get(n)) for n in names)]
            for g in workshop.role_gaps
        ],
    )
    return [*lines, "", f"*{gaps_note(workshop)}*", ""]


def notes(workshop: Workshop, knowledge: Knowledge) -> list[str]:
    """The participants' notes on each item, by name (unnamed when anonymous)."""
    noted = [s for s in workshop.items.values() if s.notes]
    if not noted:
        return []
    lines = ["## Notes", ""]
    for s in noted:
        lines += [f"**`{s.id}`** {single.plain(knowledge.questions[s.id].text)}", ""]
        for name, note in s.notes:
            who = "" if workshop.anonymous else f"{single.plain(name)}: "
            lines.append(f"- {who}{single.plain(note)}")
        lines.append("")
    return lines
