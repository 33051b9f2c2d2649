"""The one record for everything a user is told about a file: validation errors and risks alike."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "high", "medium", "low", "info"]

# Ordered weakest first; "error" (an invalid file) outranks every risk.
SEVERITIES: tuple[Severity, ...] = ("info", "low", "medium", "high", "error")


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


@dataclass(frozen=True)
class Finding:
    """A thing to tell the user about one place in one file."""

    path: str
    line: int
    column: int
    rule_id: str
    severity: Severity
    message: str
    hint: str = ""
    accepted: str = ""  # the reason given in `accepted_risks`, when the user accepted it

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def fails(self, fail_on: str) -> bool:
        """Whether this finding fails a run gated at `fail_on` (never, info … high): an error
        always; an accepted risk never; otherwise at or above the threshold."""
        if self.is_error:
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


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A 'did you mean …?' hint, or '' when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
