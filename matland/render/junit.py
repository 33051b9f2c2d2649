"""JUnit XML: the run as one test suite, one test case per file, for CI test-report views.

A file fails when it is invalid or has an unaccepted finding at or above --fail-on (the same
threshold as the exit code): one `<failure>` (the JUnit schema allows one a case, and report
views show only the first) whose message names them and whose text details each. Findings
below the threshold and accepted risks are listed in the case's `<system-out>`, so nothing is
lost.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence

from matland.core.assessment import FileResult
from matland.core.findings import Finding
from matland.core.numbers import whole
from matland.render import RenderOptions, no_commands_markup, stream
from matland.render.stream import Piece, joined, piece_of

SUITE = "matland"
NEVER = "never"

# Characters XML 1.0 cannot carry at all, even escaped; YAML's "\x01" escapes can produce them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


CASE_LEVEL = 2  # testsuites > testsuite > testcase
INDENT = "  "


def render(results: Sequence[FileResult], options: RenderOptions) -> str:
    return joined(piece, Assembly(options), results)


def piece(result: FileResult, options: RenderOptions) -> Piece:
    """The file's test case, indented as it stands in the suite."""
    case = testcase(result, options.fail_on)
    ET.indent(case, INDENT, CASE_LEVEL)
    # ElementTree leaves a carriage return in text as it is, which a terminal acts on (the
    # line is written over) and an XML reader turns into a line feed: a character reference
    # keeps it, exactly, and visible.
    text = INDENT * CASE_LEVEL + ET.tostring(case, encoding="unicode").replace("\r", "&#13;")
    # A line whose first non-blank characters are `::` is a GitHub Actions workflow command
    # when the report is printed in a CI log: its first colon as a character reference reads
    # the same to an XML reader and is no command.
    text = no_commands_markup(text) + "\n"
    return piece_of(result, options, text)


class Assembly(stream.Held):
    """The suite's counts come first, so the cases wait in a spool until the run is over."""

    failed = 0

    def add(self, piece: Piece) -> str:
        self.failed += piece.exit_code != 0  # an invalid file, or a finding at --fail-on
        return super().add(piece)

    def end(self) -> Iterator[str]:
        """The suites' frame, written as ElementTree writes it (fixed names and counts:
        nothing to escape), around the cases spooled in the run's order."""
        tests = self.summary.files
        counts = {"tests": str(tests), "failures": str(self.failed), "errors": "0", "skipped": "0"}
        attributes = " ".join(
            f'{key}="{value}"' for key, value in {"name": SUITE, **counts}.items()
        )
        yield f"<?xml version='1.0' encoding='utf-8'?>\n<testsuites {attributes}>\n"
        if self.texts.empty:
            yield f"{INDENT}<testsuite {attributes} />\n"
        else:
            yield f"{INDENT}<testsuite {attributes}>\n"
            yield from self.texts.chunks()
            yield f"{INDENT}</testsuite>\n"
        yield "</testsuites>\n"


def testcase(result: FileResult, fail_on: str) -> ET.Element:
    assessment = result.assessment
    name = assessment.proposal.policy.title if assessment is not None else result.path
    case = ET.Element("testcase", {"classname": _xml(result.path), "name": _xml(name)})
    out: list[str] = []
    if assessment is not None:
        place = assessment.placement
        if place.classifiable:
            out.append(
                f"paradigm {place.label} (confidence {place.confidence}); "
                f"ambiguity {_score(place.ambiguity.score)}, "
                f"conflict {_score(place.conflict.score)}"
            )
        else:
            out.append("not classifiable yet; answer: " + ", ".join(place.to_answer))
    failing = []
    for f in result.findings():
        if f.fails(fail_on):
            failing.append(f)
        else:
            out.append(details(f).replace("\n", "\n    "))
    if failing:
        first = failing[0]
        message = (
            first.message
            if len(failing) == 1
            else (f"{len(failing)} findings: {first.message} (and {len(failing) - 1} more)")
        )
        failure = ET.SubElement(
            case, "failure", {"message": _xml(message), "type": _xml(first.rule_id)}
        )
        failure.text = _xml("\n\n".join(details(f) for f in failing))
    if out:
        ET.SubElement(case, "system-out").text = _xml("\n".join(out))
    return case


def details(f: Finding) -> str:
    tag = f"{f.severity}, accepted: {f.accepted}" if f.accepted else f.severity
    tag += f", met by the plan: {f.met}" if f.met else ""
    text = f"{f.location()}: {f.rule_id} ({tag}): {f.message}"
    if f.hint:
        text += f"\n{f.hint}"
    return text


def _score(value: float | None) -> str:
    return "—" if value is None else str(whole(value))


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
