"""The result cache: a second run takes unchanged files from it, and prints the same."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from matland.check import resultcache
from matland.check.resultcache import shard_of
from matland.render import formats

EXAMPLES = Path(__file__).parents[2] / "examples"
CHECK_FORMATS = formats("check")


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The examples in a repository of their own, checked from its root."""
    root = tmp_path / "repo"
    shutil.copytree(
        EXAMPLES, root / "examples", ignore=shutil.ignore_patterns("workshop", "review")
    )
    (root / ".git").mkdir()
    monkeypatch.chdir(root)
    monkeypatch.setenv("MATLAND_CACHE_DIR", str(tmp_path / "cache"))
    return root


def entries(cache: Path) -> dict[str, dict[str, object]]:
    """Every shard's entries together."""
    found: dict[str, dict[str, object]] = {}
    for shard in sorted(cache.glob("r-*.json")):
        found.update(json.loads(shard.read_text(encoding="utf-8"))["entries"])
    return found


def shards(cache: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(cache.glob("r-*.json"))}


@pytest.mark.parametrize("fmt", CHECK_FORMATS)
def test_every_format_prints_the_same_with_the_cache_and_without(
    tree: Path, run_cli: Callable[..., Result], fmt: str
) -> None:
    args = ["check", "examples", "--format", fmt, "--fail-on", "low"]
    outputs = ["--output", f"sarif:{tree / 'out.sarif'}", "--output", f"junit:{tree / 'out.xml'}"]
    plain = run_cli(*args, *outputs, "--no-cache")

    def files() -> tuple[str, str]:
        return (tree / "out.sarif").read_text(), (tree / "out.xml").read_text()

    written = files()
    assert not (tree.parent / "cache").exists()  # --no-cache: nothing written
    first, second = run_cli(*args, *outputs), run_cli(*args, *outputs)  # filled, then read
    assert (tree.parent / "cache" / "index.json").is_file()
    for run in (first, second):
        assert (run.output, run.exit_code) == (plain.output, plain.exit_code)
        assert files() == written
    assert plain.exit_code == 1


