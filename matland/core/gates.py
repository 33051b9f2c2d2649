"""Findings a CI pipeline asks for on top of the assessment: completeness and expectations."""

from __future__ import annotations

import dataclasses

from matland.core.assessment import Assessment, FileResult
from matland.core.findings import Finding, Severity, severity_rank
from matland.core.knowledge import Knowledge
from matland.core.model import Proposal
from matland.core.records import record

# A repository that names one of these flags asks for a gate: their findings are marked
# `gate` (they fail the run whatever --fail-on says) and shown as `high`.
INCOMPLETE: Severity = "high"
UNEXPECTED: Severity = "high"


def completeness(assessment: Assessment) -> list[Finding]:
    """Each unanswered or unsure questionnaire item, as a finding."""
    proposal = assessment.proposal
    findings = []
    for qid in assessment.unsure:
        findings.append(
            _gate(
                proposal,
                proposal.answer_position(qid),
                "answer-unsure",
                f"{qid} is answered unsure",
                "find the evidence and answer it",
            )
        )
    at = proposal.document.position(("answers",))
    for qid in assessment.missing:
        findings.append(
            _gate(
                proposal, at, "answer-missing", f"{qid} is not answered", "see `matland questions`"
            )
        )
    return findings


def _gate(
    proposal: Proposal, at: tuple[int, int], rule_id: str, message: str, hint: str
) -> Finding:
    """A finding a gate asked for: shown as INCOMPLETE, failing whatever --fail-on says."""
    return Finding(proposal.path, *at, rule_id, INCOMPLETE, message, hint, gate=True)


def expectation(assessment: Assessment, expected: str) -> list[Finding]:
    if assessment.paradigm == expected and not assessment.placement.undecided:
        return []
    proposal = assessment.proposal
    line, column = proposal.document.position(("answers",))
    actual = assessment.placement.label
    return [
        Finding(
            proposal.path,
            line,
            column,
            "unexpected-paradigm",
            UNEXPECTED,
            f"paradigm is {actual}, expected {expected}",
            "check the answers that changed, or update --expect-paradigm",
            gate=True,
        )
    ]


def rests_on(assessment: Assessment, level: str, knowledge: Knowledge) -> dict[str, str]:
    """The answers the findings at or above `level` and the paradigm rest on: answer id ->
    what rests on it. A risk rests on its triggers; the paradigm on Matland's four defining
    items (goal and means, ambiguity and conflict: the double-weight ones) and on any item
    whose one-step move would change it."""
    needed: dict[str, str] = {}
    for fired in assessment.risks:
        if fired.accepted or severity_rank(fired.severity) < severity_rank(level):
            continue
        for trigger in fired.triggers:
            needed.setdefault(trigger, f"the {fired.severity} finding {fired.id}")
    place = assessment.placement
    if place.classifiable:
        for dim in (place.ambiguity, place.conflict):
            weights = knowledge.classification.weights[dim.dimension]  # type: ignore[index]
            heaviest = max(weights.values())
            for item in dim.answered:
                if weights[item] == heaviest:
                    needed.setdefault(item, f"the paradigm ({place.label})")
        for flip in place.stability.flips if place.stability else ():
            needed.setdefault(flip.item, f"the paradigm ({place.label})")
    return needed


def notes_required(assessment: Assessment, level: str, knowledge: Knowledge) -> list[Finding]:
    """An answer that a finding at or above `level`, or the paradigm, rests on and that
    carries no note: lowering it to pass a merge should leave a visible reason."""
    proposal = assessment.proposal
    findings = []
    for qid, what in rests_on(assessment, level, knowledge).items():
        answer = proposal.answers.get(qid)
        if answer is None or answer.unsure or answer.note:
            continue
        findings.append(
            _gate(
                proposal,
                proposal.answer_position(qid),
                "note-missing",
                f"{qid} has no note, and {what} rests on it",
                f'write the evidence: {qid}: {{value: {answer.value}, note: "..."}}',
            )
        )
    return findings


@record
class Gates:
    require_complete: bool = False
    expect_paradigm: str | None = None
    require_notes: str | None = None  # a severity: the findings at or above it need notes

    def __bool__(self) -> bool:
        return (
            self.require_complete
            or self.expect_paradigm is not None
            or self.require_notes is not None
        )


def apply(result: FileResult, asked: Gates, knowledge: Knowledge) -> FileResult:
    """The result with the gate findings asked for (computed while positions are known)."""
    assessment = result.assessment
    if assessment is None or not asked:
        return result
    extra = completeness(assessment) if asked.require_complete else []
    if asked.expect_paradigm:
        extra += expectation(assessment, asked.expect_paradigm)
    if asked.require_notes:
        extra += notes_required(assessment, asked.require_notes, knowledge)
    return dataclasses.replace(result, gates=tuple(extra)) if extra else result
