"""Text and JSON for `matland explain` (the result is computed in matland/explain.py)."""

from __future__ import annotations

from typing import Any

from tabulate import tabulate

from matland.core.knowledge import Knowledge
from matland.core.numbers import percents, tenths
from matland.design.explain import (
    COUNTED,
    ConditionTrace,
    Decision,
    DimensionTrace,
    Explanation,
    RiskTrace,
    condition_data,
    num,
)
from matland.render import printable, views
from matland.render.prose import fit, glued, hanging, heading, titled
from matland.render.text import score_text


def as_data(explanation: Explanation) -> dict[str, Any]:
    a = explanation.assessment
    decision = explanation.decision
    return {
        "path": a.proposal.path,
        "title": a.proposal.policy.title,
        "scores": {d.dimension: num(d.score) for d in explanation.dimensions},
        "contributions": {
            d.dimension: {c.item: num(c.points) for c in d.contributions}
            for d in explanation.dimensions
        },
        "answers_used": {
            d.dimension: {c.item: {"value": c.value, "weight": c.weight} for c in d.contributions}
            for d in explanation.dimensions
        },
        "unanswered": {d.dimension: list(d.unanswered) for d in explanation.dimensions},
        "decision": {
            "paradigm": decision.placement.label if decision.placement else None,
            "midpoint": decision.midpoint,
            "band": decision.band,
            "distances": {
                axis.dimension: {
                    "score": num(axis.score),
                    "side": "high" if axis.high else "low",
                    "distance": num(axis.distance),
                    "within_band": axis.within_band,
                }
                for axis in decision.axes
            },
            "elements": list(decision.elements),
            "borderline": decision.borderline,
            "confidence": decision.confidence,
            "answered_share": num(decision.answered_share, 3),
            "to_answer": list(decision.to_answer),
        },
        "risks": [
            {
                "id": t.risk.id,
                "fired": t.fired,
                "severity": t.severity,
                "base_severity": t.risk.rule.severity,
                "condition": condition_data(t.condition),
                "escalations": [
                    {"severity": e.severity, "why": e.why, "condition": condition_data(e.condition)}
                    for e in t.escalations
                ],
            }
            for t in explanation.risks
        ],
        "support": {
            "blend": {k: num(v, 3) for k, v in (a.mix.blend if a.mix else {}).items()},
            "recommended": [
                {
                    "id": r.id,
                    "fit": num(r.fit, 3),
                    "match": num(r.match, 3),
                    "reasons": list(r.reasons),
                }
                for r in explanation.recommendations
            ],
            "excluded": [
                {"id": e.approach.id, "premise": e.premise, "contradicted_by": list(e.triggers)}
                for e in explanation.excluded
            ],
        },
    }


def as_text(explanation: Explanation, knowledge: Knowledge) -> str:
    a = explanation.assessment
    lines = titled(f"Why matland says what it says: {printable(a.proposal.policy.title)}")
    for dimension in explanation.dimensions:
        lines += _dimension_text(dimension)
    lines += _decision_text(explanation.decision, knowledge)
    lines += _risks_text(explanation.risks)
    lines += _support_text(explanation)
    return "\n".join(lines) + "\n"


def _dimension_text(d: DimensionTrace) -> list[str]:
    lines = heading(f"{d.dimension.capitalize()} score: {score_text(d.score)} / 100")
    if d.score is None:
        lines.append("  Not scored: fewer than half its items are answered.")
    else:
        # rounded so that the column adds up to the total shown (6.25 + 6.25 is 12.5)
        points = tenths([c.points for c in d.contributions], d.score)
        rows = [
            [c.item, c.value, f"{c.weight:g}", f"{p:.1f}"]
            for c, p in zip(d.contributions, points, strict=True)
        ]
        rows.append(["total", "", "", f"{sum(points):.1f}"])
        table = tabulate(
            rows,
            headers=["item", "answer", "weight", "points"],
            colalign=("left", "right", "right", "right"),
            disable_numparse=True,
        )
        lines += ["  " + line for line in table.splitlines()]
        lines += hanging(
            "Each answer v counts (v-1)/4*100 points, weighted; the score is the weighted mean.",
            "  ",
        )
    if d.unanswered:
        lines += hanging("Left out (unsure or unanswered): " + ", ".join(d.unanswered), "  ")
    return lines


