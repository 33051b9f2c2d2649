"""Pieces shared by the HTML reports: the page, its CSS, the matrix as SVG, support and risks.

Every page is one self-contained file: inline CSS and SVG, no scripts, no fonts, no external
URL anywhere, so it opens offline (from a USB stick) and prints on A4. Every piece of user
text goes through `esc`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field

from matland import __version__
from matland.core.assessment import Assessment
from matland.core.classify import Placement, Stability
from matland.core.knowledge import MIX_KEYS, Knowledge, Paradigm
from matland.core.numbers import percents, whole
from matland.core.records import record
from matland.core.risks import FiredRisk
from matland.core.support import LABELS, SupportMix
from matland.core.words import flat
from matland.render import views
from matland.render.matrix_layout import Box, Spot, lay_out
from matland.render.text import mix_basis

# The matrix as drawn in report Table 10: conflict across (low left), ambiguity down (low top).
SIZE = 400  # the plot's side in SVG units
LEFT, TOP, RIGHT, BOTTOM = 64, 28, 16, 46
MARKER_RADIUS = 10
QUADRANT_FILL = {
    "administrative": "#e6f0fa",
    "political": "#fbe9e1",
    "experimental": "#e7f4e4",
    "symbolic": "#efe7f6",
}
# Okabe-Ito colours: told apart by readers with colour-vision deficiency and in greyscale print.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
SEVERITY_COLOUR = {"high": "#b3261e", "medium": "#b86e00", "low": "#4a6a8a", "info": "#5f6b76"}

CSS = """
:root { --ink: #1d2329; --muted: #5f6b76; --line: #d5dbe1; --accent: #0b5cad;
        --contested: #b3261e; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       sans-serif; color: var(--ink); background: #fff; margin: 0 auto; max-width: 1040px;
       padding: 24px 28px 48px; }
h1 { font-size: 1.7em; margin: 0 0 .2em; }
h2 { font-size: 1.25em; margin: 1.6em 0 .5em; padding-bottom: .2em;
     border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05em; margin: 1.1em 0 .3em; }
p, li { max-width: 75ch; }
.byline, .muted, figcaption, .source { color: var(--muted); }
.source { font-size: .85em; }
.lead { font-size: 1.05em; }
table { border-collapse: collapse; margin: .4em 0 1em; font-size: .92em; }
th, td { text-align: left; padding: .28em .6em; border-bottom: 1px solid var(--line);
         vertical-align: top; }
