"""JSON: the whole run as one document (check), or one assessment (report)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence

from matland import __version__
from matland.assessment import FileResult
from matland.render import RenderOptions
from matland.render import data as d


def render(results: Sequence[FileResult], options: RenderOptions) -> str:
    if options.view == "report" and len(results) == 1:
        return dump(d.file_result(results[0], options.knowledge, full=True)) + "\n"
    return "".join(stream(results, options))


def stream(results: Iterable[FileResult], options: RenderOptions) -> Iterator[str]:
    """The run's document piece by piece, each file as it comes: a run over 10,000 files
    never holds them, or their text, all at once."""
    full = options.view == "report"
    running = d.RunSummary()
    yield dump({"matland": __version__})[:-2] + ',\n  "files": ['  # without the closing "\n}"
    separator = "\n"
    for result in results:
        running.add(result)
        yield separator + _indented(dump(d.file_result(result, options.knowledge, full)))
        separator = ",\n"
    summary = _indented(dump(running.as_dict()), "  ").lstrip()
    yield f'\n  ],\n  "summary": {summary}\n}}\n'


def dump(document: object) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)


def _indented(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())
