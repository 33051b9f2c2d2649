"""Debian's headless Chromium, as every browser test starts it (offline: no background
networking, a fresh profile), through one fixture."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
Chromium = Callable[..., None]


@pytest.fixture
def chromium(tmp_path: Path) -> Chromium:
    """Run headless Chromium on a local page with extra flags (`--screenshot=…`,
    `--print-to-pdf=…`); skips the test where no Chromium is installed."""
    browser = next((b for b in BROWSERS if shutil.which(b)), None)
    if browser is None:
        pytest.skip("no headless Chromium on PATH (Debian: apt-get install -y chromium)")

    def run(page: Path, *flags: str) -> None:
        subprocess.run(
            [
                str(browser),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={tmp_path / 'profile'}",
                *flags,
                page.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )

    return run
