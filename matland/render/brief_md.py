"""The one-page brief in Markdown (render.brief builds it; this only words it)."""

from __future__ import annotations

from collections.abc import Sequence

from matland.core.assessment import FileResult
from matland.render import RenderOptions
from matland.render.brief import brief
from matland.render.markdown import plain


def render(results: Sequence[FileResult], options: RenderOptions) -> str:
    lines: list[str] = []
    for result in results:
        if result.assessment is None:
            lines += [f"{plain(result.path)}: not a valid proposal", ""]
            continue
        b = brief(result.assessment, options.knowledge)
        lines += [f"# {plain(b.title)}", ""]
        if b.byline:
            lines += [f"*{plain(b.byline)}*", ""]
        if b.position is None:
            lines += [plain(b.meaning), ""]
            continue
        lines += [
            f"**{b.position.name}** (confidence {b.position.confidence}; {b.scores})",
            "",
        ]
        if b.position.elements:
            lines += [f"With elements of {b.position.elements_text}.", ""]
        lines += [b.meaning, "", "## Top three actions", ""]
        lines += [f"{n}. **{plain(name)}**: {why}" for n, (name, why) in enumerate(b.actions, 1)]
        lines += ["", "## Top risks and what meets them", ""]
        lines += [f"- **{sev}** {plain(title)}: {plain(meets)}" for sev, title, meets in b.risks]
        lines += ["" if b.risks else "None fired.", "## Gaps in the plan", ""]
        lines += [f"- {plain(gap)}" for gap in b.gaps] or ["The plan holds the top three actions."]
        lines += ["", "## What would change the classification", ""]
        lines += [f"- {change}" for change in b.changes]
        if b.references:
            lines += ["", "*Sources: " + " · ".join(plain(r) for r in b.references) + "*"]
        lines.append("")
    return "\n".join(lines)
