"""Which files a run finds: exclude globs against the relative path, the absolute path and
the name, as `fnmatch` reads each."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

import pytest

from matland.source.discovery import discover

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


@pytest.mark.parametrize("pattern", ["sub", "sub/", "./sub", "ABSOLUTE/sub", "s?b", "./sub/"])
def test_a_directory_pattern_leaves_out_everything_below_it(tree: Path, pattern: str) -> None:
    pattern = pattern.replace("ABSOLUTE", str(tree))
    assert found(["."], [pattern]) == ["a.yaml"]


def test_a_directory_name_matches_at_any_depth(tree: Path) -> None:
    assert found(["."], ["deep"]) == [
        "a.yaml",
        os.path.join("sub", "b.yaml"),
        os.path.join("sub", "skip-c.yml"),
    ]


def test_force_exclude_applies_the_patterns_to_files_named_outright(tree: Path) -> None:
    named = ["a.yaml", "sub/b.yaml", "sub/skip-c.yml", "sub/deep/d.yaml"]
    kept = [os.path.relpath(t.path) for t in discover(named, ["skip-*", "deep"], True)]
    assert kept == ["a.yaml", os.path.join("sub", "b.yaml")]
    # a directory named and excluded is an error, not an empty pass (the README's promise)
    (target,) = discover(["sub"], ["sub"], True)
    assert target.problem is not None and target.problem.is_error


def test_force_exclude_looks_no_higher_than_the_working_directory(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree / "sub")
    # the tree's own directory name is not a directory the file lies in, seen from here
    assert [t.path for t in discover(["b.yaml"], [tree.name], True)] == ["b.yaml"]


def test_every_file_excluded_is_an_error_not_an_empty_pass(tree: Path) -> None:
    (target,) = discover(["sub"], ["sub/*"])
    assert target.problem is not None and target.problem.is_error
    assert "every .yaml or .yml file in this directory is excluded" in target.problem.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_found_in_a_directory_is_skipped_not_read(tree: Path) -> None:
    os.mkfifo(tree / "sub" / "pipe.yaml")  # reading it would block the run for ever
    assert "sub/pipe.yaml" not in found(["."], [])
    assert [t.path for t in discover(["sub/pipe.yaml"])] == ["sub/pipe.yaml"]  # named: read


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any directory")
def test_an_unreadable_directory_is_an_error(tree: Path) -> None:
    (tree / "sub" / "deep").chmod(0)
    try:
        problems = [t.problem for t in discover(["."]) if t.problem is not None]
    finally:
        (tree / "sub" / "deep").chmod(0o755)
    assert [(p.rule_id, p.is_error) for p in problems] == [("unreadable", True)]
    assert "cannot read directory" in problems[0].message


def test_a_directory_that_cannot_be_listed_is_an_error(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the test above, for any user (root reads any directory): os.walk's listing fails."""
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if os.path.basename(os.fspath(path)) == "deep":
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    targets = list(discover(["."]))
    problems = [t.problem for t in targets if t.problem is not None]
    assert [(p.rule_id, p.path) for p in problems] == [
        ("unreadable", os.path.join(".", "sub", "deep"))
    ]
    assert problems[0].is_error and "Permission denied" in problems[0].message
    assert len(targets) == 1 + len(found(["."], ["deep"]))  # the rest still checked


def test_a_file_named_and_found_in_a_named_directory_is_checked_once(tree: Path) -> None:
    assert found(["a.yaml", ".", "./a.yaml", str(tree / "sub")], []) == [
        "a.yaml",
        os.path.join("sub", "b.yaml"),
        os.path.join("sub", "skip-c.yml"),
        os.path.join("sub", "deep", "d.yaml"),
    ]


def test_upper_case_extensions_are_found(tree: Path) -> None:
    (tree / "sub" / "E.YAML").write_text("matland: 1\n")
    (tree / "sub" / "f.Yml").write_text("matland: 1\n")
    assert found(["sub"], ["deep"]) == [
        os.path.join("sub", name) for name in ("E.YAML", "b.yaml", "f.Yml", "skip-c.yml")
    ]


def test_a_tree_deeper_than_python_can_recurse_is_walked_and_bounded(tmp_path: Path) -> None:
    """A hostile tree of 1,200 levels: no RecursionError, no quadratic walk; the files down
    to MAX_DEPTH are found, what lies below is an error naming where the walk stopped."""
    import time

    from matland.source.discovery import MAX_DEPTH

    os.chdir(tmp_path)
    path = "top"
    os.mkdir(path)
    for _ in range(1200):  # os.makedirs itself recurses
        path = os.path.join(path, "d")
        os.mkdir(path)
    for level in (0, MAX_DEPTH, 1200):
        at = os.path.join("top", *(["d"] * level), f"p{level}.yaml")
        Path(at).write_text("matland: 1\n")
    started = time.perf_counter()
    try:
        targets = list(discover(["top"]))
    finally:  # shutil.rmtree, pytest's clean-up, recurses too: taken down here, bottom up
        for level in range(1200, -1, -1):
            at = os.path.join("top", *(["d"] * level))
            for name in os.listdir(at):
                if name.endswith(".yaml"):
                    os.remove(os.path.join(at, name))
            os.rmdir(at)
    assert time.perf_counter() - started < 2
    paths = [t.path for t in targets if t.problem is None]
    assert [os.path.basename(p) for p in paths] == ["p0.yaml", f"p{MAX_DEPTH}.yaml"]
    problems = [t.problem for t in targets if t.problem is not None]
    assert [(p.rule_id, p.is_error) for p in problems] == [("too-deep", True)]
    assert problems[0].path == os.path.join("top", *(["d"] * MAX_DEPTH))
