"""The JSON Schema of the proposal format, from the pydantic models plus the questionnaire.

Editors validate with `# yaml-language-server: $schema=…`; check-jsonschema accepts every file
matland accepts (benchmarks/bench_check.py proves it on generated files).
"""

from __future__ import annotations

from typing import Any

from matland.core.knowledge import Knowledge, Question
from matland.core.model import FORMAT_VERSION
from matland.core.proposalfile import ProposalFile
from matland.core.reviewfile import REVIEW_KEY, REVIEW_VERSION, ReviewFile
from matland.core.reviewrules import ReviewRules
from matland.core.vocabulary import DIMENSIONS, NA, UNSURE

_X_KEYS: dict[str, Any] = {"^x-": {}}


def _value_schema(question: Question) -> dict[str, Any]:
    # `n/a` (does not apply) for every item but the twelve that place the policy
    words = [UNSURE] if question.group in DIMENSIONS else [UNSURE, NA]
    if question.type == "bool":
        value: dict[str, Any] = {"type": "boolean"}
    elif question.type == "count":
        value = {"type": "integer", "minimum": 1}
    else:
        value = {"type": "integer", "minimum": 1, "maximum": 5}
    return {"anyOf": [value, {"enum": words}]}


def _answer_schema(question: Question) -> dict[str, Any]:
    value = _value_schema(question)
    described = {"description": question.text, **value}
    return {
        "description": question.text,
        "anyOf": [
            described,
            {
                "type": "object",
                "required": ["value"],
                "additionalProperties": False,
                "patternProperties": _X_KEYS,
                "properties": {"value": value, "note": {"type": ["string", "null"]}},
            },
        ],
    }


def _close(node: Any) -> None:
    """Every object in the schema rejects unknown keys but allows the user's `x-` keys."""
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            node["additionalProperties"] = False
            node.setdefault("patternProperties", _X_KEYS)
        for value in node.values():
            _close(value)
    elif isinstance(node, list):
        for value in node:
            _close(value)


def proposal_schema(knowledge: Knowledge) -> dict[str, Any]:
    schema = ProposalFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "matland proposal (format version 1)"
    properties = schema["properties"]
    properties["matland"] = {"const": FORMAT_VERSION, "description": "format version"}
    properties["answers"] = {
        "anyOf": [
            {
                "type": "object",
                "additionalProperties": False,
                "patternProperties": _X_KEYS,
                "properties": {q.id: _answer_schema(q) for q in knowledge.questions.values()},
            },
            {"type": "null"},
        ]
    }
    ids = sorted(knowledge.support_ids)
    properties["support_plan"] = {
        "anyOf": [{"type": "array", "items": {"enum": ids}}, {"type": "null"}]
    }
    for key in ("stakeholders", "accepted_risks", "lessons"):
        properties[key] = {"anyOf": [properties[key], {"type": "null"}]}
    _close(schema)
    return schema


def review_schema(knowledge: Knowledge, rules: ReviewRules) -> dict[str, Any]:
    """The review file (`matland-review: 1`, docs/review-v1.md). Which risks and approaches
    a review may name depends on the proposal it reviews: the schema allows any known id,
    and `matland check` holds a review to its proposal."""
    schema = ReviewFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "matland review (format version 1)"
    schema["required"] = [REVIEW_KEY, *schema.get("required", [])]
    properties = {
        REVIEW_KEY: {"const": REVIEW_VERSION, "description": "review format version"},
        **schema["properties"],
    }
    defs = schema["$defs"]

    def entries(ids: list[str], model: str) -> dict[str, Any]:
        ref = {"$ref": f"#/$defs/{model}"}
        mapping = {"type": "object", "properties": dict.fromkeys(ids, ref)}
        return {"anyOf": [mapping, {"type": "null"}]}

    properties["criteria"] = entries(list(rules.criterion_ids), "CriterionRating")
    properties["risks"] = entries(sorted(knowledge.risk_ids), "RiskOutcome")
    properties["support"] = entries(sorted(knowledge.support_ids), "SupportOutcome")
    for name in ("RiskOutcome", "SupportOutcome"):  # YAML reads a bare yes / no as a boolean
        field = "materialised" if name == "RiskOutcome" else "delivered"
        defs[name]["properties"][field] = {
            "anyOf": [defs[name]["properties"][field], {"type": "boolean"}]
        }
    items = [*knowledge.dimension_items("ambiguity"), *knowledge.dimension_items("conflict")]
    properties["reanswered"] = {
        "anyOf": [
            {
                "type": "object",
                "properties": {q: _answer_schema(knowledge.questions[q]) for q in items},
            },
            {"type": "null"},
        ]
    }
    schema["properties"] = properties
    _close(schema)
    return schema
