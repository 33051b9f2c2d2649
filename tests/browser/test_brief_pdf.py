"""The one-page brief printed by a real browser: headless Chromium prints each bundled
example's `report --format brief` to PDF, which must be exactly one A4 page.

Needs Debian's `chromium`; skipped with the reason when absent.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
BROWSER = next((b for b in ("chromium", "chromium-browser") if shutil.which(b)), None)
Run = Callable[..., Result]
A4_POINTS = (595, 842)  # what a PDF's MediaBox gives for A4, rounded

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(BROWSER is None, reason="no headless Chromium on PATH"),
]


def print_to_pdf(page: Path, tmp_path: Path) -> bytes:
    pdf = tmp_path / f"{page.stem}.pdf"
    assert BROWSER is not None
    subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={pdf}",
            page.resolve().as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return pdf.read_bytes()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_the_brief_prints_on_exactly_one_a4_page(
    run_cli: Run, tmp_path: Path, example: Path
) -> None:
    page = tmp_path / f"{example.stem}.html"
    result = run_cli("report", str(example), "--format", "brief", "-o", str(page))
    assert result.exit_code == 0, result.output
    pdf = print_to_pdf(page, tmp_path)
    pages = re.findall(rb"/Type\s*/Page(?![s\w])", pdf)
    assert len(pages) == 1, f"{example.name}: {len(pages)} pages"
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)", pdf)
    assert box is not None
    assert (round(float(box.group(1))), round(float(box.group(2)))) == A4_POINTS
    text = page.read_text()
    assert "Top three actions" in text and "What would change the classification" in text
