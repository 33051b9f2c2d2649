from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from matland.assessment import Assessment, assess
from matland.cli import cli
from matland.knowledge import Knowledge, load_knowledge
from matland.load import proposal_from_document
from matland.yamlpos import parse


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
