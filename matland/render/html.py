"""HTML: one proposal's full report as a single self-contained page (matrix as SVG, support
mix, risks, answers), to hand round or print on A4. Every proposal given gets a section."""

from __future__ import annotations

from collections.abc import Sequence

from matland.core.assessment import Assessment, FileResult
from matland.core.knowledge import Knowledge
from matland.render import RenderOptions, views
from matland.render import data as d
from matland.render.htmlkit import (
    Marker,
    esc,
    matrix_svg,
    page,
    paradigm_facts,
    paradigm_html,
    risks_html,
    score,
    support_html,
    tornado,
    words,
)


def render(results: Sequence[FileResult], options: RenderOptions) -> str:
    body: list[str] = []
    for result in results:
        body += report(result, options.knowledge)
    titles = [r.assessment.proposal.policy.title for r in results if r.assessment is not None]
    return page(titles[0] if len(titles) == 1 else "matland report", body)


def report(result: FileResult, knowledge: Knowledge) -> list[str]:
    if result.assessment is None:
        return [
            f"<section class=invalid><h1>{esc(result.path)}: not a valid proposal</h1><ul>",
            *[f"<li><code>{esc(e.one_line())}</code></li>" for e in result.errors],
            "</ul></section>",
        ]
    a = result.assessment
    policy = a.proposal.policy
    parts = [f'<article class="proposal" data-path="{esc(result.path)}">']
    parts.append(f"<h1>{esc(policy.title)}</h1>")
    byline = " · ".join(x for x in (policy.owner, policy.jurisdiction) if x)
    if byline:
        parts.append(f'<p class="byline">{esc(byline)}</p>')
    if policy.summary:
        parts.append(f'<p class="lead">{words(policy.summary)}</p>')
    parts += position(a, knowledge)
    parts += support_html(a, knowledge)
    parts += plan_and_stakeholders(a, knowledge)
    parts += risks_html(a.risks)
    parts += other_findings(a)
    parts += answers(a, knowledge)
    parts.append('<section class="action-plan"><h2>Action plan</h2><table><thead><tr>')
    parts.append("<th>item</th><th>action</th><th>owner</th><th>date</th>")
    parts.append("<th>expected outcome</th></tr></thead><tbody>")
    parts += [
        f"<tr><td>{esc(r.item)}</td><td>{esc(r.action)}</td><td>{esc(r.owner)}</td>"
        f"<td>{esc(r.due)}</td><td>{esc(r.outcome)}</td></tr>"
        for r in views.action_plan(a)
    ]
    parts.append("</tbody></table></section>")
    works = views.references(a, knowledge)
    if works:
        parts.append('<section class="references"><h2>References</h2><ol>')
        parts += [f'<li id="ref-{esc(w.id)}">{esc(w.reference())}</li>' for w in works]
        parts.append("</ol></section>")
    parts.append("</article>")
    return parts


def plan_and_stakeholders(a: Assessment, knowledge: Knowledge) -> list[str]:
    """The proposal's own support plan against the recommendations, and its stakeholders."""
    parts = ["<section><h2>Your support plan</h2>"]
    if not a.proposal.support_plan:
        parts.append("<p>None given (<code>support_plan:</code> in the proposal).</p>")
    else:
        parts.append("<table><thead><tr><th>approach</th><th>recommended</th></tr></thead><tbody>")
        for approach_id, standing in d.plan_standing(a):
            name = knowledge.approaches[approach_id].name
            parts.append(
                f"<tr><td>{esc(name)} <span class=muted>({esc(approach_id)})</span></td>"
                f"<td>{standing}</td></tr>"
            )
        parts.append("</tbody></table>")
    parts.append("</section>")
    if a.proposal.stakeholders:
        parts += [
            f"<section><h2>Stakeholders ({len(a.proposal.stakeholders)})</h2><table><thead><tr>"
            "<th>stakeholder</th><th>role</th><th>stance</th><th>influence</th></tr></thead>"
            "<tbody>",
            *(
                f"<tr><td>{esc(s.name)}</td><td>{esc(s.role)}</td><td>{esc(s.stance)}</td>"
                f"<td>{esc(s.influence)}</td></tr>"
                for s in a.proposal.stakeholders
            ),
            "</tbody></table></section>",
        ]
    return parts


def other_findings(a: Assessment) -> list[str]:
    """What `matland check` reports beside the risks (text.other_findings)."""
    if not a.extra_findings:
        return []
    items = [
        f"<li><strong>{esc(f.severity)}</strong>, line {f.line}: {esc(f.message)}"
        + (f" ({esc(f.hint)})" if f.hint else "")
        + "</li>"
        for f in a.extra_findings
    ]
    return [f"<section><h2>Other findings ({len(items)})</h2><ul>", *items, "</ul></section>"]


def position(a: Assessment, knowledge: Knowledge) -> list[str]:
    place = a.placement
    parts = ['<section><h2>Position in Matland\'s matrix</h2><div class="position">']
    if place.classifiable:
        assert place.ambiguity.score is not None and place.conflict.score is not None
        marker = Marker(
            place.ambiguity.score,
            place.conflict.score,
            "",
            f"{a.proposal.policy.title}: ambiguity {score(place.ambiguity.score)}, "
            f"conflict {score(place.conflict.score)}",
            kind="group",
            data={"proposal": a.proposal.policy.title},
        )
        parts.append(f"<figure>{matrix_svg(knowledge, [marker])}</figure>")
    parts.append('<div class="facts">')
    parts.append(
        f"<p>Ambiguity <b>{score(place.ambiguity.score)}</b>/100, "
        f"conflict <b>{score(place.conflict.score)}</b>/100.</p>"
    )
    if not place.classifiable:
        parts.append(
            "<p><b>Not classifiable yet</b>: fewer than half the items of a dimension are "
            "answered. Answer: " + ", ".join(esc(q) for q in place.to_answer) + "</p>"
        )
        return [*parts, "</div></div></section>"]
    view = views.position(place, knowledge)
    parts += paradigm_facts(place, knowledge)
    parts.append(f'<p class="why">{esc(view.why[0].upper() + view.why[1:])}</p>')
    if view.stability:
        parts.append(f"<p><b>Robust?</b> {esc(' '.join(view.stability))}</p>")
    if place.stability is not None and place.stability.shifts:
        parts += tornado(place.stability)
    for paradigm in view.paradigms:
        parts += paradigm_html(knowledge.paradigms[paradigm])
    return [*parts, "</div></div></section>"]


def answers(a: Assessment, knowledge: Knowledge) -> list[str]:
    parts = [
        "<section><h2>Answers</h2><table><thead><tr><th>item</th><th>question</th>"
        "<th class=num>answer</th><th>note</th></tr></thead><tbody>"
    ]
    for qid, question in knowledge.questions.items():
        answer = a.proposal.answers.get(qid)
        if answer is None:
            continue
        value = views.answer_word(answer)
        parts.append(
            f"<tr><td><code>{esc(qid)}</code></td><td>{esc(question.text)}</td>"
            f"<td class=num>{esc(value)}</td><td>{esc(answer.note)}</td></tr>"
        )
    parts.append("</tbody></table>")
    if a.unsure:
        parts.append("<p>Unsure: " + ", ".join(esc(q) for q in a.unsure) + "</p>")
    if a.missing:
        parts.append("<p>Unanswered: " + ", ".join(esc(q) for q in a.missing) + "</p>")
    parts.append("</section>")
    return parts
