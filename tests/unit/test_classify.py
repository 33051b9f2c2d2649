from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matland.core.classify import classify, item_points, membership, why_confident
from matland.core.knowledge import Knowledge
from matland.core.model import AnswerValue

AMBIGUITY = [
    "goal_ambiguity",
    "means_ambiguity",
    "evidence_gap",
    "role_ambiguity",
    "interpretive_latitude",
    "context_dependence",
]
CONFLICT = [
    "goal_conflict",
    "means_conflict",
    "stakes",
    "zero_sum",
    "organised_opposition",
    "value_clash",
]


def uniform(ambiguity: int, conflict: int) -> dict[str, int | bool | None]:
    return {**dict.fromkeys(AMBIGUITY, ambiguity), **dict.fromkeys(CONFLICT, conflict)}


def test_item_points_maps_the_scale_onto_0_to_100() -> None:
    assert [item_points(v) for v in range(1, 6)] == [0, 25, 50, 75, 100]


def test_scores_are_weighted_means_computed_by_hand(knowledge: Knowledge) -> None:
    values = {
        "goal_ambiguity": 5,
        "means_ambiguity": 4,
        "evidence_gap": 3,
        "role_ambiguity": 1,
        "interpretive_latitude": 2,
        "context_dependence": 5,
        "goal_conflict": 1,
        "means_conflict": 2,
        "stakes": 3,
    }
    place = classify(values, knowledge)
    # ambiguity: (2*100 + 2*75 + 50 + 0 + 25 + 100) / 8 = 525 / 8
    assert place.ambiguity.score == pytest.approx(65.625)
    # conflict: (2*0 + 2*25 + 50) / 5, three of six items answered (exactly half)
    assert place.conflict.score == pytest.approx(20.0)
    assert sum(place.ambiguity.contributions.values()) == pytest.approx(65.625)
    assert place.paradigm == "experimental"


def test_unsure_answers_are_left_out_of_the_score(knowledge: Knowledge) -> None:
    values = {**uniform(2, 2), "goal_ambiguity": None}
    values = {k: v for k, v in values.items() if v is not None}
    place = classify(values, knowledge)
    assert place.ambiguity.score == pytest.approx(25.0)
    assert "goal_ambiguity" in place.ambiguity.unanswered


def test_fewer_than_half_answered_is_not_classifiable(knowledge: Knowledge) -> None:
    values = {"goal_ambiguity": 4, "means_ambiguity": 4, **dict.fromkeys(CONFLICT, 2)}
    place = classify(values, knowledge)
    assert place.paradigm is None and place.membership is None
    assert place.ambiguity.score is None
    assert set(place.to_answer) == set(AMBIGUITY) - {"goal_ambiguity", "means_ambiguity"}


@pytest.mark.parametrize(
    ("a", "c", "paradigm"),
    [
        (1, 1, "administrative"),
        (1, 5, "political"),
        (5, 1, "experimental"),
        (5, 5, "symbolic"),
    ],
)
def test_quadrants(knowledge: Knowledge, a: int, c: int, paradigm: str) -> None:
    place = classify(uniform(a, c), knowledge)
    assert place.paradigm == paradigm
    assert place.elements == ()
    assert place.confidence == "high"


def test_exactly_on_the_midpoint_is_undecided_without_evidence(knowledge: Knowledge) -> None:
    """No convention picks a side: on the ambiguity line with no evidence to decide it, the
    two quadrants on either side are co-primary."""
    place = classify(uniform(3, 1), knowledge)
    assert place.ambiguity.score == 50
    assert place.borderline and place.undecided
    assert set(place.paradigms) == {"administrative", "experimental"}
    assert place.label in (
        "undecided between administrative and experimental",
        "undecided between experimental and administrative",
    )
    assert place.confidence == "low"
    assert place.elements == ()  # both sides are primary: nothing else within the band
    assert place.ties[0].dimension == "ambiguity" and place.ties[0].side is None


OPPONENT = {"role": "opponent", "stance": "oppose", "influence": "high"}
SUPPORTER = {"role": "implementer", "stance": "support", "influence": "high"}
NEUTRAL = {"role": "affected", "stance": "neutral", "influence": "medium"}


def test_a_conflict_tie_with_an_influential_opponent_is_high(knowledge: Knowledge) -> None:
    place = classify(uniform(1, 3), knowledge, (OPPONENT,))
    assert place.conflict.score == 50
    assert not place.undecided and place.paradigm == "political"
    assert place.ties[0].side == "high" and "Matland 1995" in place.ties[0].source
    assert place.ties[0].triggers == ("stakeholders",)


