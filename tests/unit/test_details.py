"""The rest of the proposal in `assess`: the details state, the catalogue search, and their
edits to the user's own file (only what was changed changes)."""

from __future__ import annotations

import typing

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matland.assess import details as d
from matland.assess.amend import amend, rewrite
from matland.core.knowledge import load_knowledge
from matland.core.model import Influence, Policy, Proposal, Role, Stance
from matland.core.yamlpos import parse
from matland.source.load import proposal_from_document

KNOWLEDGE = load_knowledge()

HAND_WRITTEN = """\
# Care reform: our own notes
matland: 1
policy:
  title: Care reform   # working title
  owner: DHSC          # the department
answers:
  goal_ambiguity: 2
stakeholders:
  # the councils first
  - name: Councils     # all 152 of them
    role: implementer
    x-contact: the ADASS lead
  - name: Union
    role: opponent
    stance: oppose
support_plan: [written_guidance]   # more to come
accepted_risks:
  - id: funding-gap
    reason: budget agreed   # see the minutes
# nothing below this line is settled
"""


def load(text: str) -> Proposal:
    proposal, errors = proposal_from_document("p.yaml", parse(text), KNOWLEDGE)
    assert proposal is not None, [e.one_line() for e in errors] + [text]
    return proposal


def saved(text: str, details: d.Details, in_file: tuple[int, ...] | None = None) -> str:
    old = load(text)
    amended = amend(text, old.answers, KNOWLEDGE, "p.yaml", details, in_file)
    assert amended is not None
    assert amended.proposal == details.applied(old)
    return amended.text


def kept_lines(before: str, after: str, changed: set[str]) -> None:
    """Every line of `before` is in `after`, but those holding a changed value."""
    lines = after.splitlines()
    for line in before.splitlines():
        if not any(word in line for word in changed):
            assert line in lines, line


# ---------------------------------------------------------------- the state


def test_the_words_a_stakeholder_takes_come_from_the_model() -> None:
    assert d.choices("role") == typing.get_args(Role)
    assert d.choices("stance") == typing.get_args(Stance)
    assert d.choices("influence") == typing.get_args(Influence)
    assert d.default("stance") == "neutral" and d.default("name") is None


def test_a_word_is_chosen_by_itself_a_prefix_of_one_or_its_number() -> None:
    roles = d.choices("role")
    assert d.word_choice("Partner", roles) == "partner"
    assert d.word_choice("imp", roles) == "implementer"
    assert d.word_choice("2", roles) == roles[1]
    assert d.word_choice("9", roles) is None and d.word_choice("0", roles) is None
    assert d.word_choice("x", roles) is None and d.word_choice("", roles) is None
    assert d.word_choice("o", ("oppose", "opponent")) is None  # two start so: not a choice


def test_searching_the_catalogue_by_a_word_finds_the_approaches_that_hold_it() -> None:
    found = d.search(KNOWLEDGE, "broker")
    assert "implementation_brokers" in [a.id for a in found]
    for approach in found:
        text = f"{approach.id} {approach.name} {approach.description}".lower()
        assert "broker" in text
    assert d.search(KNOWLEDGE, "  ") == ()
    assert d.search(KNOWLEDGE, "zzzz-nothing") == ()


def test_every_word_of_a_search_must_match_and_names_come_first() -> None:
    both = d.search(KNOWLEDGE, "peer learning")
    assert both and all(
        "peer" in f"{a.name} {a.description}".lower()
        and "learning" in f"{a.name} {a.description}".lower()
        for a in both
    )
    assert both[0].id == "peer_learning"


@given(st.text(max_size=20))
@settings(max_examples=60, deadline=None)
def test_a_search_never_fails_and_only_returns_catalogue_entries(query: str) -> None:
    for approach in d.search(KNOWLEDGE, query):
        assert KNOWLEDGE.approaches[approach.id] is approach


def test_a_stakeholder_keeps_its_key_when_edited_and_a_new_one_gets_a_fresh_key() -> None:
    details = d.Details.of(load(HAND_WRITTEN))
    assert details.keys == (0, 1)
    renamed = d.stakeholder("County councils", "implementer", "support", "high")
    details = d.edit_stakeholder(details, 0, renamed)
    details = d.remove_stakeholder(details, 1)
    details = d.add_stakeholder(details, d.stakeholder("LGA", "partner", "support", "medium"))
    assert details.keys == (0, 2)  # never 1 again: that one is still in the file
    assert d.name_taken(details, " LGA ") and not d.name_taken(details, "LGA", besides=1)


def test_accepting_a_risk_again_changes_its_reason_in_place() -> None:
    details = d.Details.of(load(HAND_WRITTEN))
    details = d.accept_risk(details, "capacity-gap", "trained staff in post")
    details = d.accept_risk(details, "funding-gap", "settled in the spending review")
    assert [(r.id, r.reason) for r in details.accepted_risks] == [
        ("funding-gap", "settled in the spending review"),
        ("capacity-gap", "trained staff in post"),
    ]
    assert [r.id for r in d.unaccept_risk(details, "funding-gap").accepted_risks] == [
        "capacity-gap"
    ]


