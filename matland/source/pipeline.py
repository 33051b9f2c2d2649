"""One file's road: read it, load it, assess it, apply the gates asked for."""

from __future__ import annotations

import sys

from matland.core.assessment import FileResult, assess
from matland.core.findings import Finding
from matland.core.gates import Gates, apply
from matland.core.knowledge import Knowledge
from matland.core.yamlpos import DEFAULT_MAX_BYTES, YamlProblem, decode
from matland.source.discovery import Target
from matland.source.load import STDIN, is_review, proposal_from_document, read_document
from matland.source.paths import STDIN_NAME

NO_GATES = Gates()


def check_file(
    path: str, knowledge: Knowledge, max_bytes: int = DEFAULT_MAX_BYTES, gates: Gates = NO_GATES
) -> FileResult:
    text = None
    if path == STDIN:
        path = STDIN_NAME  # what every format shows for `-`
        try:
            if sys.stdin is None:  # started with stdin closed (`<&-`)
                raise YamlProblem(
                    "standard input is closed",
                    hint="give a file, or pipe one in",
                    rule_id="unreadable",
                )
            raw = sys.stdin.buffer.read(max_bytes + 1)
            # The limit is in bytes, and is checked before decoding: the cut may fall inside
            # a character, which decoding would report as invalid UTF-8 at a column of its own
            # making; and characters are fewer than bytes, so counting them let input over
            # the limit pass, cut short.
            if len(raw) > max_bytes:
                too_large = Finding(
                    path,
                    1,
                    1,
                    "too-large",
                    "error",
                    f"input over the {max_bytes:,}-byte limit",
                    "raise --max-bytes",
                )
                return FileResult(path, errors=(too_large,))
            text = decode(raw)
        except YamlProblem as problem:
            return FileResult(path, errors=(problem.finding(path),))
    document, problems = read_document(path, max_bytes, text)
    if document is None:
        return FileResult(path, errors=tuple(problems))
    if is_review(document):  # a review file found among the proposals (docs/review-v1.md)
        from matland.core.reviewfile import as_checked
        from matland.source.review import review_from_document

        review, errors = review_from_document(path, document, knowledge, max_bytes)
        if review is None:
            return FileResult(path, errors=tuple(errors))
        return as_checked(review, knowledge)
    proposal, errors = proposal_from_document(path, document, knowledge)
    if proposal is None:
        return FileResult(path, errors=tuple(errors))
    return apply(FileResult(path, assess(proposal, knowledge)), gates, knowledge)


def check_target(
    target: Target, knowledge: Knowledge, max_bytes: int, gates: Gates
) -> FileResult | None:
    if target.problem is not None:
        return (
            FileResult(target.path, errors=(target.problem,)) if target.problem.is_error else None
        )
    return check_file(target.path, knowledge, max_bytes, gates)
