"""Plain text for a terminal: the check table, or the full report of one proposal."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from tabulate import tabulate

from matland.assessment import Assessment, FileResult
from matland.knowledge import Knowledge
from matland.render import RenderOptions
from matland.render import data as d
from matland.render.matrix import MARKER, draw
from matland.support import LABELS

WIDTH = 88


def render(results: Sequence[FileResult], options: RenderOptions) -> str:
    if options.view == "report":
        parts = [report(r, options.knowledge) for r in results]
        return ("\n" + "═" * WIDTH + "\n\n").join(parts)
    return check(results)


# ---------------------------------------------------------------- check


def score_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def paradigm_text(assessment: Assessment) -> str:
    place = assessment.placement
    if not place.classifiable:
        return "not classifiable"
    text = place.paradigm or ""
    if place.elements:
        text += " (+ " + ", ".join(place.elements) + ")"
    return text + (" [borderline]" if place.borderline else "")


def count_text(result: FileResult) -> str:
    if not result.valid:
        return f"{len(result.errors)} error" + ("s" if len(result.errors) != 1 else "")
    tally = d.tally(result.findings())
    parts = [f"{n} {severity}" for severity, n in tally.items() if n]
    return ", ".join(parts) or "none"


def check(results: Sequence[FileResult]) -> str:
    rows = []
    for r in results:
        a = r.assessment
        if a is None:
            rows.append([r.path, "(invalid)", "", "", "", "", count_text(r)])
            continue
        rows.append(
            [
                r.path,
                _clip(a.proposal.policy.title, 32),
                score_text(a.placement.ambiguity.score),
                score_text(a.placement.conflict.score),
                paradigm_text(a),
                a.placement.confidence or "—",
                count_text(r),
            ]
        )
    out = [
        tabulate(
            rows,
            headers=[
                "file",
                "title",
                "ambiguity",
                "conflict",
                "paradigm",
                "confidence",
                "findings",
            ],
            colalign=("left", "left", "right", "right", "left", "left", "left"),
            disable_numparse=True,  # a title "1.50" is shown as written, not as 1.5
        )
    ]
    for r in results:
        findings = r.findings()
        if findings:
            out.append("")
        for f in findings:  # one line each, `path:line:col:` first, as editors and CI logs expect
            tag = f.severity + (f" (accepted: {f.accepted})" if f.accepted else "")
            line = f"{f.location()}: {tag} [{f.rule_id}] {f.message}"
            out.append(f"{line} ({f.hint})" if f.is_error and f.hint else line)
        if r.assessment is not None and not r.assessment.placement.classifiable:
            out.append(
                f"{r.path}: not classifiable yet; answer: "
                + ", ".join(r.assessment.placement.to_answer)
            )
    summary = d.summary(results)
    counts = ", ".join(f"{n} {k}" for k, n in summary["findings"].items() if n and k != "error")
    out.append("")
    out.append(
        f"{summary['files']} file(s): {summary['valid']} valid, "
        f"{summary['invalid']} invalid; findings: {counts or 'none'}"
    )
    return "\n".join(out) + "\n"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# ---------------------------------------------------------------- report


def wrap(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()),
        WIDTH,
        initial_indent=indent,
        subsequent_indent=indent,
        break_on_hyphens=False,  # rule ids such as `funding-gap` stay whole
    ) or [indent.rstrip()]


def heading(text: str) -> list[str]:
    return ["", text, "─" * len(text)]


def report(result: FileResult, knowledge: Knowledge) -> str:
    if result.assessment is None:
        lines = [f"{result.path}: not a valid proposal", ""]
        lines += [f"  {e.one_line()}" for e in result.errors]
        return "\n".join(lines) + "\n"
    a = result.assessment
    policy = a.proposal.policy
    lines = [policy.title, "═" * len(policy.title)]
    byline = " · ".join(x for x in (policy.owner, policy.jurisdiction) if x)
    if byline:
        lines.append(byline)
    if policy.summary:
        lines += ["", *wrap(policy.summary, "")]
    lines += position(a, knowledge)
    lines += meaning(a, knowledge)
    lines += support(a, knowledge)
    lines += risks(a)
    lines += answers(a, knowledge)
    return "\n".join(lines) + "\n"


def position(a: Assessment, knowledge: Knowledge) -> list[str]:
    place = a.placement
    lines = heading("Position in Matland's matrix")
    lines.append(
        f"  ambiguity {score_text(place.ambiguity.score):>3} / 100   "
        f"conflict {score_text(place.conflict.score):>3} / 100"
    )
    if not place.classifiable:
        lines.append("  Not classifiable: fewer than half the items of a dimension are answered.")
        lines += wrap("Answer: " + ", ".join(place.to_answer))
        return lines
    assert place.ambiguity.score is not None and place.conflict.score is not None
    lines += ["", *draw([(place.ambiguity.score, place.conflict.score, MARKER)], knowledge)]
    paradigm = knowledge.paradigms[place.paradigm or ""]
    lines.append("")
    lines.append(f"  Paradigm:   {paradigm.name} (confidence: {place.confidence})")
    if place.elements:
        lines.append(
            "  Elements:   "
            + ", ".join(
                f"{knowledge.paradigms[e].name.lower()} ({(place.membership or {})[e]:.0%})"
                for e in place.elements
            )
        )
    if place.borderline:
        lines.append("  Borderline: the position lies exactly on a boundary of the matrix.")
    return lines


def meaning(a: Assessment, knowledge: Knowledge) -> list[str]:
    if a.paradigm is None:
        return []
    p = knowledge.paradigms[a.paradigm]
    lines = heading(f"What {p.name.lower()} means")
    lines += wrap(f"Central principle: {p.principle}. {p.decides}")
    lines += ["", *wrap(p.description)]
    lines.append("")
    lines.append("  Typical pitfalls:")
    for pitfall in p.pitfalls:
        lines += wrap(pitfall, "    - ")[:1] + wrap(pitfall, "      ")[1:]
    lines += ["", *wrap(f"Support model ({p.evidence}): {p.support_model}")]
    lines += wrap(f"Source: {p.source}")
    return lines


def support(a: Assessment, knowledge: Knowledge) -> list[str]:
    if a.mix is None:
        return []
    mix = a.mix
    lines = heading("Support mix")
    rows = [
        [LABELS[k], f"{mix.need(k):.0%}", "█" * round(mix.need(k) * 30)]
        for k in ("performance_management", "problem_solving", "capacity_building")
    ]
    rows.append(
        [
            "collaboration (intensity)",
            f"{mix.collaboration:.0%}",
            "░" * round(mix.collaboration * 30),
        ]
    )
    lines += [
        "  " + line
        for line in tabulate(
            rows, tablefmt="plain", colalign=("left", "right", "left")
        ).splitlines()
    ]
    lines += wrap(mix_basis(a, knowledge), "  ")
    lines.append("")
    lines.append(
        "  Recommended approaches (evidence: finding = observed in the report, "
        "hypothesis = proposed, practice = other sources):"
    )
    for rank, rec in enumerate(a.recommendations, 1):
        lines.append(f"  {rank}. {rec.approach.name} [{rec.id}] ({rec.approach.evidence})")
        for reason in rec.reasons:
            lines += wrap(reason, "       - ")[:1] + wrap(reason, "         ")[1:]
    return lines


def mix_basis(a: Assessment, knowledge: Knowledge) -> str:
    """Where the mix comes from and how strong that is, so nobody reads a hypothesis as a
    proven result."""
    assert a.mix is not None
    blend = sorted(a.mix.blend.items(), key=lambda item: -item[1])
    parts = ", ".join(f"{paradigm} {weight:.0%}" for paradigm, weight in blend if weight >= 0.005)
    entries = [knowledge.mix[paradigm] for paradigm, _ in blend]
    evidence = "/".join(sorted({e.evidence for e in entries}))
    sources = "; ".join(sorted({e.source for e in entries}))
    return (
        f"Blended from each paradigm's support model by membership ({parts}); "
        f"evidence: {evidence} ({sources})."
    )


def risks(a: Assessment, lines_in_file: bool = True) -> list[str]:
    """The fired risks; `lines_in_file=False` for a proposal with no file behind it (a
    workshop group), whose risks have no line to point at."""
    lines = heading(f"Policy-failure risks ({len(a.risks)})")
    if not a.risks:
        return [*lines, "  None fired."]
    rows = [
        [
            r.severity + (" (accepted)" if r.accepted else ""),
            r.id,
            *([r.line] if lines_in_file else []),
            ", ".join(r.triggers),
        ]
        for r in a.risks
    ]
    headers = ["severity", "risk", *(["line"] if lines_in_file else []), "triggered by"]
    lines += ["  " + line for line in tabulate(rows, headers=headers).splitlines()]
    for r in a.risks:
        rule = r.risk.rule
        lines += ["", f"  [{r.severity}] {rule.title} ({rule.id})"]
        lines += wrap(rule.explanation, "    ")
        if r.escalated_because:
            lines += wrap(f"Severity raised: {r.escalated_because}", "    ")
        lines += wrap(f"Mitigation: {rule.mitigation}", "    ")
        lines += wrap(f"Source: {rule.source} ({rule.evidence})", "    ")
        if r.accepted:
            lines += wrap(f"Accepted: {r.accepted}", "    ")
    return lines


def answers(a: Assessment, knowledge: Knowledge) -> list[str]:
    lines = heading("Answers")
    rows = []
    for qid, question in knowledge.questions.items():
        answer = a.proposal.answers.get(qid)
        if answer is None:
            continue
        value = "unsure" if answer.unsure else answer.value
        if isinstance(value, bool):
            value = "yes" if value else "no"
        rows.append([qid, value, textwrap.shorten(answer.note, 60) if answer.note else ""])
        del question
    if rows:
        lines += [
            "  " + line
            for line in tabulate(
                rows,
                headers=["item", "answer", "note"],
                colalign=("left", "right", "left"),
            ).splitlines()
        ]
    if a.unsure:
        lines += ["", *wrap("Unsure: " + ", ".join(a.unsure))]
    if a.missing:
        lines += ["", *wrap("Unanswered: " + ", ".join(a.missing))]
    return lines


def hanging(text: str, first: str, rest: str | None = None) -> list[str]:
    """Text wrapped under a first-line prefix (a bullet, a number), later lines aligned."""
    return textwrap.wrap(
        " ".join(text.split()),
        WIDTH,
        initial_indent=first,
        subsequent_indent=rest if rest is not None else " " * len(first),
        break_on_hyphens=False,  # rule ids such as no-review-points stay whole
    )
