"""The one-page brief a board reads: the policy, where it sits and what that means, the top
three actions, the top risks with what meets them, the plan's gaps, what would change the
classification. `brief` is a self-contained HTML page that prints on one A4 sheet;
`brief-md` the same in Markdown. Both are built from one Brief (render.views words)."""

from __future__ import annotations

from collections.abc import Sequence

from matland.core.assessment import Assessment, FileResult
from matland.core.knowledge import Knowledge
from matland.core.numbers import whole
from matland.core.records import record
from matland.core.words import flat
from matland.render import RenderOptions, views
from matland.render.htmlkit import Marker, esc, matrix_svg

TOP_ACTIONS = 3  # the brief's "top three actions"
TOP_RISKS = 4  # what fits on the page beside them
SHOWN_CHANGES = 3  # of the moves that would change the classification


@record
class Brief:
    title: str
    byline: str
    position: views.Position | None
    scores: str
    meaning: str
    actions: tuple[tuple[str, str], ...]  # approach name, why
    risks: tuple[tuple[str, str, str], ...]  # severity, title, what meets it
    gaps: tuple[str, ...]
    changes: tuple[str, ...]
    references: tuple[str, ...]


def brief(a: Assessment, knowledge: Knowledge) -> Brief:
    policy, place = a.proposal.policy, a.placement
    byline = " · ".join(x for x in (policy.owner, policy.jurisdiction) if x)
    if not place.classifiable:
        return Brief(
            policy.title,
            byline,
            None,
            "",
            "Not classifiable yet: answer " + ", ".join(place.to_answer) + ".",
            (),
            (),
            (),
            (),
            (),
        )
    position = views.position(place, knowledge)
    meaning = " ".join(
        f"{knowledge.paradigms[p].name}: {knowledge.paradigms[p].principle} decides; "
        f"support with {knowledge.mix[p].summary}."
        for p in position.paradigms
    )
    actions = tuple(
        (rec.approach.name, "; ".join(rec.reasons[1:3]) or rec.reasons[0])
        for rec in a.recommendations[:TOP_ACTIONS]
    )
    planned = set(a.proposal.support_plan)
    risks = []
    for fired in [r for r in a.risks if not r.accepted][:TOP_RISKS]:
        rule = fired.risk.rule
        if fired.met_by:
            meets = "met by your plan: " + ", ".join(fired.met_by)
        elif rule.met_by is not None:
            meets = "met by " + ", ".join(
                knowledge.approaches[x].name.lower() for x in rule.met_by.approaches[:2]
            )
        else:
            meets = flat(rule.mitigation)[:140].rsplit(" ", 1)[0] + " …"
        risks.append((fired.severity, rule.title, meets))
    gaps = tuple(
        f"{rec.approach.name} (recommended #{rank}) is not in the plan"
        for rank, rec in enumerate(a.recommendations[:TOP_ACTIONS], 1)
        if rec.id not in planned
    )
    changes = tuple(
        f"{f.item} {f.value}→{f.moved_to} makes it {views.label(f.paradigms)}"
        for f in (place.stability.flips if place.stability else ())[:SHOWN_CHANGES]
    ) or ("No single answer moved one step would change it.",)
    refs = tuple(w.reference() for w in views.references(a, knowledge)[:4])
    scores = (
        f"ambiguity {whole(place.ambiguity.score)}/100, conflict {whole(place.conflict.score)}/100"
        if place.ambiguity.score is not None and place.conflict.score is not None
        else ""
    )
    return Brief(
        policy.title, byline, position, scores, meaning, actions, tuple(risks), gaps, changes, refs
    )


# ------------------------------------------------------------------ HTML

CSS = """
@page { size: A4; margin: 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 10.5pt/1.35 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color: #1d2329; margin: 0 auto; max-width: 186mm; padding: 4mm; }
h1 { font-size: 16pt; margin: 0 0 1mm; }
h2 { font-size: 11pt; margin: 3mm 0 1mm; border-bottom: 1px solid #d5dbe1; }
p, ul, ol { margin: 0 0 1.5mm; }
ul, ol { padding-left: 5mm; }
.byline, .refs { color: #5f6b76; }
.refs { font-size: 8pt; }
.top { display: flex; gap: 5mm; align-items: flex-start; }
.top svg { width: 62mm; flex: none; height: auto; }
.sev { font-weight: 600; text-transform: uppercase; font-size: 8pt; }
@media screen and (max-width: 600px) { .top { display: block; } .top svg { width: 100%; } }
"""


def render(results: Sequence[FileResult], options: RenderOptions) -> str:
    body: list[str] = []
    for result in results:
        if result.assessment is None:
            body.append(f"<p>{esc(result.path)}: not a valid proposal</p>")
            continue
        body += html(brief(result.assessment, options.knowledge), result.assessment, options)
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>Brief: {esc(_first_title(results))}</title>",
            f"<style>{CSS}</style></head><body>",
            *body,
            "</body></html>",
            "",
        ]
    )


def _first_title(results: Sequence[FileResult]) -> str:
    titles = [r.assessment.proposal.policy.title for r in results if r.assessment is not None]
    return titles[0] if titles else "matland"


def html(b: Brief, a: Assessment, options: RenderOptions) -> list[str]:
    parts = [f'<article class="brief"><h1>{esc(b.title)}</h1>']
    if b.byline:
        parts.append(f'<p class="byline">{esc(b.byline)}</p>')
    if b.position is None:
        return [*parts, f"<p>{esc(b.meaning)}</p></article>"]
    place = a.placement
    marker = Marker(
        place.ambiguity.score or 0.0,
        place.conflict.score or 0.0,
        "",
        f"{b.title}: {b.scores}",
        kind="group",
    )
    parts.append('<div class="top">')
    parts.append(matrix_svg(options.knowledge, [marker]))
    parts.append("<div>")
    parts.append(
        f"<p><b>{esc(b.position.name)}</b> (confidence {esc(b.position.confidence)}; "
        f"{esc(b.scores)})</p>"
    )
    if b.position.elements:
        parts.append(f"<p>With elements of {esc(b.position.elements_text)}.</p>")
    parts.append(f"<p>{esc(b.meaning)}</p>")
    parts.append("</div></div>")
    parts.append("<h2>Top three actions</h2><ol>")
    parts += [f"<li><b>{esc(name)}</b>: {esc(why)}</li>" for name, why in b.actions]
    parts.append("</ol><h2>Top risks and what meets them</h2><ul>")
    parts += [
        f'<li><span class="sev">{esc(sev)}</span> {esc(title)}: {esc(meets)}</li>'
        for sev, title, meets in b.risks
    ] or ["<li>None fired.</li>"]
    parts.append("</ul><h2>Gaps in the plan</h2><ul>")
    parts += [f"<li>{esc(gap)}</li>" for gap in b.gaps] or [
        "<li>The plan holds the top three actions.</li>"
    ]
    parts.append("</ul><h2>What would change the classification</h2><ul>")
    parts += [f"<li>{esc(change)}</li>" for change in b.changes]
    parts.append("</ul>")
    if b.references:
        parts.append('<p class="refs">Sources: ' + " · ".join(esc(r) for r in b.references))
        parts.append("</p>")
    return [*parts, "</article>"]
