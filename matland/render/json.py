"""JSON: the whole run as one document (check), or one assessment (report)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from matland import __version__
from matland.assessment import FileResult
from matland.render import RenderOptions
from matland.render import data as d


def render(results: Sequence[FileResult], options: RenderOptions) -> str:
    if options.view == "report" and len(results) == 1:
        return dump(d.file_result(results[0], options.knowledge, full=True)) + "\n"
    # One file at a time: the run's document is never held as one tree of Python objects,
    # which for 10,000 files would cost several times the text it becomes.
    full = options.view == "report"
    files = ",\n".join(_indented(dump(d.file_result(r, options.knowledge, full))) for r in results)
    head = dump({"matland": __version__})[:-2]  # without the closing "\n}"
    summary = _indented(dump(d.summary(results)), "  ").lstrip()
    return f'{head},\n  "files": [\n{files}\n  ],\n  "summary": {summary}\n}}\n'


def dump(document: object) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)


def _indented(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())
