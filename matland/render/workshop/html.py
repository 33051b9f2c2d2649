"""HTML: the workshop on one self-contained page to project in the room or print on A4.

The matrix shows every participant as a numbered marker (coloured by role, each carrying
`data-participant`), the group's position as a black diamond and, when items are contested,
where the group would sit if the high answers were right (a hollow diamond). Each item's
answers are drawn as a dot strip with its interquartile range and median.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matland.core.classify import SCALE_MAX, SCALE_MIN
from matland.core.knowledge import Knowledge
from matland.render import views
from matland.render.htmlkit import (
    PALETTE,
    Marker,
    esc,
    matrix_svg,
    page,
    paradigm_facts,
    paradigm_html,
    risks_html,
    score,
    support_html,
    words,
)
from matland.render.text import paradigm_text
from matland.render.workshop import WorkshopOptions
from matland.render.workshop.text import (
    FLAGGED,
    SPLITS_NOTE,
    gaps_note,
    number,
    sides,
    split_text,
)
from matland.workshop.aggregate import CONTESTED, ItemSpread, Scenario, Workshop, counted

NO_ROLE_COLOUR = "#5f6b76"
STRIP_WIDTH, STRIP_PAD, DOT = 250, 16, 5


def render(workshop: Workshop, options: WorkshopOptions) -> str:
    k = options.knowledge
    colours = role_colours(workshop)
    body = [
        f'<h1>Workshop: {esc(workshop.title)}</h1><p class="lead">'
        f"{esc(workshop.headcount())}. The group's answers are the per-item "
        "medians, assessed like one proposal; an item that splits the group is "
        f'<span class="tag contested">{CONTESTED}</span>.</p>',
        *position(workshop, k, colours),
        *disagreement(workshop),
        *items(workshop, k, colours),
        *roles(workshop),
        *meaning(workshop, k),
        *support_html(workshop.group.assessment, k, "The group's support mix"),
        *risks_html(workshop.group.assessment.risks, "The group's policy-failure risks"),
        *left_out(workshop),
    ]
    return page(f"Workshop: {workshop.title}", body)


def role_colours(workshop: Workshop) -> dict[str | None, str]:
    """One colour a role, the same every run: roles take the palette in alphabetical order
    (not in the order the files happen to come), participants without a role are grey."""
    colours: dict[str | None, str] = {None: NO_ROLE_COLOUR}
    roles = sorted({p.role for p in workshop.participants if p.role}, key=str.casefold)
    for index, role in enumerate(roles):
        colours[role] = PALETTE[index % len(PALETTE)]
    if not roles:
        colours[None] = PALETTE[0]
    return colours


def colour_key(workshop: Workshop, colours: Mapping[str | None, str]) -> str:
    """What each colour means, under the matrix."""
    roles = sorted({p.role for p in workshop.participants if p.role}, key=str.casefold)
    unnamed = any(p.role is None for p in workshop.participants)
    entries = [(colours[r], r) for r in roles]
    if unnamed or not roles:
        entries.append((colours[None], workshop.rules.roles.unspecified))
    items = "".join(
        f'<li><svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="5.5" '
        f'fill="{esc(colour)}"/></svg> {esc(label)}</li>'
        for colour, label in entries
    )
    return f'<ul class="key" aria-label="colours: roles">{items}</ul>'


# ------------------------------------------------------------------ the matrix


def _scenario_marker(s: Scenario | None) -> Marker | None:
    if s is None or s.placement.ambiguity.score is None or s.placement.conflict.score is None:
        return None
    return Marker(
        s.placement.ambiguity.score,
        s.placement.conflict.score,
        "",
        f"If the {s.side} answers on the contested items were right: "
        f"{s.placement.paradigm} (ambiguity {score(s.placement.ambiguity.score)}, "
        f"conflict {score(s.placement.conflict.score)})",
        kind="scenario",
        data={"scenario": s.side},
    )


def position(
    workshop: Workshop, knowledge: Knowledge, colours: Mapping[str | None, str]
) -> list[str]:
    a = workshop.group.assessment
    place = a.placement
    markers: list[Marker] = []
    unplaced = []
    for index, p in enumerate(workshop.participants):
        pa, pc = p.assessment.placement.ambiguity.score, p.assessment.placement.conflict.score
        if pa is None or pc is None:
            unplaced.append(p.name)
            continue
        markers.append(
            Marker(
                pa,
                pc,
                str(index + 1),
                f"{index + 1}. {p.name}"
                + (f" ({p.role})" if p.role else "")
                + f": ambiguity {score(pa)}, conflict {score(pc)}, {paradigm_text(p.assessment)}",
                colour=colours.get(p.role, NO_ROLE_COLOUR),
                data={"participant": p.name},
            )
        )
    arrows = []
    drawn_high = False
    if place.ambiguity.score is not None and place.conflict.score is not None:
        group = Marker(
            place.ambiguity.score,
            place.conflict.score,
            "",
            f"The group (medians): ambiguity {score(place.ambiguity.score)}, "
            f"conflict {score(place.conflict.score)}, {paradigm_text(a)}",
            kind="group",
            data={"group": "medians"},
        )
        high = _scenario_marker(workshop.group.disagreement.if_high)
        # A scenario where the group already is would be a second diamond on the first.
        if high is not None and (high.ambiguity, high.conflict) != (
            group.ambiguity,
            group.conflict,
        ):
            markers.append(high)
            arrows.append((group, high))
            drawn_high = True
        markers.append(group)
    figure = matrix_svg(knowledge, markers, arrows)
    caption = (
        "◆ the group (per-item medians; contested conflict items at their high side)"
        if workshop.group.conflict_counted
        else "◆ the group (per-item medians)"
    )
    if drawn_high:
        caption += "; ◇ if the high answers on the contested items were right"
    elif workshop.group.disagreement.if_high is not None:
        caption += "; the high answers on the contested items would not move it"
    caption += "; numbers: participants (table below), coloured by role"
    parts = [
        "<section><h2>Where the group and each participant place the policy</h2>",
        f'<div class="position"><figure>{figure}<figcaption>{caption}.'
        f"{colour_key(workshop, colours)}</figcaption></figure>",
        '<div class="facts">',
        f"<p>The group: ambiguity <b>{score(place.ambiguity.score)}</b>/100, conflict "
        f"<b>{score(place.conflict.score)}</b>/100.</p>",
    ]
    if place.classifiable:
        parts += paradigm_facts(place, knowledge)
        basis = views.group_basis(workshop.group, workshop.rules)
        if basis:
            parts.append(f'<p class="basis">{esc(basis)}</p>')
        stable = views.bootstrap_text(workshop)
        if stable:
            parts.append(f'<p class="stability"><b>Stable?</b> {esc(stable)}</p>')
    else:
        parts.append("<p><b>Not classifiable</b>: too few items have answers.</p>")
    if_high = workshop.group.disagreement.if_high
    if if_high is not None:
        n = len(workshop.group.disagreement.contested)
        parts.append(
            f'<p class="callout">{counted(n, "item")} {"is" if n == 1 else "are"} '
            f'<span class="tag contested">{CONTESTED}</span>. If the high answers were right: '
            f"<b>{esc(if_high.placement.paradigm or 'not classifiable')}</b> (ambiguity "
            f"{score(if_high.placement.ambiguity.score)}, conflict "
            f"{score(if_high.placement.conflict.score)}).</p>"
        )
    parts.append("</div></div>")
    parts += legend(workshop, colours)
    if unplaced:
        parts.append(
            "<p class=muted>Not placed (too few answers): "
            + ", ".join(esc(n) for n in unplaced)
            + "</p>"
        )
    parts.append("</section>")
    return parts


def legend(workshop: Workshop, colours: Mapping[str | None, str]) -> list[str]:
    rows = [
        "<table class=legend><thead><tr><th>#</th><th>participant</th><th>role</th>"
        "<th class=num>ambiguity</th><th class=num>conflict</th><th>paradigm</th></tr>"
        "</thead><tbody>"
    ]
    for index, p in enumerate(workshop.participants):
        place = p.assessment.placement
        swatch = (
            f'<svg width="14" height="14" aria-hidden="true"><circle cx="7" cy="7" r="6" '
            f'fill="{esc(colours.get(p.role, NO_ROLE_COLOUR))}"/></svg>'
        )
        rows.append(
            f"<tr><td>{swatch} {index + 1}</td><td>{esc(p.name)}</td>"
            f"<td>{esc(p.role or '')}</td><td class=num>{score(place.ambiguity.score)}</td>"
            f"<td class=num>{score(place.conflict.score)}</td>"
            f"<td>{esc(paradigm_text(p.assessment))}"
            + ("" if p.in_position else " <span class=tag>left out of the group's position</span>")
            + "</td></tr>"
        )
    rows.append("</tbody></table>")
    if workshop.flagged:
        rows.append(f"<p class=muted>{esc(FLAGGED[0].upper() + FLAGGED[1:])}.</p>")
    return rows


# ------------------------------------------------------------------ disagreement


def _scenario_html(s: Scenario | None, side: str) -> str:
    if s is None:
        return ""
    values = ", ".join(f"{esc(i)} = {v}" for i, v in s.values.items())
    return (
        f"<li>If the <b>{side}</b> answers were right ({values}): "
        f"<b>{esc(s.placement.paradigm or 'not classifiable')}</b> (ambiguity "
        f"{score(s.placement.ambiguity.score)}, conflict {score(s.placement.conflict.score)})</li>"
    )


def disagreement(workshop: Workshop) -> list[str]:
    dis = workshop.group.disagreement
    rule = workshop.rules.disagreement
    parts = [
        "<section class=disagreement><h2>Disagreement "
        f"({counted(len(dis.contested), 'contested item')})</h2>"
    ]
    if not dis.found:
        return [*parts, f"<p>{esc(workshop.no_split())}</p>", _rule(workshop), "</section>"]
    parts.append("<ul>")
    for item_id in dis.contested:
        s = workshop.items[item_id]
        parts.append(
            f'<li><code>{esc(item_id)}</code> <span class="tag contested">{CONTESTED}</span>: '
            f"{s.low} of {s.n} answered {SCALE_MIN}–{rule.low_max}, {s.high} answered "
            f"{rule.high_min}–{SCALE_MAX} (the median, {number(s.median)}, would hide the "
            "split)"
            + "".join(
                f"<br><span class=muted>{label}:</span> {esc(text)}"
                for label, text in zip(
                    (f"{SCALE_MIN}–{rule.low_max}", f"{rule.high_min}–{SCALE_MAX}"),
                    sides(workshop, item_id),
                    strict=True,
                )
            )
            + "</li>"
        )
    parts.append("</ul>")
    if dis.conflict_items:
        evidence = workshop.rules.conflict_evidence
        parts.append(
            f'<div class="callout"><p><b>Disagreement is a finding.</b> {words(evidence.text)}'
            f'</p><p class="source">Source: {esc(evidence.source)}</p></div>'
        )
    parts.append("<ul>" + _scenario_html(dis.if_high, "high") + _scenario_html(dis.if_low, "low"))
    parts += ["</ul>", _rule(workshop), "</section>"]
    return parts


def _rule(workshop: Workshop) -> str:
    rule = workshop.rules.disagreement
    return f'<p class="source">Rule: {words(rule.explanation)} Source: {words(rule.source)}</p>'


# ------------------------------------------------------------------ items


def items(workshop: Workshop, knowledge: Knowledge, colours: Mapping[str | None, str]) -> list[str]:
    roles = {p.name: p.role for p in workshop.participants}
    parts = [
        "<section class=items><h2>How the participants answered each item</h2>",
        "<p class=muted>One dot per participant (hover for the name), coloured by role; the "
        "shaded band is the interquartile range, the dark line the median.</p>",
    ]
    for group in knowledge.groups:
        spreads = [
            workshop.items[q.id]
            for q in knowledge.questions.values()
            if q.group == group.id and workshop.items[q.id].n
        ]
        if not spreads:
            continue
        parts += [
            f"<h3>{esc(group.title)}</h3>",
            '<table class="strip"><thead><tr><th>item</th><th>answers</th><th class=num>n</th>'
            "<th class=num>median</th><th class=num>IQR</th></tr></thead><tbody>",
        ]
        for s in spreads:
            question = knowledge.questions[s.id]
            value = group_value(s)
            parts.append(
                f'<tr data-item="{esc(s.id)}"><td class="label"><code>{esc(s.id)}</code><br>'
                f'<span class="muted">{esc(question.text)}</span>{notes_html(s, workshop)}</td>'
                f"<td>{strip(s, roles, colours)}</td><td class=num>{s.n}</td>"
                f"<td class=num>{value}</td><td class=num>{number(s.iqr)}</td></tr>"
            )
        parts.append("</tbody></table>")
    parts.append("</section>")
    return parts


def notes_html(s: ItemSpread, workshop: Workshop) -> str:
    """The participants' notes on the item, by name (unnamed when anonymous)."""
    if not s.notes:
        return ""
    items = "".join(
        "<li>" + ("" if workshop.anonymous else f"<b>{esc(name)}</b>: ") + f"{esc(note)}</li>"
        for name, note in s.notes
    )
    return f'<ul class="notes">{items}</ul>'


