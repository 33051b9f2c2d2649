"""A warm check: the rules from the user's cache and a plain file's envelope checked
without pydantic print exactly what the reference prints (the rules read and validated, the
envelope validated by its pydantic model), for every example, every invalid file in
tests/data/bad and every format; and such a run imports no pydantic at all."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

from matland.core.knowledge import load_knowledge
from matland.render import formats
from matland.source import load as loading

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted(ROOT.glob("examples/*.yaml")) + sorted(ROOT.glob("examples/review/*.yaml"))
FOLDERS = [ROOT / "examples", ROOT / "tests" / "data" / "bad"]
Run = Callable[..., Result]


def _runs(run_cli: Run) -> list[tuple[str, ...]]:
    """Every command's output: check over the examples and the bad files in each format,
    report of each example in each of its formats."""
    outputs = []
    for folder in FOLDERS:
        for fmt in formats("check"):
            done = run_cli("check", str(folder), "--format", fmt, "--no-cache", "--jobs", "1")
            outputs.append((fmt, str(folder), done.output, str(done.exit_code)))
    for path in EXAMPLES:
        for fmt in formats("report"):
            if fmt != "brief":  # the brief is a PDF of the same content as brief-md
                done = run_cli("report", str(path), "--format", fmt)
                outputs.append((fmt, path.name, done.output, str(done.exit_code)))
    return outputs


@pytest.fixture
def rules_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(ROOT)  # the repository's own .matland.yaml, if any, as a user's
    load_knowledge.cache_clear()
    yield tmp_path / "xdg" / "matland"
    load_knowledge.cache_clear()


def test_every_format_prints_the_same_warm_and_from_the_reference(
    rules_cache: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as reference:  # the pydantic models decide every envelope
        reference.setattr(loading, "quick_envelope", lambda data: None)
        expected = _runs(run_cli)  # rules read and validated: nothing in the cache yet
    assert list(rules_cache.glob("rules-*.pickle"))
    load_knowledge.cache_clear()  # the rules from the cache this time
    warm = _runs(run_cli)
    for got, wanted in zip(warm, expected, strict=True):
        assert got == wanted


PROBE = """
import atexit, sys
def said():
    families = [name for name in sys.modules if name.startswith("matland.cli.") and
                name not in ("matland.cli.main", "matland.cli.launch")]
    sys.stderr.write("families loaded: %s\\n" % families)
    sys.stderr.write("yaml loaded: %s\\n" % ("yaml" in sys.modules))
    sys.stderr.write("pydantic loaded: %s\\n" % ("pydantic" in sys.modules))
atexit.register(said)
sys.argv = ["matland", *sys.argv[1:]]
from matland.cli.launch import main
main()
"""


def _loads_pydantic(args: list[str], env: dict[str, str], cwd: Path) -> bool:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, cwd=cwd
    )
    assert done.returncode in (0, 1), done.stderr
    if args != ["--version"]:  # a check or report loads no other command's module either
        assert done.stderr.splitlines()[-3] == "families loaded: []"
    return done.stderr.splitlines()[-1] == "pydantic loaded: True"


@pytest.mark.parametrize(
    "args",
    [
        ["check", "one.yaml"],
        ["check", "one.yaml", "--no-cache"],
        ["check", "one.yaml", "--format", "sarif"],
        ["report", "one.yaml"],
        ["--version"],
    ],
    ids=" ".join,
)
def test_a_warm_run_on_a_valid_file_imports_no_pydantic(args: list[str], tmp_path: Path) -> None:
    (tmp_path / "one.yaml").write_bytes((ROOT / "examples" / "care-act-2014.yaml").read_bytes())
    (tmp_path / ".matland.yaml").write_text("fail-on: never\nexclude: [drafts]\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    env["MATLAND_CACHE_DIR"] = str(tmp_path / "results")
    assert _loads_pydantic(["check", "one.yaml"], env, tmp_path)  # cold: rules validated
    assert not _loads_pydantic(args, env, tmp_path)
    (tmp_path / "odd.yaml").write_text("matland: 1\npolicy: {title: ' padded '}\n")
    assert _loads_pydantic(["check", "odd.yaml"], env, tmp_path)  # the model decides


def test_the_table_of_command_families_names_each_familys_commands() -> None:
    import importlib

    from matland.cli import main

    for module in set(main.FAMILIES.values()):
        importlib.import_module(module)
    registered = {
        name: command.callback.__module__
        for name, command in main.cli.commands.items()
        if command.callback is not None and command.callback.__module__ != main.__name__
    }
    assert registered == main.FAMILIES


def test_a_check_of_an_unchanged_file_parses_no_yaml(tmp_path: Path) -> None:
    """A pre-commit hook's usual run: the file and the config as they were last time, so
    the output comes from the result cache and the config from the user's cache, and
    PyYAML is never imported. A changed file is parsed."""
    one = tmp_path / "one.yaml"
    one.write_bytes((ROOT / "examples" / "care-act-2014.yaml").read_bytes())
    (tmp_path / ".matland.yaml").write_text("fail-on: never\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    env["MATLAND_CACHE_DIR"] = str(tmp_path / "results")

    def yaml_loaded() -> bool:
        done = subprocess.run(
            [sys.executable, "-c", PROBE, "check", "one.yaml"],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr
        return done.stderr.splitlines()[-2] == "yaml loaded: True"

    assert yaml_loaded()  # the first run parses the file and the config
    assert not yaml_loaded()
    one.write_text(one.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert yaml_loaded()
