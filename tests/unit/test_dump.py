"""dump(): a Proposal written back as a file reads back the same, with its anchors as comments."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matland.assess.amend import amend
from matland.assess.dump import answer_meaning, dump
from matland.core.knowledge import Knowledge, load_knowledge
from matland.core.model import AcceptedRisk, Answer, Policy, Proposal, Respondent, Stakeholder
from matland.core.yamlpos import Document, parse
from matland.source.load import load_proposal, proposal_from_document

EXAMPLES = Path(__file__).parents[2] / "examples"
KNOWLEDGE = load_knowledge()


def reload(proposal: Proposal, knowledge: Knowledge) -> Proposal:
    text = dump(proposal, knowledge)
    loaded, errors = proposal_from_document(proposal.path, parse(text), knowledge)
    assert loaded is not None, [e.one_line() for e in errors] + [text]
    return loaded


# ---------------------------------------------------------------- strategies

text = st.text(max_size=40)
words = text.map(str.strip).filter(bool)  # what the model's stripped, non-empty `Text` holds


@st.composite
def answers(draw: st.DrawFn) -> dict[str, Answer]:
    chosen = draw(st.lists(st.sampled_from(sorted(KNOWLEDGE.questions)), unique=True))
    result = {}
    for qid in chosen:
        kind = KNOWLEDGE.questions[qid].type
        value: Any = {
            "scale": st.integers(1, 5),
            "bool": st.booleans(),
            "count": st.integers(1, 10**6),
        }[kind]
        note = draw(st.one_of(st.just(""), words))
        result[qid] = Answer(draw(st.one_of(st.none(), value)), note)
    return result


json_like = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | text,  # yamlpos caps digits
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)
x_keys = st.dictionaries(st.text(max_size=12).map(lambda s: "x-" + s), json_like, max_size=3)


@st.composite
def proposals(draw: st.DrawFn) -> Proposal:
    policy = Policy(
        title=draw(words),
        summary=draw(st.none() | text),
        owner=draw(st.none() | text),
        jurisdiction=draw(st.none() | text),
    )
    stakeholders = draw(
        st.lists(
            st.builds(
                Stakeholder,
                name=words,
                role=st.sampled_from(["implementer", "sponsor", "affected", "partner", "opponent"]),
                stance=st.sampled_from(["support", "neutral", "oppose"]),
                influence=st.sampled_from(["low", "medium", "high"]),
            ),
            max_size=3,
            unique_by=lambda s: s.name,  # a name twice is an error (duplicate-entry)
        )
    )
    risks = st.builds(AcceptedRisk, id=st.sampled_from(sorted(KNOWLEDGE.risk_ids)), reason=words)
    extras = {
        "top": draw(x_keys),
        "policy": draw(x_keys),
        "answers": draw(x_keys),
    }
    return Proposal(
        path="draft.yaml",
        policy=policy,
        answers=draw(answers()),
        stakeholders=tuple(stakeholders),
        support_plan=tuple(
            draw(st.lists(st.sampled_from(sorted(KNOWLEDGE.support_ids)), unique=True))
        ),
        accepted_risks=tuple(draw(st.lists(risks, max_size=2, unique_by=lambda r: r.id))),
        lessons=tuple(draw(st.lists(words, max_size=2))),
        respondent=draw(st.none() | st.builds(Respondent, name=st.none() | text, role=st.none())),
        document=Document(
            data={
                **extras["top"],
                "policy": dict(extras["policy"]),
                "answers": dict(extras["answers"]),
            }
        ),
    )


def x_keys_of(data: Any) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k.startswith("x-")} if isinstance(data, dict) else {}


# ---------------------------------------------------------------- properties


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(proposals())
def test_a_dumped_proposal_loads_back_the_same(proposal: Proposal) -> None:
    loaded = reload(proposal, KNOWLEDGE)
    assert loaded == proposal  # policy, answers with notes, stakeholders, plan, risks, lessons…
    before, after = proposal.document.data, loaded.document.data
    assert x_keys_of(after) == x_keys_of(before)
    for section in ("policy", "answers"):
        assert x_keys_of(after[section]) == x_keys_of(before[section])


@settings(max_examples=50)
@given(proposals())
def test_dumping_is_stable(proposal: Proposal) -> None:
    text = dump(proposal, KNOWLEDGE)
    assert dump(reload(proposal, KNOWLEDGE), KNOWLEDGE) == text


@st.composite
def answered_further(draw: st.DrawFn, proposal: Proposal) -> dict[str, Answer]:
    """What `matland assess` does to answers: values changed, notes given, items answered."""
    changed = dict(proposal.answers)
    for qid, answer in draw(answers()).items():
        if qid not in changed or draw(st.booleans()):
            changed[qid] = Answer(answer.value, answer.note or changed.get(qid, answer).note)
    return changed


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_a_file_dump_wrote_and_amend_edited_is_what_dump_would_write(data: st.DataObject) -> None:
    proposal = reload(data.draw(proposals()), KNOWLEDGE)  # positions from a real text
    intended = data.draw(answered_further(proposal))
    amended = amend(dump(proposal, KNOWLEDGE), intended, KNOWLEDGE, proposal.path)
    assert amended is not None
    assert amended.text == dump(dataclasses.replace(proposal, answers=intended), KNOWLEDGE)


# ---------------------------------------------------------------- examples


def test_every_example_round_trips(knowledge: Knowledge) -> None:
    for path in sorted(EXAMPLES.glob("*.yaml")):
        proposal, errors = load_proposal(str(path), knowledge)
        assert proposal is not None, errors
        assert reload(proposal, knowledge) == proposal, path.name


def test_each_answer_carries_its_question_and_anchor_as_comments(knowledge: Knowledge) -> None:
    proposal = Proposal(
        path="p.yaml",
        policy=Policy(title="T"),
        answers={"goal_ambiguity": Answer(5), "goal_conflict": Answer(2, "some doubt")},
    )
    lines = dump(proposal, knowledge).splitlines()
    goal = knowledge.questions["goal_ambiguity"]
    at = lines.index("  goal_ambiguity: 5")
    assert lines[at - 2] == f"  # {goal.text}"
    assert lines[at - 1] == f"  #   5 = {goal.anchors[5]}"  # type: ignore[index]
    assert '  goal_conflict: {value: 2, note: "some doubt"}' in lines


def test_unanswered_items_stay_as_commented_lines_in_questionnaire_order(
    knowledge: Knowledge,
) -> None:
    proposal = Proposal(path="p.yaml", policy=Policy(title="T"), answers={"pilot": Answer(None)})
    text = dump(proposal, knowledge)
    order = [text.index(f"  # {qid}:") for qid in knowledge.questions if qid != "pilot"]
    assert order == sorted(order)
    assert "  pilot: unsure" in text


def test_a_value_between_anchors_names_both_neighbours(knowledge: Knowledge) -> None:
    question = knowledge.questions["means_ambiguity"]
    anchors = question.anchors or {}
    meaning = answer_meaning(question, 4)
    assert meaning.startswith("4 = between 3") and anchors[3] in meaning and anchors[5] in meaning
    assert answer_meaning(knowledge.questions["pilot"], True) == "yes"
    assert answer_meaning(question, None) == "unsure"


def test_x_keys_inside_answers_and_stakeholders_are_kept(knowledge: Knowledge) -> None:
    text = (
        "matland: 1\n"
        "x-owner: team-a\n"
        "policy: {title: T, x-ref: [1, 2]}\n"
        "answers:\n"
        "  goal_ambiguity: {value: 3, note: n, x-source: {page: 4}}\n"
        "stakeholders:\n"
        "  - {name: LGA, role: partner, x-contact: someone}\n"
        "respondent: {x-team: b}\n"
    )
    proposal, errors = proposal_from_document("p.yaml", parse(text), knowledge)
    assert proposal is not None, errors
    again = reload(proposal, knowledge)
    assert again == proposal
    data = again.document.data
    assert data["x-owner"] == "team-a"
    assert data["policy"]["x-ref"] == [1, 2]
    assert data["answers"]["goal_ambiguity"]["x-source"] == {"page": 4}
    assert data["stakeholders"][0]["x-contact"] == "someone"
    assert data["respondent"] == {"x-team": "b"}


def test_an_empty_respondent_stays_a_respondent(knowledge: Knowledge) -> None:
    proposal = Proposal(
        path="p.yaml", policy=Policy(title="T"), answers={}, respondent=Respondent()
    )
    assert reload(proposal, knowledge).respondent == Respondent()
    assert dataclasses.replace(proposal, respondent=None) == reload(
        dataclasses.replace(proposal, respondent=None), knowledge
    )
