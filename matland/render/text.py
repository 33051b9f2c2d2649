"""Plain text for a terminal: the check table, or the full report of one proposal."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence

from matland.core.assessment import Assessment, FileResult
from matland.core.classify import Placement
from matland.core.knowledge import MIX_KEYS, Knowledge, Paradigm
from matland.core.numbers import percents, whole
from matland.core.risks import FiredRisk
from matland.core.support import LABELS
from matland.render import RenderOptions, line_start, printable, stream, views
from matland.render import data as d
from matland.render.matrix import MARKER, draw
from matland.render.prose import (
    clip,
    columns,
    divider,
    fit,
    fitted,
    glued,
    grid,
    hanging,
    heading,
    prose,
    row_line,
    table,
    table_width,
    titled,
    wrap,
)
from matland.render.stream import Piece, joined, piece_of


def render(results: Sequence[FileResult], options: RenderOptions) -> str:
    if options.view == "report":
        parts = [report(r, options.knowledge) for r in results]
        return ("\n" + divider() + "\n\n").join(parts)
    return joined(piece, Assembly(options), results)


# ---------------------------------------------------------------- check


def score_text(value: float | None) -> str:
    return "—" if value is None else str(whole(value))


def paradigm_text(assessment: Assessment) -> str:
    place = assessment.placement
    if not place.classifiable:
        return "not classifiable"
    text = place.label
    if place.elements:
        text += " (+ " + ", ".join(place.elements) + ")"
    return text + (" [borderline]" if place.borderline else "")


def count_text(result: FileResult) -> str:
    if not result.valid:
        return f"{len(result.errors)} error" + ("s" if len(result.errors) != 1 else "")
    return d.tally_text(d.tally(result.findings())) or "none"


CHECK_HEADERS = ("file", "title", "ambiguity", "conflict", "paradigm", "confidence", "findings")
CHECK_ALIGN = ("left", "left", "right", "right", "left", "left", "left")
TITLE = 1
# A title clipped shorter than this says too little: the rows become blocks (which show it
# whole) rather than a table that cuts it further than a narrow terminal's blocks would.
SHORTEST_TITLE = 32


def piece(result: FileResult, options: RenderOptions) -> Piece:
    """The file's row in the run's table, and its findings, one line each, for below it."""
    a = result.assessment
    if a is None:
        row = [line_start(printable(result.path)), "(invalid)", "", "", "", "", count_text(result)]
    else:
        row = [
            line_start(printable(result.path)),
            printable(a.proposal.policy.title),
            score_text(a.placement.ambiguity.score),
            score_text(a.placement.conflict.score),
            paradigm_text(a),
            a.placement.confidence or "—",
            count_text(result),
        ]
    findings = tuple(result.findings())
    out = [""] if findings else []
    for f in findings:  # one line each, `path:line:col:` first, as editors and CI logs expect
        tag = f.severity + (f" (accepted: {f.accepted})" if f.accepted else "")
        tag += f" (met by the plan: {f.met})" if f.met else ""
        line = f"{f.location()}: {tag} [{f.rule_id}] {f.message}"
        out.append(f"{line} ({f.hint})" if f.is_error and f.hint else line)
    if a is not None and not a.placement.classifiable:
        out.append(
            f"{result.path}: not classifiable yet; answer: " + ", ".join(a.placement.to_answer)
        )
    # one line a finding, whatever it quotes
    text = "".join("\n" + line_start(printable(line)) for line in out)
    return piece_of(result, options, text, tuple(row))


class Assembly(stream.Held):
    """The table of files, then each file's findings, then the run's summary. A column is as
    wide as its widest cell in the whole run, so the rows wait in a spool (as JSON lines)
    while the widths are measured; at the end they are written as a table when it fits the
    terminal (titles clipped to make room), else as a block a file."""

    def __init__(self, options: RenderOptions) -> None:
        super().__init__(options)
        self.rows = self.spool()
        self.widths = [columns(header) for header in CHECK_HEADERS]

    def add(self, piece: Piece) -> str:
        self.widths = [
            max(w, columns(cell)) for w, cell in zip(self.widths, piece.row, strict=True)
        ]
        self.rows.write(json.dumps(piece.row) + "\n")
        return super().add(piece)

    def end(self) -> Iterator[str]:
        if self.rows.empty and self.texts.empty:  # nothing checked (every file excluded)
            yield f"{self.summary.line()}\n"
            return
        rows = (json.loads(line) for line in self.rows.lines())
        room = self.options.columns or table_width()
        title = title_room(self.widths, room)
        if title is None:
            yield from (("\n" if n else "") + block(row, room) for n, row in enumerate(rows))
        else:
            widths = [*self.widths[:TITLE], title, *self.widths[TITLE + 1 :]]
            yield "\n".join(grid([], CHECK_HEADERS, CHECK_ALIGN, widths))
            for row in rows:
                row[TITLE] = clip(row[TITLE], title)
                yield "\n" + row_line(row, widths, CHECK_ALIGN)
        yield from self.texts.chunks()
        yield f"\n\n{self.summary.line()}\n"


def title_room(widths: Sequence[int], room: int) -> int | None:
    """How wide the title column can be for the table to fit in `room` columns; None when
    even the shortest useful title would not fit."""
    others = sum(widths) - widths[TITLE] + 2 * (len(widths) - 1)
    fits = min(widths[TITLE], room - others)
    return fits if fits >= min(widths[TITLE], SHORTEST_TITLE) else None


def block(row: Sequence[str], room: int) -> str:
    """A file's row as a block, for a terminal too narrow for the table: the path and title,
    then the position and the findings, wrapped."""
    path, title, ambiguity, conflict, paradigm, confidence, findings = row
    head = f"{path}  {title}"
    lines = [head] if columns(head) <= room else [path, *hanging(title, "  ", at=room)]
    if ambiguity or conflict:
        where = (
            f"{paradigm}, {glued(f'confidence {confidence}')}; "
            f"{glued(f'ambiguity {ambiguity}')}, {glued(f'conflict {conflict}')}"
        )
        lines += hanging(where, "  ", "    ", at=room)
    lines += hanging(f"findings: {findings}", "  ", "    ", at=room)
    return "\n".join(lines)


# ---------------------------------------------------------------- report


def report(result: FileResult, knowledge: Knowledge) -> str:
    if result.assessment is None:
        lines = [f"{printable(result.path)}: not a valid proposal", ""]
        lines += [f"  {printable(e.one_line())}" for e in result.errors]
        return "\n".join(lines) + "\n"
    a = result.assessment
    policy = a.proposal.policy
    lines = titled(printable(policy.title))
    byline = " · ".join(x for x in (policy.owner, policy.jurisdiction) if x)
    if byline:
        lines += hanging(printable(byline), "")
    if policy.summary:
        lines += ["", *wrap(policy.summary, "")]
    lines += position(a, knowledge)
    lines += meaning(a, knowledge)
    lines += support(a, knowledge)
    lines += plan(a, knowledge) + stakeholders(a)
    lines += risks(a, rests=views.high_findings(a, knowledge))
    lines += other_findings(a)
    lines += answers(a, knowledge)
    lines += action_plan(a)
    lines += references(a, knowledge)
    return "\n".join(lines) + "\n"


def action_plan(a: Assessment) -> list[str]:
    """The action plan: each risk and recommended approach with its owner, date and
    expected outcome (from the proposal's `actions:`; a dash where none is kept yet)."""
    rows = views.action_plan(a)
    if not rows:
        return []
    lines = heading("Action plan")
    for r in rows:
        lines += hanging(printable(r.item), "  - ", "    ")
        kept = [
            f"{label}: {printable(value)}"
            for label, value in (("owner", r.owner), ("date", r.due), ("outcome", r.outcome))
            if value
        ]
        lines += hanging("; ".join(kept) if kept else "owner, date, outcome: —", "    ")
    lines += hanging(
        "Keep owners and dates in the proposal (`actions: [{item, owner, due, outcome}]`) and "
        "they are shown on every later run.",
        "  ",
    )
    return lines


def references(a: Assessment, knowledge: Knowledge) -> list[str]:
    """The works this report rests on (rules/sources.yaml), numbered."""
    works = views.references(a, knowledge)
    if not works:
        return []
    lines = heading("References")
    for number, work in enumerate(works, 1):
        lines += hanging(work.reference(), f"  [{number}] ", " " * 6)
    return lines


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
    return [*lines, "", *placement(place, knowledge)]


def placement(place: Placement, knowledge: Knowledge) -> list[str]:
    """The paradigm, its elements, whether it is borderline and why the confidence: what a
    proposal's report and a workshop's group say under their matrix."""
    view = views.position(place, knowledge)
    lines = hanging(f"{view.name} (confidence: {view.confidence})", "  Paradigm:   ", " " * 14)
    if view.elements:
        lines += hanging(view.elements_text, "  Elements:   ", " " * 14)
        lines += hanging(views.ELEMENTS_NOTE, " " * 14)
    if view.on_line:
        lines += hanging(view.on_line, "  On a line:  ", " " * 14)
    lines += hanging(view.why, "  Why:        ", " " * 14)
    for index, sentence in enumerate(view.stability):
        lines += hanging(sentence, "  Robust?     " if index == 0 else " " * 14, " " * 14)
    return lines


def meaning(a: Assessment, knowledge: Knowledge) -> list[str]:
    """What the paradigm means; each co-primary one's, for an undecided policy."""
    if a.paradigm is None:
        return []
    lines: list[str] = []
    for paradigm in a.placement.paradigms or (a.paradigm,):
        lines += _meaning(knowledge.paradigms[paradigm])
    return lines


def _meaning(p: Paradigm) -> list[str]:
    lines = heading(f"What {p.name.lower()} means")
    lines += wrap(f"Central principle: {p.principle}. {p.decides}")
    lines += ["", *wrap(p.description)]
    lines.append("")
    lines.append("  Typical pitfalls:")
    for pitfall in p.pitfalls:
        lines += hanging(pitfall, "    - ", "      ")
    lines += ["", *wrap(f"Support model ({p.evidence}): {p.support_model}")]
    lines += wrap(f"Source: {p.source}")
    return lines


def support(a: Assessment, knowledge: Knowledge) -> list[str]:
    if a.mix is None:
        return []
    mix = a.mix
    lines = heading("Support mix")
    shares = percents({k: mix.need(k) for k in MIX_KEYS[:3]})  # they add up to 100
    rows = [[LABELS[k], f"{shares[k]}%", "█" * round(mix.need(k) * 30)] for k in shares]
    rows.append(
        [
            "collaboration (intensity)",
            f"{mix.collaboration:.0%}",
            "░" * round(mix.collaboration * 30),
        ]
    )
    lines += ["  " + line for line in grid(rows, None, ("left", "right", "left"))]
    lines += wrap(mix_basis(a, knowledge), "  ")
    lines.append("")
    lines += hanging(
        "Recommended approaches (evidence: finding = observed in the report, "
        "hypothesis = proposed, practice = other sources):",
        "  ",
    )
    planned = set(a.proposal.support_plan)
    for rank, rec in enumerate(a.recommendations, 1):
        in_plan = " — in your plan" if rec.id in planned else ""
        lines += fit(
            f"{rank}. {rec.approach.name} [{rec.id}] ({rec.approach.evidence}){in_plan}",
            "  ",
            "     ",
        )
        for reason in rec.reasons:
            lines += hanging(reason, "       - ", "         ")
    return lines


def plan(a: Assessment, knowledge: Knowledge) -> list[str]:
    """The proposal's own support plan against the recommendations (under the support mix,
    or under a heading of its own when there is no mix to recommend from)."""
    head = heading("Your support plan") if a.mix is None else [""]
    if not a.proposal.support_plan:
        return [*head, "  Your support plan: none given (`support_plan:` in the proposal)."]
    lines = [*head, "  Your support plan:"]
    for approach_id, standing in d.plan_standing(a):
        where = f"recommended {standing}" if standing.startswith("#") else standing
        name = knowledge.approaches[approach_id].name
        lines += hanging(f"{name} [{approach_id}]: {where}", "    - ", "      ")
    missing = [rec.id for rec in a.recommendations if rec.id not in a.proposal.support_plan]
    if missing:
        lines += wrap("Recommended, not in your plan: " + ", ".join(missing) + ".", "    ")
    return lines


def stakeholders(a: Assessment) -> list[str]:
    if not a.proposal.stakeholders:
        return []
    rows = [[prose(s.name), s.role, s.stance, s.influence] for s in a.proposal.stakeholders]
    drawn = table(rows, ("stakeholder", "role", "stance", "influence"), wrapped=0)
    return heading(f"Stakeholders ({len(rows)})") + drawn


def mix_basis(a: Assessment, knowledge: Knowledge) -> str:
    """Where the mix comes from and how strong that is, so nobody reads a hypothesis as a
    proven result."""
    assert a.mix is not None
    blend = sorted(a.mix.blend.items(), key=lambda item: -item[1])
    shown = percents(dict(blend))
    parts = ", ".join(f"{paradigm} {shown[paradigm]}%" for paradigm, _ in blend if shown[paradigm])
    entries = [knowledge.mix[paradigm] for paradigm, _ in blend]
    evidence = "/".join(sorted({e.evidence for e in entries}))
    sources = "; ".join(sorted({e.source for e in entries}))
    return (
        f"Blended from each paradigm's support model by membership ({parts}); "
        f"evidence: {evidence} ({sources})."
    )


def risks(
    a: Assessment, lines_in_file: bool = True, rests: Mapping[str, views.RestsOn] | None = None
) -> list[str]:
    """The fired risks; `lines_in_file=False` for a proposal with no file behind it (a
    workshop group), whose risks have no line to point at."""
    lines = heading(f"Policy-failure risks ({len(a.risks)})")
    if not a.risks:
        return [*lines, "  None fired."]
    rows = [
        [
            r.severity + (" (accepted)" if r.accepted else "") + (" (met)" if r.met_by else ""),
            r.id,
            *([str(r.line)] if lines_in_file else []),
            ", ".join(r.triggers),
        ]
        for r in a.risks
    ]
    headers = ["severity", "risk", *(["line"] if lines_in_file else []), "triggered by"]
    drawn = fitted(rows, headers, wrapped=len(headers) - 1)
    beside = drawn is not None  # else each risk's triggers are said under it
    # else the risks alone, ids whole (their triggers are said under each risk)
    lines += drawn or ["  " + line for line in grid([row[:-1] for row in rows], headers[:-1])]
    for r in a.risks:
        rule = r.risk.rule
        lines += ["", *hanging(f"[{r.severity}] {rule.title} ({rule.id})", "  ", "    ")]
        if not beside:
            lines += wrap("Triggered by: " + ", ".join(r.triggers), "    ")
        lines += wrap(rule.explanation, "    ")
        if r.escalated_because:
            lines += wrap(f"Severity raised: {r.escalated_because}", "    ")
        lines += wrap(f"Mitigation: {rule.mitigation}", "    ")
        lines += wrap(f"Source: {rule.source} ({rule.evidence})", "    ")
        if r.accepted:
            lines += wrap(f"Accepted: {r.accepted}", "    ")
        if r.met_by:
            lines += wrap(met_text(r), "    ")
        if rests and r.id in rests:
            lines += wrap(rests[r.id].text(), "    ")
    return lines


def met_text(r: FiredRisk) -> str:
    """How the plan meets a risk, as every report format says it."""
    was = f" (it would be {r.unmet_severity} without)" if r.unmet_severity else ""
    meets = "meets" if len(r.met_by) == 1 else "meet"
    return f"In your plan: {', '.join(r.met_by)} {meets} this risk{was}."


def other_findings(a: Assessment) -> list[str]:
    """What `matland check` reports beside the risks (a stale acceptance, the placeholder
    title), so the report and the CI gate tell the same story."""
    if not a.extra_findings:
        return []
    lines = heading(f"Other findings ({len(a.extra_findings)})")
    for f in a.extra_findings:
        lines += wrap(
            f"[{f.severity}] line {f.line}: {f.message}" + (f" ({f.hint})" if f.hint else "")
        )
    return lines


def answers(a: Assessment, knowledge: Knowledge) -> list[str]:
    lines = heading("Answers")
    rows = []
    for qid in knowledge.questions:
        answer = a.proposal.answers.get(qid)
        if answer is not None:  # the note in full, wrapped in its column: it is the evidence
            rows.append([qid, views.answer_word(answer), prose(answer.note)])
    if rows:
        headers = ("item", "answer", "note")
        lines += table(rows, headers, wrapped=2, colalign=("left", "right", "left"))
    if a.unsure:
        lines += ["", *wrap("Unsure: " + ", ".join(a.unsure))]
    if a.missing:
        lines += ["", *wrap("Unanswered: " + ", ".join(a.missing))]
    return lines