def test_a_conflict_tie_with_a_map_and_no_opponent_is_low(knowledge: Knowledge) -> None:
    place = classify(uniform(1, 3), knowledge, (SUPPORTER, NEUTRAL, SUPPORTER))
    assert place.paradigm == "administrative" and not place.undecided
    assert place.ties[0].side == "low"


def test_a_conflict_tie_without_a_map_is_undecided(knowledge: Knowledge) -> None:
    assert set(classify(uniform(1, 3), knowledge).paradigms) == {"administrative", "political"}
    # two stakeholders, neither opposed: too small a map to say there is no conflict
    small = classify(uniform(1, 3), knowledge, (SUPPORTER, NEUTRAL))
    assert small.undecided


def test_without_a_map_a_conflict_tie_is_decided_by_opposition_able_to_resist(
    knowledge: Knowledge,
) -> None:
    """Conflict 50 with organised_opposition 2 and value_clash 4, the other items 3:
    (2*50 + 2*50 + 50 + 50 + 25 + 75)/8 = 50; no one able to resist -> low."""
    values = dict(uniform(1, 3)) | {"organised_opposition": 2, "value_clash": 4}
    low = classify(values, knowledge)
    assert low.conflict.score == 50 and not low.undecided
    assert low.paradigm == "administrative" and low.ties[0].side == "low"
    assert low.ties[0].triggers == ("organised_opposition",)
    high = classify(values | {"organised_opposition": 4, "value_clash": 2}, knowledge)
    assert high.conflict.score == 50 and high.paradigm == "political"
    # the stakeholder map, when there is one, is read first
    mapped = classify(values, knowledge, (OPPONENT,))
    assert mapped.paradigm == "political" and mapped.ties[0].triggers == ("stakeholders",)


def test_an_unsure_answer_is_not_evidence_of_either_side(knowledge: Knowledge) -> None:
    """The tie stays a tie when an item is unsure: unsure is left out of the score and no
    tie rule reads it."""
    values: dict[str, AnswerValue] = dict(uniform(1, 3))
    del values["value_clash"]  # unsure: not among the answered values
    place = classify(values, knowledge)
    assert place.conflict.score == pytest.approx(50) and place.undecided
    with_opponent = classify(values, knowledge, (OPPONENT,))
    assert with_opponent.paradigm == "political" and not with_opponent.undecided


def test_one_step_that_changes_the_paradigm_is_listed(knowledge: Knowledge) -> None:
    """Hand-computed: ambiguity items all 4 but goal_ambiguity 2 -> (2*25 + 2*75 + 4*75)/8
    = 62.5; goal_ambiguity 2->1 takes 6.25 points (56.25): still high. Conflict all 1 but
    goal_conflict 4 and means_conflict 4: (2*75 + 2*75)/8 = 37.5; either 4->5 adds 6.25
    (43.75): still low. Nothing flips: stable."""
    values = dict(uniform(4, 1)) | {"goal_ambiguity": 2, "goal_conflict": 4, "means_conflict": 4}
    place = classify(values, knowledge)
    assert place.ambiguity.score == 62.5 and place.conflict.score == 37.5
    assert place.stability is not None and place.stability.flips == ()
    # On the line: goal and means conflict 4, stakes and value_clash 2, zero_sum 1,
    # organised_opposition 3 (which leaves the tie to no rule):
    # (2*75 + 2*75 + 25 + 25 + 0 + 50)/8 = 50. goal_conflict 4->3 takes 6.25 (experimental);
    # stakes 2->3 adds 3.125 (symbolic).
    near = dict(uniform(4, 2)) | {
        "goal_conflict": 4,
        "means_conflict": 4,
        "zero_sum": 1,
        "organised_opposition": 3,
    }
    place = classify(near, knowledge)
    assert place.undecided
    assert place.conflict.score == 50  # on the line: each step decides it
    assert place.stability is not None
    flipped = {(f.item, f.moved_to) for f in place.stability.flips}
    assert ("goal_conflict", 3) in flipped and ("stakes", 3) in flipped
    assert all(f.paradigms in (("experimental",), ("symbolic",)) for f in place.stability.flips)


def test_a_result_one_step_from_changing_is_not_high_confidence(knowledge: Knowledge) -> None:
    # ambiguity 4s everywhere (75) and conflict: double items 3, singles 1 and 2 ->
    # (2*50+2*50+0+0+25+25)/8 = 31.25; goal_conflict 3->4 adds 6.25 = 37.5: no flip.
    far = classify(dict(uniform(5, 1)), knowledge)
    assert far.confidence == "high" and far.stability is not None and not far.stability.flips


