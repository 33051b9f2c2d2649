"""SARIF 2.1.0: the whole run as one log, for code-scanning tools (GitHub, Azure DevOps, IDEs).

One run whose driver lists every risk rule of the catalogue (with its explanation, mitigation
and source) and the other rule ids that occur (validation errors, stale acceptances), so every
result's `ruleId` is defined. An accepted risk is a result suppressed in source, with the
proposal's reason as the justification. Spec: OASIS SARIF v2.1.0 (errata01).
"""

from __future__ import annotations

import dataclasses
import json
import os
import textwrap
from collections.abc import Iterator, Sequence
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from matland import __version__
from matland.core.assessment import FileResult
from matland.core.findings import FINDING_RULES, Finding, Severity
from matland.core.knowledge import Risk
from matland.core.words import flat
from matland.render import RenderOptions, stream
from matland.render.stream import Piece, joined, piece_of
from matland.source.paths import from_root

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
VERSION = "2.1.0"

# SARIF has three levels that mean a problem; an invalid file is as bad as a high risk.
LEVELS: dict[Severity, str] = {
    "error": "error",
    "high": "error",
    "medium": "warning",
    "low": "note",
    "info": "note",
}


def render(results: Sequence[FileResult], options: RenderOptions) -> str:
    return joined(piece, Assembly(options), results)


# A result whose rule is not in the risk catalogue (a validation error, a stale acceptance)
# gets its rule's index when the run is joined: those rules are listed by first occurrence.
LATER = -1
RESULT_INDENT = " " * 8  # log > runs > run > results


def piece(result: FileResult, options: RenderOptions) -> Piece:
    """The file's results, indented as they stand in the log."""
    catalogue = {risk.id: i for i, risk in enumerate(options.knowledge.risks)}
    findings = tuple(result.findings())
    text = ",\n".join(
        textwrap.indent(_dump(sarif_result(f, catalogue.get(f.rule_id, LATER))), RESULT_INDENT)
        for f in findings
    )
    return piece_of(result, options, text, keep_findings=True)


class Assembly(stream.Held):
    """The log lists its rules (every rule a result names) before the results, so the
    results wait in a spool until the run is over."""

    def __init__(self, options: RenderOptions) -> None:
        super().__init__(options)
        self.rules = [risk_rule(risk) for risk in options.knowledge.risks]
        self.index = {rule["id"]: i for i, rule in enumerate(self.rules)}
        self.catalogue = len(self.rules)

    def add(self, piece: Piece) -> str:
        text = piece.text
        for f in piece.findings:
            if f.rule_id not in self.index:
                self.index[f.rule_id] = len(self.rules)
                self.rules.append(other_rule(f))
            if self.index[f.rule_id] >= self.catalogue:
                later, known = f'"ruleIndex": {LATER},', f'"ruleIndex": {self.index[f.rule_id]},'
                text = text.replace(later, known, 1)
        if text and not self.texts.empty:
            text = ",\n" + text
        return super().add(dataclasses.replace(piece, text=text))

    def end(self) -> Iterator[str]:
        document = _dump(log(self.rules, [] if self.texts.empty else [HOLE])) + "\n"
        yield from self.framed(document, f"{RESULT_INDENT}{json.dumps(HOLE)}")


HOLE = "matland-results"  # where the spooled results go in the log's frame


def log(rules: list[dict[str, Any]], results: list[Any]) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "version": VERSION,
        "runs": [
            {
                "tool": {"driver": {"name": "matland", "version": __version__, "rules": rules}},
                # PyYAML counts columns in characters, not UTF-16 code units.
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _dump(document: object) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)


def risk_rule(risk: Risk) -> dict[str, Any]:
    rule = risk.rule
    explanation = _plain(rule.explanation)
    mitigation = f"Mitigation: {_plain(rule.mitigation)}"
    source = f"Source: {_plain(rule.source)}"
    return {
        "id": rule.id,
        "shortDescription": {"text": _plain(rule.title)},
        "fullDescription": {"text": f"{explanation} {mitigation}"},
        "help": {"text": f"{explanation}\n\n{mitigation}\n\n{source}"},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "category": rule.category,
            "severity": rule.severity,
            "evidence": rule.evidence,
            "source": rule.source,
            "tags": ["risk", rule.category],
        },
    }


def other_rule(first: Finding) -> dict[str, Any]:
    """A rule id outside the risk catalogue (a validation error, a stale acceptance),
    described from findings.FINDING_RULES."""
    kind = "validation" if first.is_error else "check"
    return {
        "id": first.rule_id,
        "shortDescription": {
            "text": FINDING_RULES.get(first.rule_id, first.rule_id.replace("-", " ").capitalize())
        },
        "defaultConfiguration": {"level": LEVELS[first.severity]},
        "properties": {"tags": [kind]},
    }


def sarif_result(f: Finding, rule_index: int) -> dict[str, Any]:
    message = f"{f.message} ({f.hint})" if f.is_error and f.hint else f.message
    item: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": LEVELS[f.severity],
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(f.path)},
                    "region": {"startLine": f.line, "startColumn": f.column},
                }
            }
        ],
        # An empty list says "not suppressed"; an absent one would say "not known".
        "suppressions": ([{"kind": "inSource", "justification": f.accepted}] if f.accepted else []),
        "properties": {"severity": f.severity},
    }
    if f.hint and not f.is_error:
        item["properties"]["mitigation"] = f.hint
    if f.met:
        item["properties"]["metByPlan"] = f.met.split(", ")
    return item


def artifact_uri(path: str) -> str:
    """The path as a URI reference: a relative one from the repository's root, so code
    scanning, which resolves it against the checkout, finds the file wherever matland ran."""
    pure = PurePath(path)
    if pure.is_absolute():
        return pure.as_uri()
    return quote(os.fsencode(from_root(path)), safe="/")  # the name's own bytes


def _plain(text: str) -> str:
    return flat(text)