def strip(s: ItemSpread, roles: Mapping[str, str | None], colours: Mapping[str | None, str]) -> str:
    """A dot strip: each answer a dot over its value, stacked when answers repeat."""
    if s.type == "count":
        return esc(", ".join(number(v) for _, v in s.answers))
    if s.type == "bool":
        return yes_no(s, roles, colours)
    span = STRIP_WIDTH - 2 * STRIP_PAD

    def x(v: float) -> float:
        return STRIP_PAD + (v - SCALE_MIN) / (SCALE_MAX - SCALE_MIN) * span

    stacks: dict[float, int] = {}
    for _, v in s.answers:
        stacks[v] = stacks.get(v, 0) + 1
    base = 8 + max(stacks.values(), default=1) * (2 * DOT + 1)
    height = base + 16
    parts = [_svg_open(s, height)]
    if s.disagreement:
        parts.append(
            f'<rect x="0" y="0" width="{STRIP_WIDTH}" height="{height}" fill="#fdf3f2" rx="4"/>'
        )
    if s.q1 is not None and s.q3 is not None:
        parts.append(
            f'<rect x="{x(s.q1) - 3:.1f}" y="2" width="{x(s.q3) - x(s.q1) + 6:.1f}" '
            f'height="{base - 2}" fill="#0b5cad" fill-opacity="0.13" rx="3"/>'
        )
    parts.append(_axis(base))
    for v in range(SCALE_MIN, SCALE_MAX + 1):
        parts.append(_tick(x(v), base, str(v)))
    if s.median is not None and not s.disagreement:
        parts.append(
            f'<line x1="{x(s.median):.1f}" y1="2" x2="{x(s.median):.1f}" y2="{base}" '
            'stroke="#1d2329" stroke-width="2"/>'
        )
    placed: dict[float, int] = {}
    for name, v in s.answers:
        level = placed.get(v, 0)
        placed[v] = level + 1
        parts.append(_dot(x(v), base - DOT - 1 - level * (2 * DOT + 1), name, v, roles, colours))
    parts.append("</svg>")
    return "".join(parts)


