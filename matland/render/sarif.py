"""SARIF 2.1.0: the whole run as one log, for code-scanning tools (GitHub, Azure DevOps, IDEs).

One run whose driver lists every risk rule of the catalogue (with its explanation, mitigation
and source) and every other rule a finding can name (validation errors, stale acceptances,
gates: findings.FINDING_RULES), in a fixed order, so every result's `ruleIndex` is known
where the file is checked. An accepted risk is a result suppressed in source, with the
proposal's reason as the justification. Spec: OASIS SARIF v2.1.0 (errata01).
"""

from __future__ import annotations

import dataclasses
import json
import os
import textwrap
from collections.abc import Callable, Iterator, Sequence
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from matland import __version__
from matland.core.assessment import FileResult
from matland.core.findings import FINDING_RULES, Finding, Severity
from matland.core.knowledge import Risk
from matland.core.records import record
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


RESULT_INDENT = " " * 8  # log > runs > run > results


def rules(options: RenderOptions) -> list[dict[str, Any]]:
    """The run's rules: the risk catalogue, then every other rule a finding can name."""
    return [risk_rule(risk) for risk in options.knowledge.risks] + [
        other_rule(rule_id) for rule_id in FINDING_RULES
    ]


def rule_index(options: RenderOptions) -> dict[str, int]:
    ids = [risk.id for risk in options.knowledge.risks] + list(FINDING_RULES)
    return {rule_id: i for i, rule_id in enumerate(ids)}


def piece(result: FileResult, options: RenderOptions) -> Piece:
    """The file's results, indented as they stand in the log."""
    index = rule_index(options)
    text = ",\n".join(
        textwrap.indent(_dump(sarif_result(f, index.get(f.rule_id))), RESULT_INDENT)
        for f in result.findings()
    )
    return piece_of(result, options, text)


class Assembly(stream.Held):
    """The log lists its rules before the results, and a large run's results are more than
    memory should hold: they wait in a spool, each file's written where it was checked, and
    go into the log's `results` when the run is over."""

    def add(self, piece: Piece) -> str:
        if piece.text and not self.texts.empty:
            piece = dataclasses.replace(piece, text=",\n" + piece.text)
        return super().add(piece)

    def end(self) -> Iterator[str]:
        results: list[Any] | Encoded = [] if self.texts.empty else Encoded(self.texts.chunks)
        yield from encoded(log(rules(self.options), results))
        yield "\n"


@record
class Encoded:
    """A JSON array whose items are already JSON: each file's results, encoded where the
    file was checked, indented for their place and joined by commas, read back in chunks."""

    chunks: Callable[[], Iterator[str]]


def encoded(value: Any, level: int = 0) -> Iterator[str]:
    """`value` as `json.dumps(value, indent=2)` writes it, chunk by chunk; an `Encoded`
    array's items are written as they come (so the log is data, serialised once, and a large
    run's results never all in memory)."""
    pad, inner = "  " * level, "  " * (level + 1)
    if isinstance(value, Encoded):
        yield "[\n"
        yield from value.chunks()
        yield f"\n{pad}]"
    elif isinstance(value, dict) and value:
        for index, (key, item) in enumerate(value.items()):
            yield ("{\n" if index == 0 else ",\n") + f"{inner}{json.dumps(key)}: "
            yield from encoded(item, level + 1)
        yield f"\n{pad}}}"
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield ("[\n" if index == 0 else ",\n") + inner
            yield from encoded(item, level + 1)
        yield f"\n{pad}]"
    else:
        yield _dump(value)


def log(rules: list[dict[str, Any]], results: list[Any] | Encoded) -> dict[str, Any]:
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


def other_rule(rule_id: str) -> dict[str, Any]:
    """A rule outside the risk catalogue (a validation error, a stale acceptance, a gate),
    described from findings.FINDING_RULES."""
    severity = CHECK_SEVERITIES.get(rule_id, "error")
    kind = "check" if rule_id in CHECK_SEVERITIES else "validation"
    return {
        "id": rule_id,
        "shortDescription": {"text": FINDING_RULES[rule_id]},
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {"tags": [kind]},
    }


# The findings of FINDING_RULES that are not a file's validation errors, with the severity
# they are given (a gate's findings fail the run: an error's level).
CHECK_SEVERITIES: dict[str, Severity] = {
    "placeholder-title": "medium",
    "stale-acceptance": "low",
    "answer-unsure": "error",
    "answer-missing": "error",
    "unexpected-paradigm": "error",
    "note-missing": "error",
}


def sarif_result(f: Finding, rule_index: int | None) -> dict[str, Any]:
    message = f"{f.message} ({f.hint})" if f.is_error and f.hint else f.message
    item: dict[str, Any] = {
        "ruleId": f.rule_id,
        # a rule id outside the list (a rules folder's own) is named by its id alone
        **({} if rule_index is None else {"ruleIndex": rule_index}),
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
