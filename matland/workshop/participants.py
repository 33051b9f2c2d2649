"""Reading a workshop's participants: one proposal file each (files or directories of them),
or CSV files with one row each. I/O at the edge; problems are Findings, never exceptions.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from matland.core.findings import Finding
from matland.core.knowledge import Knowledge
from matland.core.yamlpos import DEFAULT_MAX_BYTES
from matland.source.discovery import discover
from matland.source.load import STDIN, load_proposal
from matland.workshop.csvinput import ColumnMap, CsvOptions, read_csv
from matland.workshop.folding import key
from matland.workshop.participant import Participant, is_csv
from matland.workshop.results import DUPLICATE
from matland.workshop.rules import WorkshopRules


def gather(
    paths: Sequence[str],
    knowledge: Knowledge,
    column_map: ColumnMap | None = None,
    title: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    rules: WorkshopRules | None = None,
) -> tuple[list[Participant], list[Finding]]:
    """Participants in the order given (directories sorted), each name once (the latest
    submission)."""
    participants: list[Participant] = []
    findings: list[Finding] = []
    for path in paths:
        if path == STDIN:
            findings.append(
                Finding(
                    "<stdin>",
                    1,
                    1,
                    "stdin-not-read",
                    "error",
                    "a workshop reads files, not standard input",
                    "give one proposal file per participant, or a CSV file",
                )
            )
        elif is_csv(path) and os.path.isfile(path):
            options = CsvOptions(column_map, title, max_bytes, rules)
            found, problems = read_csv(path, knowledge, options)
            participants += found
            findings += problems
        else:
            for target in discover([path]):
                if target.problem is not None:
                    if target.problem.is_error:
                        findings.append(target.problem)
                    continue
                participant, problems = _from_proposal(target.path, knowledge, max_bytes)
                findings += problems
                if participant is not None:
                    participants.append(participant)
    return _once_each(participants, findings)


def _from_proposal(
    path: str, knowledge: Knowledge, max_bytes: int
) -> tuple[Participant | None, list[Finding]]:
    proposal, errors = load_proposal(path, knowledge, max_bytes)
    if proposal is None:
        return None, errors
    respondent = proposal.respondent
    name = (respondent.name if respondent else None) or _stem(path)
    role = (respondent.role if respondent else None) or None
    at = proposal.document.position(("respondent", "name")) if respondent else (1, 1)
    return Participant(name, role, path, proposal, at, policy=proposal.policy.title), []


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def _once_each(
    participants: list[Participant], findings: list[Finding]
) -> tuple[list[Participant], list[Finding]]:
    """A participant who answered twice (a form sent again to correct it) counts once, by
    the latest submission: the later timestamp where both have one, else the one given
    later (a later row, a later file). Names compare without case or extra spaces."""
    latest: dict[str, int] = {}
    for index, participant in enumerate(participants):
        name = key(participant.name)
        earlier = latest.get(name)
        if earlier is None:
            latest[name] = index
            continue
        older, newer = earlier, index
        first, second = participants[earlier].submitted, participant.submitted
        if first is not None and second is not None and second < first:
            older, newer = index, earlier  # a correction exported above the original
        latest[name] = newer
        findings.append(_replaced(participants[older], participants[newer]))
    keep = set(latest.values())
    return [p for i, p in enumerate(participants) if i in keep], findings


def _replaced(old: Participant, new: Participant) -> Finding:
    same_file = old.proposal.path == new.proposal.path and is_csv(old.proposal.path)

    def said(p: Participant) -> str:
        where = f"row {p.at[0]}" if same_file else p.source
        return where + (f" ({p.submitted:%Y-%m-%d %H:%M})" if p.submitted else "")

    why = "the later timestamp" if old.submitted and new.submitted else "given later"
    return Finding(
        old.proposal.path,
        old.at[0],
        old.at[1],
        DUPLICATE,
        "low",
        f"'{old.name}' answered twice: {said(old)} is replaced by {said(new)} ({why})",
        "if they are two people, give each a distinct name",
    )