# ---------------------------------------------------------------- the file, edited in place


def test_policy_fields_are_replaced_where_they_are_and_new_ones_go_under_policy() -> None:
    details = d.Details.of(load(HAND_WRITTEN))
    details = d.with_policy(details, "owner", "Department of Health")
    details = d.with_policy(details, "summary", "Reforms adult care")
    details = d.with_policy(details, "jurisdiction", "England")
    text = saved(HAND_WRITTEN, details)
    assert '  owner: "Department of Health"          # the department' in text
    policy = text.split("answers:")[0]
    assert policy.index("summary") < policy.index("jurisdiction")  # in the order asked
    kept_lines(HAND_WRITTEN, text, {"owner: DHSC"})


def test_a_cleared_field_leaves_the_file_and_nothing_else_moves() -> None:
    text = HAND_WRITTEN.replace(
        "  owner: DHSC          # the department\n",
        "  owner: DHSC          # the department\n  summary: >-\n    Reforms care\n    law\n",
    ).replace("answers:", "respondent: {name: Ann, role: analyst}\nanswers:")
    details = d.with_policy(d.Details.of(load(text)), "summary", None)
    after = saved(text, details)
    assert "summary" not in after and "Reforms care" not in after and "    law" not in after
    kept_lines(text, after, {"summary", "Reforms care", "    law"})
    # the owner, first of two keys, can go as well: the title stays
    after = saved(after, d.with_policy(d.Details.of(load(after)), "owner", None))
    assert "owner" not in after and "  title: Care reform   # working title" in after
    assert load(after).policy.title == "Care reform" and load(after).policy.owner is None


def test_clearing_the_respondent_takes_its_lines_block_or_flow_and_the_last_its_section() -> None:
    block = HAND_WRITTEN.replace("answers:", "respondent:\n  name: Ann\n  role: analyst\nanswers:")
    after = saved(block, d.with_respondent(d.Details.of(load(block)), "role", None))
    assert "  name: Ann\n" in after and "analyst" not in after
    # the last field cleared: no respondent, and its section goes
    gone = saved(after, d.with_respondent(d.Details.of(load(after)), "name", None))
    assert "respondent" not in gone and "Ann" not in gone and load(gone).respondent is None
    kept_lines(block, gone, {"respondent", "Ann", "analyst"})
    for field_name, left in (("role", "{name: Ann}"), ("name", "{role: analyst}")):
        flow = HAND_WRITTEN.replace("answers:", "respondent: {name: Ann, role: analyst}\nanswers:")
        after = saved(flow, d.with_respondent(d.Details.of(load(flow)), field_name, None))
        assert f"respondent: {left}\n" in after


@pytest.mark.parametrize(
    ("written", "field_name", "left"),
    [
        ("{name: Ann,   # the lead\n  role: analyst}", "role", "{name: Ann   # the lead\n  }"),
        ("{name: Ann,   # the lead\n  role: analyst}", "name", "{role: analyst}"),
        (
            "{\n  name: Ann,   # the lead\n  role: analyst   # theirs\n}",
            "role",
            "{\n  name: Ann   # the lead\n}",
        ),
        (
            "{\n  name: Ann,   # the lead\n  role: analyst   # theirs\n}",
            "name",
            "{\n  role: analyst   # theirs\n}",
        ),
        (  # a comment on a line of its own is the next pair's
            "{\n  name: Ann,\n  # provisional\n  role: analyst\n}",
            "name",
            "{\n  # provisional\n  role: analyst\n}",
        ),
        (  # a last pair with a trailing comma goes with its comma and comment
            "{ name: Ann,   # lead\n  role: analyst,   # theirs\n}",
            "role",
            "{ name: Ann,   # lead\n}",
        ),
        ("{name: Ann, role:\n    analyst   # theirs\n}", "role", "{name: Ann\n}"),
    ],
)
def test_a_pair_cleared_from_a_flow_mapping_over_lines_keeps_the_others_comments(
    written: str, field_name: str, left: str
) -> None:
    text = HAND_WRITTEN.replace("answers:", f"respondent: {written}\nanswers:")
    after = saved(text, d.with_respondent(d.Details.of(load(text)), field_name, None))
    assert f"respondent: {left}\nanswers:" in after
    kept = load(after).respondent
    assert kept is not None and getattr(kept, field_name) is None


