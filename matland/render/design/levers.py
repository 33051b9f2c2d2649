"""Text and JSON for `matland levers` (the result is computed in matland/levers.py)."""

from __future__ import annotations

from typing import Any

from matland.core.assessment import Assessment
from matland.core.knowledge import Knowledge, Risk
from matland.design.levers import (
    MAX_CHANGES,
    PLACEMENT_SUBJECTS,
    Lever,
    LeverSearch,
    Target,
    Values,
    risk_items,
    scale_values,
)
from matland.render import printable
from matland.render.prose import hanging, heading, titled


def as_data(result: LeverSearch) -> dict[str, Any]:
    """An object, as every command's JSON is: the proposal, then its levers."""
    a = result.assessment
    return {
        "path": a.proposal.path,
        "title": a.proposal.policy.title,
        "paradigm": a.placement.label,
        "levers": _levers(result),
        "unreached": [{"kind": t.kind, "id": t.id} for t in result.unreached],
    }


def _levers(result: LeverSearch) -> list[dict[str, Any]]:
    return [
        {
            "target": {"kind": lever.target.kind, "id": lever.target.id},
            "changes": {c.item: c.new for c in lever.changes},
            "from": {c.item: c.old for c in lever.changes},
            "total_change": lever.total_change,
            "to_paradigm": lever.to_paradigm,
            "clears": list(lever.clears),
            "raises": list(lever.raises),
            "lever": lever.text,
            "source": lever.source,
        }
        for lever in result.levers
    ]


def as_text(result: LeverSearch, knowledge: Knowledge) -> str:
    a = result.assessment
    values = scale_values(a, knowledge)
    title = f"Levers: {printable(a.proposal.policy.title)} ({a.paradigm or 'not classifiable'})"
    lines = titled(title)
    lines += hanging(
        f"The smallest changes of up to {MAX_CHANGES} answers, fewest steps first, each "
        "checked by re-assessing the proposal. Only answered scale items are changed.",
        "",
    )
    if result.fixed:
        lines += hanging("Left as they are (unanswered or unsure): " + ", ".join(result.fixed), "")
    by_target: dict[Target, list[Lever]] = {}
    for lever in result.levers:
        by_target.setdefault(lever.target, []).append(lever)
    for target, levers in by_target.items():
        lines += heading(_target_text(target, a, knowledge))
        for rank, lever in enumerate(levers, 1):
            lines += hanging(lever.text, f"  {rank}. ")
            changes = ", ".join(f"{c.item} {c.old}→{c.new}" for c in lever.changes)
            steps = f"{lever.total_change} step" + ("s" if lever.total_change > 1 else "")
            lines += hanging(f"changes: {changes} ({steps})", "     ", "       ")
            lines += hanging(f"source: {lever.source}", "     ")
    if result.unreached:
        lines += heading(f"Out of reach of {MAX_CHANGES} answers or fewer")
        for target in result.unreached:
            lines += hanging(_target_text(target, a, knowledge), "  ", "    ")
            if target.kind == "risk":
                others = _fixed_subjects(_risk(target, a), values)
                text = "it turns on what levers leave alone: " + ", ".join(others) + ")"
                lines += hanging(text, "    (", "     ")
    return "\n".join(lines) + "\n"


def _target_text(target: Target, a: Assessment, knowledge: Knowledge) -> str:
    if target.kind == "paradigm":
        return f"To move to {knowledge.paradigms[target.id].name.lower()}"
    fired = next(r for r in a.risks if r.id == target.id)
    return f"To clear {target.id} ({fired.severity})"


def _fixed_subjects(risk: Risk, values: Values) -> list[str]:
    """What a rule looks at that no lever changes: unanswered items, yes/no and count
    answers, stakeholders, the support plan."""
    changeable = set(risk_items(risk, values, ())) | set(PLACEMENT_SUBJECTS)
    names = (s.name for s in risk.condition.subjects() if s.name not in changeable)
    return list(dict.fromkeys(names))


def _risk(target: Target, a: Assessment) -> Risk:
    return next(r.risk for r in a.risks if r.id == target.id)
