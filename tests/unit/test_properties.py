"""Properties over generated input: nothing crashes, valid proposals round-trip, and the
classification keeps its invariants."""

from __future__ import annotations

import json
import string
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matland.cli.main import cli
from matland.core.assessment import assess
from matland.core.knowledge import load_knowledge
from matland.core.model import Answer
from matland.core.yamlpos import parse
from matland.source.load import proposal_from_document

KNOWLEDGE = load_knowledge()
QUESTIONS = KNOWLEDGE.questions
QUESTION_IDS = sorted(QUESTIONS)
TOP_KEYS = ["matland", "policy", "answers", "stakeholders", "support_plan", "accepted_risks"]
Stakeholders = list[tuple[str, str, str, str]]
ROLES = ["implementer", "sponsor", "affected", "partner", "opponent"]
STANCES = ["support", "neutral", "oppose"]
INFLUENCES = ["low", "medium", "high"]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# Run from an empty directory, so no project config changes what these tests see.
pytestmark = pytest.mark.usefixtures("outside_the_project")


def check_stdin(text: str) -> Result:
    """`matland check -`, with exit 1 (findings) switched off."""
    return CliRunner().invoke(
        cli,
        ["check", "-", "--format", "json", "--fail-on", "never"],
        input=text,
        catch_exceptions=False,
    )


def assert_handled(result: Result) -> None:
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
    assert result.exit_code in (0, 2), result.output


# ---------------------------------------------------------------- nothing crashes


@FAST
@given(st.text())
def test_arbitrary_text_never_crashes(text: str) -> None:
    assert_handled(check_stdin(text))


@FAST
@given(st.text(alphabet=" \n\t:-[]{},#&*!|>'\"%@`?012345abcxyz", max_size=60))
def test_yaml_punctuation_soup_never_crashes(text: str) -> None:
    assert_handled(check_stdin("matland: 1\npolicy:\n  title: t\n" + text))


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["unsure", "yes", "no", "1", "", "x-", "~"])
)
keys = st.sampled_from(QUESTION_IDS + TOP_KEYS + ["value", "note", "title", "x-mine"]) | st.text(
    max_size=12
)
documents = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
    max_leaves=25,
)
envelopes = st.fixed_dictionaries(
    {"matland": st.just(1), "policy": st.just({"title": "t"}), "answers": documents}
) | st.fixed_dictionaries(
    {
        "matland": st.just(1) | scalars,
        "policy": st.fixed_dictionaries({"title": scalars}) | documents,
        "answers": st.dictionaries(st.sampled_from(QUESTION_IDS) | keys, documents, max_size=6),
    },
    optional={
        "stakeholders": documents,
        "support_plan": documents,
        "accepted_risks": documents,
        "lessons": documents,
        "respondent": documents,
    },
)


@FAST
@given(documents | envelopes)
def test_arbitrary_structured_documents_never_crash(data: Any) -> None:
    assert_handled(check_stdin(yaml.safe_dump(data, sort_keys=False)))


# ---------------------------------------------------------------- valid proposals

words = st.text(alphabet=string.ascii_letters + string.digits + " -'()&,.", max_size=30)
names = words.filter(lambda s: s.strip() != "")
# NEL and the Unicode line/paragraph separators: PyYAML's emitter writes them raw with
# allow_unicode, and a YAML reader then folds them as line breaks (a PyYAML quirk, not ours).
notes = st.text(st.characters(codec="utf-8", exclude_characters="\x85\u2028\u2029"), max_size=40)


def value_for(question_id: str) -> st.SearchStrategy[Any]:
    kind = QUESTIONS[question_id].type
    if kind == "bool":
        values: st.SearchStrategy[Any] = st.booleans()
    elif kind == "count":
        values = st.integers(min_value=1, max_value=10**9)
    else:
        values = st.integers(min_value=1, max_value=5)
    return values | st.just("unsure")


