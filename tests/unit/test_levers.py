"""levers: every lever is true when re-assessed, and none is larger than it needs to be."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from matland.core.assessment import Assessment, assess
from matland.core.classify import SCALE_MAX, SCALE_MIN, classify
from matland.core.knowledge import Knowledge, load_knowledge
from matland.design.compare import with_answers
from matland.design.levers import LEVERS_PER_TARGET, Lever, LeverSearch, find_levers
from matland.render.design.levers import as_data
from matland.source.load import load_proposal

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def searches() -> dict[str, LeverSearch]:
    """Each example's levers, searched once for the whole module."""
    knowledge = load_knowledge()
    found = {}
    for path in EXAMPLES:
        proposal, errors = load_proposal(str(path), knowledge)
        assert proposal is not None, errors
        found[path.stem] = find_levers(assess(proposal, knowledge), knowledge)
    return found


def reached(lever: Lever, after: Assessment) -> bool:
    if lever.target.kind == "paradigm":
        return after.paradigm == lever.target.id
    return lever.target.id not in {r.id for r in after.risks}


def test_every_example_has_levers(searches: dict[str, LeverSearch]) -> None:
    for stem, search in searches.items():
        assert search.levers, stem


def test_every_lever_does_what_it_claims(
    searches: dict[str, LeverSearch], knowledge: Knowledge
) -> None:
    for search in searches.values():
        before = search.assessment
        fired_before = {r.id for r in before.risks}
        for lever in search.levers:
            changes = {c.item: c.new for c in lever.changes}
            after = assess(with_answers(before.proposal, changes), knowledge)
            fired_after = {r.id for r in after.risks}
            assert reached(lever, after), lever.text
            assert after.paradigm == lever.to_paradigm
            assert set(lever.clears) == fired_before - fired_after
            assert set(lever.raises) == fired_after - fired_before
            for change in lever.changes:
                assert before.proposal.answers[change.item].value == change.old != change.new


def test_no_single_answer_reaches_a_target_offered_a_two_answer_lever(
    searches: dict[str, LeverSearch], knowledge: Knowledge
) -> None:
    for search in searches.values():
        before = search.assessment
        pairs = {lever.target for lever in search.levers if len(lever.changes) == 2}
        scale = {
            item: value
            for item, value in before.facts.values.items()
            if knowledge.questions[item].type == "scale" and isinstance(value, int)
        }
        for target in pairs:
            for item, old in scale.items():
                for new in range(SCALE_MIN, SCALE_MAX + 1):
                    if new == old:
                        continue
                    values = {**before.facts.values, item: new}
                    if target.kind == "paradigm":
                        assert classify(values, knowledge).paradigm != target.id, (item, new)
                    else:
                        after = assess(with_answers(before.proposal, {item: new}), knowledge)
                        assert target.id in {r.id for r in after.risks}, (item, new)


def test_levers_are_ranked_one_answer_first_then_by_total_change(
    searches: dict[str, LeverSearch],
) -> None:
    for search in searches.values():
        by_target: dict[object, list[Lever]] = {}
        for lever in search.levers:
            by_target.setdefault(lever.target, []).append(lever)
        for levers in by_target.values():
            assert len(levers) <= LEVERS_PER_TARGET
            ranks = [(len(lever.changes), lever.total_change) for lever in levers]
            assert ranks == sorted(ranks)
            assert len({len(lever.changes) for lever in levers}) == 1


def test_unanswered_and_unsure_items_are_never_changed(
    searches: dict[str, LeverSearch],
) -> None:
    for search in searches.values():
        for lever in search.levers:
            assert not {c.item for c in lever.changes} & set(search.fixed)


def test_a_policy_on_the_line_needs_one_step(
    knowledge: Knowledge, assess_data: Callable[..., Assessment]
) -> None:
    ambiguity = dict.fromkeys(knowledge.dimension_items("ambiguity"), 3)  # exactly 50
    conflict = dict.fromkeys(knowledge.dimension_items("conflict"), 1)
    search = find_levers(assess_data({**ambiguity, **conflict}), knowledge)
    assert search.assessment.placement.undecided  # between administrative and experimental
    to_administrative = [lever for lever in search.levers if lever.target.id == "administrative"]
    assert len(to_administrative) == LEVERS_PER_TARGET
    first = to_administrative[0]
    assert [(c.item, c.old, c.new) for c in first.changes] == [("goal_ambiguity", 3, 2)]
    question = knowledge.questions["goal_ambiguity"]
    assert question.lever is not None and question.lever_source is not None
    assert " ".join(question.lever.split()).rstrip(".") in first.text
    assert "goal_ambiguity 3→2" in first.text and "to administrative" in first.text
    assert first.source == question.lever_source


def test_a_risk_lever_lowers_its_trigger(
    knowledge: Knowledge, assess_data: Callable[..., Assessment]
) -> None:
    search = find_levers(assess_data({"funding_gap": 5}), knowledge)
    (lever,) = [lever for lever in search.levers if lever.target.id == "funding-gap"]
    assert [(c.item, c.new) for c in lever.changes] == [("funding_gap", 3)]
    assert lever.clears == ("funding-gap",) and lever.to_paradigm is None


def test_a_risk_is_never_cleared_by_making_the_policy_vaguer_or_more_contested(
    searches: dict[str, LeverSearch], knowledge: Knowledge
) -> None:
    """Leaving a paradigm's pitfall by moving into another quadrant counts only when the
    policy is clarified or settled: raising ambiguity or conflict raises the next one's."""
    classification = {
        item for dim in ("ambiguity", "conflict") for item in knowledge.dimension_items(dim)
    }
    checked = 0
    for search in searches.values():
        for lever in search.levers:
            if lever.target.kind != "risk":
                continue
            rule = next(r for r in knowledge.risks if r.id == lever.target.id)
            named = {s.name for s in rule.condition.subjects()}
            for change in lever.changes:
                if change.item in classification and change.item not in named:
                    checked += 1
                    assert change.new < change.old, (lever.target.id, change)
    assert checked  # the examples do clear pitfalls by moving the policy


def test_json_is_an_object_holding_the_levers(searches: dict[str, LeverSearch]) -> None:
    document = as_data(searches["care-act-2014"])
    assert document["paradigm"] == "experimental"
    data = document["levers"]
    assert isinstance(data, list) and data
    for item in data:
        assert {"changes", "to_paradigm", "clears", "lever", "source"} <= set(item)
        assert all(isinstance(v, int) for v in item["changes"].values())
