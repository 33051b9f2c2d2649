"""Which files a run finds: exclude globs against the relative path, the absolute path and
the name, as `fnmatch` reads each."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

import pytest

from matland.run import discover

FILES = ("a.yaml", "sub/b.yaml", "sub/skip-c.yml", "sub/deep/d.yaml", ".hidden.yaml", "e.txt")


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("matland: 1\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def found(paths: list[str], exclude: list[str]) -> list[str]:
    return [os.path.relpath(t.path) for t in discover(paths, exclude) if t.problem is None]


def by_fnmatch(paths: list[str], exclude: list[str]) -> list[str]:
    """What the globs drop, one fnmatch call a candidate (the slow, obvious reading)."""
    kept = []
    for path in found(paths, []):
        candidates = (path, os.path.abspath(path), os.path.basename(path))
        if not any(fnmatch.fnmatch(c, p) for p in exclude for c in candidates):
            kept.append(path)
    return kept


@pytest.mark.parametrize(
    "exclude",
    [
        [],
        ["skip-*"],
        ["sub/b.yaml"],
        ["sub/*"],  # fnmatch's * crosses slashes: sub/deep/d.yaml goes too
        ["*/deep/*", "a.yaml"],
        ["ABSOLUTE/sub/b.yaml"],
        ["b.yaml", "nothing-[a-z].yaml"],
    ],
)
@pytest.mark.parametrize("top", [".", "./sub", "sub/", "ABSOLUTE"])
def test_exclusion_reads_globs_as_fnmatch_does(tree: Path, exclude: list[str], top: str) -> None:
    exclude = [p.replace("ABSOLUTE", str(tree)) for p in exclude]
    top = top.replace("ABSOLUTE", str(tree))
    assert found([top], exclude) == by_fnmatch([top], exclude)


def test_exclusion_drops_files(tree: Path) -> None:
    assert found(["."], ["skip-*", "sub/deep/*"]) == ["a.yaml", os.path.join("sub", "b.yaml")]


def test_a_file_named_outright_is_kept(tree: Path) -> None:
    assert found(["sub/skip-c.yml"], ["skip-*"]) == [os.path.join("sub", "skip-c.yml")]