def yes_no(
    s: ItemSpread, roles: Mapping[str, str | None], colours: Mapping[str | None, str]
) -> str:
    """Yes/no answers in one row: the noes from the left end, the yeses from the right."""
    base, step = 2 * DOT + 6, 2 * DOT + 2
    parts = [_svg_open(s, base + 16), _axis(base)]
    parts.append(_tick(STRIP_PAD, base, "no"))
    parts.append(_tick(STRIP_WIDTH - STRIP_PAD, base, "yes"))
    counts = {0.0: 0, 1.0: 0}
    for name, v in s.answers:
        i = counts[v]
        counts[v] = i + 1
        x = STRIP_PAD + i * step if v == 0 else STRIP_WIDTH - STRIP_PAD - i * step
        parts.append(_dot(x, base - DOT - 1, name, v, roles, colours))
    parts.append("</svg>")
    return "".join(parts)


def _svg_open(s: ItemSpread, height: float) -> str:
    answers = ", ".join(number(v) for _, v in s.answers)
    return (
        f'<svg class="dots" width="{STRIP_WIDTH}" height="{height}" '
        f'viewBox="0 0 {STRIP_WIDTH} {height}" role="img" '
        f'aria-label="{esc(s.id)}: answers {esc(answers)}">'
    )


def _axis(base: float) -> str:
    return (
        f'<line x1="{STRIP_PAD}" y1="{base + 1}" x2="{STRIP_WIDTH - STRIP_PAD}" y2="{base + 1}" '
        'stroke="#8a96a3"/>'
    )


