from __future__ import annotations

import shutil
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


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    def run(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)

    return run


EXAMPLES = Path(__file__).parents[1] / "examples"


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Make a tree a CI job would check by relative paths: the examples (not the workshop),
    the Troubled Families example accepting risks (`accepted`), and `proposals/` files."""

    def make(accepted: str, proposals: dict[str, str]) -> Path:
        return _checkout(tmp_path, monkeypatch, accepted, proposals)

    return make


def _checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, accepted: str, proposals: dict[str, str]
) -> Path:
    shutil.copytree(EXAMPLES, tmp_path / "examples", ignore=shutil.ignore_patterns("workshop"))
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
