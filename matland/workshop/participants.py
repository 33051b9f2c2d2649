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
from matland.workshop.aggregate import Participant, is_csv
from matland.workshop.csvinput import ColumnMap, read_participants


def gather(
    paths: Sequence[str],
    knowledge: Knowledge,
    column_map: ColumnMap | None = None,
    title: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[list[Participant], list[Finding]]:
    """Participants in the order given (directories sorted), each name once."""
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
            found, problems = read_participants(path, knowledge, column_map, title, max_bytes)
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
    return Participant(name, role, path, proposal, at), []


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def _once_each(
    participants: list[Participant], findings: list[Finding]
) -> tuple[list[Participant], list[Finding]]:
    """A second participant of the same name is left out: most often a form sent twice,
    and counting it would weigh one voice double."""
    first: dict[str, Participant] = {}
    kept = []
    for participant in participants:
        earlier = first.get(participant.name)
        if earlier is None:
            first[participant.name] = participant
            kept.append(participant)
            continue
        findings.append(
            Finding(
                participant.proposal.path,
                participant.at[0],
                participant.at[1],
                "duplicate-participant",
                "error",
                f"participant '{participant.name}' appears twice (first in {earlier.source}); "
                "this one is left out",
                "give each participant a distinct name",
            )
        )
    return kept, findings
