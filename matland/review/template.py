"""The review file `matland review init` writes: every criterion, every risk the
assessment flagged and every approach recommended or planned already listed, each with an
answer that means "not said yet", so the file loads as it is and is filled in over time."""

from __future__ import annotations

import json
import textwrap

from matland.core.assessment import Assessment
from matland.core.reviewfile import REVIEW_KEY, REVIEW_VERSION
from matland.core.reviewrules import ReviewRules
from matland.core.vocabulary import DELIVERED, MATERIALISED, RATINGS
from matland.core.words import flat

WIDTH = 88


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML string


def _comment(text: str, indent: str) -> list[str]:
    return textwrap.wrap(
        flat(text),
        WIDTH,
        initial_indent=f"{indent}# ",
        subsequent_indent=f"{indent}#   ",
    )


def template(
    assessment: Assessment, rules: ReviewRules, proposal_ref: str, date: str, phase: str
) -> str:
    """`proposal_ref`: the proposal's path as the review file's directory sees it."""
    title = assessment.proposal.policy.title
    lines = [
        f"# A review of {title} after roll-out (docs/review-v1.md); `matland review FILE`",
        "# prints it beside what the assessment predicted.",
        f"{REVIEW_KEY}: {REVIEW_VERSION}",
        f"proposal: {_quoted(proposal_ref)}",
        f"date: {date}",
        f"phase: {_quoted(phase)}   # e.g. stocktake 2, one year on",
        "# rater: who rated (a criterion may say its own)",
        "",
        f"# The six criteria of {rules.criteria_source}; rate each "
        + " | ".join(RATINGS)
        + ", and give the evidence.",
        "criteria:",
    ]
    for criterion in rules.criteria:
        lines += _comment(criterion.name, "  ")
        for level in ("success", "conflicted", "failure"):
            lines += _comment(f"{level}: {getattr(criterion.levels, level)}", "  ")
        lines += [f"  {criterion.id}:", "    rating: unsure", '    evidence: ""']
    lines += [
        "",
        "# Each risk the assessment flagged: did it materialise? " + " | ".join(MATERIALISED),
        "risks:" if assessment.risks else "risks: {}",
    ]
    for fired in assessment.risks:
        lines += _comment(f"{fired.severity}: {fired.risk.rule.title}", "  ")
        lines += [f"  {fired.id}:", "    materialised: too early", '    note: ""']
    offered = _offered(assessment)
    lines += [
        "",
        "# Each approach recommended or planned: was it delivered? " + " | ".join(DELIVERED),
        "support:" if offered else "support: {}",
    ]
    for approach, why in offered:
        lines += [f"  {approach}:   # {why}", "    delivered: unsure", '    note: ""']
    lines += [
        "",
        "# Risks that materialised that nothing flagged, one line each.",
        "unexpected: []",
        "",
        "# The classification items answered again now (optional), to see whether the",
        "# paradigm still fits, e.g.",
        "# reanswered:",
        '#   stakes: {value: 4, note: "why it has changed"}',
    ]
    return "\n".join(lines) + "\n"


def _offered(assessment: Assessment) -> list[tuple[str, str]]:
    """(approach id, why it is listed): the recommended ones in rank order, then the rest
    of the plan."""
    planned = set(assessment.proposal.support_plan)
    listed: list[tuple[str, str]] = []
    for rank, rec in enumerate(assessment.recommendations, 1):
        also = ", planned" if rec.id in planned else ""
        listed.append((rec.id, f"recommended #{rank}{also}"))
    recommended = {rec.id for rec in assessment.recommendations}
    listed += [(a, "planned") for a in assessment.proposal.support_plan if a not in recommended]
    return listed