def test_the_cache_goes_to_the_repository_root_with_a_gitignore(
    tree: Path, run_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MATLAND_CACHE_DIR")
    monkeypatch.chdir(tree / "examples")
    run_cli("check", "care-act-2014.yaml", "--fail-on", "never")
    assert (tree / ".matland_cache" / ".gitignore").read_text().splitlines()[-1] == "*"
    assert len(entries(tree / ".matland_cache")) == 1


def test_from_outside_a_repository_the_cache_goes_to_the_checked_files_or_nowhere(
    tree: Path, run_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MATLAND_CACHE_DIR")
    elsewhere = tree.parent / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # no repository here, nor above
    run_cli("check", str(tree / "examples" / "care-act-2014.yaml"), "--fail-on", "never")
    assert len(entries(tree / ".matland_cache")) == 1  # the checked file's repository
    loose = elsewhere / "loose.yaml"
    shutil.copy(tree / "examples" / "care-act-2014.yaml", loose)
    assert run_cli("check", "loose.yaml", "--fail-on", "never").exit_code == 0
    assert not (elsewhere / ".matland_cache").exists()  # outside any repository: no cache


def test_cache_dir_comes_from_the_flag_or_the_config(
    tree: Path, run_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MATLAND_CACHE_DIR")
    (tree / ".matland.yaml").write_text("cache-dir: build/matland\n")
    run_cli("check", "examples/care-act-2014.yaml", "--fail-on", "never")
    assert len(entries(tree / "build" / "matland")) == 1
    run_cli("check", "examples", "--fail-on", "never", "--cache-dir", str(tree / "elsewhere"))
    assert len(entries(tree / "elsewhere")) == 6


def test_a_changed_file_is_checked_again_and_a_deleted_one_pruned(
    tree: Path, run_cli: Callable[..., Result]
) -> None:
    cache = tree.parent / "cache"
    run_cli("check", "examples", "--fail-on", "never")
    before = entries(cache)
    changed = tree / "examples" / "care-act-2014.yaml"
    changed.write_text(changed.read_text().replace("title: ", "title: New ", 1))
    (tree / "examples" / "nhs-vanguard.yaml").unlink()
    result = run_cli("check", "examples", "--fail-on", "never")
    assert "New " in result.output and "nhs-vanguard" not in result.output
    after = entries(cache)
    assert len(after) == len(before) - 1
    key = str(changed.resolve())
    assert after[key]["key"] != before[key]["key"]
    same = [path for path in after if path != key]
    assert all(after[path] == before[path] for path in same)


@pytest.mark.parametrize(
    "damage",
    [
        "not json at all",
        '{"matland-results": 99, "entries": {}}',
        "[1, 2, 3]",
    ],
)
def test_a_corrupt_or_foreign_cache_is_ignored_and_rewritten(
    tree: Path, run_cli: Callable[..., Result], damage: str
) -> None:
    cache = tree.parent / "cache"
    plain = run_cli("check", "examples", "--no-cache", "--format", "sarif")
    run_cli("check", "examples", "--format", "sarif")
    for name in [*shards(cache), "index.json"]:
        (cache / name).write_text(damage)
    assert run_cli("check", "examples", "--format", "sarif").output == plain.output
    assert len(entries(cache)) == 6
    assert json.loads((cache / "index.json").read_text())["paths"]  # rewritten too


def test_an_entry_of_the_wrong_shape_is_never_trusted(
    tree: Path, run_cli: Callable[..., Result]
) -> None:
    cache = tree.parent / "cache"
    plain = run_cli("check", "examples", "--no-cache")
    run_cli("check", "examples")
    before = entries(cache)
    for number, shard in enumerate(sorted(cache.glob("r-*.json"))):
        data = json.loads(shard.read_text())
        for entry in data["entries"].values():
            piece = entry["pieces"]["text"]
            if number % 2:
                piece[3] = "0"  # the exit code as text
            else:
                piece[6] = [["a forged finding"]]
        shard.write_text(json.dumps(data))
    forged = entries(cache)
    assert run_cli("check", "examples").output == plain.output
    assert entries(cache) != forged and entries(cache) == before  # rewritten


def test_another_files_entry_is_never_taken(tree: Path, run_cli: Callable[..., Result]) -> None:
    """An entry holds the key it was made under: moved to another file's name, in that
    file's shard or in any other, it is a miss."""
    cache = tree.parent / "cache"
    plain = run_cli("check", "examples", "--no-cache")
    run_cli("check", "examples")
    paths = list(entries(cache))
    moved = {path: entries(cache)[paths[paths.index(path) - 1]] for path in paths}
    for shard in cache.glob("r-*.json"):
        shard.write_text(json.dumps({"matland-results": 2, "entries": moved}))
    assert run_cli("check", "examples").output == plain.output
    assert entries(cache) != moved
    for shard in cache.glob("r-*.json"):  # each keeps its own entries only
        assert all(shard_of(p) == shard.name for p in json.loads(shard.read_text())["entries"])


def test_a_run_reads_and_writes_only_the_shards_it_needs(
    tree: Path, run_cli: Callable[..., Result]
) -> None:
    cache = tree.parent / "cache"
    run_cli("check", "examples", "--fail-on", "never")
    assert len(shards(cache)) > 1  # six files, spread over the shards
    before = shards(cache)
    one = tree / "examples" / "care-act-2014.yaml"
    own = shard_of(str(one.resolve()))
    for name in before:  # a shard the run does not need is never read
        if name != own:
            (cache / name).write_text("not json: never read")
    shown = "examples/care-act-2014.yaml"  # as the first run showed it: the same key
    plain = run_cli("check", shown, "--no-cache", "--fail-on", "never")
    assert run_cli("check", shown, "--fail-on", "never").output == plain.output
    assert (cache / own).read_bytes() == before[own]  # a hit: nothing written
    one.write_text(one.read_text().replace("title: ", "title: New ", 1))
    run_cli("check", shown, "--fail-on", "never")
    after = shards(cache)
    assert after[own] != before[own]  # the changed file's shard, and no other, rewritten
    assert all(after[name] == b"not json: never read" for name in after if name != own)


def test_the_cache_of_an_older_matland_is_removed(
    tree: Path, run_cli: Callable[..., Result]
) -> None:
    cache = tree.parent / "cache"
    cache.mkdir()
    (cache / "results.json").write_text('{"matland-results": 1, "entries": {}}')
    run_cli("check", "examples")
    assert not (cache / "results.json").exists() and len(entries(cache)) == 6


def test_two_runs_at_once_never_leave_a_broken_cache(tree: Path) -> None:
    """Runs that check and change files side by side: the shards and the index always
    read, and a later run prints what a run without the cache prints."""
    cache = tree.parent / "cache"
    env = {**os.environ, "MATLAND_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "matland", "check", "examples", "--fail-on", "never"]
    files = sorted((tree / "examples").glob("*.yaml"))
    for round_ in range(3):
        for number, path in enumerate(files):  # a change the runs race to store
            if (number + round_) % 2:
                path.write_text(path.read_text().replace("title: ", "title: X", 1))
        runs = [subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL) for _ in range(3)]
        assert all(run.wait() == 0 for run in runs)
        for name in [*shards(cache), "index.json"]:
            assert json.loads((cache / name).read_text())["matland-results"] == 2
    plain = subprocess.run([*command, "--no-cache"], capture_output=True, env=env)
    cached = subprocess.run(command, capture_output=True, env=env)
    assert cached.stdout == plain.stdout


def test_other_options_are_other_results(tree: Path, run_cli: Callable[..., Result]) -> None:
    plain = run_cli("check", "examples", "--require-complete", "--no-cache")
    run_cli("check", "examples")
    assert run_cli("check", "examples", "--require-complete").output == plain.output
    lower = run_cli("check", "examples", "--fail-on", "info", "--no-cache")
    assert run_cli("check", "examples", "--fail-on", "info").exit_code == lower.exit_code


def test_a_settled_unchanged_file_is_known_by_its_stat_and_not_read(
    tree: Path, run_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resultcache, "SETTLED_NS", -(10**15))  # every file long settled
    plain = run_cli("check", "examples", "--no-cache")
    run_cli("check", "examples")
    opened: list[str] = []

    def spy(path: str, *args: object, **kwargs: object) -> object:
        opened.append(path)
        return open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(resultcache, "open", spy, raising=False)
    assert run_cli("check", "examples").output == plain.output
    assert not [path for path in map(str, opened) if path.endswith(".yaml")]
    # Written over with text of the same size, its mtime put back: its ctime says so.
    changed = tree / "examples" / "care-act-2014.yaml"
    stat = changed.stat()
    text = changed.read_text()
    changed.write_text(text.replace("title: ", "title= ", 1))
    os.utime(changed, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert "title= " not in plain.output
    again = run_cli("check", "examples", "--no-cache").output
    assert run_cli("check", "examples").output == again != plain.output


def test_a_file_hashed_just_after_a_change_is_read_again_next_time(
    tree: Path, run_cli: Callable[..., Result]
) -> None:
    """A file changed within the timestamps' granularity of its hashing keeps no stat."""
    cache = tree.parent / "cache"
    run_cli("check", "examples")
    assert all(entry["stat"] is None for entry in entries(cache).values())


def test_a_cache_forged_on_another_machine_matches_nothing(
    tree: Path, run_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pull request can commit a `.matland_cache` whose entries say a failing proposal
    passes. Its keys were made with its author's secret, not this user's: every entry
    misses and the files are checked."""
    plain = run_cli("check", "examples", "--no-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tree.parent / "attacker"))
    run_cli("check", "examples")
    for shard in (tree.parent / "cache").glob("r-*.json"):
        data = json.loads(shard.read_text(encoding="utf-8"))
        for entry in data["entries"].values():
            for piece in entry["pieces"].values():
                piece[4] = "FORGED, all good\n"
        shard.write_text(json.dumps(data), encoding="utf-8")
    assert "FORGED" in run_cli("check", "examples").output  # the forger's own key matches
    monkeypatch.setenv("XDG_CACHE_HOME", str(tree.parent / "victim"))
    assert run_cli("check", "examples").output == plain.output
    assert run_cli("check", "examples").output == plain.output  # rewritten, then a hit
