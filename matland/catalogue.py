"""`matland rules list` and `rules show`: the knowledge base as people read it.

Every kind of entry in rules/, each with its source: the five core files through
Knowledge, and workshop.yaml and review.yaml read from the same directory (the bundled
rules, or --rules DIR) when a listing or a look-up needs them.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from tabulate import tabulate

from matland.knowledge import Knowledge
from matland.review import load_review
from matland.workshop import load_workshop_rules

Entry = dict[str, Any]
WIDTH = 60  # a list's column; `rules show` prints every field in full
# Fields a workshop rule explains itself with; the rest are its settings.
PROSE = ("id", "source", "explanation", "text")


def _questions(knowledge: Knowledge) -> list[Entry]:
    return [q.model_dump(exclude_none=True) for q in knowledge.questions.values()]


def _support(knowledge: Knowledge) -> list[Entry]:
    return [a.model_dump() for a in knowledge.approaches.values()]


def _risks(knowledge: Knowledge) -> list[Entry]:
    return [
        {**r.rule.model_dump(exclude={"examples"}), "condition": r.condition.describe()}
        for r in knowledge.risks
    ]


def _paradigms(knowledge: Knowledge) -> list[Entry]:
    return [p.model_dump() for p in knowledge.paradigms.values()]


def _workshop(knowledge: Knowledge) -> list[Entry]:
    """One entry per section of workshop.yaml, named by its key (`disagreement` …)."""
    sections = load_workshop_rules(str(knowledge.root)).model_dump(exclude={"version"})
    return [{"id": name, **section} for name, section in sections.items()]


def _review(knowledge: Knowledge) -> list[Entry]:
    return [q.model_dump() for q in load_review(str(knowledge.root)).questions]


def _ratings(entry: Entry) -> str:
    return "/".join(
        entry[k] for k in ("performance_management", "problem_solving", "capacity_building")
    )


def _settings(entry: Entry) -> str:
    """A workshop rule's numbers and choices, or its text when it has none."""
    settings = [f"{k}: {v}" for k, v in entry.items() if k not in PROSE]
    return ", ".join(settings) if settings else str(entry.get("text", ""))


# A list column's cell: the entry's key, or how to compute it from the entry.
Column = str | Callable[[Entry], str]


@dataclass(frozen=True)
class Kind:
    """One kind of entry: where its entries come from, and the columns of its list between
    `id` (first) and `source` (last, shown whole: it is what this listing is for)."""

    entries: Callable[[Knowledge], list[Entry]]
    columns: Mapping[str, Column]

    @property
    def headers(self) -> tuple[str, ...]:
        return ("id", *self.columns, "source")

    def row(self, entry: Entry) -> list[Any]:
        cells = [c(entry) if callable(c) else entry[c] for c in self.columns.values()]
        return [entry["id"], *cells, entry["source"]]


CATALOGUE: dict[str, Kind] = {
    "question": Kind(_questions, {"group": "group", "question": "text"}),
    "support": Kind(_support, {"name": "name", "PM/PS/CB": _ratings, "evidence": "evidence"}),
    "risk": Kind(_risks, {"severity": "severity", "title": "title"}),
    "paradigm": Kind(_paradigms, {"name": "name", "principle": "principle"}),
    "workshop": Kind(_workshop, {"settings": _settings}),
    "review": Kind(_review, {"part": "part", "question": "question"}),
}
KINDS = tuple(CATALOGUE)


def entries(knowledge: Knowledge, kind: str) -> list[Entry]:
    return CATALOGUE[kind].entries(knowledge)


def _all(knowledge: Knowledge) -> Iterator[tuple[str, Entry]]:
    """Every entry with its kind, the core kinds first: workshop.yaml and review.yaml are
    only read when the look-up gets that far."""
    for kind in KINDS:
        for entry in entries(knowledge, kind):
            yield kind, entry


def all_ids(knowledge: Knowledge) -> list[str]:
    return [str(entry["id"]) for _, entry in _all(knowledge)]


def render_list(knowledge: Knowledge, kind: str | None, fmt: str) -> str:
    kinds = (kind,) if kind else KINDS
    if fmt == "json":
        data: object = (
            entries(knowledge, kind) if kind else {k: entries(knowledge, k) for k in kinds}
        )
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return "\n\n".join(_table(knowledge, k) for k in kinds) + "\n"


def _table(knowledge: Knowledge, kind: str) -> str:
    """A kind's entries, one row each: the cells shortened, the source in full, wrapped."""
    rows = []
    for entry in entries(knowledge, kind):
        *cells, source = (" ".join(str(cell).split()) for cell in CATALOGUE[kind].row(entry))
        rows.append([textwrap.shorten(cell, WIDTH) for cell in cells] + [source])
    headers = CATALOGUE[kind].headers
    widths = [None] * (len(headers) - 1) + [WIDTH]
    return f"{kind} ({len(rows)})\n" + tabulate(rows, headers=headers, maxcolwidths=widths)


def render_show(knowledge: Knowledge, rule_id: str) -> str | None:
    found = next(((kind, e) for kind, e in _all(knowledge) if e["id"] == rule_id), None)
    return _show(*found) if found else None


def _show(kind: str, entry: Entry) -> str:
    lines = [f"{entry['id']} ({kind})"]
    for key, value in entry.items():
        if key == "id" or value in (None, [], {}):
            continue
        if isinstance(value, list):
            text = "; ".join(str(v) if not isinstance(v, dict) else json.dumps(v) for v in value)
        elif isinstance(value, dict):
            text = ", ".join(f"{k}: {v}" for k, v in value.items())
        else:
            text = " ".join(str(value).split())
        lines += textwrap.wrap(f"{key}: {text}", 88, subsequent_indent="    ")
    return "\n".join(lines) + "\n"
