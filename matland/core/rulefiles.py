"""Rules files beyond the five the core loads (workshop.yaml, review.yaml), read the same way.

knowledge.py loads questions, paradigms, classification, support and risks into Knowledge;
a command that needs another file of rules/ reads it here: from the bundled rules or the
--rules directory, through yamlpos (size cap, positions), validated by a pydantic model, a
problem raised as KnowledgeError with file:line so the CLI prints it and exits 2.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from matland.core import invalid
from matland.core.findings import Finding
from matland.core.knowledge import KnowledgeError, bundled_rules
from matland.core.yamlpos import YamlProblem, load

M = TypeVar("M", bound=BaseModel)


def rules_file(name: str, rules_dir: str | None = None) -> Path:
    root = Path(rules_dir) if rules_dir else bundled_rules()
    return root / f"{name}.yaml"


@functools.lru_cache(maxsize=16)
def load_rules_file(name: str, model: type[M], rules_dir: str | None = None) -> M:
    """`rules/<name>.yaml` validated by `model`; raises KnowledgeError naming file:line."""
    path = rules_file(name, rules_dir)
    if not path.is_file():
        raise KnowledgeError(
            [
                Finding(
                    str(path),
                    1,
                    1,
                    "rules-missing",
                    "error",
                    f"rules file {name}.yaml is missing",
                    f"copy {name}.yaml from matland's bundled rules into this directory",
                )
            ]
        )
    try:
        document = load(str(path))
    except YamlProblem as problem:
        raise KnowledgeError([problem.finding(str(path))]) from problem
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        findings = invalid.findings(
            error,
            str(path),
            "invalid-rules",
            lambda loc, _: document.position(loc),
            invalid.as_given,
        )
        raise KnowledgeError(findings) from error