def _tick(x: float, base: float, label: str) -> str:
    return (
        f'<text x="{x:.1f}" y="{base + 13}" text-anchor="middle" font-size="10" '
        f'fill="#5f6b76">{esc(label)}</text>'
    )


def _dot(
    x: float,
    y: float,
    name: str,
    value: float,
    roles: Mapping[str, str | None],
    colours: Mapping[str | None, str],
) -> str:
    colour = colours.get(roles.get(name), NO_ROLE_COLOUR)
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{DOT}" fill="{esc(colour)}">'
        f"<title>{esc(name)}: {number(value)}</title></circle>"
    )


def group_value(s: ItemSpread) -> str:
    if s.disagreement:
        return f'<span class="tag contested">{CONTESTED}</span>'
    if s.type == "bool":
        return "tie" if s.group_value is None else ("yes" if s.group_value else "no")
    return number(s.median)


# ------------------------------------------------------------------ roles, meaning, errors


def roles(workshop: Workshop) -> list[str]:
    if not workshop.roles:
        return []
    parts = [
        "<section class=roles><h2>By role</h2><table><thead><tr><th>role</th>"
        "<th class=num>n</th><th class=num>ambiguity</th><th class=num>conflict</th>"
        "<th>paradigm</th><th>contested</th></tr></thead><tbody>"
    ]
    for r in workshop.roles:
        place = r.group.assessment.placement
        parts.append(
            f'<tr data-role="{esc(r.role)}"><td>{esc(r.role)}</td>'
            f"<td class=num>{len(r.group.members)}</td>"
            f"<td class=num>{score(place.ambiguity.score)}</td>"
            f"<td class=num>{score(place.conflict.score)}</td>"
            f"<td>{esc(paradigm_text(r.group.assessment))}</td>"
            f"<td>{esc(', '.join(r.group.disagreement.contested) or '—')}</td></tr>"
        )
    parts += ["</tbody></table>", "<h3>Split between roles</h3>"]
    if workshop.role_splits:
        parts.append(
            "<ul>"
            + "".join(
                f'<li data-split="{esc(s.item)}">{esc(split_text(workshop, s))}</li>'
                for s in workshop.role_splits
            )
            + "</ul>"
        )
    else:
        parts.append("<p>No item has roles at opposite extremes.</p>")
    parts += [f'<p class="source">{esc(SPLITS_NOTE)}</p>']
    parts += ["<h3>Where the roles differ most (role medians)</h3>"]
    if not workshop.role_gaps:
        return [*parts, "<p>No item differs by a whole answer or more.</p></section>"]
    names = [r.role for r in workshop.roles]
    parts.append(
        "<table><thead><tr><th>item</th><th class=num>gap</th>"
        + "".join(f"<th class=num>{esc(n)}</th>" for n in names)
        + "</tr></thead><tbody>"
    )
    for gap in workshop.role_gaps:
        parts.append(
            f"<tr><td><code>{esc(gap.item)}</code></td><td class=num>{number(gap.gap)}</td>"
            + "".join(f"<td class=num>{number(gap.medians.get(n))}</td>" for n in names)
            + "</tr>"
        )
    parts.append(f'</tbody></table><p class="source">{esc(gaps_note(workshop))}</p></section>')
    return parts


def meaning(workshop: Workshop, knowledge: Knowledge) -> list[str]:
    paradigm = workshop.group.assessment.paradigm
    if paradigm is None:
        return []
    return ["<section>", *paradigm_html(knowledge.paradigms[paradigm]), "</section>"]


def left_out(workshop: Workshop) -> Sequence[str]:
    if not workshop.errors:
        return []
    return [
        f"<section class=errors><h2>Left out or noted ({len(workshop.errors)})</h2><ul>",
        *[
            f'<li data-rule="{esc(f.rule_id)}"><code>{esc(f.location())}</code> '
            f"{esc(f.message)}"
            + (f" <span class=muted>({esc(f.hint)})</span>" if f.hint else "")
            + "</li>"
            for f in workshop.errors
        ],
        "</ul></section>",
    ]
