"""The pre-commit hook definition, tried with pre-commit itself."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit not installed")
def test_hook_passes_a_clean_proposal_and_blocks_a_broken_one(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    good = tmp_path / "care.yaml"
    good.write_text((ROOT / "examples" / "care-act-2014.yaml").read_text())
    git(tmp_path, "add", "care.yaml")

    def attempt(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["pre-commit", "try-repo", str(ROOT), "matland-check", "--files", *files],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=600,
        )

    passed = attempt("care.yaml")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("matland: 1\npolicy: {title: B}\nanswers: {goal_ambiguity: 9}\n")
    git(tmp_path, "add", "broken.yaml")
    failed = attempt("broken.yaml")
    assert failed.returncode != 0
    assert "broken.yaml:3" in failed.stdout
    # Other YAML in the repository (pre-commit names every file) is kept out by the config.
    (tmp_path / "mkdocs.yml").write_text("site_name: docs\n")
    (tmp_path / ".matland.yaml").write_text("exclude: [mkdocs.yml]\n")
    git(tmp_path, "add", "mkdocs.yml", ".matland.yaml")
    excluded = attempt("care.yaml", "mkdocs.yml")
    assert excluded.returncode == 0, excluded.stdout + excluded.stderr
