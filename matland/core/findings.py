"""The one record for everything a user is told about a file: validation errors and risks alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal, NamedTuple

from matland.core.vocabulary import EXIT_FINDINGS, EXIT_INVALID, EXIT_OK

Severity = Literal["error", "high", "medium", "low", "info"]

# Ordered weakest first; "error" (an invalid file) outranks every risk.
SEVERITIES: tuple[Severity, ...] = ("info", "low", "medium", "high", "error")


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


class Finding(NamedTuple):
    """A thing to tell the user about one place in one file. Immutable; a NamedTuple, not a
    frozen dataclass, because a check makes about ten for every file and a frozen
    dataclass is three times slower to build (benchmarks/bench_check.py)."""

    path: str
    line: int
    column: int
    rule_id: str
    severity: Severity
    message: str
    hint: str = ""
    accepted: str = ""  # the reason given in `accepted_risks`, when the user accepted it
    gate: bool = False  # asked for by a CI flag (--expect-paradigm …): fails whatever --fail-on
    met: str = ""  # the plan items that meet this risk (`met_by`), when the plan has one

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def fails(self, fail_on: str) -> bool:
        """Whether this finding fails a run gated at `fail_on` (never, info … high): an error
        always; an accepted risk never; otherwise at or above the threshold."""
        if self.is_error or self.gate:
            return True
        if self.accepted or fail_on == "never":
            return False
        return severity_rank(self.severity) >= severity_rank(fail_on)

    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def one_line(self) -> str:
        """`path:line:col: message (hint)`, the form editors and CI logs understand."""
        text = f"{self.location()}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """A 'did you mean …?' hint, or '' when nothing is close."""
    import difflib  # here: only a misspelt name needs it

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f"did you mean '{close[0]}'?" if close else ""


# What each finding that is not a risk rule means (risk rules describe themselves in
# rules/risks.yaml); SARIF's rule catalogue and the docs read this table.
FINDING_RULES: dict[str, str] = {
    "yaml-syntax": "The file is not valid YAML, or uses YAML that matland refuses (tags, "
    "merge keys, deep nesting, alias expansion bombs, several documents).",
    "duplicate-key": "A key appears twice in one mapping; YAML parsers silently keep the last.",
    "too-large": "The file is over the size limit (--max-bytes).",
    "not-utf8": "The file is not UTF-8 text.",
    "unreadable": "The file cannot be read (missing, a directory, or no permission).",
    "no-such-file": "A path given on the command line does not exist.",
    "no-proposals": "A directory given on the command line holds no .yaml or .yml file.",
    "not-a-proposal": "The file holds a list or a single value, not a proposal mapping.",
    "missing-version": "The file has no `matland: 1` format version.",
    "future-version": "The file is written for a newer format than this matland reads.",
    "bad-version": "The format version is not a known version number.",
    "unknown-key": "A key the format does not define (user keys must start with `x-`).",
    "missing-key": "A required key is missing.",
    "invalid-value": "A value has the wrong type or is not one of the allowed words.",
    "unknown-question": "An answer id that is not in the questionnaire.",
    "invalid-answer": "An answer outside what the item takes (1-5, yes/no, a count, unsure).",
    "unknown-approach": "A support_plan entry that is not in the support catalogue.",
    "unknown-risk": "An accepted_risks entry that names no risk rule.",
    "unknown-action-item": "An actions entry whose item is neither a risk nor a support approach.",
    "duplicate-entry": "The same stakeholder, support approach or accepted risk is listed twice.",
    "placeholder-title": "The policy title is still the placeholder `matland init` wrote (medium).",
    "stale-acceptance": "An accepted risk that no longer fires; the acceptance can go.",
    "answer-unsure": "An item answered unsure (with --require-complete).",
    "answer-missing": "An item not answered (with --require-complete).",
    "unexpected-paradigm": "The classification differs from --expect-paradigm.",
    "note-missing": "An answer a high finding or the paradigm rests on has no note "
    "(with --require-notes).",
    "invalid-config": "The .matland.yaml or [tool.matland] configuration is invalid.",
    "invalid-rules": "A rules file is invalid.",
    "rules-missing": "A rules directory lacks one of its files.",
}


def file_exit_code(valid: bool, findings: Sequence[Finding], fail_on: str) -> int:
    """0 clean, 1 a finding at or above `fail_on` (accepted risks do not count), 2 an
    invalid file; a run's code is the largest of its files'."""
    if not valid:
        return EXIT_INVALID
    return EXIT_FINDINGS if any(f.fails(fail_on) for f in findings) else EXIT_OK
