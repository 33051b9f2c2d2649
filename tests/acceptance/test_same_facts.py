"""Every report format says the same facts: the paradigm, the elements with their shares
(adding up with the rest to 100), and each risk with its severity (render/views.py words
the position once; the formats must not drift apart again)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from matland.core.numbers import percents

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.yaml"))
Run = Callable[..., Result]


def flat(text: str) -> str:
    """Text without line breaks, Markdown escapes and HTML tags, for phrase search."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return " ".join(text.replace("\\", "").replace("*", "").split())


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_every_format_says_the_same_position_and_risks(run_cli: Run, example: Path) -> None:
    data = json.loads(run_cli("report", str(example), "--format", "json").stdout)
    shares = percents(data["membership"])
    assert sum(shares.values()) == 100
    pages = {
        fmt: flat(run_cli("report", str(example), "--format", fmt).stdout)
        for fmt in ("text", "markdown", "html")
    }
    name = data["meaning"]["name"]  # "Political implementation"
    for fmt, page in pages.items():
        assert name in page, fmt
        for element in data["elements"]:
            assert f"{element} implementation ({shares[element]}%)" in page, (fmt, element)
        for risk in data["risks"]:
            assert risk["id"] in page, (fmt, risk["id"])
    for risk in data["risks"]:
        assert f"[{risk['severity']}]" in pages["text"]
        assert re.search(
            rf"{risk['severity']}\b[^|]*\|[^|]*{re.escape(risk['id'])}", pages["markdown"]
        )
