from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from matland.core.conditions import (
    ConditionError,
    Vocabulary,
    compile_condition,
    stakeholder_fields,
)
from matland.core.model import AnswerValue, Stakeholder

VOCABULARY = Vocabulary(
    {"funding_gap": "scale", "pilot": "bool", "implementing_bodies": "count", "stakes": "scale"}
)


@dataclass
class FakeFacts:
    values: Mapping[str, AnswerValue] = field(default_factory=dict)
    unsure: frozenset[str] = frozenset()
    not_applicable: frozenset[str] = frozenset()
    scores: Mapping[str, float | None] = field(
        default_factory=lambda: {"ambiguity": 70.0, "conflict": 20.0}
    )
    paradigm: str | None = "experimental"
    membership: Mapping[str, float] | None = None
    stats: Mapping[str, float] = field(
        default_factory=lambda: {"answered_share": 0.5, "unsure_count": 1, "missing_count": 3}
    )
    stakeholders: tuple[Stakeholder, ...] = ()
    plan_ratings: tuple[Mapping[str, str], ...] = ()
    counts: dict[Any, int] = field(default_factory=dict)

    @property
    def paradigms(self) -> tuple[str, ...]:
        return (self.paradigm,) if self.paradigm else ()

    @property
    def stakeholder_fields(self) -> tuple[Mapping[str, str], ...]:
        return stakeholder_fields(self.stakeholders)


def holds(raw: Any, **facts: Any) -> bool:
    return compile_condition(raw, VOCABULARY).evaluate(FakeFacts(**facts)).fired


def test_comparisons_on_answers() -> None:
    assert holds("funding_gap >= 4", values={"funding_gap": 4})
    assert not holds("funding_gap >= 4", values={"funding_gap": 3})
    assert holds("implementing_bodies > 100", values={"implementing_bodies": 152})
    assert holds("pilot == true", values={"pilot": True})
    assert holds("funding_gap in [4, 5]", values={"funding_gap": 5})


def test_missing_or_unsure_answer_never_fires_whatever_the_operator() -> None:
    for text in ("funding_gap >= 1", "funding_gap != 3", "funding_gap < 5"):
        assert not holds(text)
        assert not holds(text, unsure=frozenset({"funding_gap"}))


def test_states() -> None:
    assert holds("funding_gap is unsure", unsure=frozenset({"funding_gap"}))
    assert holds("funding_gap is missing")
    assert not holds("funding_gap is missing", values={"funding_gap": 2})
    assert holds("funding_gap is answered", values={"funding_gap": 2})


def test_composition_and_triggers() -> None:
    condition = compile_condition(
        {"all": ["funding_gap >= 4", {"any": ["pilot == false", "stakes >= 4"]}]}, VOCABULARY
    )
    outcome = condition.evaluate(FakeFacts(values={"funding_gap": 5, "pilot": False, "stakes": 2}))
    assert outcome.fired
    assert outcome.triggers == {"funding_gap", "pilot"}
    assert (
        not compile_condition({"not": "paradigm == experimental"}, VOCABULARY)
        .evaluate(FakeFacts())
        .fired
    )


def test_scores_paradigm_and_stats() -> None:
    assert holds("ambiguity > 60")
    assert holds("paradigm in [experimental, symbolic]")
    assert not holds("paradigm == experimental", paradigm=None)
    assert holds("answered_share < 0.6")


def test_counting_stakeholders_and_plan() -> None:
    people = (
        Stakeholder(name="A", role="opponent", stance="oppose", influence="high"),
        Stakeholder(name="B", role="implementer", stance="support", influence="high"),
    )
    assert holds("stakeholders(role=opponent, influence=high) >= 1", stakeholders=people)
    assert holds("stakeholders(stance!=oppose) == 1", stakeholders=people)
    plan = ({"performance_management": "yes", "problem_solving": "in part"},)
    assert holds("support_plan(problem_solving=in_part) == 1", plan_ratings=plan)
    assert holds("support_plan() == 1", plan_ratings=plan)


def test_describe_reads_as_the_rule_was_written() -> None:
    condition = compile_condition({"all": ["funding_gap >= 4", "pilot == false"]}, VOCABULARY)
    assert condition.describe() == "funding_gap >= 4 and pilot == false"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("fundng_gap >= 4", "did you mean 'funding_gap'"),
        ("funding_gap >= 9", "from 1 to 5"),
        ("funding_gap => 4", "unknown operator"),
        ("pilot >= 1", "yes/no"),
        ("paradigm == chaotic", "unknown paradigm"),
        ("__import__('os') == 1", "cannot read"),
        ("funding_gap.__class__ == 1", "unknown subject"),
        ("stakeholders(colour=red) >= 1", "unknown key"),
        ("funding_gap >=", "value"),
        ({"all": []}, "non-empty"),
        ({"every": ["funding_gap >= 4"]}, "all:"),
        ("funding_gap is sure", "is unsure"),
    ],
)
def test_bad_conditions_are_rejected_at_load(raw: Any, message: str) -> None:
    with pytest.raises(ConditionError, match=message.replace("(", r"\(").replace("[", r"\[")):
        compile_condition(raw, VOCABULARY)
