"""The wheel ships rules/ inside the package: install it in a fresh venv and check examples."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


@pytest.mark.slow
def test_wheel_installs_in_a_fresh_venv_and_checks_the_examples(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
    )
    (wheel,) = dist.glob("matland-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for rules_file in ("questions", "paradigms", "classification", "support", "risks"):
        assert f"matland/rules/{rules_file}.yaml" in names
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True)
    # Run from an empty directory so nothing can come from the checkout.
    work = tmp_path / "elsewhere"
    work.mkdir()
    result = subprocess.run(
        [
            str(env / "bin" / "matland"),
            "check",
            "--fail-on",
            "never",
            "--exclude",
            "*-map.yaml",
            str(ROOT / "examples"),
        ],
        cwd=work,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "care-act-2014.yaml" in result.stdout and "experimental" in result.stdout
    module = subprocess.run(
        [str(python), "-m", "matland", "--version"], cwd=work, capture_output=True, text=True
    )
    assert module.returncode == 0 and "matland" in module.stdout
