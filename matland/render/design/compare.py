"""Text and JSON for `matland compare` (the result is computed in matland/compare.py)."""

from __future__ import annotations

from typing import Any

from matland.core.assessment import Assessment
from matland.core.knowledge import MIX_KEYS, Knowledge
from matland.core.numbers import percents
from matland.core.risks import FiredRisk
from matland.core.support import LABELS
from matland.design.compare import AFTER_MARKER, BEFORE_MARKER, AnswerState, Comparison
from matland.render import data as d
from matland.render import printable
from matland.render.markdown import plain
from matland.render.matrix import draw
from matland.render.prose import fit, hanging, heading, titled
from matland.render.text import paradigm_text, score_text


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
            {"id": b.id, "from": b.severity, "to": a.severity, "met_by_plan": list(a.met_by)}
            for b, a in comparison.risks_regraded
        ],
        "support_mix": {"from": d.support(old), "to": d.support(new)},
        "other_changes": list(comparison.other_changes),
    }


def _side(a: Assessment) -> dict[str, Any]:
    place = a.placement
    return {
        "path": a.proposal.path,
        "title": a.proposal.policy.title,
        "paradigm": place.label,
        "scores": {k: None if v is None else round(v, 1) for k, v in place.scores.items()},
        "elements": list(place.elements),
        "confidence": place.confidence,
    }


def as_text(
    comparison: Comparison,
    knowledge: Knowledge,
    labels: tuple[str, str],
    title: str = "",
    sources: tuple[str, str] | None = None,
) -> str:
    """`sources` says what each side is when not two files (a what-if: the file, and the
    file with the answers set)."""
    old, new = comparison.old, comparison.new
    title = printable(title or f"{old.proposal.policy.title} → {new.proposal.policy.title}")
    lines = titled(title)
    before, after = sources or (old.proposal.path, new.proposal.path)
    lines += hanging(printable(before), f"  {BEFORE_MARKER} {labels[0]}: ")
    lines += hanging(printable(after), f"  {AFTER_MARKER} {labels[1]}: ")
    lines += heading("Position in Matland's matrix")
    points = [
        (a.placement.ambiguity.score, a.placement.conflict.score, marker)
        for a, marker in ((old, BEFORE_MARKER), (new, AFTER_MARKER))
    ]
    drawable = [(x, y, m) for x, y, m in points if x is not None and y is not None]
    if drawable:
        lines += ["", *draw(drawable, knowledge), ""]
    rows = _rows(comparison)
    for name, before, after in rows:
        lines += fit(f"{name:<11} {before} → {after}", "  ", " " * 14)
    lines += heading(f"Answers changed ({len(comparison.changed)})")
    for c in comparison.changed:
        lines += fit(f"{c.item:<26} {answer_text(c.old)} → {answer_text(c.new)}", "  ", " " * 29)
    lines += [] if comparison.changed else ["  none"]
    if comparison.other_changes:
        lines += heading(f"Other changes ({len(comparison.other_changes)})")
        for change in comparison.other_changes:
            lines += hanging(printable(change), "  ")
    lines += _risk_lines(comparison)
    lines += _support_lines(old, new)
    return "\n".join(lines) + "\n"


def _met(fired: FiredRisk) -> str:
    return f" (met by the plan: {', '.join(fired.met_by)})" if fired.met_by else ""


def _rows(comparison: Comparison) -> list[tuple[str, str, str]]:
    old, new = comparison.old, comparison.new
    return [
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


def _risk_changes(comparison: Comparison) -> list[str]:
    return [
        *(f"raised: [{r.severity}] {r.id}: {r.risk.rule.title}" for r in comparison.risks_raised),
        *(f"cleared: [{r.severity}] {r.id}: {r.risk.rule.title}" for r in comparison.risks_cleared),
        *(
            f"regraded: {b.id}: {b.severity} → {a.severity}{_met(a)}"
            for b, a in comparison.risks_regraded
        ),
    ]


def as_markdown(comparison: Comparison, labels: tuple[str, str], title: str = "") -> str:
    """The comparison in Markdown (a pull-request comment): the same facts as the text."""
    old, new = comparison.old, comparison.new
    heading_text = title or f"{old.proposal.policy.title} → {new.proposal.policy.title}"
    lines = [f"# {plain(heading_text)}", ""]
    lines += [f"| | {labels[0]} | {labels[1]} |", "|---|---|---|"]
    lines += [f"| {name} | {plain(a)} | {plain(b)} |" for name, a, b in _rows(comparison)]
    lines += ["", f"## Answers changed ({len(comparison.changed)})", ""]
    lines += [
        f"- `{c.item}`: {answer_text(c.old)} → {answer_text(c.new)}" for c in comparison.changed
    ] or ["None."]
    if comparison.other_changes:
        lines += ["", f"## Other changes ({len(comparison.other_changes)})", ""]
        lines += [f"- {plain(change)}" for change in comparison.other_changes]
    changes = _risk_changes(comparison)
    lines += ["", "## Risks", ""]
    lines += [f"- {plain(change)}" for change in changes] or ["No change."]
    return "\n".join(lines) + "\n"


def as_html(comparison: Comparison, labels: tuple[str, str], title: str = "") -> str:
    """The comparison as a self-contained page: the same facts as the text."""
    from matland.render.htmlkit import esc, page

    old, new = comparison.old, comparison.new
    heading_text = title or f"{old.proposal.policy.title} → {new.proposal.policy.title}"
    body = [f"<h1>{esc(heading_text)}</h1>", "<table><thead><tr><th></th>"]
    body.append(f"<th>{esc(labels[0])}</th><th>{esc(labels[1])}</th></tr></thead><tbody>")
    body += [
        f"<tr><th>{esc(name)}</th><td>{esc(a)}</td><td>{esc(b)}</td></tr>"
        for name, a, b in _rows(comparison)
    ]
    body.append(f"</tbody></table><h2>Answers changed ({len(comparison.changed)})</h2><ul>")
    body += [
        f"<li><code>{esc(c.item)}</code>: {esc(answer_text(c.old))} → {esc(answer_text(c.new))}"
        "</li>"
        for c in comparison.changed
    ] or ["<li>None.</li>"]
    body.append("</ul>")
    if comparison.other_changes:
        body.append(f"<h2>Other changes ({len(comparison.other_changes)})</h2><ul>")
        body += [f"<li>{esc(change)}</li>" for change in comparison.other_changes]
        body.append("</ul>")
    body.append("<h2>Risks</h2><ul>")
    body += [f"<li>{esc(change)}</li>" for change in _risk_changes(comparison)] or [
        "<li>No change.</li>"
    ]
    body.append("</ul>")
    return page(heading_text, body)


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
    lines += [
        f"  ~ {b.id}: {b.severity} → {a.severity}" + _met(a) for b, a in comparison.risks_regraded
    ]
    if not (raised or cleared or comparison.risks_regraded):
        lines.append("  no change")
    return lines


def _support_lines(old: Assessment, new: Assessment) -> list[str]:
    lines = heading("Support mix")
    if old.mix is None or new.mix is None:
        return [*lines, "  not available: a version is not classifiable"]
    # the three shares rounded to add up to 100, as the report shows them; collaboration is
    # an intensity of its own
    shares = [
        {**percents({k: a.mix.need(k) for k in MIX_KEYS[:3]}), **{k: round(a.mix.need(k) * 100)}}
        for a in (old, new)
        for k in MIX_KEYS[3:]
        if a.mix is not None
    ]
    for key in MIX_KEYS:
        lines.append(f"  {LABELS[key]:<24} {shares[0][key]:3d}% → {shares[1][key]:3d}%")
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
