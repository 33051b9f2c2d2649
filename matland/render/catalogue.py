"""`matland rules list` and `rules show`: the knowledge base as people read it.

Every kind of entry in rules/, each with its source: the five core files through
Knowledge, and workshop.yaml and review.yaml read from the same directory (the bundled
rules, or --rules DIR) when a listing or a look-up needs them.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from matland.core.knowledge import Knowledge
from matland.core.records import as_dict, record
from matland.core.vocabulary import RULE_KINDS
from matland.core.words import flat
from matland.render.prose import fitted, hanging, table_width, width
from matland.render.review_questions import load_review
from matland.workshop.aggregate import load_workshop_rules

Entry = dict[str, Any]
WIDTH = 60  # a list's text cells are cut here; `rules show` prints every field in full
# Fields a workshop rule explains itself with; the rest are its settings.
PROSE = ("id", "source", "explanation", "text")


def _questions(knowledge: Knowledge) -> list[Entry]:
    return [as_dict(q, exclude_none=True) for q in knowledge.questions.values()]


def _support(knowledge: Knowledge) -> list[Entry]:
    return [as_dict(a) for a in knowledge.approaches.values()]


def _risks(knowledge: Knowledge) -> list[Entry]:
    return [
        {**as_dict(r.rule, exclude={"examples"}), "condition": r.condition.describe()}
        for r in knowledge.risks
    ]


def _paradigms(knowledge: Knowledge) -> list[Entry]:
    return [as_dict(p) for p in knowledge.paradigms.values()]


def _workshop(knowledge: Knowledge) -> list[Entry]:
    """One entry per section of workshop.yaml, named by its key (`disagreement` …)."""
    sections = load_workshop_rules(str(knowledge.root)).model_dump(exclude={"version"})
    return [{"id": name, **section} for name, section in sections.items()]


def _review(knowledge: Knowledge) -> list[Entry]:
    return [q.model_dump() for q in load_review(str(knowledge.root)).questions]


def _criteria(knowledge: Knowledge) -> list[Entry]:
    """The six criteria of the report's Table 3 a review rates (rules/review.yaml)."""
    return [c.model_dump() for c in load_review(str(knowledge.root)).criteria]


def _sources(knowledge: Knowledge) -> list[Entry]:
    return [
        {**as_dict(w, exclude_none=True), "source": w.reference()}
        for w in knowledge.sources.values()
    ]


def _ratings(entry: Entry) -> str:
    return "/".join(
        entry[k] for k in ("performance_management", "problem_solving", "capacity_building")
    )


def _settings(entry: Entry) -> str:
    """A workshop rule's numbers and choices, or its text when it has none."""
    settings = [f"{k}: {v}" for k, v in entry.items() if k not in PROSE]
    return ", ".join(settings) if settings else str(entry.get("text", ""))


def _success(entry: Entry) -> str:
    return str(entry["levels"]["success"])


# A list column's cell: the entry's key, or how to compute it from the entry.
Column = str | Callable[[Entry], str]


@record
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
    "criterion": Kind(_criteria, {"name": "name", "relative success": _success}),
    "source": Kind(_sources, {"cited as": lambda e: ", ".join(e["cited_as"])}),
}
KINDS = tuple(CATALOGUE)
assert KINDS == RULE_KINDS  # the CLI offers these without importing this module


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
    """A kind's entries, one row each, within the terminal: the id whole, the texts (cut at
    WIDTH characters: `rules show ID` prints every field in full) and the source wrapped; a
    terminal too narrow for that gets a block an entry."""
    headers = CATALOGUE[kind].headers
    rows = [
        [flat(str(cell)) for cell in CATALOGUE[kind].row(entry)]
        for entry in entries(knowledge, kind)
    ]
    rows = [[row[0], *(_cut(c) for c in row[1:-1]), row[-1]] for row in rows]
    texts = tuple(i for i in range(1, len(headers)) if any(" " in row[i] for row in rows))
    drawn = fitted(rows, headers, wrapped=texts, indent="", limit=table_width())
    if drawn is None:
        drawn = []  # each field under the id, named by its column's header
        for row in rows:
            drawn.append(row[0])
            for head, cell in zip(headers[1:], row[1:], strict=True):
                drawn += hanging(f"{head}: {cell}", "    ", "      ") if cell else []
    return f"{kind} ({len(rows)})\n" + "\n".join(drawn)


def _cut(text: str) -> str:
    return textwrap.shorten(text, WIDTH, placeholder=" …")


def render_show(knowledge: Knowledge, rule_id: str) -> str | None:
    found = next(((kind, e) for kind, e in _all(knowledge) if e["id"] == rule_id), None)
    return _show(*found) if found else None


def _show(kind: str, entry: Entry) -> str:
    lines = [f"{entry['id']} ({kind})"]
    for key, value in entry.items():
        if key == "id" or value in (None, [], {}):
            continue
        if key == "when" and "condition" in entry:
            continue  # `condition` says it in words
        lines += _field(key, value, "")
    return "\n".join(lines) + "\n"


def _field(key: str, value: Any, indent: str) -> list[str]:
    """One field as a reader takes it in: lists as bullets, conditions in words, nested
    entries (a risk's escalations) indented under their key."""
    if isinstance(value, dict) and set(value) <= CONDITION_KEYS:
        return _wrapped(f"{key}: {_condition(value)}", indent)
    if isinstance(value, dict):
        return [f"{indent}{key}:", *_entry_lines(value, indent + "  ")]
    if isinstance(value, list) and len(value) == 1 and not isinstance(value[0], dict):
        return _wrapped(f"{key}: {value[0]}", indent)
    if isinstance(value, list):
        lines = [f"{indent}{key}:"]
        for item in value:
            if isinstance(item, dict):
                block = _entry_lines(item, indent + "    ")
                lines += [indent + "  - " + block[0].lstrip(), *block[1:]]
            else:
                lines += _wrapped(str(item), indent + "  - ", indent + "    ")
        return lines
    return _wrapped(f"{key}: {value}", indent)


def _entry_lines(entry: dict[str, Any], indent: str) -> list[str]:
    return [
        line for k, v in entry.items() if v not in (None, [], {}) for line in _field(k, v, indent)
    ]


CONDITION_KEYS = {"all", "any", "not"}


def _condition(value: Any) -> str:
    """A condition as rules/README.md writes it (`a and (b or c)`)."""
    if isinstance(value, dict) and "all" in value:
        return " and ".join(_wrapped_part(v) for v in value["all"])
    if isinstance(value, dict) and "any" in value:
        return " or ".join(_wrapped_part(v) for v in value["any"])
    if isinstance(value, dict) and "not" in value:
        return f"not {_wrapped_part(value['not'])}"
    return str(value)


def _wrapped_part(value: Any) -> str:
    text = _condition(value)
    return f"({text})" if isinstance(value, dict) and len(next(iter(value.values()))) > 1 else text


def _wrapped(text: str, first: str, rest: str | None = None) -> list[str]:
    return textwrap.wrap(
        flat(text),
        width(),
        initial_indent=first,
        subsequent_indent=rest if rest is not None else first + "    ",
        break_on_hyphens=False,
    ) or [first.rstrip()]
