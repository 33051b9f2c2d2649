"""JSON: the whole run as one document (check), or one assessment (report)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import orjson

from matland import __version__
from matland.core.assessment import FileResult
from matland.render import RenderOptions, stream
from matland.render import data as d
from matland.render.stream import Piece, assemble, joined, piece_of


def render(results: Sequence[FileResult], options: RenderOptions) -> str:
    if options.view == "report" and len(results) == 1:
        return dump(d.file_result(results[0], options.knowledge, full=True)) + "\n"
    if options.view == "report":  # full detail; `piece` is the check view
        full = (
            piece_of(r, options, _indented(dump(d.file_result(r, options.knowledge, True))))
            for r in results
        )
        return "".join(assemble(Assembly(options), full))
    return joined(piece, Assembly(options), results)


def piece(result: FileResult, options: RenderOptions) -> Piece:
    """A check run lists one file per line, compact: json's indenting encoder is pure Python
    and cost more than checking the file, and even its C encoder took a tenth of the time
    of checking one (50 µs a file; orjson 5 µs, benchmarks/bench_check.py)."""
    data = d.file_result(result, options.knowledge, full=False)
    try:
        line = orjson.dumps(data).decode()
    except TypeError:  # text orjson refuses: a file name that is not UTF-8 (surrogates)
        line = dump(data, separators=(",", ":"), indent=None)
    return piece_of(result, options, "    " + line)


class Assembly(stream.Assembly):
    """The run's document, each file printed as it comes: a run over 10,000 files never
    holds them, or their text, all at once."""

    separator = "\n"

    def start(self) -> str:
        return dump({"matland": __version__})[:-2] + ',\n  "files": ['  # without the "\n}"

    def add(self, piece: Piece) -> str:
        text = self.separator + super().add(piece)
        self.separator = ",\n"
        return text

    def end(self) -> Iterator[str]:
        summary = _indented(dump(self.summary.as_dict()), "  ").lstrip()
        yield f'\n  ],\n  "summary": {summary}\n}}\n'


def dump(document: object, **options: Any) -> str:
    """JSON as UTF-8 text; a file name that is not UTF-8 (Python holds its bytes as lone
    surrogates) is escaped, `\\udce9` for the byte 0xe9, as JSON must be UTF-8 (and
    `os.fsencode` of the name read back gives the bytes)."""
    options = {"indent": 2, **options}
    text = json.dumps(document, ensure_ascii=False, **options)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(document, ensure_ascii=True, **options)
    return text


def _indented(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())
