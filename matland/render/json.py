"""JSON: the whole run as one document (check), or one assessment (report)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from matland import __version__
from matland.assessment import FileResult
from matland.findings import Finding
from matland.knowledge import Knowledge
from matland.render import RenderOptions
from matland.render import data as d


def render(results: Sequence[FileResult], options: RenderOptions) -> str:
    if options.view == "report" and len(results) == 1:
        return dump(d.file_result(results[0], options.knowledge, full=True)) + "\n"
    return "".join(stream(results, options))


@dataclass(frozen=True)
class Piece:
    """One file of a check run, already rendered: what the parent needs to join the output,
    keep the summary and decide the exit code."""

    text: str
    valid: bool
    findings: tuple[Finding, ...]


def piece(result: FileResult, knowledge: Knowledge) -> Piece:
    """Run where the file was checked (a worker, for a large run). A check run lists one
    file per line: json's indenting encoder is pure Python and cost more than checking the
    file (0.56 of 1.25 ms a file, benchmarks/bench_check.py); one line is its C encoder."""
    text = "    " + json.dumps(d.file_result(result, knowledge, full=False), ensure_ascii=False)
    return Piece(text, result.valid, tuple(result.findings()))


def stream(results: Iterable[FileResult], options: RenderOptions) -> Iterator[str]:
    """The run's document piece by piece, each file as it comes: a run over 10,000 files
    never holds them, or their text, all at once."""
    if options.view == "report":  # full detail; `piece` is the check view
        full_pieces = (
            Piece(
                _indented(dump(d.file_result(r, options.knowledge, True))),
                r.valid,
                tuple(r.findings()),
            )
            for r in results
        )
        return assemble(full_pieces)
    return assemble(piece(r, options.knowledge) for r in results)


def assemble(pieces: Iterable[Piece]) -> Iterator[str]:
    running = d.RunSummary()
    yield dump({"matland": __version__})[:-2] + ',\n  "files": ['  # without the closing "\n}"
    separator = "\n"
    for part in pieces:
        running.add_counts(part.valid, part.findings)
        yield separator + part.text
        separator = ",\n"
    summary = _indented(dump(running.as_dict()), "  ").lstrip()
    yield f'\n  ],\n  "summary": {summary}\n}}\n'


def dump(document: object) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)


def _indented(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())