def _decision_text(decision: Decision, knowledge: Knowledge) -> list[str]:
    lines = heading("Paradigm decision")
    if decision.paradigm is None:
        return [
            *lines,
            *hanging("Not classifiable; answer: " + ", ".join(decision.to_answer), "  "),
        ]
    lines.append(f"  midpoint {decision.midpoint:g}, band ±{decision.band:g} points")
    for axis in decision.axes:
        side = (
            "on" if axis.distance < 0.05 else "above" if axis.score > decision.midpoint else "below"
        )
        band = "within the band" if axis.within_band else "outside the band"
        reading = "undecided" if axis.high is None else "high" if axis.high else "low"
        lines += fit(
            f"{axis.dimension:<10} {axis.score:5.1f}: {reading} "
            f"({axis.distance:.1f} points {side} the midpoint, {band})",
            "  ",
            " " * 19,
        )
    assert decision.placement is not None
    view = views.position(decision.placement, knowledge)
    lines += fit(f"→ {view.name}; confidence {decision.confidence}", "  ", "    ")
    if view.elements:
        lines += hanging(f"Elements of {view.elements_text} (within the band).", "  ")
    if view.on_line:
        lines += hanging(f"On a line: {view.on_line}", "  ")
    for sentence in view.stability:
        lines += hanging(sentence, "  ")
    lines += hanging(
        f"Confidence rests on the distance to the nearer line "
        f"({min(axis.distance for axis in decision.axes):.1f} points) and the share of "
        f"classification items answered ({decision.answered_share:.0%}).",
        "  ",
    )
    return lines


def _risks_text(risks: tuple[RiskTrace, ...]) -> list[str]:
    fired = sum(1 for t in risks if t.fired)
    lines = heading(f"Risk rules: {fired} of {len(risks)} fired")
    for t in risks:
        state = f"fired, {t.severity}" if t.fired else "quiet"
        lines += ["", *fit(f"{t.risk.id} ({state}): {t.risk.rule.title}", "  ", "    ")]
        lines += _condition_text(t.condition, "    ")
        for e in t.escalations:
            holds = "holds" if e.condition.holds else "does not hold"
            lines += fit(f"raised to {e.severity} when ({holds}):", "    ", "      ")
            lines += _condition_text(e.condition, "      ")
    return lines


def _condition_text(node: ConditionTrace, indent: str) -> list[str]:
    mark = "✓" if node.holds else "✗"
    if node.kind == "leaf":
        actual = glued(f"[{_actual_text(node)}]")  # a value stays with its name
        return fit(f"{mark} {node.text}   {actual}", indent, indent + "  ")
    label = {"all": "all of", "any": "any of", "not": "not"}[node.kind]
    lines = [f"{indent}{mark} {label}:"]
    for part in node.parts:
        lines += _condition_text(part, indent + "    ")
    return lines


def _actual_text(node: ConditionTrace) -> str:
    actual = node.actual
    if node.subject in COUNTED:
        return f"{actual} counted"
    if isinstance(actual, bool):
        actual = "true" if actual else "false"  # as the rule language writes it
    elif isinstance(actual, float):
        actual = f"{actual:.2f}"
    elif isinstance(actual, tuple | list | frozenset | set):  # the paradigms, co-primary ones
        actual = ", ".join(str(part) for part in actual) or "none"
    return f"{node.subject} = {actual}"


def _support_text(explanation: Explanation) -> list[str]:
    mix = explanation.assessment.mix
    if mix is None:
        return []
    lines = heading("Support recommended")
    blend = ", ".join(f"{p} {share}%" for p, share in percents(mix.blend).items())
    lines += hanging(f"The support mix blends each paradigm's model by membership: {blend}.", "  ")
    lines += hanging(RANKING, "  ")
    for rank, rec in enumerate(explanation.recommendations, 1):
        lines += fit(
            f"{rank}. {rec.approach.name} [{rec.id}] fit {rec.fit:.2f}"
            f" (match {rec.match:+.2f}, risk bonus {rec.fit - rec.match:.2f})",
            "  ",
            "     ",
        )
        for reason in rec.reasons:
            lines += hanging(reason, "       - ")
    for left in explanation.excluded:
        lines += hanging(
            f"Left out: {left.approach.name} [{left.approach.id}], which presupposes that "
            f"{left.premise}; the answers say otherwise ({', '.join(left.triggers)}).",
            "  ",
        )
    return lines


RANKING = (
    "Each approach is ranked by how its profile (its ratings on the four modes) matches the "
    "mix's emphasis, both taken relative to their means, so that an approach rated yes on "
    "every mode wins no policy by default; each fired risk it meets, and each hindrance "
    "behind a fired risk it addresses, adds a bonus (rules/support.yaml `ranking`)."
)
