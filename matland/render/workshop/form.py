"""`matland workshop form`: what a trainer needs to build the questionnaire in a form tool by
hand (Google Forms, Microsoft Forms, …) so that its CSV export reads without a map.

Every question keeps its exact text as the form's question title (the export's header) and
its choices in order, each a text `matland workshop` reads back by itself (an anchor with
its number, a bare number, yes/no, unsure). As Markdown (the guide), CSV (for spreadsheet
users) or the YAML map that matches it (only needed if a title is changed).
"""

from __future__ import annotations

import csv
import io

import yaml

from matland.core.knowledge import Knowledge, Question
from matland.render.questions import answer_form, asked_when_text, by_group
from matland.workshop.cells import choices

NAME, ROLE = "Your name", "Your role"
FORMATS = ("markdown", "csv", "map")


def render(knowledge: Knowledge, fmt: str) -> str:
    return {"markdown": guide, "csv": table, "map": column_map}[fmt](knowledge)


def _kind(question: Question) -> str:
    if question.type == "count":
        return "short answer (a whole number, or unsure)"
    return "multiple choice (one answer)"


def guide(knowledge: Knowledge) -> str:
    lines = [
        "# Building the matland questionnaire in a form tool",
        "",
        "1. Start the form with two short-answer questions: "
        f"**{NAME}** and **{ROLE}** (the role may be a choice of your roles).",
        "2. Add each question below as it stands: its text, word for word, is the question's "
        "title, and its choices are the choices, in this order. Keep them as written: "
        "`matland workshop` then reads the export without a map.",
        "3. After the session, export the responses as CSV and run "
        "`matland workshop responses.csv --by role`. The tool's own columns (Timestamp, "
        "Email address, …) are recognised; a participant who answers twice counts by the "
        "later answer.",
        "",
        "If you must change a question's text, add it to a map (`matland workshop form "
        "--format map` prints one to start from) and pass `--map`.",
        "",
    ]
    number = 0
    for group, items in by_group(knowledge):
        lines += [f"## {group.title}", ""]
        for question in items:
            number += 1
            lines += [f"**{number}. {question.text}**", "", f"- id: `{question.id}`"]
            lines.append(f"- type: {_kind(question)}")
            offered = choices(question)
            if offered:
                lines += ["- choices:", *(f"  {i}. {c}" for i, c in enumerate(offered, 1))]
            else:
                lines.append(f"- answer: {answer_form(question)}")
            if question.asked_when:
                lines.append(f"- ask only when {asked_when_text(question)}")
            lines.append("")
    return "\n".join(lines)


def table(knowledge: Knowledge) -> str:
    width = max(len(choices(q)) for q in knowledge.questions.values())
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["number", "id", "question", "type", *(f"choice {i}" for i in range(1, width + 1))]
    )
    writer.writerow(["", "participant", NAME, "short answer", *[""] * width])
    writer.writerow(["", "role", ROLE, "short answer", *[""] * width])
    number = 0
    for _, items in by_group(knowledge):
        for question in items:
            number += 1
            offered = choices(question)
            row = [str(number), question.id, question.text, _kind(question), *offered]
            writer.writerow(row + [""] * (width - len(offered)))
    return out.getvalue()


def column_map(knowledge: Knowledge) -> str:
    columns = {NAME: "participant", ROLE: "role"}
    columns |= {q.text: q.id for _, items in by_group(knowledge) for q in items}
    text = yaml.safe_dump(
        {"version": 1, "columns": columns}, sort_keys=False, allow_unicode=True, width=1000
    )
    return (
        "# The map for a form built with `matland workshop form`: each header to its\n"
        "# question. Not needed while the titles stay as printed; change the left side\n"
        "# where a title was changed, and pass it with --map.\n" + text
    )
