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
        document = d.file_result(results[0], options.knowledge, full=True)
    else:
        document = {
            "matland": __version__,
            "files": [
                d.file_result(r, options.knowledge, full=options.view == "report") for r in results
            ],
            "summary": d.summary(results),
        }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
