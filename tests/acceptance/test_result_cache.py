"""The result cache: a second run takes unchanged files from it, and prints the same."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

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
    data = json.loads((cache / "results.json").read_text(encoding="utf-8"))
    return data["entries"]  # type: ignore[no-any-return]


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
    assert (tree.parent / "cache" / "results.json").is_file()
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
    cache.mkdir()
    (cache / "results.json").write_text(damage)
    assert run_cli("check", "examples", "--format", "sarif").output == plain.output
    assert len(entries(cache)) == 6


def test_an_entry_of_the_wrong_shape_is_never_trusted(
    tree: Path, run_cli: Callable[..., Result]
) -> None:
    cache = tree.parent / "cache"
    plain = run_cli("check", "examples", "--no-cache")
    run_cli("check", "examples")
    data = json.loads((cache / "results.json").read_text())
    for number, entry in enumerate(data["entries"].values()):
        piece = entry["pieces"]["text"]
        if number % 2:
            piece[3] = "0"  # the exit code as text
        else:
            piece[6] = [["a forged finding"]]
    (cache / "results.json").write_text(json.dumps(data))
    assert run_cli("check", "examples").output == plain.output
    assert entries(cache) != data["entries"]  # rewritten


def test_other_options_are_other_results(tree: Path, run_cli: Callable[..., Result]) -> None:
    plain = run_cli("check", "examples", "--require-complete", "--no-cache")
    run_cli("check", "examples")
    assert run_cli("check", "examples", "--require-complete").output == plain.output
    lower = run_cli("check", "examples", "--fail-on", "info", "--no-cache")
    assert run_cli("check", "examples", "--fail-on", "info").exit_code == lower.exit_code
