"""Findings a CI pipeline asks for on top of the assessment: completeness and expectations."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from matland.core.assessment import Assessment, FileResult
from matland.core.findings import Finding, Severity

# A repository that names one of these flags asks for a gate: their findings are marked
# `gate` (they fail the run whatever --fail-on says) and shown as `high`.
INCOMPLETE: Severity = "high"
UNEXPECTED: Severity = "high"


def completeness(assessment: Assessment) -> list[Finding]:
    """Each unanswered or unsure questionnaire item, as a finding."""
    proposal = assessment.proposal
    findings = []
    for qid in assessment.unsure:
        line, column = proposal.answer_position(qid)
        findings.append(
            Finding(
                proposal.path,
                line,
                column,
                "answer-unsure",
                INCOMPLETE,
                f"{qid} is answered unsure",
                "find the evidence and answer it",
                gate=True,
            )
        )
    line, column = proposal.document.position(("answers",))
    for qid in assessment.missing:
        findings.append(
            Finding(
                proposal.path,
                line,
                column,
                "answer-missing",
                INCOMPLETE,
                f"{qid} is not answered",
                "see `matland questions`",
                gate=True,
            )
        )
    return findings


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


@dataclass(frozen=True)
class Gates:
    require_complete: bool = False
    expect_paradigm: str | None = None

    def __bool__(self) -> bool:
        return self.require_complete or self.expect_paradigm is not None


def apply(result: FileResult, asked: Gates) -> FileResult:
    """The result with the gate findings asked for (computed while positions are known)."""
    assessment = result.assessment
    if assessment is None or not asked:
        return result
    extra = completeness(assessment) if asked.require_complete else []
    if asked.expect_paradigm:
        extra += expectation(assessment, asked.expect_paradigm)
    return dataclasses.replace(result, gates=tuple(extra)) if extra else result
