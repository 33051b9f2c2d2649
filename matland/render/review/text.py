"""`matland review` as plain text: each review (profile, spectrum, prediction beside what
happened), then the timeline of each proposal reviewed more than once."""

from __future__ import annotations

from collections.abc import Sequence

from matland.render import printable
from matland.render.prose import divider, fitted, hanging, prose, table, titled
from matland.render.review import ReviewOptions
from matland.render.review import words as w
from matland.review.outcome import ReviewOutcome
from matland.review.timeline import Timeline, in_date_order, timelines

# The profile's columns, worst to best, as a reader scans a row left to right.
COLUMNS = ("failure", "conflicted", "success")
DOT, EMPTY = "●", "·"


def render(outcomes: Sequence[ReviewOutcome], options: ReviewOptions) -> str:
    parts = [review_text(o) for o in in_date_order(outcomes)]
    parts += [timeline_text(t) for t in timelines(outcomes)]
    return ("\n" + divider() + "\n\n").join(parts)


def _heading(text: str, rule: str = "─") -> list[str]:
    return titled(text, rule)


def _wrap(text: str, indent: str = "  ", rest: str | None = None) -> list[str]:
    return hanging(text, indent, indent if rest is None else rest) or [indent.rstrip()]


def review_text(o: ReviewOutcome) -> str:
    f = o.review.file
    lines = _heading(printable(f"{o.title}: {f.phase}"), "═")
    lines += _wrap(f"{f.date} · review of {o.review.proposal_path}", "")
    if f.rater:
        lines += _wrap(f"rated by {f.rater}", "")
    lines += ["", *_profile(o), "", *_spectrum(o), "", *_prediction(o)]
    return "\n".join(lines) + "\n"


def _profile(o: ReviewOutcome) -> list[str]:
    lines = _heading("Profile across the six criteria (report §2.2 Table 3)")
    rows = []
    for c in o.criteria:
        marks = [DOT if c.rating == level else EMPTY for level in COLUMNS]
        rows.append([c.criterion.name, *marks, w.LEVEL_NAMES[c.rating]])
    lines += table(
        rows,
        ("criterion", "failure", "conflicted", "success", "rating"),
        wrapped=0,
        colalign=("left", "center", "center", "center", "left"),
    )
    for c in o.criteria:
        named = f"{c.criterion.name} [{c.criterion.id}]: {w.LEVEL_NAMES[c.rating]}"
        lines += ["", *_wrap(named, "  ", "    ")]
        if c.described:
            lines += _wrap(f"Table 3: {c.described}", "    ", "      ")
        if c.evidence:
            lines += _wrap(f"Evidence: {c.evidence}", "    ", "      ")
        if c.rater and c.rater != o.review.file.rater:
            lines += _wrap(f"Rated by: {c.rater}", "    ")
    return lines


def _spectrum(o: ReviewOutcome) -> list[str]:
    place = o.spectrum
    lines = _heading(f"Overall: {w.position_name(place)} (McConnell's spectrum)")
    lines += _wrap(w.counts_text(place))
    if place.position is not None:
        lines += _wrap(f"{place.position.name}: {place.position.describes}")
    lines += _wrap(f"Why: {w.why_text(place)}.", "  ", "       ")
    lines += ["  Mapping (first that holds):"]
    for position in place.positions:
        lines += _wrap(w.rule_text(position), "    - ", "      ")
    lines += _wrap(f"Source: {place.source}", "  ", "          ")
    return lines


def _prediction(o: ReviewOutcome) -> list[str]:
    lines = _heading("Predicted, and what happened")
    tally = ", ".join(f"{n} {k}" for k, n in o.risk_tally().items())
    lines += [f"  Risks the assessment flagged ({len(o.risks)}): {tally or 'none'}"]
    rows = [
        [r.materialised, r.severity + (" (met)" if r.met_by else ""), r.id, r.note]
        for r in sorted(o.risks, key=lambda r: _MATERIALISED_ORDER.index(r.materialised))
    ]
    lines += _table(rows, ["materialised", "severity", "risk", "note"])
    lines += ["", f"  Unexpected (materialised, not flagged): {len(o.unexpected) or 'none'}"]
    for text in o.unexpected:
        lines += _wrap(text, "    - ", "      ")
    lines += ["", f"  Support recommended or planned ({len(o.support)}):"]
    lines += [f"    {text}" for text in w.support_tallies(o)]
    rows = [[s.delivered, s.id, w.offered_text(s), s.note] for s in o.support]
    lines += _table(rows, ["delivered", "approach", "offered", "note"])
    lines += ["", *_wrap(f"Paradigm: {w.paradigm_text(o.paradigm)}.", "  ", "    ")]
    for change in o.paradigm.changes:
        text = f"{change.id}: {w.value_text(change.before)} → {w.value_text(change.after)}"
        lines += _wrap(text + (f" ({change.note})" if change.note else ""), "    - ", "      ")
    return lines


_MATERIALISED_ORDER = ("yes", "partly", "no", "too early", "not said")


def _table(rows: list[list[str]], headers: list[str]) -> list[str]:
    """Rows with a note last, wrapped in the room left."""
    if not rows:
        return []
    cells = [[prose(str(c)) for c in row] for row in rows]
    drawn = fitted(cells, headers, wrapped=len(headers) - 1, indent="    ", narrowest=30)
    if drawn is not None:
        return drawn
    lines = []  # too narrow for the notes beside: each row a line, its note under it
    for *cols, note in cells:
        lines += hanging(" · ".join(c for c in cols if c), "    - ", "      ")
        lines += hanging(note, "      ") if note else []
    return lines


def timeline_text(t: Timeline) -> str:
    lines = _heading(printable(f"Timeline: {t.title} ({len(t.reviews)} reviews)"), "═")
    lines += _wrap(f"review of {t.proposal_path}", "")
    headers = ["criterion", *(f"{r.review.file.date}" for r in t.reviews), "moved"]
    rows = [
        [
            c.criterion.name,
            *(w.LEVEL_NAMES[r] for r in t.ratings(c.criterion.id)),
            t.moves(c.criterion.id),
        ]
        for c in t.reviews[0].criteria
    ]
    rows.append(["overall", *(w.position_name(r.spectrum) for r in t.reviews), ""])
    lines += ["", *table(rows, headers, wrapped=0, indent=""), ""]
    for index, r in enumerate(t.reviews, 1):
        lines += _wrap(
            f"{index}. {r.review.file.date}: {r.review.file.phase} ({r.review.path})", "", "   "
        )
    return "\n".join(lines) + "\n"
