"""The quick check of a proposal's envelope (source/envelope.py) against the pydantic models
it stands in for (core/proposalfile.py): the same records where it vouches for a file, the
reference's findings everywhere else."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from matland.core import proposalfile
from matland.core.knowledge import Knowledge
from matland.core.model import RECORDS, ProposalFile
from matland.core.records import from_model
from matland.core.yamlpos import Document, load
from matland.source import load as loading
from matland.source.envelope import quick_envelope
from matland.source.review import _model_fields

ROOT = Path(__file__).parents[2]
PROPOSALS = sorted(
    [
        *ROOT.glob("examples/*.yaml"),
        *ROOT.glob("examples/workshop/participants/*.yaml"),
        *ROOT.glob("tests/data/bad/*.yaml"),
    ]
)


def _document(path: Path) -> Document | None:
    document, _ = loading.read_document(str(path))
    return document


def _reference(data: dict[str, Any]) -> ProposalFile | None:
    try:
        validated = proposalfile.ProposalFile.model_validate(data)
    except ValidationError:
        return None
    made: ProposalFile = from_model(validated, RECORDS)
    return made


def test_a_proposals_keys_are_its_models() -> None:
    """check_keys reads each part's keys from the records: the models' keys and parts."""
    expected = {
        name: tuple((RECORDS[sub.__name__], is_list) for sub, is_list in parts)
        for name, parts in _model_fields(proposalfile.ProposalFile).items()
    }
    assert loading._record_fields(ProposalFile) == expected
    for kind, _ in loading.PARTS.values():
        model = getattr(proposalfile, kind.__name__)
        assert list(loading._record_fields(kind)) == list(model.model_fields)


def _proposal_yaml(path: Path) -> bool:
    """Parsed YAML, and not a review (a file that does not parse never reaches the check)."""
    document = _document(path)
    return document is not None and not loading.is_review(document)


@pytest.mark.parametrize("path", [p for p in PROPOSALS if _proposal_yaml(p)], ids=lambda p: p.name)
def test_every_file_loads_the_same_with_the_quick_check_and_without(
    path: Path, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _document(path)
    assert document is not None
    quick = loading.proposal_from_document(str(path), document, knowledge)
    monkeypatch.setattr(loading, "quick_envelope", lambda data: None)
    reference = loading.proposal_from_document(str(path), document, knowledge)
    assert quick == reference
    if quick[0] is not None:  # a valid file: the quick check vouched for it
        assert quick_envelope(document.data) is not None


def test_the_examples_are_all_taken_by_the_quick_check() -> None:
    for path in ROOT.glob("examples/*.yaml"):
        data = load(str(path)).data
        assert quick_envelope(data) == _reference(data), path.name


# Values that are plain, that the model strips, coerces or refuses, and the ones in between.
ODD = st.sampled_from(
    [
        None,
        "",
        " ",
        "x",
        " x",
        "x ",
        "\x1cx",
        "x\x1f",
        "\u00a0x",
        "x\u3000",
        "\u200bx",
        "a\ud800b",
        "implementer",
        "oppose",
        "high",
        "low",
        1,
        0,
        True,
        2.5,
        [],
        ["x"],
        [" x"],
        [None],
        {},
        {"name": "x", "role": "partner"},
        {"id": "x", "reason": "y"},
        {"item": "x"},
        {1: "x"},
    ]
)
BASE: dict[str, Any] = {
    "matland": 1,
    "policy": {"title": "T", "summary": "S", "owner": "O", "jurisdiction": "J"},
    "answers": {"goal_ambiguity": 3},
    "stakeholders": [{"name": "N", "role": "implementer", "stance": "support"}],
    "support_plan": ["written_guidance"],
    "accepted_risks": [{"id": "funding-gap", "reason": "R"}],
    "lessons": ["L"],
    "respondent": {"name": "R", "role": "Q"},
    "actions": [{"item": "funding-gap", "owner": "O", "due": "D", "outcome": "X"}],
}
# Where a value can be put: a key of the envelope, or a key of one of its parts.
PLACES = [(key,) for key in BASE if key != "matland"] + [
    ("policy", "title"),
    ("policy", "summary"),
    ("stakeholders", 0, "name"),
    ("stakeholders", 0, "role"),
    ("stakeholders", 0, "stance"),
    ("stakeholders", 0, "influence"),
    ("support_plan", 0),
    ("accepted_risks", 0, "reason"),
    ("lessons", 0),
    ("respondent", "role"),
    ("actions", 0, "item"),
    ("actions", 0, "due"),
    ("answers", "x-extra"),
    ("policy", "x-note"),
]


def test_a_plain_envelope_is_taken_as_the_model_takes_it() -> None:
    assert quick_envelope(copy.deepcopy(BASE)) == _reference(BASE) is not None


def test_text_python_leaves_unstripped_pydantic_leaves_unstripped_too() -> None:
    """The quick check takes text that str.strip() leaves as it is, as pydantic does."""
    spaces = [chr(c) for c in range(0x3001) if chr(c).isspace() or chr(c) in "\u180e\u200b"]
    for char in [*spaces, "\ufeff", "\u2060"]:
        title = proposalfile.Policy.model_validate({"title": f"{char}x{char}"}).title
        if title != f"{char}x{char}":
            assert char.isspace(), hex(ord(char))


@given(st.lists(st.tuples(st.sampled_from(PLACES), ODD, st.booleans()), max_size=4))
def test_the_quick_check_makes_what_the_model_makes_or_leaves_it_to_the_model(
    changes: list[tuple[tuple[Any, ...], Any, bool]],
) -> None:
    data = copy.deepcopy(BASE)
    for place, value, remove in changes:
        _put(data, place, value, remove)
    quick, reference = quick_envelope(copy.deepcopy(data)), _reference(data)
    assert quick is None or quick == reference
    if reference is None:
        assert quick is None


def _put(data: dict[str, Any], place: tuple[Any, ...], value: Any, remove: bool) -> None:
    """`value` at `place` (or the key removed) where the data still has that shape."""
    node: Any = data
    for step in place[:-1]:
        if (isinstance(node, dict) and step in node) or (
            isinstance(node, list) and isinstance(step, int) and step < len(node)
        ):
            node = node[step]
        else:
            return
    last = place[-1]
    if isinstance(node, dict) and isinstance(last, str):
        if remove:
            node.pop(last, None)
        else:
            node[last] = copy.deepcopy(value)
    elif isinstance(node, list) and isinstance(last, int) and last < len(node):
        node[last] = copy.deepcopy(value)
