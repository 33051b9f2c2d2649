"""Plain text for a terminal: the check table, or the full report of one proposal."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Iterator, Mapping, Sequence

from tabulate import tabulate

from matland.core.assessment import Assessment, FileResult
from matland.core.classify import Placement
from matland.core.knowledge import MIX_KEYS, Knowledge, Paradigm
from matland.core.numbers import percents, whole
from matland.core.risks import FiredRisk
from matland.core.support import LABELS
from matland.core.words import flat
from matland.render import RenderOptions, printable, stream, views
from matland.render import data as d
from matland.render.matrix import MARKER, draw
from matland.render.stream import Piece, joined, piece_of

WIDTH = 88


def render(results: Sequence[FileResult], options: RenderOptions) -> str:
    if options.view == "report":
        parts = [report(r, options.knowledge) for r in results]
        return ("\n" + "═" * WIDTH + "\n\n").join(parts)
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
    tally = d.tally(result.findings())
    parts = [f"{n} {severity}" for severity, n in tally.items() if n]
    return ", ".join(parts) or "none"


CHECK_HEADERS = ["file", "title", "ambiguity", "conflict", "paradigm", "confidence", "findings"]
CHECK_ALIGN = ("left", "left", "right", "right", "left", "left", "left")
# Rows tabulated at once when a run's table is streamed: enough to amortise tabulate's call,
# few enough to stay small in memory.
TABLE_BATCH = 500


def piece(result: FileResult, options: RenderOptions) -> Piece:
    """The file's row in the run's table, and its findings, one line each, for below it."""
    a = result.assessment
    if a is None:
        row = [printable(result.path), "(invalid)", "", "", "", "", count_text(result)]
    else:
        row = [
            printable(result.path),
            _clip(printable(a.proposal.policy.title), 32),
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
    text = "".join("\n" + printable(line) for line in out)  # one line a finding, whatever it quotes
    return piece_of(result, options, text, tuple(row))


class Assembly(stream.Held):
    """The table of files, then each file's findings, then the run's summary. A column is as
    wide as its widest cell in the whole run, so the rows wait in a spool (as JSON lines)
    while the widths are measured, batch by batch; the table is then written batch by batch
    with a row of the final widths added to each batch and dropped from its output, which
    gives the very table tabulate makes of all the rows at once."""

    def __init__(self, options: RenderOptions) -> None:
        super().__init__(options)
        self.rows = self.spool()
        self.batch: list[list[str]] = []
        self.widths = [0] * len(CHECK_HEADERS)
        self.spooled = False

    def add(self, piece: Piece) -> str:
        self.batch.append(list(piece.row))
        if len(self.batch) == TABLE_BATCH:
            self._put_aside()
        return super().add(piece)

    def end(self) -> Iterator[str]:
        if not self.spooled:  # a run of one batch: tabulated at once, nothing measured
            yield check_table(self.batch)
        else:
            if self.batch:
                self._put_aside()
            widest = ["x" * width for width in self.widths]
            for number, batch in enumerate(_batches(self.rows.lines(), TABLE_BATCH)):
                lines = check_table([*map(json.loads, batch), widest]).split("\n")[:-1]
                yield "\n".join(lines if number == 0 else ["", *lines[2:]])
        yield from self.texts.chunks()
        yield f"\n\n{self.summary.line()}\n"

    def _put_aside(self) -> None:
        dashes = check_table(self.batch).split("\n")[1]  # one run of dashes a column
        widths = [len(run) for run in dashes.split("  ")]
        self.widths = [max(pair) for pair in zip(self.widths, widths, strict=True)]
        self.rows.write("".join(json.dumps(row) + "\n" for row in self.batch))
        self.batch = []
        self.spooled = True


def check_table(rows: list[list[str]]) -> str:
    return tabulate(
        rows,
        headers=CHECK_HEADERS,
        colalign=CHECK_ALIGN,
        disable_numparse=True,  # a title "1.50" is shown as written, not as 1.5
    )


def _batches(lines: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# ---------------------------------------------------------------- report


def prose(text: str) -> str:
    """Text read as prose (a summary, a reason, a note): its line breaks and runs of spaces
    as one space, as a paragraph reads, and on one line of output."""
    return printable(flat(text))


def wrap(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(
        prose(text),
        WIDTH,
        initial_indent=indent,
        subsequent_indent=indent,
        break_on_hyphens=False,  # rule ids such as `funding-gap` stay whole
    ) or [indent.rstrip()]


def heading(text: str) -> list[str]:
    return ["", text, "─" * len(text)]


def report(result: FileResult, knowledge: Knowledge) -> str:
    if result.assessment is None:
        lines = [f"{printable(result.path)}: not a valid proposal", ""]
        lines += [f"  {printable(e.one_line())}" for e in result.errors]
        return "\n".join(lines) + "\n"
    a = result.assessment
    policy = a.proposal.policy
    title = printable(policy.title)
    lines = [title, "═" * len(title)]
    byline = " · ".join(x for x in (policy.owner, policy.jurisdiction) if x)
    if byline:
        lines.append(printable(byline))
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
        lines += wrap(pitfall, "    - ")[:1] + wrap(pitfall, "      ")[1:]
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
    planned = set(a.proposal.support_plan)
    for rank, rec in enumerate(a.recommendations, 1):
        in_plan = " — in your plan" if rec.id in planned else ""
        lines.append(f"  {rank}. {rec.approach.name} [{rec.id}] ({rec.approach.evidence}){in_plan}")
        for reason in rec.reasons:
            lines += wrap(reason, "       - ")[:1] + wrap(reason, "         ")[1:]
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
    rows = [[printable(s.name), s.role, s.stance, s.influence] for s in a.proposal.stakeholders]
    table = tabulate(rows, headers=["stakeholder", "role", "stance", "influence"])
    return heading(f"Stakeholders ({len(rows)})") + ["  " + line for line in table.splitlines()]


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
        if r.met_by:
            lines += wrap(met_text(r), "    ")
        if rests and r.id in rests:
            lines += wrap(rests[r.id].text(), "    ")
    return lines


def met_text(r: FiredRisk) -> str:
    """How the plan meets a risk, as every report format says it."""
    was = f" (it would be {r.unmet_severity} without)" if r.unmet_severity else ""
    return f"In your plan: {', '.join(r.met_by)} meets this risk{was}."


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


NOTE_WIDTH = 52  # the note column: the report stays within WIDTH beside item and answer


def answers(a: Assessment, knowledge: Knowledge) -> list[str]:
    lines = heading("Answers")
    rows = []
    for qid, question in knowledge.questions.items():
        answer = a.proposal.answers.get(qid)
        if answer is None:
            continue
        value = views.answer_word(answer)
        # the note in full, wrapped in its column: it is the evidence behind the answer
        note = "\n".join(textwrap.wrap(prose(answer.note), NOTE_WIDTH, break_on_hyphens=False))
        rows.append([qid, value, note])
        del question
    if rows:
        lines += [
            "  " + line.rstrip()
            for line in tabulate(
                rows,
                headers=["item", "answer", "note"],
                colalign=("left", "right", "left"),
                disable_numparse=True,
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
        prose(text),
        WIDTH,
        initial_indent=first,
        subsequent_indent=rest if rest is not None else " " * len(first),
        break_on_hyphens=False,  # rule ids such as no-review-points stay whole
    )
