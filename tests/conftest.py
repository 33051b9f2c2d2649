from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from matland.cli.main import cli
from matland.core.assessment import Assessment, assess
from matland.core.knowledge import Knowledge, load_knowledge
from matland.core.yamlpos import parse
from matland.source.load import proposal_from_document


@pytest.fixture(autouse=True, scope="session")
def _caches_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """matland's caches (the validated rules, the results) go to this run's temporary
    folder, never into the repository or the user's home; CLI runs in subprocesses inherit
    the variables."""
    caches = tmp_path_factory.mktemp("caches")
    saved = {name: os.environ.get(name) for name in ("XDG_CACHE_HOME", "MATLAND_CACHE_DIR")}
    os.environ["XDG_CACHE_HOME"] = str(caches / "xdg")
    os.environ["MATLAND_CACHE_DIR"] = str(caches / "results")
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the current output"
    )


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return load_knowledge()


def proposal_data(answers: dict[str, Any] | None = None, **rest: Any) -> dict[str, Any]:
    return {"matland": 1, "policy": {"title": "Test policy"}, "answers": answers or {}, **rest}


@pytest.fixture
def assess_data(knowledge: Knowledge) -> Callable[..., Assessment]:
    """Assess a proposal given as data (dumped to YAML first, so positions are real)."""

    def run(answers: dict[str, Any] | None = None, **rest: Any) -> Assessment:
        text = yaml.safe_dump(proposal_data(answers, **rest), sort_keys=False)
        proposal, errors = proposal_from_document("test.yaml", parse(text), knowledge)
        assert proposal is not None, [e.one_line() for e in errors]
        return assess(proposal, knowledge)

    return run


@pytest.fixture(autouse=True)
def _not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text is laid out for 80 columns, as for a pipe or a CI log, whatever terminal (or
    `COLUMNS`) the tests are run from."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal wide enough for every table at full width: for tests of what a line
    holds, not of how it wraps."""
    monkeypatch.setenv("COLUMNS", "400")


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    def run(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)

    return run


EXAMPLES = Path(__file__).parents[1] / "examples"


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Make a tree a CI job would check by relative paths: the example proposals (not the
    workshop, nor the review files of examples/review, which have their own goldens),
    the Troubled Families example accepting risks (`accepted`), and `proposals/` files."""

    def make(accepted: str, proposals: dict[str, str]) -> Path:
        return _checkout(tmp_path, monkeypatch, accepted, proposals)

    return make


def _checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, accepted: str, proposals: dict[str, str]
) -> Path:
    shutil.copytree(
        EXAMPLES, tmp_path / "examples", ignore=shutil.ignore_patterns("workshop", "review")
    )
    folder = tmp_path / "proposals"
    folder.mkdir()
    troubled = (EXAMPLES / "troubled-families.yaml").read_text(encoding="utf-8")
    (folder / "accepted.yaml").write_text(troubled + accepted, encoding="utf-8")
    for name, text in proposals.items():
        (folder / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def outside_the_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Run matland from an empty directory, so no project `.matland.yaml` or
    `[tool.matland]` (fail-on, format, exclude) changes what a test sees."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path_factory.mktemp("cwd"))
        yield


# ------------------------------------------------------------------ a live workshop server

SERVE = ["workshop", "serve", "--bind", "127.0.0.1", "--title", "Hubs", "--roles", "a,b"]


class ServedWorkshop:
    """`matland workshop serve` in a subprocess on 127.0.0.1, its start-up lines read."""

    def __init__(self, store: Path, port: int = 0, extra: tuple[str, ...] = ()) -> None:
        args = [sys.executable, "-m", "matland", *SERVE, "--store", str(store), *extra]
        self.process = subprocess.Popen(
            [*args, "--port", str(port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: dict[str, str] = {}
        assert self.process.stdout is not None
        deadline = time.monotonic() + 30
        while "store" not in self.lines and time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            key, _, value = line.strip().partition(": ")
            self.lines[key] = value
        assert "join" in self.lines, self.process.stderr.read() if self.process.stderr else ""
        self.url = self.lines["join"].rstrip("/")
        self.port = int(self.url.rsplit(":", 1)[1])

    def stop(self, sig: int = signal.SIGINT) -> tuple[int, str]:
        self.process.send_signal(sig)
        try:
            _, err = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate()
        return self.process.returncode, err


@pytest.fixture
def serve_workshop() -> Iterator[Callable[..., ServedWorkshop]]:
    """Start `matland workshop serve` on 127.0.0.1 (a free port unless given); every server
    started is killed at the end if it still runs."""
    started: list[ServedWorkshop] = []

    def start(store: Path, port: int = 0, extra: tuple[str, ...] = ()) -> ServedWorkshop:
        server = ServedWorkshop(store, port, extra)
        started.append(server)
        return server

    yield start
    for server in started:
        if server.process.poll() is None:
            server.process.kill()
        server.process.communicate()  # closes its pipes too
