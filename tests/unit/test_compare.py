"""compare and what_if: two assessments side by side, differences taken from the real road."""

from __future__ import annotations

from pathlib import Path

import pytest

from matland.core.assessment import Assessment, assess
from matland.core.knowledge import Knowledge
from matland.design.compare import compare, parse_changes, what_if
from matland.render.design.compare import as_data, as_text
from matland.source.load import load_proposal

EXAMPLES = Path(__file__).parents[2] / "examples"


def example(path: Path, knowledge: Knowledge) -> Assessment:
    proposal, errors = load_proposal(str(path), knowledge)
    assert proposal is not None, [e.one_line() for e in errors]
    return assess(proposal, knowledge)


def test_two_examples_differ_in_answers_risks_and_position(knowledge: Knowledge) -> None:
    care = example(EXAMPLES / "care-act-2014.yaml", knowledge)
    doctors = example(EXAMPLES / "junior-doctors-contract-2016.yaml", knowledge)
    comparison = compare(care, doctors, knowledge)
    assert comparison.moved
    changed = {c.item: (c.old, c.new) for c in comparison.changed}
    assert changed["goal_conflict"] == (2, 4)
    for item in knowledge.questions:
        same = care.proposal.value(item) == doctors.proposal.value(item) and (
            (item in care.proposal.answers) == (item in doctors.proposal.answers)
        )
        assert (item not in changed) == same, item
    before, after = {r.id for r in care.risks}, {r.id for r in doctors.risks}
    assert {r.id for r in comparison.risks_raised} == after - before
    assert {r.id for r in comparison.risks_cleared} == before - after
    data = as_data(comparison, knowledge)
    assert data["from"]["paradigm"] == "experimental" and data["to"]["paradigm"] == "political"
    assert data["changed"]["goal_conflict"] == {"from": 2, "to": 4}
    assert set(data["support_mix"]) == {"from", "to"}


def test_an_assessment_compared_with_itself_has_no_changes(knowledge: Knowledge) -> None:
    care = example(EXAMPLES / "care-act-2014.yaml", knowledge)
    comparison = compare(care, care, knowledge)
    assert not comparison.moved and comparison.changed == ()
    assert comparison.risks_raised == comparison.risks_cleared == ()
    assert "Answers changed (0)" in as_text(comparison, knowledge, ("old", "new"))


def test_an_edited_copy_shows_only_the_edit(knowledge: Knowledge, tmp_path: Path) -> None:
    original = EXAMPLES / "care-act-2014.yaml"
    edited = tmp_path / "care-act-2014-v2.yaml"
    edited.write_text(
        original.read_text().replace("goal_ambiguity: {value: 4,", "goal_ambiguity: {value: 1,")
    )
    comparison = compare(example(original, knowledge), example(edited, knowledge), knowledge)
    assert [(c.item, c.old, c.new) for c in comparison.changed] == [("goal_ambiguity", 4, 1)]
    old_score = comparison.old.placement.ambiguity.score
    new_score = comparison.new.placement.ambiguity.score
    assert old_score is not None and new_score is not None and new_score < old_score
    text = as_text(comparison, knowledge, ("old", "new"))
    assert "○" in text and "●" in text and "goal_ambiguity             4 → 1" in text


def test_what_if_re_assesses_with_the_answers_set(knowledge: Knowledge) -> None:
    care = example(EXAMPLES / "care-act-2014.yaml", knowledge)
    comparison = what_if(care, {"funding_gap": 2, "timeline_pressure": None}, knowledge)
    assert {(c.item, c.old, c.new) for c in comparison.changed} == {
        ("funding_gap", 4, 2),
        ("timeline_pressure", 4, "unsure"),
    }
    cleared = {r.id for r in comparison.risks_cleared}
    assert {"funding-gap", "timeline-unrealistic"} <= cleared
    assert comparison.new.placement.scores == care.placement.scores


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("goal_conflict=2", {"goal_conflict": 2}),
        ("pilot=yes", {"pilot": True}),
        ("pilot=false", {"pilot": False}),
        ("funding_gap=unsure", {"funding_gap": None}),
        (" stakes = 5 ", {"stakes": 5}),
    ],
)
def test_settings_are_read_as_answers(
    knowledge: Knowledge, setting: str, expected: dict[str, object]
) -> None:
    assert parse_changes([setting], knowledge) == (expected, [])


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("goal_ambiguty=2", "did you mean 'goal_ambiguity'?"),
        ("goal_ambiguity=7", "goal_ambiguity: 7 is outside 1–5"),
        ("goal_ambiguity=high", "goal_ambiguity: 'high' is not a number"),
        ("pilot=3", "pilot: 3 is not a yes/no answer"),
        ("goal_ambiguity", "write ID=VALUE"),
    ],
)
def test_bad_settings_say_what_is_wrong(knowledge: Knowledge, setting: str, message: str) -> None:
    changes, problems = parse_changes([setting], knowledge)
    assert changes == {}
    assert len(problems) == 1 and message in problems[0]


def test_changes_beyond_the_answers_are_said(knowledge: Knowledge, tmp_path: Path) -> None:
    """Two stakeholders turned against it, a note rewritten, an approach dropped, a new
    title: the answers are the same, and the comparison still says what changed."""
    original = EXAMPLES / "care-act-2014.yaml"
    text = original.read_text()
    text = text.replace(
        "Local Government Association\n    role: partner\n    stance: support",
        "Local Government Association\n    role: partner\n    stance: oppose",
    )
    text = text.replace("'always likely to be open", "'likely to be open")
    text = text.replace("  - written_guidance\n", "", 1)
    text = text.replace("title: Care Act 2014", "title: Care Act 2014 (v2)", 1)
    edited = tmp_path / "v2.yaml"
    edited.write_text(text)
    comparison = compare(example(original, knowledge), example(edited, knowledge), knowledge)
    assert comparison.changed == ()
    assert comparison.other_changes == (
        "title: 'Care Act 2014' → 'Care Act 2014 (v2)'",
        "notes changed on 1 item(s): goal_ambiguity",
        "stakeholder Local Government Association: stance support → oppose",
        "support plan: removed written_guidance",
    )
    assert "Other changes (4)" in as_text(comparison, knowledge, ("old", "new"))
    assert as_data(comparison, knowledge)["other_changes"] == list(comparison.other_changes)
    assert compare(comparison.old, comparison.old, knowledge).other_changes == ()
