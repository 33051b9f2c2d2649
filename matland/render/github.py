"""GitHub Actions workflow commands: one annotation line per finding, shown on the pull request.

`::error file=F,line=L,col=C,title=RULE::message`, escaped as the Actions runner expects
(`%`, CR and LF everywhere; `:` and `,` too inside properties), so a message can neither
break the line nor start a command of its own. `::error` is what fails the run (at or above
`--fail-on`, an invalid file, a gate); below it, high and medium are warnings, the rest
notices. The runner takes the annotations out of the log, so the run ends with plain lines
there: its summary, and why it failed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from matland.core.assessment import FileResult
from matland.core.findings import Finding, Severity
from matland.render import RenderOptions, printable, stream
from matland.render.stream import Piece, joined, piece_of
from matland.source.paths import from_root

# GitHub has three annotation levels: `error` for what fails the run, and below it these.
LEVELS: dict[Severity, str] = {
    "error": "error",
    "high": "warning",
    "medium": "warning",
    "low": "notice",
    "info": "notice",
}
ACCEPTED = "notice"

_DATA = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A"})
_PROPERTY = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"})


def render(results: Sequence[FileResult], options: RenderOptions) -> str:
    return joined(piece, Assembly(options), results)


def piece(result: FileResult, options: RenderOptions) -> Piece:
    findings = tuple(result.findings())
    text = "".join(annotation(f, options.fail_on) + "\n" for f in findings)
    return piece_of(result, options, text)


class Assembly(stream.Assembly):
    """One annotation line per finding, printed as each file comes; the summary at the end."""

    def end(self) -> Iterator[str]:
        summary, fail_on = self.summary, self.options.fail_on
        verdict = {
            0: f"passed: no finding at or above --fail-on {fail_on}",
            1: f"failed: findings at or above --fail-on {fail_on}, or a gate asked for "
            "(--require-complete, --expect-paradigm): the ::error annotations",
            2: "failed: invalid files (the ::error annotations)",
        }[min(summary.exit_code, 2)]
        yield f"matland: {summary.line()}\nmatland: {verdict}\n"


def annotation(f: Finding, fail_on: str = "high") -> str:
    level = "error" if f.fails(fail_on) else ACCEPTED if f.accepted else LEVELS[f.severity]
    properties = {
        "file": printable(from_root(f.path)),  # GitHub reads it from the repository's root
        "line": str(f.line),
        "col": str(f.column),
        "title": printable(f.rule_id),
    }
    fields = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{level} {fields}::{escape_data(message(f))}"


def message(f: Finding) -> str:
    """The finding in words; what it quotes from the file (an accepted risk's reason, a
    value) is escaped, so ESC, BEL or NUL reach the log as visible escapes, not raw: only
    the line break before the hint is a real one (`%0A` on the workflow command)."""
    text = printable(f.message)
    text += f" (accepted: {printable(f.accepted)})" if f.accepted else ""
    text += f" (met by the plan: {printable(f.met)})" if f.met else ""
    return f"{text}\n{printable(f.hint)}" if f.hint else text


def escape_data(text: str) -> str:
    return text.translate(_DATA)


def escape_property(text: str) -> str:
    return text.translate(_PROPERTY)
