"""`matland review --format html`: one self-contained page (no network, prints on A4): the
six criteria drawn as a profile, the prediction beside what happened, and for several
reviews of one proposal the timeline as a chart. Every text is escaped (htmlkit.esc)."""

from __future__ import annotations

from collections.abc import Sequence

from matland.core.reviewfile import Rating
from matland.render.htmlkit import PALETTE, esc, page, words
from matland.render.review import ReviewOptions
from matland.render.review import words as w
from matland.review.outcome import ReviewOutcome
from matland.review.timeline import Timeline, in_date_order, timelines

# The profile: a row per criterion, a column per level, worst to best.
LEVEL_X = {"failure": 0, "conflicted": 1, "success": 2}
LEVEL_COLOUR = {"success": "#1b7f3b", "conflicted": "#b86e00", "failure": "#b3261e"}
ROW = 34  # px per criterion
COL = 170  # px per level (its heading fits)
LABEL = 320  # px for the criterion names
DOT = 8


def render(outcomes: Sequence[ReviewOutcome], options: ReviewOptions) -> str:
    body: list[str] = []
    for o in in_date_order(outcomes):
        body += _review(o)
    for t in timelines(outcomes):
        body += _timeline(t)
    titles = sorted({o.title for o in outcomes})
    return page("Review: " + "; ".join(titles), body)


def _review(o: ReviewOutcome) -> list[str]:
    f = o.review.file
    out = [
        "<section>",
        f"<h1>{esc(o.title)}: {esc(f.phase)}</h1>",
        f"<p>{esc(f.date)} · review of <code>{esc(o.review.proposal_path)}</code>"
        + (f" · rated by {esc(f.rater)}" if f.rater else "")
        + "</p>",
        "<h2>Profile across the six criteria (report §2.2 Table 3)</h2>",
        _profile_svg(o),
        "<table><thead><tr><th>criterion</th><th>rating</th><th>Table 3</th>"
        "<th>evidence</th></tr></thead><tbody>",
    ]
    for c in o.criteria:
        out.append(
            f"<tr><td>{esc(c.criterion.name)}</td><td><b>{esc(w.LEVEL_NAMES[c.rating])}</b></td>"
            f"<td>{words(c.described)}</td><td>{words(c.evidence)}</td></tr>"
        )
    place = o.spectrum
    out += ["</tbody></table>", f"<h2>Overall: {esc(w.position_name(place))}</h2>"]
    out.append(f"<p>{esc(w.counts_text(place))}.</p>")
    if place.position is not None:
        out.append(f"<p><i>{esc(place.position.name)}</i>: {esc(place.position.describes)}.</p>")
    out += [f"<p>Why: {esc(w.why_text(place))}.</p>", "<p>Mapping (the first that holds):</p>"]
    out += ["<ol>", *(f"<li>{esc(w.rule_text(p))}</li>" for p in place.positions), "</ol>"]
    out.append(f"<p class='source'>Source: {esc(place.source)}</p>")
    out += _prediction(o)
    return [*out, "</section>"]


def _profile_svg(o: ReviewOutcome) -> str:
    width, height = LABEL + 3 * COL, ROW * (len(o.criteria) + 1)
    parts = [
        f'<svg role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="profile across the six criteria">'
    ]
    for level, x in LEVEL_X.items():
        cx = LABEL + x * COL + COL / 2
        parts.append(
            f'<text x="{cx}" y="18" text-anchor="middle" font-size="13">'
            f"{esc(w.LEVEL_NAMES[level])}</text>"
        )
        parts.append(
            f'<line x1="{cx}" y1="{ROW - 6}" x2="{cx}" y2="{height}" stroke="#ccc" '
            'stroke-dasharray="3 3"/>'
        )
    points = []
    for index, c in enumerate(o.criteria):
        y = ROW * (index + 1) + ROW / 2
        parts.append(f'<text x="0" y="{y + 4}" font-size="13">{esc(c.criterion.name)}</text>')
        if c.rating == "unsure":
            parts.append(
                f'<text x="{LABEL + 1.5 * COL}" y="{y + 4}" text-anchor="middle" '
                'font-size="12" fill="#5f6b76">unsure</text>'
            )
            continue
        cx = LABEL + LEVEL_X[c.rating] * COL + COL / 2
        points.append(f"{cx},{y}")
        parts.append(
            f'<circle cx="{cx}" cy="{y}" r="{DOT}" fill="{LEVEL_COLOUR[c.rating]}">'
            f"<title>{esc(c.criterion.name)}: {esc(w.LEVEL_NAMES[c.rating])}</title></circle>"
        )
    if len(points) > 1:
        parts.insert(
            1 + 2 * len(LEVEL_X),
            f'<polyline points="{" ".join(points)}" fill="none" stroke="#555" stroke-width="2"/>',
        )
    return "".join(parts) + "</svg>"


