"""The plain records matland holds and the pydantic models that validate them say the same:
the same fields in the same order, the same defaults, and the same data once dumped."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from matland.core import model, proposalfile, rulemodels
from matland.core.knowledge import RECORDS, bundled_rules
from matland.core.records import as_dict, from_model
from matland.core.yamlpos import load

EXAMPLES = Path(__file__).parents[2] / "examples"

RULE_MODELS = {
    "questions": rulemodels.QuestionsFile,
    "paradigms": rulemodels.ParadigmsFile,
    "classification": rulemodels.Classification,
    "support": rulemodels.SupportFile,
    "risks": rulemodels.RisksFile,
    "sources": rulemodels.SourcesFile,
}


def _same_fields(model: type[BaseModel], record: type[Any]) -> None:
    fields = {f.name: f for f in dataclasses.fields(record)}
    assert list(fields) == list(model.model_fields), record.__name__
    for name, info in model.model_fields.items():
        made = fields[name]
        if info.is_required():
            assert made.default is made.default_factory is dataclasses.MISSING, name
            continue
        default = made.default if made.default_factory is dataclasses.MISSING else None
        if made.default_factory is not dataclasses.MISSING:
            default = made.default_factory()
        assert from_model(info.get_default(), RECORDS) == default, (record.__name__, name)


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_each_rules_record_has_its_models_fields_and_defaults(name: str) -> None:
    _same_fields(getattr(rulemodels, name), RECORDS[name])


@pytest.mark.parametrize("name", sorted(RULE_MODELS))
def test_a_rules_file_as_records_dumps_as_its_model_does(name: str) -> None:
    model = RULE_MODELS[name]
    validated = model.model_validate(load(str(bundled_rules() / f"{name}.yaml")).data)
    made = from_model(validated, RECORDS)
    assert type(made) is RECORDS[model.__name__]
    assert as_dict(made) == validated.model_dump()
    assert as_dict(made, exclude_none=True) == validated.model_dump(exclude_none=True)


@pytest.mark.parametrize("name", sorted(model.RECORDS))
def test_each_part_of_a_proposal_has_its_models_fields_and_defaults(name: str) -> None:
    _same_fields(getattr(proposalfile, name), model.RECORDS[name])


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_a_proposal_as_records_dumps_as_its_model_does(path: Path) -> None:
    validated = proposalfile.ProposalFile.model_validate(load(str(path)).data)
    made = from_model(validated, model.RECORDS)
    assert as_dict(made) == validated.model_dump()
    assert as_dict(made.policy, exclude_none=True) == validated.policy.model_dump(exclude_none=True)