th { font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.position { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
.position figure { margin: 0; flex: 1 1 300px; max-width: 480px; min-width: 0; }
svg.matrix { display: block; width: 100%; height: auto; }
.key { list-style: none; padding: 0; margin: .4em 0; display: flex; flex-wrap: wrap;
       gap: .2em 1.1em; font-size: .9em; }
.key svg { vertical-align: -2px; }
.position .facts { flex: 1 1 300px; }
svg text { font-family: inherit; }
.tag { display: inline-block; padding: 0 .45em; border-radius: .3em; font-size: .82em;
       font-weight: 600; color: #fff; background: var(--muted); white-space: nowrap; }
.tag.contested { background: var(--contested); }
.tag.high { background: #b3261e; } .tag.medium { background: #b86e00; }
.tag.low { background: #4a6a8a; } .tag.info { background: #5f6b76; }
.bars { display: grid; grid-template-columns: max-content 3.5em minmax(120px, 360px);
        gap: .25em .7em; align-items: center; margin: .5em 0 1em; }
.bar { height: .9em; background: var(--accent); border-radius: 2px; }
.bar.collaboration { background: repeating-linear-gradient(45deg, var(--accent) 0 4px,
                     #8fb5dc 4px 8px); }
.risk { border-left: 4px solid var(--line); padding: .1em 0 .1em .8em; margin: .8em 0; }
.risk h3 { margin: 0 0 .2em; }
.callout { border: 2px solid var(--contested); border-radius: 6px; padding: .6em 1em;
           background: #fdf3f2; margin: .8em 0; }
.strip td { padding-top: .1em; padding-bottom: .1em; }
.strip .label { max-width: 30ch; }
.notes { margin: .3em 0 0; padding-left: 1.1em; font-size: .88em; }
footer { margin-top: 3em; font-size: .8em; color: var(--muted); }
@media (max-width: 600px) {
  body { padding: 12px 12px 32px; overflow-wrap: anywhere; }
  table { display: block; overflow-x: auto; max-width: 100%; }
  .tag { white-space: normal; }
  .bars { grid-template-columns: minmax(0, max-content) 3.5em minmax(60px, 1fr); }
}
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { font-size: 9.5pt; max-width: none; padding: 0; }
  h2 { break-after: avoid-page; }
  section, figure, .risk, tr { break-inside: avoid-page; }
  .position { gap: 12px; }
  footer { position: static; }
}
"""


def esc(value: object) -> str:
    """Text and attribute values, escaped (quotes too). A line break in the text is written as
    a character reference (it reads the same): printed in a CI log, the page's next line
    could otherwise start with the text's own `::error::`, a GitHub workflow command."""
    escaped = html.escape(str(value), quote=True)
    return escaped.replace("\r", "&#13;").replace("\n", "&#10;")


def words(text: str) -> str:
    return esc(flat(text))


def page(title: str, body: Iterable[str], lang: str = "en") -> str:
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{esc(lang)}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta name="generator" content="matland {esc(__version__)}">',
            f"<title>{esc(title)}</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            *body,
            f"<footer>Made by matland {esc(__version__)}. Matland (1995) ambiguity–conflict "
            "model as applied in the report <i>Improving choices for care</i> (§5.1, Table 10). "
            "This file is self-contained: it needs no network and prints on A4.</footer>",
            "</body>",
            "</html>",
            "",
        ]
    )


def score(value: float | None) -> str:
    return "—" if value is None else str(whole(value))


# ------------------------------------------------------------------ the matrix


@record
class Marker:
    """One position in the matrix."""

    ambiguity: float
    conflict: float
    label: str  # a short text drawn on the marker (a number)
    title: str  # the tooltip: who or what, and where
    kind: str = "participant"  # participant | group | scenario | proposal
    colour: str = PALETTE[0]
    data: Mapping[str, str] = field(default_factory=dict)  # data-* attributes


def _xy(m: Marker) -> tuple[float, float]:
    return LEFT + m.conflict / 100 * SIZE, TOP + m.ambiguity / 100 * SIZE


def _quadrant_box(m: Marker, midpoint: float, within: float = 0.0) -> Box:
    """The quadrant the marker's scores fall in, in drawing units. A score on a line (within
    `within` of the midpoint: a tie, which classify leaves to evidence or calls undecided)
    may stay on the line: the box spans both sides of it, so the marker is drawn where it
    is, neither side's."""
    mid_x, mid_y = LEFT + midpoint / 100 * SIZE, TOP + midpoint / 100 * SIZE
    on_c, on_a = abs(m.conflict - midpoint) < within, abs(m.ambiguity - midpoint) < within
    high_c, high_a = m.conflict > midpoint, m.ambiguity > midpoint
    return Box(
        LEFT if on_c else mid_x if high_c else LEFT,
        TOP if on_a else mid_y if high_a else TOP,
        LEFT + SIZE if on_c or high_c else mid_x,
        TOP + SIZE if on_a or high_a else mid_y,
    )


def _radius(m: Marker) -> float:
    return MARKER_RADIUS + 3 if m.kind in ("group", "scenario") else MARKER_RADIUS


def _spread_out(
    markers: Sequence[Marker], midpoint: float, within: float = 0.0
) -> list[tuple[Marker, float, float]]:
    """Markers that would overlap are moved apart, each within its own quadrant (never across
    a paradigm line). The group, scenarios and a proposal are placed first, so they are
    drawn where they are; participants take the nearest free spot around theirs."""
    order = sorted(range(len(markers)), key=lambda i: markers[i].kind == "participant")
    spots = [
        Spot(*_xy(markers[i]), _quadrant_box(markers[i], midpoint, within), _radius(markers[i]))
        for i in order
    ]
    where = {i: (p.x, p.y) for i, p in zip(order, lay_out(spots), strict=True)}
    return [(m, *where[i]) for i, m in enumerate(markers)]


def _marker_svg(marker: Marker, x: float, y: float) -> str:
    scores = {"ambiguity": f"{marker.ambiguity:.1f}", "conflict": f"{marker.conflict:.1f}"}
    data = "".join(f' data-{esc(k)}="{esc(v)}"' for k, v in {**marker.data, **scores}.items())
    title = f"<title>{esc(marker.title)}</title>"
    r = MARKER_RADIUS
    if marker.kind in ("group", "scenario"):
        size = r + 3
        points = f"{x:.1f},{y - size:.1f} {x + size:.1f},{y:.1f} {x:.1f},{y + size:.1f} " + (
            f"{x - size:.1f},{y:.1f}"
        )
        style = (
            'fill="#1d2329" stroke="#fff" stroke-width="1.5"'
            if marker.kind == "group"
            else 'fill="#fff" stroke="#1d2329" stroke-width="2" stroke-dasharray="3 2"'
        )
        return (
            f'<g class="marker {marker.kind}"{data}>{title}<polygon points="{points}" {style}/></g>'
        )
    return (
        f'<g class="marker {marker.kind}"{data}>{title}'
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{esc(marker.colour)}" '
        f'fill-opacity="0.88" stroke="#fff" stroke-width="1.5"/>'
        f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="11" '
        f'font-weight="700" fill="#fff">{esc(marker.label)}</text></g>'
    )


def _quadrants(knowledge: Knowledge) -> list[str]:
    mid_c = LEFT + knowledge.classification.midpoint / 100 * SIZE
    mid_a = TOP + knowledge.classification.midpoint / 100 * SIZE
    parts = []
    for paradigm in knowledge.paradigms.values():
        x = LEFT if paradigm.conflict == "low" else mid_c
        y = TOP if paradigm.ambiguity == "low" else mid_a
        w = (mid_c - LEFT) if paradigm.conflict == "low" else (LEFT + SIZE - mid_c)
        h = (mid_a - TOP) if paradigm.ambiguity == "low" else (TOP + SIZE - mid_a)
        parts.append(
            f'<rect class="quadrant" data-paradigm="{esc(paradigm.id)}" x="{x:.1f}" '
            f'y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'fill="{QUADRANT_FILL.get(paradigm.id, "#f4f4f4")}"/>'
        )
        anchor_x = x + 8 if paradigm.conflict == "low" else x + w - 8
        anchor = "start" if paradigm.conflict == "low" else "end"
        label_y = y + 18 if paradigm.ambiguity == "low" else y + h - 24
        parts.append(
            f'<text class="paradigm-label" x="{anchor_x:.1f}" y="{label_y:.1f}" '
            f'text-anchor="{anchor}" font-size="13" font-weight="700" fill="#33404d">'
            f"{esc(paradigm.id.upper())}</text>"
            f'<text x="{anchor_x:.1f}" y="{label_y + 14:.1f}" text-anchor="{anchor}" '
            f'font-size="10.5" fill="#5f6b76">{esc(paradigm.principle)}</text>'
        )
    return parts


def matrix_svg(
    knowledge: Knowledge,
    markers: Sequence[Marker],
    arrows: Sequence[tuple[Marker, Marker]] = (),
    label: str = "Position in Matland's ambiguity–conflict matrix",
) -> str:
    """The 2×2 matrix with the boundary band, and the markers (later ones drawn on top)."""
    width, height = LEFT + SIZE + RIGHT, TOP + SIZE + BOTTOM
    rules = knowledge.classification
    band_lo = (rules.midpoint - rules.band) / 100 * SIZE
    band_w = 2 * rules.band / 100 * SIZE
    mid = rules.midpoint / 100 * SIZE
    parts = [
        # No fixed size: the drawing scales to its column (a phone, a projector, A4).
        f'<svg id="matrix" class="matrix" viewBox="0 0 {width} {height}" '
        f'preserveAspectRatio="xMidYMid meet" role="img" aria-label="{esc(label)}">',
        f"<title>{esc(label)}</title>",
        *_quadrants(knowledge),
        # The band where a policy carries elements of the paradigm across the boundary.
        f'<rect x="{LEFT + band_lo:.1f}" y="{TOP}" width="{band_w:.1f}" height="{SIZE}" '
        'fill="#000" fill-opacity="0.035"/>',
        f'<rect x="{LEFT}" y="{TOP + band_lo:.1f}" width="{SIZE}" height="{band_w:.1f}" '
        'fill="#000" fill-opacity="0.035"/>',
        f'<line x1="{LEFT + mid:.1f}" y1="{TOP}" x2="{LEFT + mid:.1f}" y2="{TOP + SIZE}" '
        'stroke="#8a96a3" stroke-width="1.5"/>',
        f'<line x1="{LEFT}" y1="{TOP + mid:.1f}" x2="{LEFT + SIZE}" y2="{TOP + mid:.1f}" '
        'stroke="#8a96a3" stroke-width="1.5"/>',
        f'<rect x="{LEFT}" y="{TOP}" width="{SIZE}" height="{SIZE}" fill="none" '
        'stroke="#5f6b76" stroke-width="1.5"/>',
        *_axes(),
    ]
    placed = _spread_out(markers, rules.midpoint, rules.ties.within)
    where = {id(m): (x, y) for m, x, y in placed}
    for start, end in arrows:
        if id(start) in where and id(end) in where:
            (x1, y1), (x2, y2) = where[id(start)], where[id(end)]
            parts.append(
                f'<line class="shift" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                'stroke="#1d2329" stroke-width="1.5" stroke-dasharray="4 3"/>'
            )
    parts += [_marker_svg(m, x, y) for m, x, y in placed]
    parts.append("</svg>")
    return "".join(parts)


def _axes() -> list[str]:
    bottom = TOP + SIZE
    parts = []
    for value in (0, 50, 100):
        x = LEFT + value / 100 * SIZE
        y = TOP + value / 100 * SIZE
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" font-size="11" '
            f'fill="#5f6b76">{value}</text>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#5f6b76">{value}</text>'
        )
    parts.append(
        f'<text x="{LEFT + SIZE / 2:.1f}" y="{bottom + 36}" text-anchor="middle" font-size="13" '
        'font-weight="600" fill="#33404d">conflict →</text>'
    )
    cx, cy = LEFT - 34, TOP + SIZE / 2
    parts.append(
        f'<text x="{cx}" y="{cy:.1f}" text-anchor="middle" font-size="13" font-weight="600" '
        f'fill="#33404d" transform="rotate(90 {cx} {cy:.1f})">ambiguity →</text>'
    )
    return parts


# ------------------------------------------------------------------ paradigm, support, risks


def paradigm_facts(place: Placement, knowledge: Knowledge) -> list[str]:
    """The paradigm (or the co-primary ones) with its confidence, the elements of others with
    their shares, and how a line was decided: worded once (render.views)."""
    view = views.position(place, knowledge)
    parts = [f"<p>Paradigm: <b>{esc(view.name)}</b> (confidence: {esc(view.confidence)})</p>"]
    if view.elements:
        parts.append(f"<p>With elements of: {esc(view.elements_text)}</p>")
    if view.on_line:
        parts.append(f"<p>On a line: {esc(view.on_line)}</p>")
    return parts


def paradigm_html(paradigm: Paradigm) -> list[str]:
    return [
        f"<h3>What {esc(paradigm.name.lower())} means</h3>",
        f"<p><b>Central principle: {esc(paradigm.principle)}.</b> {words(paradigm.decides)}</p>",
        f"<p>{words(paradigm.description)}</p>",
        "<p>Typical pitfalls:</p>",
        "<ul>",
        *[f"<li>{words(p)}</li>" for p in paradigm.pitfalls],
        "</ul>",
        f"<p>Support model ({esc(paradigm.evidence)}): {words(paradigm.support_model)}</p>",
        f'<p class="source">Source: {esc(paradigm.source)}</p>',
    ]


def support_html(
    assessment: Assessment, knowledge: Knowledge, heading: str = "Support mix"
) -> list[str]:
    mix: SupportMix | None = assessment.mix
    if mix is None:
        return [
            f"<section><h2>{esc(heading)}</h2>",
            "<p>No support mix: the position is not classifiable yet.</p></section>",
        ]
    parts = [f'<section class="support"><h2>{esc(heading)}</h2>', '<div class="bars">']
    shares = percents({k: mix.need(k) for k in MIX_KEYS[:3]})  # labels that add up to 100
    for key, share in shares.items():
        parts.append(_bar(LABELS[key], mix.need(key), key, share))
    collaboration = round(mix.collaboration * 100)
    parts.append(
        _bar("collaboration (intensity)", mix.collaboration, "collaboration", collaboration)
    )
    parts.append("</div>")
    parts.append(f'<p class="source">{esc(mix_basis(assessment, knowledge))}</p>')
    planned = set(assessment.proposal.support_plan)  # a workshop's group has none: no column
    if assessment.recommendations:
        parts += [
            "<h3>Recommended approaches</h3>",
            "<table><thead><tr><th>#</th><th>approach</th><th>evidence</th>"
            + ("<th>in your plan</th>" if planned else "")
            + "<th>why</th></tr></thead><tbody>",
        ]
        for rank, rec in enumerate(assessment.recommendations, 1):
            in_plan = f"<td>{'yes' if rec.id in planned else 'no'}</td>" if planned else ""
            parts.append(
                f"<tr><td class=num>{rank}</td><td>{esc(rec.approach.name)} "
                f"<span class=muted>({esc(rec.id)})</span></td>"
                f"<td>{esc(rec.approach.evidence)}</td>{in_plan}"
                f"<td>{'<br>'.join(words(r) for r in rec.reasons)}</td></tr>"
            )
        parts += [
            "</tbody></table>",
            '<p class="source">Evidence: finding = observed in the report; hypothesis = '
            "proposed by the report, not yet shown; practice = from the other sources.</p>",
        ]
    parts.append("</section>")
    return parts


def _bar(label: str, share: float, key: str, shown: int) -> str:
    return (
        f'<span>{esc(label)}</span><span class="num">{shown}%</span>'
        f'<div class="bar {esc(key)}" style="width:{share * 100:.1f}%" '
        f'title="{esc(label)}: {shown}%"></div>'
    )


def risks_html(risks: Sequence[FiredRisk], heading: str = "Policy-failure risks") -> list[str]:
    parts = [f'<section class="risks"><h2>{esc(heading)} ({len(risks)})</h2>']
    if not risks:
        return [*parts, "<p>None fired.</p></section>"]
    for fired in risks:
        rule = fired.risk.rule
        colour = SEVERITY_COLOUR.get(fired.severity, "#5f6b76")
        accepted = (
            f" <span class=tag>accepted: {esc(fired.accepted)}</span>" if fired.accepted else ""
        )
        if fired.met_by:
            accepted += f" <span class=tag>met by the plan: {esc(', '.join(fired.met_by))}</span>"
        parts += [
            f'<div class="risk" data-risk="{esc(rule.id)}" style="border-color:{colour}">',
            f'<h3><span class="tag {esc(fired.severity)}">{esc(fired.severity)}</span> '
            f"{esc(rule.title)} <span class=muted>({esc(rule.id)})</span>{accepted}</h3>",
            f"<p>{words(rule.explanation)}</p>",
        ]
        if fired.triggers:
            parts.append(
                "<p class=muted>Triggered by: " + ", ".join(esc(t) for t in fired.triggers) + "</p>"
            )
        if fired.escalated_because:
            parts.append(f"<p>Severity raised: {words(fired.escalated_because)}</p>")
        parts += [
            f"<p><b>Mitigation:</b> {words(rule.mitigation)}</p>",
            f'<p class="source">Source: {esc(rule.source)} ({esc(rule.evidence)})</p>',
            "</div>",
        ]
    parts.append("</section>")
    return parts


# ------------------------------------------------------------------ stability (tornado)

TORNADO_ROW = 22  # px per item
TORNADO_HALF = 150  # px for the largest step, each side of the centre
DIMENSION_COLOUR = {"ambiguity": "#3b6ea5", "conflict": "#b3261e"}


def tornado(stability: Stability) -> list[str]:
    """Each answered item's effect on its axis of one step down (left) and up (right),
    largest first; an item whose step changes the paradigm is marked. Scales with its
    container (viewBox), so it fits a phone."""
    shifts = sorted(stability.shifts, key=lambda s: -max(abs(s.down or 0.0), abs(s.up or 0.0)))
    if not shifts:
        return []
    largest = max(max(abs(s.down or 0.0), abs(s.up or 0.0)) for s in shifts) or 1.0
    flips = {(f.item, f.moved_to - f.value) for f in stability.flips}
    label_w, width = 170, 170 + 2 * TORNADO_HALF + 20
    centre = label_w + TORNADO_HALF
    height = TORNADO_ROW * len(shifts) + 30
    parts = [
        "<h3>What one step of each answer does</h3>",
        f'<svg class="tornado" viewBox="0 0 {width} {height}" role="img" '
        'aria-label="Each answer moved one step down (left) or up (right): points on its axis">',
        f'<line x1="{centre}" y1="0" x2="{centre}" y2="{height - 24}" stroke="#888"/>',
    ]
    for row, shift in enumerate(shifts):
        y = row * TORNADO_ROW + 4
        colour = DIMENSION_COLOUR.get(shift.dimension, "#555")
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" font-size="12">'
            f"{esc(shift.item)}</text>"
        )
        for delta, points in ((-1, shift.down), (1, shift.up)):
            if points is None:
                continue
            length = abs(points) / largest * TORNADO_HALF
            x = centre - length if delta < 0 else centre
            flip = (shift.item, delta) in flips
            parts.append(
                f'<rect class="step{" flips" if flip else ""}" data-item="{esc(shift.item)}" '
                f'x="{x:.1f}" y="{y}" width="{length:.1f}" height="{TORNADO_ROW - 6}" '
                f'fill="{colour}" fill-opacity="{0.9 if flip else 0.45}">'
                f"<title>{esc(shift.item)} one step {'down' if delta < 0 else 'up'}: "
                f"{points:+.1f} {esc(shift.dimension)}"
                f"{' (changes the paradigm)' if flip else ''}</title></rect>"
            )
    parts.append(
        f'<text x="{centre}" y="{height - 8}" text-anchor="middle" font-size="11" '
        'fill="#5f6b76">← one step down · one step up → (solid: changes the paradigm)'
        "</text></svg>"
    )
    return parts