def test_a_stakeholder_is_added_edited_and_removed_and_nothing_else_moves() -> None:
    details = d.Details.of(load(HAND_WRITTEN))
    renamed = d.stakeholder("County councils", "implementer", "support", "high")
    details = d.edit_stakeholder(details, 0, renamed)
    details = d.remove_stakeholder(details, 1)
    details = d.add_stakeholder(details, d.stakeholder("LGA", "partner", "support", "medium"))
    text = saved(HAND_WRITTEN, details)
    assert '  - name: "County councils"     # all 152 of them' in text
    assert "    x-contact: the ADASS lead" in text  # the user's key stays with its entry
    assert "Union" not in text and "opponent" not in text
    assert load(text).document.data["stakeholders"][0]["x-contact"] == "the ADASS lead"
    kept_lines(HAND_WRITTEN, text, {"Councils", "Union", "role: opponent", "stance: oppose"})


def test_the_plan_and_accepted_risks_keep_their_style() -> None:
    details = d.Details.of(load(HAND_WRITTEN))
    details = d.add_to_plan(details, "implementation_brokers")
    details = d.accept_risk(details, "funding-gap", "settled in the spending review")
    details = d.accept_risk(details, "capacity-gap", "trained staff in post")
    text = saved(HAND_WRITTEN, details)
    assert "support_plan: [written_guidance, implementation_brokers]   # more to come" in text
    assert '    reason: "settled in the spending review"   # see the minutes' in text
    assert '  - id: capacity-gap\n    reason: "trained staff in post"\n' in text
    kept_lines(HAND_WRITTEN, text, {"budget agreed", "support_plan"})
    removed = d.unaccept_risk(
        d.remove_from_plan(d.Details.of(load(text)), "written_guidance"), "funding-gap"
    )
    again = saved(text, removed)
    assert "support_plan: [implementation_brokers]" in again
    assert "funding-gap" not in again and "capacity-gap" in again


def test_sections_a_file_lacks_are_added_at_its_end() -> None:
    bare = "matland: 1\npolicy: {title: Bare}\nanswers: {}\n"
    details = d.Details.of(load(bare))
    details = d.with_policy(details, "owner", "HMT")
    details = d.with_respondent(details, "name", "Ann Analyst")
    details = d.add_stakeholder(details, d.stakeholder("LGA", "partner", "support", "high"))
    details = d.add_to_plan(details, "peer_learning")
    text = saved(bare, details)
    assert text.startswith('matland: 1\npolicy: {title: Bare, owner: "HMT"}\nanswers: {}\n')
    assert '\nrespondent:\n  name: "Ann Analyst"\n' in text
    assert "\nsupport_plan:\n  - peer_learning\n" in text


def test_a_file_assess_began_has_its_placeholders_filled_in() -> None:
    begun = rewrite(Proposal("p.yaml", Policy(title="T"), {}), KNOWLEDGE)
    assert begun is not None
    details = d.Details.of(begun.proposal)
    details = d.with_policy(details, "summary", "Does things")
    details = d.add_stakeholder(details, d.stakeholder("LGA", "partner", "support", "high"))
    details = d.add_to_plan(details, "peer_learning")
    text = saved(begun.text, details)
    assert "# summary:" not in text and '  summary: "Does things"' in text
    assert "# - name: Local Government Association" not in text
    assert "# ids from" not in text and "support_plan:\n  - peer_learning\n" in text


def test_keys_say_which_stakeholder_is_which_after_a_save() -> None:
    details = d.Details.of(load(HAND_WRITTEN))
    details = d.remove_stakeholder(details, 0)
    first = saved(HAND_WRITTEN, details)
    assert "Councils" not in first
    edited = d.edit_stakeholder(details, 0, d.stakeholder("Union", "opponent", "neutral", "low"))
    second = saved(first, edited, in_file=details.keys)  # the file now holds key 1 first
    assert "stance: neutral" in second and "Union" in second


def test_an_edit_the_text_cannot_take_gives_none() -> None:
    aliased = (
        HAND_WRITTEN.replace(
            "support_plan: [written_guidance]   # more to come",
            "support_plan: &p [written_guidance]",
        )
        + "x-copy: *p\n"
    )
    old = load(aliased)
    details = d.remove_from_plan(d.Details.of(old), "written_guidance")
    assert amend(aliased, old.answers, KNOWLEDGE, "p.yaml", details) is None


def test_a_whole_rewrite_keeps_each_stakeholders_x_keys_with_it() -> None:
    old = load(HAND_WRITTEN)
    details = d.remove_stakeholder(d.Details.of(old), 1)
    details = d.add_stakeholder(details, d.stakeholder("LGA", "partner", "support", "high"))
    written = rewrite(old, KNOWLEDGE, details)
    assert written is not None
    people = written.proposal.document.data["stakeholders"]
    assert people[0]["x-contact"] == "the ADASS lead" and "x-contact" not in people[1]


@pytest.mark.parametrize("field_name", d.POLICY_FIELDS)
def test_every_policy_field_written_reads_back(field_name: str) -> None:
    details = d.with_policy(d.Details.of(load(HAND_WRITTEN)), field_name, 'a "quoted": text # x')
    assert getattr(load(saved(HAND_WRITTEN, details)).policy, field_name) == 'a "quoted": text # x'
