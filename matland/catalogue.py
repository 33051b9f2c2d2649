"""`matland rules list` and `rules show`: the knowledge base as people read it."""

from __future__ import annotations

import json
import textwrap
from typing import Any

from tabulate import tabulate

from matland.knowledge import Knowledge

KINDS = ("question", "support", "risk", "paradigm")


def entries(knowledge: Knowledge, kind: str) -> list[dict[str, Any]]:
    if kind == "question":
        return [q.model_dump(exclude_none=True) for q in knowledge.questions.values()]
    if kind == "support":
        return [a.model_dump() for a in knowledge.approaches.values()]
    if kind == "paradigm":
        return [p.model_dump() for p in knowledge.paradigms.values()]
    return [
        {**r.rule.model_dump(exclude={"examples"}), "condition": r.condition.describe()}
        for r in knowledge.risks
    ]


def all_ids(knowledge: Knowledge) -> list[str]:
    return [str(e["id"]) for kind in KINDS for e in entries(knowledge, kind)]


def _summary(kind: str, entry: dict[str, Any]) -> list[str]:
    if kind == "question":
        return [entry["id"], entry["group"], entry["text"], entry["source"]]
    if kind == "support":
        ratings = "/".join(
            entry[k] for k in ("performance_management", "problem_solving", "capacity_building")
        )
        return [entry["id"], entry["name"], ratings, entry["evidence"], entry["source"]]
    if kind == "paradigm":
        return [entry["id"], entry["name"], entry["principle"], entry["source"]]
    return [entry["id"], entry["severity"], entry["title"], entry["source"]]


HEADERS = {
    "question": ["id", "group", "question", "source"],
    "support": ["id", "name", "PM/PS/CB", "evidence", "source"],
    "paradigm": ["id", "name", "principle", "source"],
    "risk": ["id", "severity", "title", "source"],
}


def render_list(knowledge: Knowledge, kind: str | None, fmt: str) -> str:
    kinds = (kind,) if kind else KINDS
    if fmt == "json":
        if kind:
            return json.dumps(entries(knowledge, kind), indent=2, ensure_ascii=False) + "\n"
        return (
            json.dumps({k: entries(knowledge, k) for k in kinds}, indent=2, ensure_ascii=False)
            + "\n"
        )
    parts = []
    for k in kinds:
        rows = [
            [textwrap.shorten(str(c), 60) for c in _summary(k, e)] for e in entries(knowledge, k)
        ]
        parts.append(f"{k} ({len(rows)})\n" + tabulate(rows, headers=HEADERS[k]))
    return "\n\n".join(parts) + "\n"


def render_show(knowledge: Knowledge, rule_id: str) -> str | None:
    for kind in KINDS:
        for entry in entries(knowledge, kind):
            if entry["id"] == rule_id:
                return _show(kind, entry)
    return None


def _show(kind: str, entry: dict[str, Any]) -> str:
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