def test_unanswered_items_give_the_range_the_policy_could_take(knowledge: Knowledge) -> None:
    values: dict[str, AnswerValue] = dict(uniform(2, 4))
    del values["goal_ambiguity"]  # weight 2 unanswered: 6 of 8 weights answered at 25
    place = classify(values, knowledge)
    assert place.stability is not None
    low, high = place.stability.ranges["ambiguity"]
    assert (low, high) == pytest.approx((25 * 6 / 8, (25 * 6 + 100 * 2) / 8))  # 18.75, 43.75
    assert "goal_ambiguity" not in place.stability.could_change  # 43.75 stays low
    values["means_ambiguity"] = 3  # (2*50 + 4*25)/6 = 33.3; goal_ambiguity 5: (200+200)/8 = 50
    place = classify(values, knowledge)
    assert place.stability is not None and "goal_ambiguity" in place.stability.could_change


def test_band_edges(knowledge: Knowledge) -> None:
    mid, band = knowledge.classification.midpoint, knowledge.classification.band
    near = {
        "goal_ambiguity": 3,
        "means_ambiguity": 3,
        "evidence_gap": 3,
        "role_ambiguity": 1,
        "interpretive_latitude": 3,
        "context_dependence": 4,
        **dict.fromkeys(CONFLICT, 1),
    }
    place = classify(near, knowledge)
    assert place.ambiguity.score == pytest.approx(375 / 8)  # 46.875: inside the band
    assert place.paradigm == "administrative"
    assert place.elements == ("experimental",)
    far = {**near, "goal_ambiguity": 1, "means_ambiguity": 2}  # (0 + 50 + 175) / 8 = 28.125
    outside = classify(far, knowledge)
    assert outside.ambiguity.score == pytest.approx(225 / 8)
    assert mid - outside.ambiguity.score > band
    assert outside.elements == ()


def test_score_exactly_at_band_edge_counts_as_inside(knowledge: Knowledge) -> None:
    # conflict 40 = midpoint - band: (2*25 + 2*25 + 50 + 50 + 50 + 50)/8 = 37.5 is not 40, so
    # use a subset with exact arithmetic: goal 3, means 2, stakes 3 -> (100 + 50 + 50)/5 = 40
    values = {**dict.fromkeys(AMBIGUITY, 1), "goal_conflict": 3, "means_conflict": 2, "stakes": 3}
    place = classify(values, knowledge)
    assert place.conflict.score == pytest.approx(40.0)
    assert "political" in place.elements


def test_near_both_boundaries_carries_all_three_others(knowledge: Knowledge) -> None:
    values = {**uniform(3, 3), "goal_ambiguity": 4, "goal_conflict": 2}
    place = classify(values, knowledge)
    assert place.paradigm == "experimental"
    assert set(place.elements) == {"administrative", "symbolic", "political"}
    assert place.confidence == "low"


scale = st.integers(min_value=1, max_value=5)


@given(a=st.floats(0, 100), c=st.floats(0, 100))
def test_membership_sums_to_one(knowledge: Knowledge, a: float, c: float) -> None:
    assert sum(membership(a, c, knowledge).values()) == pytest.approx(1.0)


@given(
    values=st.fixed_dictionaries({k: scale for k in AMBIGUITY + CONFLICT}),
    item=st.sampled_from(AMBIGUITY + CONFLICT),
)
def test_raising_an_item_never_lowers_its_dimension(
    knowledge: Knowledge, values: dict[str, int], item: str
) -> None:
    dimension = "ambiguity" if item in AMBIGUITY else "conflict"
    before = classify(values, knowledge).scores[dimension]  # type: ignore[arg-type]
    raised = {**values, item: min(values[item] + 1, 5)}
    after = classify(raised, knowledge).scores[dimension]  # type: ignore[arg-type]
    assert before is not None and after is not None
    assert after >= before


@pytest.mark.parametrize(
    ("ambiguity", "conflict", "says"),
    [
        (5, 1, "confidence high: 50.0 points from the nearer line, 100% of the"),
        (
            0,
            1,
            "confidence medium: 50.0 points from the nearer line, 75% of the "
            "classification items answered (high needs 20 points and 90% answered)",
        ),
        (
            3,
            3,
            "confidence low: 0.0 points from the nearer line, 100% of the "
            "classification items answered (medium needs 10 points and 60% answered)",
        ),
    ],
)
def test_why_confident_says_what_it_rests_on_and_what_the_next_level_needs(
    knowledge: Knowledge, ambiguity: int, conflict: int, says: str
) -> None:
    values = uniform(ambiguity or 5, conflict)
    if ambiguity == 0:  # a quarter of the items unanswered: medium however far from the lines
        for item in [*AMBIGUITY[:1], *CONFLICT[:2]]:
            del values[item]
    place = classify(values, knowledge)
    assert why_confident(place, knowledge).startswith(says)
    if place.confidence == "high":
        assert "needs" not in why_confident(place, knowledge)
