"""`matland review --format markdown`: for a wiki page or a board paper."""

from __future__ import annotations

from collections.abc import Sequence

from matland.core.words import flat
from matland.render.review import ReviewOptions
from matland.render.review import words as w
from matland.review.outcome import ReviewOutcome
from matland.review.timeline import Timeline, in_date_order, timelines


def cell(text: object) -> str:
    """Text for a table cell: one line, pipes and markup characters escaped."""
    one = flat(str(text))
    for char in "\\|*_`<>[]":
        one = one.replace(char, "\\" + char)
    return one


def code(text: object) -> str:
    """Text shown as code: as it is, but a backtick would end the span."""
    return "`" + flat(str(text)).replace("`", "'") + "`"


def render(outcomes: Sequence[ReviewOutcome], options: ReviewOptions) -> str:
    parts = [review_md(o) for o in in_date_order(outcomes)]
    parts += [timeline_md(t) for t in timelines(outcomes)]
    return "\n".join(parts)


def review_md(o: ReviewOutcome) -> str:
    f = o.review.file
    lines = [f"# {cell(o.title)}: {cell(f.phase)}", ""]
    lines += [f"{cell(f.date)} · review of {code(o.review.proposal_path)}"]
    lines += ([f"rated by {cell(f.rater)}"] if f.rater else []) + [""]
    lines += ["## Profile across the six criteria (report §2.2 Table 3)", ""]
    lines += ["| criterion | rating | Table 3 | evidence |", "| --- | --- | --- | --- |"]
    for c in o.criteria:
        lines.append(
            f"| {cell(c.criterion.name)} | **{w.LEVEL_NAMES[c.rating]}** | "
            f"{cell(c.described)} | {cell(c.evidence)} |"
        )
    place = o.spectrum
    lines += ["", f"## Overall: {w.position_name(place)} (McConnell's spectrum)", ""]
    lines += [w.counts_text(place) + ".", ""]
    if place.position is not None:
        lines += [f"*{place.position.name}*: {place.position.describes}.", ""]
    lines += [f"Why: {w.why_text(place)}.", "", "Mapping (the first that holds):", ""]
    lines += [f"- {w.rule_text(p)}" for p in place.positions]
    lines += ["", f"Source: {cell(place.source)}", "", "## Predicted, and what happened", ""]
    tally = ", ".join(f"{n} {k}" for k, n in o.risk_tally().items())
    lines += [f"Risks the assessment flagged ({len(o.risks)}): {tally or 'none'}.", ""]
    if o.risks:
        lines += ["| materialised | severity | risk | note |", "| --- | --- | --- | --- |"]
        lines += [
            f"| {r.materialised} | {r.severity}{' (met)' if r.met_by else ''} | "
            f"{code(r.id)} {cell(r.title)} | {cell(r.note)} |"
            for r in o.risks
        ]
    lines += ["", f"Unexpected (materialised, not flagged): {len(o.unexpected) or 'none'}.", ""]
    lines += [f"- {cell(text)}" for text in o.unexpected]
    lines += ["", f"Support recommended or planned ({len(o.support)}):", ""]
    lines += [f"- {text}" for text in w.support_tallies(o)]
    if o.support:
        lines += ["", "| delivered | approach | offered | note |", "| --- | --- | --- | --- |"]
        lines += [
            f"| {s.delivered} | {code(s.id)} {cell(s.name)} | {w.offered_text(s)} | "
            f"{cell(s.note)} |"
            for s in o.support
        ]
    lines += ["", f"Paradigm: {cell(w.paradigm_text(o.paradigm))}.", ""]
    lines += [
        f"- {code(c.id)}: {w.value_text(c.before)} → {w.value_text(c.after)}"
        + (f" ({cell(c.note)})" if c.note else "")
        for c in o.paradigm.changes
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def timeline_md(t: Timeline) -> str:
    lines = [f"# Timeline: {cell(t.title)} ({len(t.reviews)} reviews)", ""]
    dates = [cell(r.review.file.date) for r in t.reviews]
    lines += ["| criterion | " + " | ".join(dates) + " | moved |"]
    lines += ["| --- " * (len(dates) + 2) + "|"]
    for c in t.reviews[0].criteria:
        ratings = " | ".join(w.LEVEL_NAMES[r] for r in t.ratings(c.criterion.id))
        lines.append(f"| {cell(c.criterion.name)} | {ratings} | {t.moves(c.criterion.id)} |")
    overall = " | ".join(w.position_name(r.spectrum) for r in t.reviews)
    lines += [f"| **overall** | {overall} | |", ""]
    lines += [
        f"{i}. {cell(r.review.file.date)}: {cell(r.review.file.phase)} ({code(r.review.path)})"
        for i, r in enumerate(t.reviews, 1)
    ]
    return "\n".join(lines) + "\n"
