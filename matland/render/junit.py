"""JUnit XML: the run as one test suite, one test case per file, for CI test-report views.

A file fails when it is invalid or has an unaccepted finding at or above --fail-on (the same
threshold as the exit code); each such finding is one `<failure>`. Findings below the threshold
and accepted risks are listed in the case's `<system-out>`, so nothing is lost.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from matland.assessment import FileResult
from matland.findings import Finding
from matland.render import RenderOptions

SUITE = "matland"
NEVER = "never"

# Characters XML 1.0 cannot carry at all, even escaped; YAML's "\x01" escapes can produce them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(results: Sequence[FileResult], options: RenderOptions) -> str:
    cases = [testcase(r, options.fail_on) for r in results]
    failed = sum(1 for case in cases if case.find("failure") is not None)
    counts = {"tests": str(len(cases)), "failures": str(failed), "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": SUITE, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE, **counts})
    suite.extend(cases)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def testcase(result: FileResult, fail_on: str) -> ET.Element:
    assessment = result.assessment
    name = assessment.proposal.policy.title if assessment is not None else result.path
    case = ET.Element("testcase", {"classname": _xml(result.path), "name": _xml(name)})
    out: list[str] = []
    if assessment is not None:
        place = assessment.placement
        if place.classifiable:
            out.append(
                f"paradigm {place.paradigm} (confidence {place.confidence}); "
                f"ambiguity {_score(place.ambiguity.score)}, "
                f"conflict {_score(place.conflict.score)}"
            )
        else:
            out.append("not classifiable yet; answer: " + ", ".join(place.to_answer))
    for f in result.findings():
        if f.fails(fail_on):
            failure = ET.SubElement(
                case, "failure", {"message": _xml(f.message), "type": _xml(f.rule_id)}
            )
            failure.text = _xml(details(f))
        else:
            out.append(details(f).replace("\n", "\n    "))
    if out:
        ET.SubElement(case, "system-out").text = _xml("\n".join(out))
    return case


def details(f: Finding) -> str:
    tag = f"{f.severity}, accepted: {f.accepted}" if f.accepted else f.severity
    text = f"{f.location()}: {f.rule_id} ({tag}): {f.message}"
    if f.hint:
        text += f"\n{f.hint}"
    return text


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
