"""Fires the risk rules of rules/risks.yaml and says what triggered each, and where."""

from __future__ import annotations

from typing import NamedTuple

from matland.core.conditions import CountSubject, Facts
from matland.core.findings import Finding, Severity, severity_rank
from matland.core.knowledge import Knowledge, Risk
from matland.core.model import Proposal
from matland.core.yamlpos import Path

HINDRANCES = (
    "over_optimism",
    "dispersed_governance",
    "collaborative_policymaking",
    "political_cycle",
)


class FiredRisk(NamedTuple):  # immutable; a NamedTuple for speed, as Finding
    risk: Risk
    severity: Severity
    triggers: tuple[str, ...]  # answer ids, or `stakeholders`, `support_plan`, `answers`
    escalated_because: str
    line: int
    column: int
    accepted: str = ""  # the reason, when the proposal accepts this risk
    met_by: tuple[str, ...] = ()  # the plan's approaches that meet it (`met_by`)
    unmet_severity: Severity | None = None  # its severity had the plan not met it

    @property
    def id(self) -> str:
        return self.risk.id

    def finding(self, path: str) -> Finding:
        rule = self.risk.rule
        return Finding(
            path,
            self.line,
            self.column,
            rule.id,
            self.severity,
            rule.title,
            rule.mitigation,
            self.accepted,
            False,
            ", ".join(self.met_by),
        )


def fire_risks(facts: Facts, proposal: Proposal, knowledge: Knowledge) -> tuple[FiredRisk, ...]:
    accepted = {a.id: a.reason for a in proposal.accepted_risks}
    fired = []
    for risk in knowledge.risks:
        fired_by = risk.condition.test(facts)
        if fired_by is None:
            continue
        severity: Severity = risk.rule.severity
        because = ""
        for condition, escalated, why in risk.escalations:
            if condition.test(facts) is not None:
                severity, because = escalated, why
                break
        triggers = (
            tuple(fired_by)  # one trigger (most rules): no order to keep
            if len(fired_by) < 2
            else tuple(t for t in risk.trigger_order if t in fired_by)
        )
        line, column = _locate(risk, triggers, proposal, facts)
        met_by: tuple[str, ...] = ()
        unmet: Severity | None = None
        rule_met_by = risk.rule.met_by
        if rule_met_by is not None and proposal.support_plan:
            met_by = tuple(a for a in proposal.support_plan if a in rule_met_by.approaches)
            if met_by and severity_rank(rule_met_by.severity) < severity_rank(severity):
                unmet, severity = severity, rule_met_by.severity
        fired.append(
            FiredRisk(
                risk,
                severity,
                triggers,
                because,
                line,
                column,
                accepted.get(risk.id, ""),
                met_by,
                unmet,
            )
        )
    return tuple(sorted(fired, key=lambda f: (-severity_rank(f.severity), f.line, f.id)))


def stale_acceptances(fired: tuple[FiredRisk, ...], proposal: Proposal) -> list[Finding]:
    """An accepted risk that no longer fires: the acceptance should go (issue: CI gating)."""
    fired_ids = {f.id for f in fired}
    findings = []
    for index, accepted in enumerate(proposal.accepted_risks):
        if accepted.id not in fired_ids:
            line, column = proposal.document.position(("accepted_risks", index))
            findings.append(
                Finding(
                    proposal.path,
                    line,
                    column,
                    "stale-acceptance",
                    "low",
                    f"accepted risk '{accepted.id}' no longer fires",
                    "remove it from accepted_risks",
                )
            )
    return findings


def by_hindrance(fired: tuple[FiredRisk, ...]) -> dict[str, tuple[str, ...]]:
    """The risks behind each hindrance that the plan does not meet yet."""
    return {
        h: tuple(f.id for f in fired if f.risk.rule.category == h and not f.met_by)
        for h in HINDRANCES
    }


def meeting(fired: tuple[FiredRisk, ...]) -> dict[str, tuple[str, ...]]:
    """Approach id -> the fired risks (not yet met by the plan) whose `met_by` names it."""
    found: dict[str, list[str]] = {}
    for f in fired:
        if f.risk.rule.met_by is not None and not f.met_by and not f.accepted:
            for approach in f.risk.rule.met_by.approaches:
                found.setdefault(approach, []).append(f.id)
    return {approach: tuple(ids) for approach, ids in found.items()}


def _locate(
    risk: Risk, triggers: tuple[str, ...], proposal: Proposal, facts: Facts
) -> tuple[int, int]:
    """The YAML node that caused the risk: the answer's line, the stakeholder entry, the
    support plan item; never line 1 when something better exists."""
    document = proposal.document
    for trigger in triggers:
        path: Path | None = None
        if trigger in ("stakeholders", "support_plan"):
            path = _first_match(risk, trigger, facts)
        elif trigger != "answers":
            path = ("answers", trigger)
        found = None if path is None else document.exact(path)
        if found is not None:
            return found
    for fallback in (("answers",), ("policy",)):
        found = document.exact(fallback)
        if found is not None:
            return found
    return (1, 1)


def _first_match(risk: Risk, trigger: str, facts: Facts) -> Path:
    for subject in risk.condition.subjects():
        if isinstance(subject, CountSubject) and subject.name == trigger:
            for index, entry in enumerate(subject.entries(facts)):
                if subject.matches(entry):
                    return (trigger, index)
    return (trigger,)
