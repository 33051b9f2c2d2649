"""The questionnaire as a handout (text, markdown, yaml) and as a proposal template."""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from matland.core.knowledge import Group, Knowledge, Question
from matland.core.model import FORMAT_VERSION, PLACEHOLDER_TITLE
from matland.core.records import as_dict
from matland.core.words import flat
from matland.render.prose import hanging, titled

FILE_WIDTH = 88  # a YAML file's lines, read in an editor: not the terminal's


def by_group(knowledge: Knowledge) -> Iterator[tuple[Group, list[Question]]]:
    for group in knowledge.groups:
        items = [q for q in knowledge.questions.values() if q.group == group.id]
        if items:
            yield group, items


def asked_when_text(question: Question) -> str:
    """`only when pilot is yes`, or '' for an item always asked."""
    return " and ".join(
        f"{item} is {'yes' if wanted else 'no'}"
        for item, wanted in (question.asked_when or {}).items()
    )


def answer_form(question: Question) -> str:
    if question.type == "bool":
        return "yes / no / unsure"
    if question.type == "count":
        return "a number (1 or more) / unsure"
    return "1-5 / unsure"


def render(knowledge: Knowledge, fmt: str) -> str:
    if fmt == "yaml":
        data = {
            "groups": [as_dict(g) for g in knowledge.groups],
            "questions": [as_dict(q, exclude_none=True) for q in knowledge.questions.values()],
        }
        return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=FILE_WIDTH))
    return _markdown(knowledge) if fmt == "markdown" else _text(knowledge)


def _text(knowledge: Knowledge) -> str:
    lines = [*titled("The matland questionnaire"), ""]
    number = 0
    for group, items in by_group(knowledge):
        lines += [*titled(group.title, "─"), *hanging(group.intro, ""), ""]
        for question in items:
            number += 1
            lines += hanging(f"{number}. {question.text}  [{question.id}]", "", "   ")
            for value, anchor in (question.anchors or {}).items():
                lines += hanging(f"{value} = {anchor}", "     ", "         ")
            lines += hanging(f"answer: {answer_form(question)}", "     ")
            if question.asked_when:
                lines += hanging(f"(only when {asked_when_text(question)})", "     ")
            lines += hanging(question.help, "     ")
            lines.append("")
    return "\n".join(lines)


def _markdown(knowledge: Knowledge) -> str:
    lines = [
        "# The matland questionnaire",
        "",
        "Answer each item for the policy as proposed. Scaled items run from 1 (least) to "
        "5 (most); any item may be answered *unsure*.",
        "",
        "Name: ________________________________  Role: ________________________________",
        "",
        "Policy: ______________________________________________________________________",
        "",
    ]
    number = 0
    for group, items in by_group(knowledge):
        lines += [f"## {group.title}", "", flat(group.intro), ""]
        for question in items:
            number += 1
            lines += [f"**{number}. {question.text}** `{question.id}`", ""]
            if question.anchors:
                lines += [
                    "| 1 | 2 | 3 | 4 | 5 | unsure |",
                    "|---|---|---|---|---|---|",
                    f"| {question.anchors[1]} |  | {question.anchors[3]} |  | "
                    f"{question.anchors[5]} |  |",
                    "| ☐ | ☐ | ☐ | ☐ | ☐ | ☐ |",  # on paper, a box to tick
                    "",
                ]
            elif question.type == "bool":
                lines += ["☐ yes  ☐ no  ☐ unsure", ""]  # a box for each answer
            else:
                lines += ["Answer: ________  (a number, 1 or more)  ☐ unsure", ""]
            if question.asked_when:
                lines += [f"Only when {asked_when_text(question)}.", ""]
            lines += [f"*{flat(question.help)}*", ""]
    return "\n".join(lines)


def template_lines(question: Question) -> list[str]:
    """An item's lines in `matland init`'s template, unindented (`assess` finds them there
    to answer in their place)."""
    lines = [f"# {question.id}:    # {question.text}"]
    anchors = question.anchors or {}
    lines += [f"#     {v} = {a}" for v, a in anchors.items()] or [f"#     {answer_form(question)}"]
    return lines


def template(knowledge: Knowledge, title: str = "") -> str:
    """A proposal file with every item as a commented line and its anchors."""
    quoted = yaml.safe_dump(title or PLACEHOLDER_TITLE, default_style='"').strip()
    lines = [
        "# A matland proposal (format version 1). Uncomment and answer each item:",
        "#   scaled items 1-5 (higher = more), yes/no items true/false, or `unsure`;",
        '#   add evidence with  item: {value: 4, note: "why"}.',
        "# Then run: matland check THIS_FILE   (matland questions explains every item)",
        f"matland: {FORMAT_VERSION}",
        "policy:",
        f"  title: {quoted}",
        "  # summary: what the policy does, in a sentence or two",
        "  # owner: the department or body that owns it",
        "  # jurisdiction: where it applies",
        "answers:",
    ]
    for group, items in by_group(knowledge):
        lines.append(f"  # --- {group.title} ---")
        for question in items:
            lines += ["  " + line for line in template_lines(question)]
    lines += [
        "stakeholders:",
        "  # - name: Local Government Association",
        "  #   role: implementer    # implementer | sponsor | affected | partner | opponent",
        "  #   stance: support      # support | neutral | oppose",
        "  #   influence: high      # low | medium | high",
        "support_plan:",
        "  # ids from `matland rules list --kind support`, e.g. written_guidance",
        "",
    ]
    return "\n".join(lines)
