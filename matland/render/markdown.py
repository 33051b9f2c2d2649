"""Markdown: a summary table per file for a pull-request comment (check), or the full report
ending with an action plan a team can take into a meeting (report)."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Sequence

from matland.core.assessment import Assessment, FileResult
from matland.core.knowledge import MIX_KEYS, Knowledge
from matland.core.numbers import percents
from matland.core.support import LABELS
from matland.core.words import flat
from matland.render import RenderOptions, printable, stream, views
from matland.render import data as d
from matland.render.matrix import MARKER, draw
from matland.render.prose import prose
from matland.render.stream import Piece, joined, piece_of
from matland.render.text import count_text, mix_basis, paradigm_text, score_text


def render(results: Sequence[FileResult], options: RenderOptions) -> str:
    if options.view == "report":
        return "\n---\n\n".join(report(r, options.knowledge) for r in results)
    return joined(piece, Assembly(options), results)


# What a proposal's text could pass into the page as HTML of its own (`<script>`, `<a href>`,
# `<img>`, an autolink `<https://…>`): entities show the characters as written.
# ... and no link of its own in a pull-request comment (`[click here](https://…)`): a
# backslash shows a bracket as written.
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]"})
_TICKS = re.compile("`+")
# What may open a block at the start of a paragraph: ASCII punctuation, which a backslash
# shows as written. Not `&`, which starts the entities plain() writes and opens nothing.
_OPENS = string.punctuation.replace("&", "")


def cell(text: object) -> str:
    """Markdown safe inside a table cell: on one line, and no `|` that would end the cell."""
    return prose(str(text)).replace("|", "\\|")


def plain(text: str) -> str:
    """User text (a title, a note, a message quoting a value) shown as written, on one line,
    with no HTML or link of its own."""
    return prose(text).translate(_HTML)


def paragraph(text: str) -> str:
    """User text as a paragraph of its own: a first character that could open a block (`#`,
    `-`, `|`, a fence) or a CI log's workflow command (`::`) is escaped, and shows as
    written."""
    text = plain(text)
    return "\\" + text if text[:1] in _OPENS else text


def code(text: str) -> str:
    """User text (a file name) as a code span: fenced by more back-ticks than any run inside
    it, padded when it starts or ends with one or a space (CommonMark strips that one space)."""
    text = printable(text)
    fence = "`" * (max(map(len, _TICKS.findall(text)), default=0) + 1)
    pad = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def table(headers: list[str], rows: Sequence[Sequence[object]]) -> list[str]:
    return [*table_head(headers), *(table_row(row) for row in rows)]


def table_head(headers: list[str]) -> list[str]:
    return ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]


def table_row(row: Sequence[object]) -> str:
    return "| " + " | ".join(cell(c) for c in row) + " |"


# ---------------------------------------------------------------- check

CHECK_HEADERS = ["file", "title", "ambiguity", "conflict", "paradigm", "findings"]


def piece(result: FileResult, options: RenderOptions) -> Piece:
    """The file's row in the run's table and, when it has findings, its own section."""
    a = result.assessment
    path = code(result.path)
    if a is None:
        row = [path, "—", "—", "—", "invalid", count_text(result)]
    else:
        place = a.placement
        row = [
            path,
            plain(a.proposal.policy.title),
            score_text(place.ambiguity.score),
            score_text(place.conflict.score),
            paradigm_text(a),
            count_text(result),
        ]
    findings = tuple(result.findings())
    lines = []
    if findings:
        lines += ["", f"### {path}", ""]
        lines += table(
            ["line", "severity", "rule", "message"],
            [
                [
                    f"{f.line}:{f.column}",
                    f.severity
                    + (" (accepted)" if f.accepted else "")
                    + (" (met by the plan)" if f.met else ""),
                    f"`{f.rule_id}`",
                    plain(f.message + (f" — {f.hint}" if f.is_error and f.hint else "")),
                ]
                for f in findings
            ],
        )
    text = "".join("\n" + line for line in lines)
    return piece_of(result, options, text, (table_row(row),))


class Assembly(stream.Held):
    """The summary comes first and the table of files before their sections: the rows and
    the sections wait in spools until the run is over."""

    def __init__(self, options: RenderOptions) -> None:
        super().__init__(options)
        self.rows = self.spool()

    def add(self, piece: Piece) -> str:
        self.rows.write("".join("\n" + line for line in piece.row))
        return super().add(piece)

    def end(self) -> Iterator[str]:
        run = self.summary.as_dict()
        files = f"{run['files']} file(s): {run['valid']} valid, {run['invalid']} invalid."
        head = ["## matland check", "", files, "", *table_head(CHECK_HEADERS)]
        yield "\n".join(head)
        yield from self.rows.chunks()
        yield from self.texts.chunks()
        yield "\n"


# ---------------------------------------------------------------- report


def report(result: FileResult, knowledge: Knowledge) -> str:
    if result.assessment is None:
        return (
            "\n".join(
                ["# Not a valid proposal", ""] + [f"- {code(e.one_line())}" for e in result.errors]
            )
            + "\n"
        )
    a = result.assessment
    policy = a.proposal.policy
    lines = [f"# {plain(policy.title)}", ""]
    byline = " · ".join(x for x in (policy.owner, policy.jurisdiction) if x)
    if byline:
        lines += [f"*{plain(byline)}*", ""]
    if policy.summary:
        lines += [paragraph(policy.summary), ""]
    lines += position(a, knowledge) + support(a, knowledge) + plan(a, knowledge)
    lines += stakeholders(a) + risks(a) + other_findings(a)
    lines += answers(a, knowledge)
    lines += action_plan(a)
    works = views.references(a, knowledge)
    if works:
        lines += ["## References", ""]
        lines += [f"{n}. {plain(w.reference())}" for n, w in enumerate(works, 1)]
        lines.append("")
    return "\n".join(lines) + "\n"


def position(a: Assessment, knowledge: Knowledge) -> list[str]:
    place = a.placement
    lines = [
        "## Position in Matland's matrix",
        "",
        f"Ambiguity **{score_text(place.ambiguity.score)}**/100, "
        f"conflict **{score_text(place.conflict.score)}**/100.",
        "",
    ]
    if not place.classifiable:
        return [
            *lines,
            "**Not classifiable** yet. Answer: " + ", ".join(f"`{q}`" for q in place.to_answer),
            "",
        ]
    assert place.ambiguity.score is not None and place.conflict.score is not None
    lines += [
        "```",
        *draw([(place.ambiguity.score, place.conflict.score, MARKER)], knowledge),
        "```",
        "",
    ]
    view = views.position(place, knowledge)
    lines.append(f"**{view.name}** (confidence: {view.confidence})")
    if view.elements:
        lines.append(f"with elements of {view.elements_text}")
    lines += ["", f"*{view.why[0].upper()}{view.why[1:]}*"]
    if view.on_line:
        lines += ["", f"*On a line: {view.on_line}*"]
    if view.stability:
        lines += ["", "**Robust?** " + " ".join(view.stability)]
    for paradigm in view.paradigms:
        meaning = knowledge.paradigms[paradigm]
        lines += [
            "",
            f"Central principle of {meaning.name.lower()}: **{meaning.principle}**. "
            f"{flat(meaning.decides)}",
            "",
            "Typical pitfalls:",
            "",
        ]
        lines += [f"- {flat(p)}" for p in meaning.pitfalls]
        lines += ["", f"*Source: {meaning.source}*"]
    return [*lines, ""]


def support(a: Assessment, knowledge: Knowledge) -> list[str]:
    if a.mix is None:
        return []
    mix = a.mix
    lines = ["## Support mix", ""]
    lines += table(
        ["model", "share"],
        [
            [LABELS[k], f"{share}%"]
            for k, share in percents({k: mix.need(k) for k in MIX_KEYS[:3]}).items()
        ]
        + [["collaboration (intensity)", f"{mix.collaboration:.0%}"]],
    )
    lines += ["", f"*{mix_basis(a, knowledge)}*", "", "### Recommended approaches", ""]
    planned = set(a.proposal.support_plan)  # a workshop's group has none: no column
    lines += table(
        ["#", "approach", "evidence", *(["in your plan"] if planned else []), "why"],
        [
            [
                i,
                f"{r.approach.name} (`{r.id}`)",
                r.approach.evidence,
                *(["yes" if r.id in planned else "no"] if planned else []),
                "; ".join(r.reasons),
            ]
            for i, r in enumerate(a.recommendations, 1)
        ],
    )
    lines += [
        "",
        "*Evidence: finding = observed in the report; hypothesis = proposed by the "
        "report, not yet shown; practice = from the other sources.*",
        "",
    ]
    return lines


def plan(a: Assessment, knowledge: Knowledge) -> list[str]:
    """The proposal's own support plan against the recommendations (text.plan)."""
    lines = ["### Your support plan", ""]
    if not a.proposal.support_plan:
        return [*lines, "None given (`support_plan:` in the proposal).", ""]
    lines += table(
        ["approach", "recommended"],
        [
            [f"{knowledge.approaches[i].name} (`{i}`)", standing]
            for i, standing in d.plan_standing(a)
        ],
    )
    return [*lines, ""]


