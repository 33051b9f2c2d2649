"""Text and JSON for `matland precedents` (the result is computed in matland/precedents.py)."""

from __future__ import annotations

from typing import Any

from matland.design.precedents import MIN_SHARED_ITEMS, PrecedentSearch
from matland.render import printable
from matland.render.text import hanging, heading


def as_data(search: PrecedentSearch) -> dict[str, Any]:
    return {
        "path": search.assessment.proposal.path,
        "library_size": search.library_size,
        "min_shared_items": MIN_SHARED_ITEMS,
        "precedents": [
            {
                "path": p.case.proposal.path,
                "title": p.case.proposal.policy.title,
                "paradigm": p.case.paradigm,
                "similarity": round(p.similarity, 3),
                "shared_items": p.shared,
                "differences": {d.item: {"here": d.here, "there": d.there} for d in p.differences},
                "lessons": list(p.case.proposal.lessons),
            }
            for p in search.precedents
        ],
        "skipped": [f.one_line() for f in search.problems],
    }


def as_text(search: PrecedentSearch) -> str:
    a = search.assessment
    title = f"Precedents: {printable(a.proposal.policy.title)} ({a.paradigm or 'not classifiable'})"
    lines = [title, "═" * len(title)]
    lines += hanging(
        f"The nearest of {search.library_size} cases by their answers (1 = answered alike; "
        f"at least {MIN_SHARED_ITEMS} items answered in both).",
        "",
    )
    if not search.precedents:
        lines += ["", "  No case shares enough answers with this proposal."]
    for rank, p in enumerate(search.precedents, 1):
        case = p.case
        lines += heading(
            f"{rank}. {printable(case.proposal.policy.title)}: similarity {p.similarity:.2f} "
            f"({case.paradigm or 'not classifiable'})"
        )
        lines.append(f"  {printable(case.proposal.path)} ({p.shared} items compared)")
        if p.differences:
            lines += hanging(
                "Differs most on: "
                + ", ".join(f"{d.item} ({d.here} here, {d.there} there)" for d in p.differences),
                "  ",
            )
        if case.proposal.lessons:
            lines.append("  Lessons:")
            for lesson in case.proposal.lessons:
                lines += hanging(lesson, "    - ")
        else:
            lines.append("  No lessons recorded.")
    return "\n".join(lines) + "\n"
