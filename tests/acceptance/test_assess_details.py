"""`matland assess` asks for the whole proposal: the policy's details and the respondent, the
stakeholders, the support plan and the accepted risks (driven through CliRunner; a real
terminal in tests/terminal)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from matland.cli.assess import FORCE_INTERACTIVE
from matland.cli.main import cli
from matland.core.knowledge import Knowledge, load_knowledge
from matland.core.model import Proposal
from matland.source.load import load_proposal

ABOUT = "s"  # skips the policy's details
PLAN_DONE = ["", ""]  # the plan and the accepted risks, left as they are


def complete(knowledge: Knowledge, **rest: Any) -> str:
    """A proposal with every item answered (high ambiguity, conflict and risk), and `rest`."""
    values = {"scale": 4, "bool": False, "count": 12}
    answers = {qid: values[q.type] for qid, q in knowledge.questions.items()}
    answers.pop("pilot_dual_purpose")  # not asked of a policy that is no pilot
    data = {"matland": 1, "policy": {"title": "Care reform"}, "answers": answers, **rest}
    return "# our draft\n" + yaml.safe_dump(data, sort_keys=False)


def assess(path: Path, *lines: str, options: tuple[str, ...] = ()) -> Result:
    typed = "".join(line + "\n" for line in lines)
    return CliRunner().invoke(
        cli,
        ["assess", *options, str(path)],
        input=typed,
        env={FORCE_INTERACTIVE: "1"},
        catch_exceptions=False,
    )


def proposal_in(path: Path, knowledge: Knowledge) -> Proposal:
    proposal, errors = load_proposal(str(path), knowledge)
    assert proposal is not None, [e.one_line() for e in errors]
    return proposal


@pytest.fixture
def draft(tmp_path: Path, knowledge: Knowledge) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(complete(knowledge))
    return path


def people(path: Path, knowledge: Knowledge) -> list[tuple[str, str, str, str]]:
    return [
        (s.name, s.role, s.stance, s.influence) for s in proposal_in(path, knowledge).stakeholders
    ]


# ---------------------------------------------------------------- the policy and who answers


def test_a_new_file_asks_the_policy_details_and_who_answers_before_the_questions(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    path = tmp_path / "new.yaml"
    lines = ["Care reform", "Reforms adult care law", "", "England", "Ann Analyst", "q"]
    result = assess(path, *lines)
    assert result.exit_code == 0, result.output
    assert "Summary (what the policy does" in result.output
    proposal = proposal_in(path, knowledge)
    assert proposal.policy.summary == "Reforms adult care law" and proposal.policy.owner is None
    assert proposal.policy.jurisdiction == "England"
    assert proposal.respondent is not None and proposal.respondent.name == "Ann Analyst"
    assert "# owner: the department or body that owns it" in path.read_text()  # Enter: left out

    again = assess(path, "DHSC", "", "q")  # only what is missing is asked again
    assert "Summary" not in again.output and "Owner" in again.output
    assert proposal_in(path, knowledge).policy.owner == "DHSC"


def test_review_shows_each_detail_and_enter_keeps_it(draft: Path, knowledge: Knowledge) -> None:
    assess(draft, "Reforms care", "DHSC", "England", "Ann", "analyst", "q")
    before = draft.read_text()
    result = assess(draft, "", "", "", "", "", "q", options=("--review",))
    assert "Owner (the department or body that owns it) [DHSC]" in result.output
    assert draft.read_text() == before


# ---------------------------------------------------------------- stakeholders


def test_stakeholders_are_added_edited_and_removed(draft: Path, knowledge: Knowledge) -> None:
    lines = [
        ABOUT,
        *("a", "County councils", "imp", "oppose", "3"),  # a prefix, a word, a number
        *("a", "Care union", "opponent", "", ""),  # Enter: the model's defaults
        *("e 1", "", "", "support", ""),  # Enter keeps each field
        *("r 2", "y"),
        *("", *PLAN_DONE),
    ]
    result = assess(draft, *lines)
    assert result.exit_code == 0, result.output
    assert "Added Care union: opponent, neutral, medium influence." in result.output
    assert "Removed Care union." in result.output
    assert people(draft, knowledge) == [("County councils", "implementer", "support", "high")]
    assert draft.read_text().startswith("# our draft\n")


def test_a_stakeholder_renamed_keeps_what_else_the_user_wrote_in_it(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    path = tmp_path / "p.yaml"
    text = complete(knowledge) + (
        "stakeholders:\n"
        "  - name: LGA   # the association\n"
        "    role: partner\n"
        "    x-contact: the chief executive\n"
    )
    path.write_text(text)
    result = assess(path, ABOUT, "e 1", "Local Government Association", "", "", "", "", *PLAN_DONE)
    assert result.exit_code == 0, result.output
    written = path.read_text()
    assert '  - name: "Local Government Association"   # the association\n' in written
    assert "    x-contact: the chief executive\n" in written
    assert written.replace('"Local Government Association"', "LGA") == text


def test_wrong_input_at_the_stakeholders_is_explained_and_asked_again(
    draft: Path, knowledge: Knowledge
) -> None:
    lines = [
        ABOUT,
        "x",
        "e 1",  # none yet
        *("a", "LGA", "boss", "", "partner", "against", "support", "huge", "high"),
        *("a", "LGA", "LGA ", "Other", "affected", "", ""),  # a name taken is asked again
        *("e 9", "r x"),
        *("r 1", "n"),  # asked first; no keeps it
        *("a", ""),  # Enter alone cancels
        *("", *PLAN_DONE),
    ]
    result = assess(draft, *lines)
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "'x' is not a choice here" in out and "There is no stakeholder yet." in out
    assert "'boss' is not a role: give one of implementer, sponsor" in out
    assert "A role is needed" in out and "'against' is not a stance" in out
    assert "There is already a stakeholder named 'LGA'" in out
    assert "Give the stakeholder's number, 1 to 2" in out and "No stakeholder added." in out
    assert "Traceback" not in result.output
    assert people(draft, knowledge) == [
        ("LGA", "partner", "support", "high"),
        ("Other", "affected", "neutral", "medium"),
    ]


# ---------------------------------------------------------------- the support plan


def test_the_plan_is_chosen_by_searching_the_catalogue_and_picking_by_number_or_id(
    draft: Path, knowledge: Knowledge
) -> None:
    lines = [ABOUT, "", "broker", "1", "written_guidance", "zzz", "7", "r 1", "l", "", ""]
    result = assess(draft, *lines)
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    broker = knowledge.approaches["implementation_brokers"]
    assert f"1. implementation_brokers: {broker.description[:40]}" in out
    assert "Added implementation_brokers to the plan." in out
    assert "Nothing in the catalogue holds 'zzz'" in out and "Give a number from 1 to" in out
    assert "Took implementation_brokers out of the plan." in out
    assert proposal_in(draft, knowledge).support_plan == ("written_guidance",)


# ---------------------------------------------------------------- accepted risks


def test_a_risk_is_accepted_only_with_a_reason(draft: Path, knowledge: Knowledge) -> None:
    lines = [
        *(ABOUT, "", ""),
        *("funding-gap", ""),  # no reason: not accepted
        *("fundng-gap", "999"),
        *("funding-gap", "settled in the spending review"),
        "",
    ]
    result = assess(draft, *lines)
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "funding-gap is not accepted: a reason is needed." in out
    assert "did you mean 'funding-gap'?" in out and "Give a number from 1 to" in out
    accepted = proposal_in(draft, knowledge).accepted_risks
    assert [(r.id, r.reason) for r in accepted] == [
        ("funding-gap", "settled in the spending review")
    ]
    check = CliRunner().invoke(cli, ["check", "--fail-on", "never", str(draft)])
    assert "funding-gap" in check.output and "settled in the spending review" in check.output


def test_a_plan_item_that_meets_a_risk_shows_in_check(draft: Path, knowledge: Knowledge) -> None:
    met_by = next(r.rule.met_by for r in knowledge.risks if r.id == "funding-gap")
    assert met_by is not None
    approach = met_by.approaches[0]
    result = assess(draft, ABOUT, "", approach, "", "")
    assert result.exit_code == 0, result.output
    check = CliRunner().invoke(cli, ["check", "--fail-on", "never", str(draft)])
    assert f"met by the plan: {approach}" in " ".join(check.output.split())


# ---------------------------------------------------------------- stopping and resuming


def test_quitting_in_the_lists_keeps_what_was_given_and_running_again_goes_on(
    draft: Path, knowledge: Knowledge
) -> None:
    first = assess(draft, ABOUT, "a", "LGA", "partner", "", "", "", "broker", "q")
    assert first.exit_code == 0 and "Resume with" in first.output
    assert people(draft, knowledge) == [("LGA", "partner", "neutral", "medium")]
    again = assess(draft, ABOUT, "", "1")  # the end of input after picking
    assert "1. LGA: partner, neutral, medium influence" in again.output
    assert "Resume with" in again.output
    assert proposal_in(draft, knowledge).support_plan  # the first recommended, picked by number
    assert proposal_in(draft, knowledge).support_plan[0] in knowledge.approaches


def test_the_end_of_input_half_way_through_a_stakeholder_adds_nothing(
    draft: Path, knowledge: Knowledge
) -> None:
    result = assess(draft, ABOUT, "a", "LGA", "partner")
    assert result.exit_code == 0 and "Resume with" in result.output
    assert people(draft, knowledge) == []


def test_quick_asks_none_of_the_details(tmp_path: Path, knowledge: Knowledge) -> None:
    path = tmp_path / "q.yaml"
    result = assess(path, "T", *["3"] * 12, options=("--quick",))
    assert result.exit_code == 0, result.output
    assert "About the policy" not in result.output and "Stakeholders" not in result.output


typed_line = st.one_of(
    st.sampled_from(["a", "e 1", "r 1", "y", "", "1", "2", "broker", "funding-gap", "l", "?"]),
    st.sampled_from(["implementer", "oppose", "high", "x", "e 9", "r", "s", "written_guidance"]),
    st.text(max_size=8).filter(lambda s: "\n" not in s and "\r" not in s and s.strip() != "q"),
)


@settings(max_examples=30, deadline=None)
@given(st.lists(typed_line, max_size=30))
def test_whatever_is_typed_in_the_lists_the_draft_stays_a_valid_proposal(
    lines: list[str],
) -> None:
    knowledge = load_knowledge()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "fuzz.yaml"
        path.write_text(complete(knowledge))
        result = assess(path, ABOUT, *lines)
        assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output
        proposal_in(path, knowledge)