def _prediction(o: ReviewOutcome) -> list[str]:
    tally = ", ".join(f"{n} {k}" for k, n in o.risk_tally().items())
    out = [
        "<h2>Predicted, and what happened</h2>",
        f"<h3>Risks the assessment flagged ({len(o.risks)}): {esc(tally or 'none')}</h3>",
        "<table><thead><tr><th>materialised</th><th>severity</th><th>risk</th><th>note</th>"
        "</tr></thead><tbody>",
    ]
    for r in o.risks:
        met = " (met)" if r.met_by else ""
        out.append(
            f"<tr><td>{esc(r.materialised)}</td><td>{esc(r.severity + met)}</td>"
            f"<td><code>{esc(r.id)}</code> {esc(r.title)}</td><td>{words(r.note)}</td></tr>"
        )
    out += ["</tbody></table>", f"<h3>Unexpected (not flagged): {len(o.unexpected)}</h3>"]
    out += ["<ul>", *(f"<li>{words(t)}</li>" for t in o.unexpected), "</ul>"]
    out.append(f"<h3>Support recommended or planned ({len(o.support)})</h3>")
    out += ["<ul>", *(f"<li>{esc(t)}</li>" for t in w.support_tallies(o)), "</ul>"]
    out.append(
        "<table><thead><tr><th>delivered</th><th>approach</th><th>offered</th><th>note</th>"
        "</tr></thead><tbody>"
    )
    for s in o.support:
        out.append(
            f"<tr><td>{esc(s.delivered)}</td><td><code>{esc(s.id)}</code> {esc(s.name)}</td>"
            f"<td>{esc(w.offered_text(s))}</td><td>{words(s.note)}</td></tr>"
        )
    out += ["</tbody></table>", f"<p>Paradigm: {esc(w.paradigm_text(o.paradigm))}.</p>"]
    changes = [
        f"<li><code>{esc(c.id)}</code>: {esc(w.value_text(c.before))} → "
        f"{esc(w.value_text(c.after))} {words(c.note)}</li>"
        for c in o.paradigm.changes
    ]
    return out + (["<ul>", *changes, "</ul>"] if changes else [])


# The timeline chart: a column per review, the three levels as rows (best on top), one
# line per criterion, nudged apart so that lines on the same level stay visible.
T_LEFT, T_STEP, T_ROW, T_TOP, NUDGE = 160, 200, 70, 40, 5


def _timeline(t: Timeline) -> list[str]:
    n = len(t.reviews)
    width = T_LEFT + T_STEP * (n - 1) + 60
    height = T_TOP + 2 * T_ROW + 60
    parts = [
        f'<svg role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="timeline of the six criteria">'
    ]
    for level, row in LEVEL_X.items():
        y = T_TOP + (2 - row) * T_ROW
        parts.append(
            f'<text x="0" y="{y + 4}" font-size="13">{esc(w.LEVEL_NAMES[level])}</text>'
            f'<line x1="{T_LEFT - 10}" y1="{y}" x2="{width - 20}" y2="{y}" stroke="#ddd"/>'
        )
    for i, r in enumerate(t.reviews):
        x = T_LEFT + T_STEP * i
        parts.append(
            f'<text x="{x}" y="{height - 20}" text-anchor="middle" font-size="12">'
            f"{esc(r.review.file.date)}</text>"
        )
    criteria = t.reviews[0].criteria
    for k, c in enumerate(criteria):
        colour = PALETTE[k % len(PALETTE)]
        nudge = (k - (len(criteria) - 1) / 2) * NUDGE
        points = _points(t.ratings(c.criterion.id), nudge)
        if len(points) > 1:
            joined = " ".join(f"{px},{py}" for px, py in points)
            parts.append(
                f'<polyline points="{joined}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for px, py in points:
            parts.append(
                f'<circle cx="{px}" cy="{py}" r="4" fill="{colour}">'
                f"<title>{esc(c.criterion.name)}</title></circle>"
            )
    parts.append("</svg>")
    legend = [
        f'<li><span style="color:{PALETTE[k % len(PALETTE)]}">■</span> '
        f"{esc(c.criterion.name)} ({esc(t.moves(c.criterion.id))})</li>"
        for k, c in enumerate(criteria)
    ]
    overall = " → ".join(w.position_name(r.spectrum) for r in t.reviews)
    return [
        "<section>",
        f"<h1>Timeline: {esc(t.title)} ({n} reviews)</h1>",
        "".join(parts),
        "<ul>",
        *legend,
        "</ul>",
        f"<p>Overall: {esc(overall)}</p>",
        "<ol>",
        *(
            f"<li>{esc(r.review.file.date)}: {esc(r.review.file.phase)} "
            f"(<code>{esc(r.review.path)}</code>)</li>"
            for r in t.reviews
        ),
        "</ol>",
        "</section>",
    ]


def _points(ratings: tuple[Rating, ...], nudge: float) -> list[tuple[float, float]]:
    """Where each rated review's dot goes (an unsure rating has none; the line joins the
    rated ones)."""
    return [
        (T_LEFT + T_STEP * i, T_TOP + (2 - LEVEL_X[r]) * T_ROW + nudge)
        for i, r in enumerate(ratings)
        if r != "unsure"
    ]
