"""The HTML reports in a real browser: headless Chromium renders each page offline to a PNG,
which must have the window's size and be more than a blank page.

Needs Debian's `chromium` (apt-get install -y chromium); skipped with the reason when absent.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

ROOT = Path(__file__).parents[2]
WORKSHOP = ROOT / "examples" / "workshop"
EXAMPLES = ROOT / "examples"
WIDTH, HEIGHT = 1200, 1600
Run = Callable[..., Result]

pytestmark = pytest.mark.slow  # Chromium, through the `chromium` fixture (conftest)


def screenshot(
    chromium: Callable[..., None],
    page: Path,
    tmp_path: Path,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Path:
    png = tmp_path / f"{page.stem}-{width}.png"
    chromium(page, f"--screenshot={png}", f"--window-size={width},{height}")
    return png


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the unfiltered rows of an 8-bit RGB or RGBA PNG (no dependency)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, idat, header = 8, b"", b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    width, height, depth, colour_type = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour_type in (2, 6), (depth, colour_type)
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        _unfilter(kind, line, previous, bpp)
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def _unfilter(kind: int, line: bytearray, previous: bytearray, bpp: int) -> None:
    if kind == 0:
        return
    if kind == 2:  # Up: whole-row arithmetic is fast enough
        line[:] = bytes((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        return
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        up = previous[i]
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + (left + up) // 2) & 0xFF
        elif kind == 4:
            corner = previous[i - bpp] if i >= bpp else 0
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
            line[i] = (line[i] + predictor) & 0xFF
        else:
            raise AssertionError(f"unknown PNG filter {kind}")


def colours(rows: list[bytes], bpp: int = 4) -> tuple[set[bytes], float]:
    """The distinct colours, and the share of pixels that are not white."""
    seen: set[bytes] = set()
    ink = total = 0
    for row in rows[::4]:  # every fourth row is plenty to tell a page from a blank
        for x in range(0, len(row), bpp * 2):
            pixel = row[x : x + 3]
            seen.add(pixel)
            total += 1
            ink += pixel != b"\xff\xff\xff"
    return seen, ink / total


def check_page(
    chromium: Callable[..., None], page: Path, tmp_path: Path
) -> tuple[set[bytes], float]:
    png = screenshot(chromium, page, tmp_path)
    assert png.is_file() and png.stat().st_size > 0
    width, height, rows = decode_png(png.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    bpp = len(rows[0]) // width
    return colours(rows, bpp)


def test_the_workshop_report_renders_with_its_colours(
    tmp_path: Path, chromium: Callable[..., None]
) -> None:
    seen, ink = check_page(chromium, WORKSHOP / "report.html", tmp_path)
    # A blank or unstyled page has a handful of colours; the matrix alone has four
    # quadrant fills, role colours and anti-aliased text.
    assert len(seen) > 50, len(seen)
    assert 0.05 < ink < 0.9, ink
    for quadrant in (b"\xe6\xf0\xfa", b"\xfb\xe9\xe1"):  # administrative, political fills
        assert quadrant in seen


def test_the_single_proposal_report_renders(
    tmp_path: Path, run_cli: Run, chromium: Callable[..., None]
) -> None:
    result = run_cli("report", str(ROOT / "examples" / "care-act-2014.yaml"), "--format", "html")
    assert result.exit_code == 0
    page = tmp_path / "care-act.html"
    page.write_text(result.stdout)
    seen, ink = check_page(chromium, page, tmp_path)
    assert len(seen) > 50 and 0.05 < ink < 0.9


PHONE = 360
POLITICAL_FILL, WHITE = b"\xfb\xe9\xe1", b"\xff\xff\xff"


def test_the_workshop_matrix_fits_a_phone(
    tmp_path: Path, run_cli: Run, chromium: Callable[..., None]
) -> None:
    """At 360 px the matrix scales to the width: every row of the political quadrant ends
    in the drawing's white margin, inside the window (a fixed 480 px drawing ran on under
    the scroll bar and off the edge)."""
    page = tmp_path / "workshop.html"
    result = run_cli("workshop", str(WORKSHOP / "participants"), "--by", "role", "--format", "html")
    page.write_text(result.stdout)
    png = screenshot(chromium, page, tmp_path, PHONE, 1000)
    width, _, rows = decode_png(png.read_bytes())
    assert width == PHONE
    bpp = len(rows[0]) // width
    ends = []
    for row in rows:
        pixels = [row[x * bpp : x * bpp + 3] for x in range(width)]
        filled = [x for x, pixel in enumerate(pixels) if pixel == POLITICAL_FILL]
        if filled:
            ends.append(WHITE in pixels[max(filled) + 1 :])
    assert ends, "the political quadrant is not drawn"
    assert all(ends), f"{ends.count(False)} of {len(ends)} rows run off the window"


def test_every_html_report_fits_a_phone_without_scrolling_sideways(
    tmp_path: Path, run_cli: Run, chromium: Callable[..., None]
) -> None:
    """At 360 px no report scrolls sideways: a wide table scrolls within itself, a long tag
    ("met by the plan: …") and a long word wrap, the support bars narrow."""
    del chromium  # asked for its skip when there is no Chromium; Playwright drives it here
    sync_api = pytest.importorskip("playwright.sync_api")
    pages = {
        path.stem: run_cli("report", str(path), "--format", "html").stdout
        for path in sorted(EXAMPLES.glob("*.yaml"))
    }
    pages["workshop"] = run_cli(
        "workshop", str(WORKSHOP / "participants"), "--by", "role", "--format", "html"
    ).stdout
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": PHONE, "height": 800})
        wide = {}
        for name, html in pages.items():
            (tmp_path / f"{name}.html").write_text(html, encoding="utf-8")
            page.goto((tmp_path / f"{name}.html").as_uri())
            wide[name] = page.evaluate("document.documentElement.scrollWidth")
        browser.close()
    assert wide == {name: PHONE for name in pages}
