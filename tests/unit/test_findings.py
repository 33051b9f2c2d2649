from __future__ import annotations

from pathlib import Path

from matland.core.findings import FINDING_RULES, Finding, did_you_mean
from matland.core.knowledge import Knowledge
from matland.source.load import load_proposal

BAD = Path(__file__).parents[1] / "data" / "bad"


def test_every_error_in_the_bad_corpus_has_a_described_rule(knowledge: Knowledge) -> None:
    for path in sorted(BAD.glob("*.yaml")):
        _, errors = load_proposal(str(path), knowledge)
        assert errors, path.name
        for error in errors:
            assert error.rule_id in FINDING_RULES, (path.name, error.rule_id)


def test_fails_follows_the_threshold_and_ignores_accepted_risks() -> None:
    medium = Finding("p.yaml", 3, 1, "funding-gap", "medium", "m")
    assert medium.fails("medium") and medium.fails("low") and not medium.fails("high")
    assert not medium.fails("never")
    accepted = Finding("p.yaml", 3, 1, "funding-gap", "high", "m", accepted="agreed")
    assert not accepted.fails("info")
    error = Finding("p.yaml", 1, 1, "yaml-syntax", "error", "e")
    assert error.fails("never")


def test_did_you_mean() -> None:
    assert did_you_mean("goal_ambiguty", ["goal_ambiguity", "stakes"]) == (
        "did you mean 'goal_ambiguity'?"
    )
    assert did_you_mean("zzz", ["goal_ambiguity"]) == ""
