"""The one-page brief printed by a real browser: headless Chromium prints each bundled
example's `report --format brief` to PDF, which must be exactly one A4 page.

Needs Debian's `chromium`; skipped with the reason when absent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
Run = Callable[..., Result]
A4_POINTS = (595, 842)  # what a PDF's MediaBox gives for A4, rounded

pytestmark = pytest.mark.slow  # Chromium, through the `chromium` fixture (conftest)


def print_to_pdf(chromium: Callable[..., None], page: Path, tmp_path: Path) -> bytes:
    pdf = tmp_path / f"{page.stem}.pdf"
    chromium(page, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    return pdf.read_bytes()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_the_brief_prints_on_exactly_one_a4_page(
    run_cli: Run, tmp_path: Path, example: Path, chromium: Callable[..., None]
) -> None:
    page = tmp_path / f"{example.stem}.html"
    result = run_cli("report", str(example), "--format", "brief", "-o", str(page))
    assert result.exit_code == 0, result.output
    pdf = print_to_pdf(chromium, page, tmp_path)
    pages = re.findall(rb"/Type\s*/Page(?![s\w])", pdf)
    assert len(pages) == 1, f"{example.name}: {len(pages)} pages"
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)", pdf)
    assert box is not None
    assert (round(float(box.group(1))), round(float(box.group(2)))) == A4_POINTS
    text = page.read_text()
    assert "Top three actions" in text and "What would change the classification" in text