def stakeholders(a: Assessment) -> list[str]:
    if not a.proposal.stakeholders:
        return []
    rows = [[plain(s.name), s.role, s.stance, s.influence] for s in a.proposal.stakeholders]
    lines = [f"## Stakeholders ({len(rows)})", ""]
    return [*lines, *table(["stakeholder", "role", "stance", "influence"], rows), ""]


def other_findings(a: Assessment) -> list[str]:
    """What `matland check` reports beside the risks (text.other_findings)."""
    if not a.extra_findings:
        return []
    lines = [f"## Other findings ({len(a.extra_findings)})", ""]
    for f in a.extra_findings:
        hint = f" ({plain(f.hint)})" if f.hint else ""
        lines.append(f"- **{f.severity}**, line {f.line}: {plain(f.message)}{hint}")
    return [*lines, ""]


def risks(a: Assessment) -> list[str]:
    lines = [f"## Policy-failure risks ({len(a.risks)})", ""]
    if not a.risks:
        return [*lines, "None fired.", ""]
    lines += table(
        ["severity", "risk", "triggered by", "source"],
        [
            [
                r.severity + (" (accepted)" if r.accepted else "") + (" (met)" if r.met_by else ""),
                f"**{r.risk.rule.title}** (`{r.id}`, line {r.line})",
                ", ".join(f"`{t}`" for t in r.triggers),
                r.risk.rule.source,
            ]
            for r in a.risks
        ],
    )
    lines.append("")
    for r in a.risks:
        rule = r.risk.rule
        lines += [
            f"### {rule.title}",
            "",
            flat(rule.explanation),
            "",
            f"**Mitigation:** {flat(rule.mitigation)}",
            "",
        ]
    return lines


def answers(a: Assessment, knowledge: Knowledge) -> list[str]:
    rows: list[list[object]] = []
    for qid in knowledge.questions:
        answer = a.proposal.answers.get(qid)
        if answer is not None:
            rows.append([f"`{qid}`", views.answer_word(answer), plain(answer.note)])
    lines = ["## Answers", "", *table(["item", "answer", "note"], rows), ""]
    if a.unsure:
        lines += ["Unsure: " + ", ".join(f"`{q}`" for q in a.unsure), ""]
    if a.missing:
        lines += ["Unanswered: " + ", ".join(f"`{q}`" for q in a.missing), ""]
    return lines


def action_plan(a: Assessment) -> list[str]:
    rows: list[list[object]] = [
        [plain(r.item), plain(r.action), plain(r.owner), plain(r.due), plain(r.outcome)]
        for r in views.action_plan(a)
    ]
    return [
        "## Action plan",
        "",
        *table(["item", "action", "owner", "date", "expected outcome"], rows),
    ]
