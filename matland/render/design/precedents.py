"""Text and JSON for `matland precedents` (the result is computed in matland/precedents.py)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from matland.design.precedents import (
    MIN_SHARED_ITEMS,
    PrecedentSearch,
    authors_quadrant,
    citation,
)
from matland.render import printable
from matland.render.prose import hanging, heading, titled


def shown_path(path: str) -> str:
    """A case's path relative to the working directory, never an absolute one; a case the
    installed package ships, by the package's own name for it (matland/cases/…)."""
    package = Path(__file__).resolve().parents[2]
    resolved = Path(path).resolve()
    if package in resolved.parents and "site-packages" in package.parts:
        return "/".join(("matland", *resolved.relative_to(package).parts))
    return os.path.relpath(path)


def as_data(search: PrecedentSearch) -> dict[str, Any]:
    return {
        "path": search.assessment.proposal.path,
        "library_size": search.library_size,
        "min_shared_items": MIN_SHARED_ITEMS,
        "precedents": [
            {
                "path": shown_path(p.case.proposal.path),
                "citation": citation(p.case) or None,
                "authors_quadrant": authors_quadrant(p.case) or None,
                "title": p.case.proposal.policy.title,
                "paradigm": p.case.placement.label,
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
    lines = titled(title)
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
        cited = citation(case)
        if cited:
            lines += hanging(f"{cited} ({p.shared} items compared)", "  ")
            quadrant = authors_quadrant(case)
            if quadrant:
                lines += hanging(f"The authors place it in {quadrant} implementation.", "  ")
        else:
            lines += hanging(
                f"{printable(shown_path(case.proposal.path))} ({p.shared} items compared)", "  "
            )
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