@st.composite
def proposals(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Answer], Stakeholders]:
    """A valid proposal as data, the answers it must load as, and its stakeholders."""
    answers: dict[str, Any] = {}
    expected: dict[str, Answer] = {}
    for question_id in draw(st.lists(st.sampled_from(QUESTION_IDS), unique=True)):
        value = draw(value_for(question_id))
        loaded = None if value == "unsure" else value
        if draw(st.booleans()):
            answers[question_id] = value
            expected[question_id] = Answer(loaded)
        else:
            note = draw(notes)
            answers[question_id] = {"value": value, "note": note}
            expected[question_id] = Answer(loaded, note.strip())
    people = draw(
        st.lists(
            st.fixed_dictionaries(
                {"name": names, "role": st.sampled_from(ROLES)},
                optional={
                    "stance": st.sampled_from(STANCES),
                    "influence": st.sampled_from(INFLUENCES),
                },
            ),
            max_size=4,
            unique_by=lambda p: p["name"].strip(),  # a name twice is an error (duplicate-entry)
        )
    )
    stakeholders = [
        (p["name"].strip(), p["role"], p.get("stance", "neutral"), p.get("influence", "medium"))
        for p in people
    ]
    data: dict[str, Any] = {"matland": 1, "policy": {"title": draw(names)}, "answers": answers}
    with_stakeholders = draw(st.booleans())
    if people or with_stakeholders:
        data["stakeholders"] = people
    return data, expected, stakeholders


def expected_score(dimension: str, answers: dict[str, Answer]) -> float | None:
    """The documented rule, computed independently: the weighted mean of answered items
    at (v-1)/4*100, or None when fewer than min_answered_share of the items are answered."""
    weights = KNOWLEDGE.classification.weights[dimension]  # type: ignore[index]
    answered = {q: answers[q].value for q in weights if q in answers and not answers[q].unsure}
    if not answered or len(answered) / len(weights) < KNOWLEDGE.classification.min_answered_share:
        return None
    total = sum(weights[q] for q in answered)
    return sum(weights[q] * (v - 1) / 4 * 100 for q, v in answered.items()) / total  # type: ignore[operator]


@FAST
@given(proposals(), st.booleans())
def test_valid_proposals_round_trip_and_classify_consistently(
    generated: tuple[dict[str, Any], dict[str, Answer], Stakeholders], unicode: bool
) -> None:
    data, expected, stakeholders = generated
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=unicode)
    proposal, errors = proposal_from_document("gen.yaml", parse(text), KNOWLEDGE)
    assert proposal is not None, [e.one_line() for e in errors]
    assert dict(proposal.answers) == expected
    assert proposal.policy.title == data["policy"]["title"].strip()
    assert [(s.name, s.role, s.stance, s.influence) for s in proposal.stakeholders] == stakeholders
    for question_id in expected:
        line, _ = proposal.answer_position(question_id)
        assert text.splitlines()[line - 1].lstrip().startswith(f"{question_id}:")

    place = assess(proposal, KNOWLEDGE).placement
    for dimension in ("ambiguity", "conflict"):
        want = expected_score(dimension, expected)
        got = place.scores[dimension]
        assert (got is None) == (want is None)
        if got is not None:
            assert got == pytest.approx(want) and 0 <= got <= 100
    if place.classifiable:
        membership = place.membership
        assert membership is not None and place.paradigm is not None
        assert set(membership) == set(KNOWLEDGE.paradigms)
        assert sum(membership.values()) == pytest.approx(1.0)
        assert all(0 <= share <= 1 for share in membership.values())
        assert membership[place.paradigm] == pytest.approx(max(membership.values()))
        assert place.confidence in ("high", "medium", "low")
        assert place.paradigm not in place.elements
    else:
        assert place.membership is None and place.confidence is None
        assert place.to_answer
        assert not set(place.to_answer) & {q for q, a in expected.items() if not a.unsure}


@settings(max_examples=25, deadline=None)
@given(proposals())
def test_valid_proposals_pass_the_cli(
    generated: tuple[dict[str, Any], dict[str, Answer], Stakeholders],
) -> None:
    data, _, _ = generated
    result = check_stdin(yaml.safe_dump(data, sort_keys=False))
    assert_handled(result)
    assert result.exit_code == 0, result.output
    (file,) = json.loads(result.stdout)["files"]
    assert file["valid"] is True and file["errors"] == []
    if file.get("membership"):
        assert sum(file["membership"].values()) == pytest.approx(1.0, abs=0.01)
