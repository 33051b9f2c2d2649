"""Aggregation of many participants: per-item numbers (checked by hand), the disagreement
rule at its edges, the group's position through classify/assess, roles, and the rules file."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from matland.core.assessment import assess
from matland.core.classify import classify
from matland.core.knowledge import Knowledge, KnowledgeError, bundled_rules
from matland.core.model import Answer, Policy, Proposal
from matland.core.yamlpos import parse
from matland.source.load import proposal_from_document
from matland.workshop.aggregate import (
    CONTESTED,
    Participant,
    WorkshopRules,
    aggregate,
    disagrees,
    load_workshop_rules,
    needed,
    whole,
)

ROOT = Path(__file__).parents[2]
Make = Callable[..., Participant]


@pytest.fixture(scope="module")
def rules() -> WorkshopRules:
    """The bundled rules, except that a participant answering one item still counts in the
    group's position: these tests check the arithmetic on one item at a time (the share
    a participant must answer is tested on its own below)."""
    bundled = load_workshop_rules()
    return bundled.model_copy(
        update={
            "participants": bundled.participants.model_copy(
                update={"min_classification_answered": 0.0}
            )
        }
    )


@pytest.fixture
def person(knowledge: Knowledge) -> Make:
    """A participant from answers given as data (through the real loader)."""

    def make(
        name: str, answers: dict[str, Any], role: str | None = None, **rest: Any
    ) -> Participant:
        data = {"matland": 1, "policy": {"title": "Hubs"}, "answers": answers, **rest}
        proposal, errors = proposal_from_document(
            f"{name}.yaml", parse(yaml.safe_dump(data)), knowledge
        )
        assert proposal is not None, [e.one_line() for e in errors]
        return Participant(name, role, f"{name}.yaml", proposal)

    return make


def crowd(person: Make, item: str, values: list[Any]) -> list[Participant]:
    return [person(f"p{i}", {item: v}) for i, v in enumerate(values)]


# ------------------------------------------------------------------ numbers by hand


def test_item_numbers_match_a_hand_calculation(
    person: Make, knowledge: Knowledge, rules: WorkshopRules
) -> None:
    # 1, 2, 2, 4, 5: mean 14/5 = 2.8; median the third value, 2; quartiles by linear
    # interpolation at positions 1 and 3 of 0..4: 2 and 4, so the IQR is 2.
    w = aggregate(crowd(person, "goal_conflict", [4, 1, 2, 5, 2]), knowledge, rules)
    item = w.items["goal_conflict"]
    assert (item.n, item.mean, item.median, item.minimum, item.maximum) == (5, 2.8, 2, 1, 5)
    assert (item.q1, item.q3, item.iqr) == (2, 4, 2)
    assert (item.low, item.high) == (3, 2)


def test_even_count_interpolates_quartiles_and_halves_the_median(
    person: Make, knowledge: Knowledge, rules: WorkshopRules
) -> None:
    # 3, 3, 4, 4: median (3 + 4) / 2 = 3.5; Q1 at position 0.75 -> 3, Q3 at 2.25 -> 4.
    w = aggregate(crowd(person, "stakes", [3, 4, 3, 4]), knowledge, rules)
    item = w.items["stakes"]
    assert (item.mean, item.median, item.q1, item.q3, item.iqr) == (3.5, 3.5, 3, 4, 1)
    assert item.group_value == 3  # 3.5 goes towards the middle of the scale


def test_unsure_and_missing_answers_are_left_out_of_n(
    person: Make, knowledge: Knowledge, rules: WorkshopRules
) -> None:
    people = [
        person("a", {"stakes": 2}),
        person("b", {"stakes": "unsure"}),
        person("c", {"goal_conflict": 3}),
        person("d", {"stakes": 4}),
    ]
    item = aggregate(people, knowledge, rules).items["stakes"]
    assert (item.n, item.unsure, item.median) == (2, 1, 3)
    assert [name for name, _ in item.answers] == ["a", "d"]


def test_an_item_nobody_answered_has_no_numbers(
    person: Make, knowledge: Knowledge, rules: WorkshopRules
) -> None:
    w = aggregate([person("a", {"stakes": 2})], knowledge, rules)
    item = w.items["zero_sum"]
    assert item.n == 0 and item.median is None and item.iqr is None
    assert "zero_sum" not in w.group.assessment.proposal.answers


def test_yes_no_items_count_yes_as_one_and_a_tie_is_unsure(
    person: Make, knowledge: Knowledge, rules: WorkshopRules
) -> None:
    w = aggregate(crowd(person, "pilot", [True, True, False, False]), knowledge, rules)
    assert w.items["pilot"].mean == 0.5
    assert w.group.assessment.proposal.answers["pilot"] == Answer(None)
    w = aggregate(crowd(person, "pilot", [True, True, False]), knowledge, rules)
    assert w.group.assessment.proposal.answers["pilot"] == Answer(True)


def test_counts_take_the_median_rounded_up(
    person: Make, knowledge: Knowledge, rules: WorkshopRules
) -> None:
    w = aggregate(crowd(person, "implementing_bodies", [9, 10]), knowledge, rules)
    assert w.items["implementing_bodies"].median == 9.5
    assert w.group.assessment.proposal.answers["implementing_bodies"] == Answer(10)
    assert not w.items["implementing_bodies"].disagreement  # counts have no extremes


@pytest.mark.parametrize(
    ("value", "half", "expected"),
    [
        (3.5, "towards_midpoint", 3),
        (2.5, "towards_midpoint", 3),
        (4.5, "towards_midpoint", 4),
        (1.5, "towards_midpoint", 2),
        (4.0, "towards_midpoint", 4),
        (2.5, "up", 3),
        (2.5, "down", 2),
    ],
)
def test_whole_rounds_a_half_as_the_rule_says(value: float, half: Any, expected: int) -> None:
    assert whole(value, half) == expected


# ------------------------------------------------------------------ the disagreement rule


@pytest.mark.parametrize(
    ("n", "k"),
    # The RAND/UCLA table: 3 of 8-10, 4 of 11-13, 5 of 14-16; below it, the same rounding.
    [
        *[(8, 3), (9, 3), (10, 3), (11, 4), (12, 4), (13, 4), (14, 5), (15, 5), (16, 5)],
        *[(1, 1), (2, 1), (3, 1), (4, 1), (5, 2), (6, 2), (7, 2)],
    ],
)
def test_a_third_rounded_as_the_rand_table_does(rules: WorkshopRules, n: int, k: int) -> None:
    assert needed(n, rules.disagreement) == k


@pytest.mark.parametrize(
    ("values", "split"),
    [
        # n = 3: one answer in each extreme is a third
        ([1, 3, 4], True),
        ([2, 3, 5], True),
        ([2, 3, 4], True),  # RAND's 3 against 7: opposite extremes
        ([3, 3, 5], False),
        # n = 4: one in each extreme (4 / 3 rounds to 1)
        ([1, 2, 4, 5], True),
        ([1, 4, 5, 5], True),
        ([1, 2, 3, 5], True),
        ([1, 2, 3, 3], False),  # nobody in the high extreme
        ([2, 2, 4, 4], True),  # an even split: half each side of the middle
        ([2, 3, 3, 3], False),  # nobody in the high extreme
        # n = 6: two in each extreme
        ([1, 2, 3, 3, 4, 5], True),
        ([1, 3, 3, 3, 4, 5], False),
        # n = 7: two in each extreme (7 / 3 rounds to 2)
        ([1, 2, 3, 3, 4, 4, 5], True),
        ([1, 1, 3, 3, 3, 5, 5], True),
        ([1, 3, 3, 3, 3, 4, 5], False),
        # n = 10: three in each extreme, as in the RAND table (a third rounded up would be 4)
        ([1, 1, 2, 3, 3, 3, 3, 4, 4, 5], True),
        ([1, 1, 3, 3, 3, 3, 3, 4, 4, 5], False),
        ([1], False),
    ],
)
def test_disagreement_at_its_edges(rules: WorkshopRules, values: list[int], split: bool) -> None:
    assert disagrees(values, rules.disagreement) is split


@given(
    side=st.sampled_from([(1, 3), (3, 5), (2, 3), (3, 4)]),
    data=st.data(),
)
def test_answers_on_one_side_of_the_middle_are_never_contested(
    side: tuple[int, int], data: st.DataObject
) -> None:
    values = data.draw(st.lists(st.integers(*side), min_size=1, max_size=40))
    assert not disagrees(values, load_workshop_rules().disagreement)


@given(st.lists(st.integers(1, 5), min_size=1, max_size=40))
def test_a_contested_item_has_a_third_in_each_extreme(values: list[int]) -> None:
    rule = load_workshop_rules().disagreement
    if disagrees(values, rule):
        k = needed(len(values), rule)
        assert sum(v <= rule.low_max for v in values) >= k
        assert sum(v >= rule.high_min for v in values) >= k
        assert max(values) - min(values) >= rule.min_spread >= 2


# ------------------------------------------------------------------ the group


def test_the_group_is_assessed_from_its_medians_not_rescored(
    person: Make, knowledge: Knowledge, rules: WorkshopRules
) -> None:
    same = {"evidence_gap": 2, "stakes": 4}
    answers = [
        {"goal_ambiguity": 2, "means_ambiguity": 2, "goal_conflict": 4, "means_conflict": 5},
        {"goal_ambiguity": 3, "means_ambiguity": 1, "goal_conflict": 4, "means_conflict": 4},
        {"goal_ambiguity": 2, "means_ambiguity": 2, "goal_conflict": 5, "means_conflict": 4},
    ]
    people = [person(f"p{i}", a | same) for i, a in enumerate(answers)]
    w = aggregate(people, knowledge, rules)
    medians = {"goal_ambiguity": 2, "means_ambiguity": 2, "goal_conflict": 4, "means_conflict": 4}
    medians |= same
    expected = assess(
        Proposal("group", Policy(title="Hubs"), {k: Answer(v) for k, v in medians.items()}),
        knowledge,
    )
    assert w.group.assessment.placement == expected.placement
    assert w.group.assessment.paradigm == "political"
    assert [r.id for r in w.group.assessment.risks] == [r.id for r in expected.risks]
    assert w.group.assessment.mix == expected.mix


def test_identical_participants_make_a_group_like_each_of_them(
    person: Make, knowledge: Knowledge, rules: WorkshopRules
) -> None:
    care = yaml.safe_load((ROOT / "examples" / "care-act-2014.yaml").read_text())
    people = [person(name, care["answers"]) for name in ("a", "b", "c")]
    w = aggregate(people, knowledge, rules)
    assert w.group.assessment.placement == w.participants[0].assessment.placement
    assert not w.group.disagreement.found


def test_split_conflict_items_are_contested_and_the_high_side_is_shown(
    person: Make, knowledge: Knowledge, rules: WorkshopRules
) -> None:
    base = {
        "goal_ambiguity": 4,
        "means_ambiguity": 4,
        "evidence_gap": 4,
        "stakes": 2,
        "zero_sum": 2,
    }
    splits = [(1, 1), (2, 2), (4, 4), (5, 5), (3, 2)]
    people = [
        person(f"p{i}", {**base, "goal_conflict": g, "means_conflict": m})
        for i, (g, m) in enumerate(splits)
    ]
    w = aggregate(people, knowledge, rules)
    dis = w.group.disagreement
    assert dis.contested == ("goal_conflict", "means_conflict")
    assert dis.conflict_items == dis.contested
    assert w.items["goal_conflict"].reported == CONTESTED
    assert w.items["stakes"].reported == 2
    assert dis.if_high is not None and dis.if_low is not None
    # the high side of goal_conflict answered 4 and 5: its median 4.5 goes towards 3 -> 4
    assert dict(dis.if_high.values) == {"goal_conflict": 4, "means_conflict": 4}
    assert dict(dis.if_low.values) == {"goal_conflict": 2, "means_conflict": 2}
    # A split on a conflict item is evidence of conflict (rules/workshop.yaml
    # conflict_evidence): the group's position counts both at their high side, and the
    # medians alone, experimental, are kept beside it.
    assert w.group.conflict_counted == ("goal_conflict", "means_conflict")
    assert w.group.assessment.paradigm == "symbolic"
    assert w.group.median_placement is not None
    assert w.group.median_placement.paradigm == "experimental"
    assert dis.if_high.placement.paradigm == "symbolic"
    values = {k: a.value for k, a in w.group.assessment.proposal.answers.items()}
    assert values["goal_conflict"] == 4 and values["means_conflict"] == 4
    assert dis.if_high.placement.scores == classify(values, knowledge).scores


def test_without_the_rule_the_group_sits_at_its_medians(
    person: Make, knowledge: Knowledge, rules: WorkshopRules
) -> None:
    evidence = rules.conflict_evidence.model_copy(update={"counts_in_position": False})
    off = rules.model_copy(update={"conflict_evidence": evidence})
    base = {"goal_ambiguity": 4, "means_ambiguity": 4, "evidence_gap": 4, "stakes": 2}
    splits = [(1, 1), (2, 2), (4, 4), (5, 5), (3, 2)]
    people = [
        person(f"p{i}", {**base, "goal_conflict": g, "means_conflict": m})
        for i, (g, m) in enumerate(splits)
    ]
    w = aggregate(people, knowledge, off)
    assert w.group.conflict_counted == () and w.group.median_placement is None
    assert w.group.assessment.paradigm == "experimental"


def test_stakeholders_and_support_plans_are_pooled_once_each(
    person: Make, knowledge: Knowledge, rules: WorkshopRules
) -> None:
    lga = {"name": "LGA", "role": "partner", "stance": "support", "influence": "high"}
    people = [
        person("a", {"stakes": 2}, stakeholders=[lga], support_plan=["written_guidance"]),
        person("b", {"stakes": 2}, stakeholders=[lga], support_plan=["regional_support"]),
    ]
    proposal = aggregate(people, knowledge, rules).group.assessment.proposal
    assert [s.name for s in proposal.stakeholders] == ["LGA"]
    assert proposal.support_plan == ("written_guidance", "regional_support")


def test_the_title_is_the_one_most_participants_gave(
    person: Make, knowledge: Knowledge, rules: WorkshopRules
) -> None:
    people = [person("a", {}), person("b", {})]
    assert aggregate(people, knowledge, rules).title == "Hubs"
    assert aggregate(people, knowledge, rules, title="Other").title == "Other"


# ------------------------------------------------------------------ roles


def test_roles_are_grouped_and_the_widest_gaps_listed_first(
    person: Make, knowledge: Knowledge, rules: WorkshopRules
) -> None:
    people = [
        person("a", {"goal_conflict": 1, "stakes": 3, "zero_sum": 2}, "commissioner"),
        person("b", {"goal_conflict": 2, "stakes": 3, "zero_sum": 2}, "commissioner"),
        person("c", {"goal_conflict": 5, "stakes": 4, "zero_sum": 4}, "provider"),
        person("d", {"goal_conflict": 4, "stakes": 3, "zero_sum": 3}),
    ]
    w = aggregate(people, knowledge, rules, by_role=True)
    assert [r.role for r in w.roles] == ["commissioner", "provider", rules.roles.unspecified]
    assert w.roles[0].group.members == ("a", "b")
    gaps = [(g.item, g.gap) for g in w.role_gaps]
    # goal_conflict: 1.5 / 5 / 4 -> 3.5; zero_sum: 2 / 4 / 3 -> 2; stakes: 3 / 4 / 3 -> 1
    assert gaps == [("goal_conflict", 3.5), ("zero_sum", 2.0), ("stakes", 1.0)]
    assert aggregate(people, knowledge, rules).roles == ()


def test_ties_at_the_cut_of_the_widest_gaps_are_all_kept(
    person: Make, knowledge: Knowledge, rules: WorkshopRules
) -> None:
    items = ["goal_ambiguity", "means_ambiguity", "evidence_gap", "role_ambiguity"]
    items += ["goal_conflict", "means_conflict", "stakes"]
    people = [
        person("a", dict.fromkeys(items, 1), "commissioner"),
        person("b", dict.fromkeys(items, 3), "provider"),
    ]
    w = aggregate(
        people,
        knowledge,
        rules.model_copy(update={"roles": rules.roles.model_copy(update={"top_items": 3})}),
        by_role=True,
    )
    assert [g.item for g in w.role_gaps] == items  # all seven tied at 2: none dropped


def test_a_bloc_of_one_role_against_another_is_a_split_between_roles(
    person: Make, knowledge: Knowledge, rules: WorkshopRules
) -> None:
    # 2 sponsors low, 2 front-line high, 8 others in the middle: too few at each extreme
    # for the whole group's rule (4 of 12 needed), a split between roles all the same.
    people = [person(f"s{i}", {"funding_gap": 1}, "sponsor") for i in range(2)]
    people += [person(f"f{i}", {"funding_gap": 5}, "frontline") for i in range(2)]
    people += [person(f"o{i}", {"funding_gap": 3}, "other") for i in range(8)]
    w = aggregate(people, knowledge, rules, by_role=True)
    assert w.group.disagreement.contested == ()
    (split,) = w.role_splits
    assert (split.item, split.low, split.high, split.between) == (
        "funding_gap",
        ("sponsor",),
        ("frontline",),
        ("other",),
    )
    assert split.contested is False
    assert w.sides("funding_gap") == (("s0", "s1"), ("f0", "f1"))


def test_anonymous_names_no_one_and_keeps_roles(
    person: Make, knowledge: Knowledge, rules: WorkshopRules
) -> None:
    people = [person("Ann", {"goal_conflict": 1}, "sponsor")]
    people += [person("Bob", {"goal_conflict": 5}, "frontline")]
    w = aggregate(people, knowledge, rules, by_role=True, anonymous=True)
    assert [(p.name, p.role) for p in w.participants] == [
        ("Participant 1", "sponsor"),
        ("Participant 2", "frontline"),
    ]
    assert w.by_role(w.sides("goal_conflict")[0]) == {"sponsor": 1}


# ------------------------------------------------------------------ rules/workshop.yaml


def test_the_bundled_rule_carries_its_source(rules: WorkshopRules) -> None:
    assert "RAND/UCLA" in rules.disagreement.source
    assert "Matland 1995" in rules.conflict_evidence.source
    assert (rules.disagreement.low_max, rules.disagreement.high_min) == (2, 4)


def _rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(bundled_rules(), target)
    return target


def test_a_broken_workshop_rule_names_file_and_line(tmp_path: Path) -> None:
    root = _rules_copy(tmp_path)
    path = root / "workshop.yaml"
    lines = path.read_text().splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.strip().startswith("divisor:"))
    path.write_text(path.read_text().replace("divisor: 3", "divisor: 0"))
    with pytest.raises(KnowledgeError) as caught:
        load_workshop_rules(str(root))
    (finding,) = caught.value.findings
    assert finding.path == str(path) and finding.line == number
    assert "divisor" in finding.message


def test_extremes_must_not_overlap(tmp_path: Path) -> None:
    root = _rules_copy(tmp_path)
    path = root / "workshop.yaml"
    path.write_text(path.read_text().replace("low_max: 2", "low_max: 4"))
    with pytest.raises(KnowledgeError, match="low_max must be below high_min"):
        load_workshop_rules(str(root))


def test_a_rules_directory_without_workshop_yaml_says_so(tmp_path: Path) -> None:
    root = _rules_copy(tmp_path)
    (root / "workshop.yaml").unlink()
    with pytest.raises(KnowledgeError) as caught:
        load_workshop_rules(str(root))
    assert caught.value.findings[0].rule_id == "rules-missing"


def test_the_bootstrap_is_reproducible_with_its_seed_and_order_free(
    person: Make, knowledge: Knowledge, rules: WorkshopRules
) -> None:
    split = {"goal_ambiguity": 4, "means_ambiguity": 4, "evidence_gap": 4, "stakes": 2}
    people = [
        person(f"p{i}", {**split, "goal_conflict": g, "means_conflict": g})
        for i, g in enumerate((1, 2, 2, 3, 4, 5))
    ]
    first = aggregate(people, knowledge, rules, stability=True).bootstrap
    again = aggregate(list(reversed(people)), knowledge, rules, stability=True).bootstrap
    assert first is not None and first == again  # seeded, and the input order does not matter
    assert rules.stability is not None and first.resamples == rules.stability.resamples
    assert first.same + sum(first.others.values()) == first.resamples
    assert 0 < first.share < 1 and first.others  # a split group: some draws land elsewhere
    unanimous = [
        person(f"q{i}", {**split, "goal_conflict": 1, "means_conflict": 1}) for i in range(5)
    ]
    solid = aggregate(unanimous, knowledge, rules, stability=True).bootstrap
    assert solid is not None and solid.share == 1 and not solid.others
    assert aggregate(people, knowledge, rules).bootstrap is None  # only when asked for
