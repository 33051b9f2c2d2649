"""The report's five classified cases (report §5.1) and our political case come out as the
report classifies them, with the support emphasis it describes."""

from __future__ import annotations

from pathlib import Path

import pytest

from matland.core.assessment import Assessment, assess
from matland.core.knowledge import Knowledge
from matland.source.load import load_proposal

EXAMPLES = Path(__file__).parents[2] / "examples"


def assessed(name: str, knowledge: Knowledge) -> Assessment:
    proposal, errors = load_proposal(str(EXAMPLES / name), knowledge)
    assert proposal is not None, [e.one_line() for e in errors]
    return assess(proposal, knowledge)


@pytest.mark.parametrize(
    ("name", "paradigm", "elements"),
    [
        ("care-act-2014.yaml", "experimental", set()),
        ("troubled-families.yaml", "administrative", set()),
        ("community-care-support-force.yaml", "symbolic", set()),
        ("health-and-wellbeing-boards.yaml", "experimental", {"symbolic"}),
        ("nhs-vanguard.yaml", "experimental", {"political", "administrative", "symbolic"}),
        ("junior-doctors-contract-2016.yaml", "political", set()),
    ],
)
def test_example_is_classified_as_the_report_does(
    knowledge: Knowledge, name: str, paradigm: str, elements: set[str]
) -> None:
    placement = assessed(name, knowledge).placement
    assert placement.paradigm == paradigm
    assert set(placement.elements) == elements


def test_care_act_gets_bottom_up_problem_solving(knowledge: Knowledge) -> None:
    mix = assessed("care-act-2014.yaml", knowledge).mix
    assert mix is not None
    assert mix.leading() == "problem_solving"
    assert mix.performance_management < mix.problem_solving


def test_troubled_families_gets_performance_management(knowledge: Knowledge) -> None:
    mix = assessed("troubled-families.yaml", knowledge).mix
    assert mix is not None
    assert mix.leading() == "performance_management"


def test_symbolic_case_needs_capacity_building_and_collaboration(knowledge: Knowledge) -> None:
    symbolic = assessed("community-care-support-force.yaml", knowledge).mix
    administrative = assessed("troubled-families.yaml", knowledge).mix
    assert symbolic is not None and administrative is not None
    assert symbolic.capacity_building > administrative.capacity_building
    assert symbolic.collaboration > administrative.collaboration


def test_every_example_answer_on_the_matrix_carries_evidence(knowledge: Knowledge) -> None:
    items = [*knowledge.dimension_items("ambiguity"), *knowledge.dimension_items("conflict")]
    for path in EXAMPLES.glob("*.yaml"):
        proposal, _ = load_proposal(str(path), knowledge)
        assert proposal is not None
        for item in items:
            assert proposal.answers[item].note, f"{path.name}: {item} has no note"
