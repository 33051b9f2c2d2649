"""Results as plain data: the one shape JSON prints and other document formats read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matland.core.assessment import Assessment, FileResult
from matland.core.findings import SEVERITIES, Finding
from matland.core.knowledge import Knowledge
from matland.core.records import as_dict
from matland.core.risks import FiredRisk
from matland.render.views import (
    action_plan_data,
    high_findings,
    reference_data,
    references,
    stability_data,
)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def finding(f: Finding) -> dict[str, Any]:
    item: dict[str, Any] = {
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "rule_id": f.rule_id,
        "severity": f.severity,
        "message": f.message,
    }
    if f.hint:
        item["hint"] = f.hint
    if f.accepted:
        item["accepted"] = f.accepted
    if f.met:
        item["met_by_plan"] = f.met.split(", ")
    return item


def risk(fired: FiredRisk, full: bool = True) -> dict[str, Any]:
    """A fired risk; `full` adds its explanation and mitigation (the check view leaves them
    to `matland rules show ID`, so a run over thousands of files stays small)."""
    rule = fired.risk.rule
    item: dict[str, Any] = {
        "id": rule.id,
        "severity": fired.severity,
        "title": rule.title,
        "category": rule.category,
        "triggers": list(fired.triggers),
        "line": fired.line,
        "column": fired.column,
        "evidence": rule.evidence,
        "source": rule.source,
    }
    if full:
        item["explanation"] = rule.explanation
        item["mitigation"] = rule.mitigation
    if fired.escalated_because:
        item["escalated_because"] = fired.escalated_because
    if fired.accepted:
        item["accepted"] = fired.accepted
    if fired.met_by:
        item["met_by_plan"] = list(fired.met_by)
        item["unmet_severity"] = fired.unmet_severity or fired.severity
    return item


def placement(assessment: Assessment, knowledge: Knowledge) -> dict[str, Any]:
    place = assessment.placement
    data: dict[str, Any] = {
        "classifiable": place.classifiable,
        "paradigm": "undecided" if place.undecided else place.paradigm,
        "label": place.label,
        "co_primary": list(place.paradigms),
        "elements": list(place.elements),
        "borderline": place.borderline,
        "confidence": place.confidence,
        "scores": {k: _round(v) for k, v in place.scores.items()},
        "membership": (
            {k: round(v, 3) for k, v in place.membership.items()} if place.membership else None
        ),
    }
    if place.ties:
        data["ties"] = [
            {"dimension": t.dimension, "side": t.side, "why": t.why, "source": t.source}
            for t in place.ties
        ]
    if not place.classifiable:
        data["to_answer"] = list(place.to_answer)
    else:
        data["stability"] = stability_data(place.stability)
    return data


def support(assessment: Assessment, full: bool = True) -> dict[str, Any] | None:
    """The support mix; `full` explains each recommendation (the check view lists ids)."""
    mix = assessment.mix
    if mix is None:
        return None
    return {
        "performance_management": round(mix.performance_management, 3),
        "problem_solving": round(mix.problem_solving, 3),
        "capacity_building": round(mix.capacity_building, 3),
        "collaboration": round(mix.collaboration, 3),
        "recommended": [
            {
                "id": r.id,
                "name": r.approach.name,
                "fit": round(r.fit, 3),
                "evidence": r.approach.evidence,
                **({"reasons": list(r.reasons), "source": r.approach.source} if full else {}),
            }
            for r in assessment.recommendations
        ],
    }


def plan_standing(assessment: Assessment) -> list[tuple[str, str]]:
    """Each approach of the proposal's support plan with where it stands among the
    recommendations (`#2`, or `not among the recommended`): every report format's table."""
    ranks = {rec.id: rank for rank, rec in enumerate(assessment.recommendations, 1)}
    meets: dict[str, list[str]] = {}
    for fired in assessment.risks:
        for approach in fired.met_by:
            meets.setdefault(approach, []).append(fired.id)
    standing = []
    for i in assessment.proposal.support_plan:
        where = [f"#{ranks[i]}"] if i in ranks else []
        if i in meets:
            where.append(f"in your plan: meets {', '.join(meets[i])}")
        standing.append((i, "; ".join(where) or "not among the recommended"))
    return standing


