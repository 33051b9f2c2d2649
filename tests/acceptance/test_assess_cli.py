"""`matland assess` driven through CliRunner with typed input (a real terminal: tests/terminal)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from matland.assess_tui import TerminalConsole
from matland.cli import cli
from matland.commands.assess import FORCE_INTERACTIVE
from matland.knowledge import Knowledge, load_knowledge
from matland.load import load_proposal
from matland.model import Answer

Assess = Callable[..., Result]


@pytest.fixture
def assess(monkeypatch: pytest.MonkeyPatch) -> Assess:
    """Run `matland assess ARGS` with the given lines typed, as if in a terminal."""
    monkeypatch.setenv(FORCE_INTERACTIVE, "1")

    def run(*args: str, lines: list[str] | None = None) -> Result:
        typed = "".join(line + "\n" for line in lines or [])
        return CliRunner().invoke(cli, ["assess", *args], input=typed, catch_exceptions=False)

    return run


def typical_answer(knowledge: Knowledge, qid: str) -> str:
    return {"scale": "4", "bool": "y", "count": "12"}[knowledge.questions[qid].type]


def answers_in(path: Path, knowledge: Knowledge) -> dict[str, Answer]:
    proposal, errors = load_proposal(str(path), knowledge)
    assert proposal is not None, [e.one_line() for e in errors]
    return dict(proposal.answers)


def check(path: Path) -> Result:
    """`matland check` on the file, counting only invalidity (risks are the policy's own)."""
    return CliRunner().invoke(
        cli, ["check", "--fail-on", "never", str(path)], catch_exceptions=False
    )


def test_a_new_file_asks_the_title_then_every_question_and_ends_with_the_report(
    assess: Assess, tmp_path: Path, knowledge: Knowledge
) -> None:
    draft = tmp_path / "draft.yaml"
    lines = ["Care reform", *(typical_answer(knowledge, qid) for qid in knowledge.questions)]
    result = assess(str(draft), lines=lines)
    assert result.exit_code == 0, result.output
    total = len(knowledge.questions)
    assert result.output.index("Policy title:") < result.output.index(f"[1/{total}]")
    assert f"[7/{total}]" in result.output and f"[{total}/{total}]" in result.output
    assert "Provisional position" in result.output
    assert "Position in Matland's matrix" in result.output  # the full report
    assert "Support mix" in result.output
    answers = answers_in(draft, knowledge)
    assert len(answers) == total and answers["implementing_bodies"] == Answer(12)
    text = draft.read_text()
    assert 'title: "Care reform"' in text
    anchor = (knowledge.questions["goal_ambiguity"].anchors or {})[3]
    assert anchor in text  # 4 is commented as between the anchors of 3 and 5
    assert check(draft).exit_code == 0


def test_quit_saves_and_running_again_resumes_at_the_first_unanswered_item(
    assess: Assess, tmp_path: Path, knowledge: Knowledge
) -> None:
    draft = tmp_path / "p.yaml"
    first = assess(str(draft), lines=["Title", "2", "s", "3", "q"])
    assert first.exit_code == 0
    assert f"Resume with: matland assess {draft}" in first.output
    items = list(knowledge.questions)
    assert answers_in(draft, knowledge) == {items[0]: Answer(2), items[2]: Answer(3)}
    again = assess(str(draft), lines=["5", "q"])
    assert "Policy title" not in again.output
    assert f"[2/{len(items)}]" in again.output and "[1/" not in again.output
    assert answers_in(draft, knowledge)[items[1]] == Answer(5)


def test_quick_asks_only_the_twelve_classification_items(
    assess: Assess, tmp_path: Path, knowledge: Knowledge
) -> None:
    draft = tmp_path / "q.yaml"
    result = assess(str(draft), "--quick", lines=["T", *["3"] * 12])
    assert result.exit_code == 0, result.output
    assert "[12/12]" in result.output and "[13/" not in result.output
    dimensions = knowledge.dimension_items("ambiguity") + knowledge.dimension_items("conflict")
    assert set(answers_in(draft, knowledge)) == set(dimensions)
    assert "Position in Matland's matrix" in result.output
    assert check(draft).exit_code == 0


def test_review_steps_through_every_item_and_enter_keeps_the_answer(
    assess: Assess, tmp_path: Path, knowledge: Knowledge
) -> None:
    draft = tmp_path / "r.yaml"
    assess(str(draft), "--quick", lines=["T", *["3"] * 12])
    result = assess(str(draft), "--quick", "--review", lines=["", "5", "q"])
    assert "[1/12]" in result.output and "current answer: 3" in result.output
    answers = answers_in(draft, knowledge)
    items = knowledge.dimension_items("ambiguity")
    assert answers[items[0]] == Answer(3) and answers[items[1]] == Answer(5)
    assert len(answers) == 12


def test_back_returns_to_the_previous_question_and_changes_its_answer(
    assess: Assess, tmp_path: Path, knowledge: Knowledge
) -> None:
    draft = tmp_path / "b.yaml"
    result = assess(str(draft), lines=["T", "2", "b", "4", "q"])
    assert result.output.count("[1/") == 2
    assert answers_in(draft, knowledge) == {next(iter(knowledge.questions)): Answer(4)}


def test_a_note_goes_with_the_answer_just_given(
    assess: Assess, tmp_path: Path, knowledge: Knowledge
) -> None:
    draft = tmp_path / "n.yaml"
    assess(str(draft), lines=["T", "4", "n", "targets left to local areas", "q"])
    first = next(iter(knowledge.questions))
    assert answers_in(draft, knowledge)[first] == Answer(4, "targets left to local areas")
    assert 'note: "targets left to local areas"' in draft.read_text()


def test_help_shows_the_question_help(assess: Assess, tmp_path: Path, knowledge: Knowledge) -> None:
    result = assess(str(tmp_path / "h.yaml"), lines=["T", "?", "q"])
    first = next(iter(knowledge.questions.values()))
    assert " ".join(first.help.split()[:6]) in " ".join(result.output.split())


def test_an_invalid_answer_is_explained_and_the_question_asked_again(
    assess: Assess, tmp_path: Path
) -> None:
    result = assess(str(tmp_path / "i.yaml"), lines=["T", "7", "q"])
    assert "'7' is not an answer here" in result.output


def test_ctrl_c_saves_and_says_how_to_resume(
    assess: Assess, tmp_path: Path, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    typed = iter(["T", "3", "4"])

    def ask(self: TerminalConsole, prompt: str) -> str:
        line = next(typed, None)
        if line is None:
            raise KeyboardInterrupt
        return line

    monkeypatch.setattr(TerminalConsole, "ask", ask)
    draft = tmp_path / "c.yaml"
    result = assess(str(draft))
    assert result.exit_code == 130
    assert "Interrupted" in result.stderr and f"matland assess {draft}" in result.stderr
    assert len(answers_in(draft, knowledge)) == 2


def test_an_existing_invalid_file_is_explained_and_left_untouched(
    assess: Assess, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    content = "matland: 1\npolicy:\n  title: T\nanswers:\n  goal_ambiguity: 9\n"
    bad.write_text(content)
    result = assess(str(bad), lines=["3", "q"])
    assert result.exit_code == 2
    assert f"{bad}:5:19" in result.stderr
    assert "not a valid proposal" in result.stderr
    assert bad.read_text() == content


def test_a_file_that_is_not_yaml_is_never_overwritten(assess: Assess, tmp_path: Path) -> None:
    notes = tmp_path / "notes.yaml"
    notes.write_text("just: [unclosed\n")
    result = assess(str(notes), lines=["T"])
    assert result.exit_code == 2 and notes.read_text() == "just: [unclosed\n"


def test_a_missing_directory_is_reported_before_the_title_is_asked(
    assess: Assess, tmp_path: Path
) -> None:
    result = assess(str(tmp_path / "nowhere" / "p.yaml"), lines=["T"])
    assert result.exit_code == 2 and "no directory" in result.stderr
    assert "Policy title" not in result.output


def test_without_a_terminal_assess_points_to_init_and_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(FORCE_INTERACTIVE, raising=False)
    draft = tmp_path / "p.yaml"
    result = CliRunner().invoke(cli, ["assess", str(draft)], input="T\n3\n")
    assert result.exit_code == 2
    assert "interactive" in result.stderr
    assert "matland init" in result.stderr and "matland check" in result.stderr
    assert not draft.exists()


def test_an_existing_proposal_keeps_its_other_keys_when_answers_are_added(
    assess: Assess, tmp_path: Path, knowledge: Knowledge
) -> None:
    draft = tmp_path / "e.yaml"
    draft.write_text(
        "matland: 1\n"
        "x-team: policy-lab   # ours\n"
        "policy: {title: T, owner: DHSC}\n"
        "answers: {goal_ambiguity: {value: 2, note: old}}\n"
        "stakeholders: [{name: LGA, role: partner}]\n"
        "support_plan: [written_guidance]\n"
    )
    result = assess(str(draft), lines=["3", "q"])
    assert "comments are not" in result.stderr  # the user's own comment will not survive
    data = yaml.safe_load(draft.read_text())
    assert data["x-team"] == "policy-lab" and data["policy"]["owner"] == "DHSC"
    assert data["answers"]["goal_ambiguity"] == {"value": 2, "note": "old"}
    assert data["answers"]["means_ambiguity"] == 3
    assert data["stakeholders"][0]["name"] == "LGA" and data["support_plan"] == ["written_guidance"]


def test_nothing_left_to_ask_shows_the_report(
    assess: Assess, tmp_path: Path, knowledge: Knowledge
) -> None:
    draft = tmp_path / "d.yaml"
    assess(str(draft), "--quick", lines=["T", *["2"] * 12])
    before = draft.read_text()
    result = assess(str(draft), "--quick")
    assert result.exit_code == 0 and "Nothing left to ask" in result.output
    assert "Position in Matland's matrix" in result.output
    assert draft.read_text() == before


def test_the_end_of_input_saves_like_quit(
    assess: Assess, tmp_path: Path, knowledge: Knowledge
) -> None:
    draft = tmp_path / "eof.yaml"
    result = assess(str(draft), lines=["T", "1", "2"])
    assert result.exit_code == 0 and "Resume with" in result.output
    assert len(answers_in(draft, knowledge)) == 2


typed_line = st.one_of(
    st.sampled_from(["1", "3", "5", "u", "s", "b", "?", "n", "y", "", "12", "note why"]),
    st.text(max_size=8).filter(lambda s: "\n" not in s and "\r" not in s and s.strip() != "q"),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(typed_line, max_size=30))
def test_whatever_is_typed_the_draft_stays_a_valid_proposal(lines: list[str]) -> None:
    knowledge = load_knowledge()
    with tempfile.TemporaryDirectory() as directory:
        draft = Path(directory) / "fuzz.yaml"
        typed = "".join(line + "\n" for line in ["Fuzz", *lines])
        result = CliRunner().invoke(
            cli, ["assess", str(draft)], input=typed, env={FORCE_INTERACTIVE: "1"}
        )
        assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output
        answers_in(draft, knowledge)