def tally_text(counts: dict[str, int]) -> str:
    """`1 high, 2 medium, 3 errors`: the counts that are not 0 (an error counted as errors)."""
    return ", ".join(
        f"{n} {'errors' if k == 'error' and n != 1 else k}" for k, n in counts.items() if n
    )


def tally(findings: Sequence[Finding]) -> dict[str, int]:
    counts: dict[str, int] = {severity: 0 for severity in reversed(SEVERITIES)}
    counts["accepted"] = counts["met"] = 0  # accepted risks, and risks the plan meets
    for f in findings:
        counts["accepted" if f.accepted else "met" if f.met else f.severity] += 1
    return counts


def file_result(result: FileResult, knowledge: Knowledge, full: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "path": result.path,
        "valid": result.valid,
        "errors": [finding(e) for e in result.errors],
    }
    assessment = result.assessment
    if assessment is None:
        return data
    data["policy"] = as_dict(assessment.proposal.policy, exclude_none=True)
    data.update(placement(assessment, knowledge))
    found = [f for f in result.findings() if not f.is_error]
    data["findings"] = [finding(f) for f in found]
    data["tally"] = tally(found)
    if full:  # the check view's findings already name each risk, its severity and line
        data["risks"] = [risk(r) for r in assessment.risks]
    data["support_mix"] = support(assessment, full)
    if full:
        data.update(details(assessment, knowledge))
    return data


def details(assessment: Assessment, knowledge: Knowledge) -> dict[str, Any]:
    proposal = assessment.proposal
    paradigm = knowledge.paradigms.get(assessment.paradigm or "")
    return {
        "meaning": as_dict(paradigm) if paradigm else None,
        "answers": {
            qid: {"value": a.written, "note": a.note} for qid, a in proposal.answers.items()
        },
        "unanswered": list(assessment.missing),
        "unsure": list(assessment.unsure),
        "stakeholders": [as_dict(s) for s in proposal.stakeholders],
        "support_plan": list(proposal.support_plan),
        "lessons": list(proposal.lessons),
        "references": [reference_data(w) for w in references(assessment, knowledge)],
        "action_plan": action_plan_data(assessment),
        "high_findings": [
            {
                "risk": r.risk,
                "rests_on": [{"item": i, "value": v, "note": n} for i, v, n in r.answers],
                "nearest_change": r.nearest,
            }
            for r in high_findings(assessment, knowledge).values()
        ],
    }


def count_findings(findings: Sequence[Finding]) -> tuple[int, ...]:
    """A file's findings, errors too, counted as RunSummary adds them up: `tally`'s numbers,
    in its order (a run's `error` count is its invalid files' errors)."""
    return tuple(tally(findings).values())


class RunSummary:
    """The run's counts, kept as results stream past (a streamed run holds no results)."""

    def __init__(self) -> None:
        self.files = self.valid = 0
        self.findings: dict[str, int] = tally([])
        self.exit_code = 0  # the run's, as far as its files go (run.file_exit_code)

    def add(self, valid: bool, counts: Sequence[int], exit_code: int = 0) -> None:
        """One file: whether it is valid, its `count_findings` and its exit code."""
        self.files += 1
        self.valid += valid
        self.exit_code = max(self.exit_code, exit_code)
        for severity, count in zip(self.findings, counts, strict=True):
            self.findings[severity] += count

    def line(self) -> str:
        """`N file(s): V valid, I invalid; findings: …`, the run in one line."""
        counts = tally_text(self.findings)
        return (
            f"{self.files} file(s): {self.valid} valid, {self.files - self.valid} invalid; "
            f"findings: {counts or 'none'}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "valid": self.valid,
            "invalid": self.files - self.valid,
            "findings": self.findings,
        }
