"""`matland assess` driven through CliRunner with typed input (a real terminal: tests/terminal)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from matland.assess.interview import TerminalConsole
from matland.cli.assess import FORCE_INTERACTIVE
from matland.cli.main import cli
from matland.core.knowledge import Knowledge, load_knowledge
from matland.core.model import Answer
from matland.source.load import load_proposal

Assess = Callable[..., Result]
ABOUT = "s"  # skips the policy's details, asked before the questions while they are missing
LISTS_DONE = ["", "", ""]  # the stakeholders, the plan and the accepted risks, left as they are


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
    answers = [typical_answer(knowledge, qid) for qid in knowledge.questions]
    lines = ["Care reform", ABOUT, *answers, *LISTS_DONE]
    result = assess(str(draft), lines=lines)
    assert result.exit_code == 0, result.output
    total = len(knowledge.questions)
    assert result.output.index("Policy title:") < result.output.index(f"[1/{total}]")
    assert f"[7/{total}]" in result.output and f"[{total}/{total}]" in result.output
    assert "Provisional position" in result.output
    assert result.output.index("About the policy") < result.output.index("[1/")
    assert result.output.index(f"[{total}/{total}]") < result.output.index("Stakeholders")
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
    first = assess(str(draft), lines=["Title", ABOUT, "2", "s", "3", "q"])
    assert first.exit_code == 0
    assert f"Resume with: matland assess {draft}" in first.output
    items = list(knowledge.questions)
    assert answers_in(draft, knowledge) == {items[0]: Answer(2), items[2]: Answer(3)}
    again = assess(str(draft), lines=[ABOUT, "5", "q"])
    assert "Policy title" not in again.output
    assert f"[2/{len(items)}]" in again.output and "[1/" not in again.output
    assert answers_in(draft, knowledge)[items[1]] == Answer(5)


def test_a_template_from_init_is_filled_in_placeholder_title_and_all(
    assess: Assess, tmp_path: Path, knowledge: Knowledge
) -> None:
    draft = tmp_path / "new.yaml"
    assert CliRunner().invoke(cli, ["init", str(draft)]).exit_code == 0
    result = assess(str(draft), lines=[ABOUT, "4", "q"])
    assert result.exit_code == 0, result.output
    assert answers_in(draft, knowledge) == {next(iter(knowledge.questions)): Answer(4)}
    typed = tmp_path / "typed.yaml"  # the placeholder typed as the title is only text
    result = assess(str(typed), lines=["TITLE OF THE POLICY", "q"])
    assert result.exit_code == 0, result.output
    assert "placeholder-title" in check(typed).output


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
    result = assess(str(draft), lines=["T", ABOUT, "2", "b", "4", "q"])
    assert result.output.count("[1/") == 2
    assert answers_in(draft, knowledge) == {next(iter(knowledge.questions)): Answer(4)}


def test_a_note_goes_with_the_answer_just_given(
    assess: Assess, tmp_path: Path, knowledge: Knowledge
) -> None:
    draft = tmp_path / "n.yaml"
    assess(str(draft), lines=["T", ABOUT, "4", "n", "targets left to local areas", "q"])
    first = next(iter(knowledge.questions))
    assert answers_in(draft, knowledge)[first] == Answer(4, "targets left to local areas")
    assert 'note: "targets left to local areas"' in draft.read_text()


def test_help_shows_the_question_help(assess: Assess, tmp_path: Path, knowledge: Knowledge) -> None:
    result = assess(str(tmp_path / "h.yaml"), lines=["T", ABOUT, "?", "q"])
    first = next(iter(knowledge.questions.values()))
    assert " ".join(first.help.split()[:6]) in " ".join(result.output.split())


def test_an_invalid_answer_is_explained_and_the_question_asked_again(
    assess: Assess, tmp_path: Path
) -> None:
    result = assess(str(tmp_path / "i.yaml"), lines=["T", ABOUT, "7", "q"])
    assert "'7' is not an answer here" in result.output


def test_ctrl_c_saves_and_says_how_to_resume(
    assess: Assess, tmp_path: Path, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    typed = iter(["T", ABOUT, "3", "4"])

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


def test_an_existing_proposal_changes_only_where_an_answer_is_added(
    assess: Assess, tmp_path: Path
) -> None:
    draft = tmp_path / "e.yaml"
    before = (
        "matland: 1\n"
        "x-team: policy-lab   # ours\n"
        "policy: {title: T, owner: DHSC}\n"
        "answers: {goal_ambiguity: {value: 2, note: old}}\n"
        "stakeholders: [{name: LGA, role: partner}]\n"
        "support_plan: [written_guidance]\n"
    )
    draft.write_text(before)
    result = assess(str(draft), lines=[ABOUT, "3", "q"])
    assert result.exit_code == 0 and result.stderr == ""
    assert draft.read_text() == before.replace("note: old}}", "note: old}, means_ambiguity: 3}")


HAND_WRITTEN = """\
# Care reform: our working draft (do not circulate)
matland: 1
policy:
    title: 'Care reform'    # working title
    owner: DHSC

answers:
    # agreed at the March workshop
    goal_ambiguity: 2   # targets are set nationally
    means_ambiguity: {value: 4, note: 'pilots differ'}

    # conflict: still arguing about this one
    goal_conflict:
        value: 3
        note: >    # from the minutes
            unions split
        x-source: minutes p4
x-reviewed: no   # nobody yet
"""


def comment_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if "#" in line]


def test_answering_in_a_hand_written_file_keeps_every_comment_and_blank_line(
    assess: Assess, tmp_path: Path, knowledge: Knowledge
) -> None:
    draft = tmp_path / "hand.yaml"
    draft.write_text(HAND_WRITTEN)
    items = knowledge.dimension_items("ambiguity")
    # --review from the first item: change one, keep one, change another with a note
    typed = ["5", "", "2", "n", "from the evidence review", "q"]
    result = assess(str(draft), "--quick", "--review", lines=typed)
    assert result.exit_code == 0, result.output
    text = draft.read_text()
    for line in comment_lines(HAND_WRITTEN):  # own-line comments, as they were
        if line.lstrip().startswith("#"):
            assert line in text.splitlines()
    assert "    goal_ambiguity: 5   # targets are set nationally\n" in text
    assert "    means_ambiguity: {value: 4, note: 'pilots differ'}\n" in text
    assert "x-reviewed: no   # nobody yet" in text and "\n\nanswers:\n" in text
    assert f'    {items[2]}: {{value: 2, note: "from the evidence review"}}\n' in text
    answers = answers_in(draft, knowledge)
    assert answers["goal_ambiguity"] == Answer(5) and answers["goal_conflict"].value == 3
    assert answers[items[2]] == Answer(2, "from the evidence review")


def test_a_note_on_a_block_answer_keeps_its_style_and_comment(
    assess: Assess, tmp_path: Path, knowledge: Knowledge
) -> None:
    draft = tmp_path / "hand.yaml"
    draft.write_text(HAND_WRITTEN)
    ambiguity = len(knowledge.dimension_items("ambiguity"))
    typed = ["", *[""] * 2, "s", "s", "s", "4", "n", "unions agree now", "q"]
    assert len(typed) - 3 == ambiguity + 1  # the seventh item, goal_conflict, gets 4
    assess(str(draft), "--quick", "--review", lines=typed)
    text = draft.read_text()
    assert "        value: 4\n        note: >    # from the minutes\n" in text
    # the new note goes after the one written by hand, in the same folded block
    assert "            unions split; unions agree now\n        x-source: minutes p4\n" in text
    assert answers_in(draft, knowledge)["goal_conflict"] == Answer(
        4, "unions split; unions agree now"
    )


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["1", "4", "u", "s", "b", "", "y", "7", "n why"]), max_size=25))
def test_whatever_is_typed_a_hand_written_file_keeps_its_comments(lines: list[str]) -> None:
    knowledge = load_knowledge()
    with tempfile.TemporaryDirectory() as directory:
        draft = Path(directory) / "hand.yaml"
        draft.write_text(HAND_WRITTEN)
        result = CliRunner().invoke(
            cli,
            ["assess", "--review", str(draft)],
            input="".join(line + "\n" for line in lines),
            env={FORCE_INTERACTIVE: "1"},
        )
        assert result.exit_code == 0, result.output
        text = draft.read_text()
        for line in comment_lines(HAND_WRITTEN):
            comment = line[line.index("#") :]
            assert comment in text
        answers_in(draft, knowledge)


ALIASED = (  # an answer that is an alias: changing it in place would change x-usual too
    "matland: 1  # mine\npolicy: {title: T}\nx-usual: &usual 3\n"
    "answers:\n  goal_ambiguity: *usual\n"
)


def test_a_file_that_cannot_be_edited_in_place_is_rewritten_only_if_the_user_agrees(
    assess: Assess, tmp_path: Path, knowledge: Knowledge
) -> None:
    draft = tmp_path / "alias.yaml"
    draft.write_text(ALIASED)
    refused = assess(str(draft), "--review", lines=[ABOUT, "5", "n", "4", "q"])
    assert "cannot change" in refused.output and "Rewrite it? [y/N]" in refused.output
    assert refused.output.count("Rewrite it?") == 1  # asked once
    assert draft.read_text() == ALIASED  # left as it was
    assert refused.exit_code == 2
    assert "goal_ambiguity: 5" in refused.stderr and "means_ambiguity: 4" in refused.stderr

    agreed = assess(str(draft), "--review", lines=[ABOUT, "5", "y", "q"])
    assert agreed.exit_code == 0, agreed.output
    assert answers_in(draft, knowledge) == {"goal_ambiguity": Answer(5)}
    assert draft.read_text().startswith("# A matland proposal")  # matland's layout


def test_a_file_edited_elsewhere_during_the_session_is_not_written_over(
    assess: Assess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, knowledge: Knowledge
) -> None:
    draft = tmp_path / "shared.yaml"
    draft.write_text(HAND_WRITTEN)
    typed = iter([ABOUT, "1", "2", "3", "q"])
    edited = []

    def ask(self: TerminalConsole, prompt: str) -> str | None:
        line = next(typed, None)
        if line == "2":  # after the first answer was saved, someone adds a line
            edited.append(draft.read_text() + "# added in an editor meanwhile\n")
            draft.write_text(edited[0])
        return line

    monkeypatch.setattr(TerminalConsole, "ask", ask)
    result = assess(str(draft))
    assert draft.read_text() == edited[0]
    assert result.stderr.count("changed by something else") == 1
    assert result.exit_code == 2
    first, second, third = [q for q in knowledge.questions if f"{q}:" not in HAND_WRITTEN][:3]
    assert answers_in(draft, knowledge)[first] == Answer(1)  # saved before the edit: kept
    assert result.stderr.splitlines()[-2:] == [f"  {second}: 2", f"  {third}: 3"]


def test_a_failed_save_is_said_and_the_answers_not_saved_are_shown_at_the_end(
    assess: Assess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, knowledge: Knowledge
) -> None:
    import matland.source.files

    draft = tmp_path / "full.yaml"
    draft.write_text(HAND_WRITTEN)

    def disk_full(path: str, text: str, replace: bool = False) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(matland.source.files, "write_atomic", disk_full)
    result = assess(str(draft), lines=[ABOUT, "4", "q"])
    first = next(q for q in knowledge.questions if f"{q}:" not in HAND_WRITTEN)
    assert "cannot save" in result.stderr and "No space left on device" in result.stderr
    assert result.stderr.splitlines()[-1] == f"  {first}: 4"
    assert result.exit_code == 2 and draft.read_text() == HAND_WRITTEN


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
    result = assess(str(draft), lines=["T", ABOUT, "1", "2"])
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


def test_resuming_says_how_far_the_file_is(
    assess: Assess, tmp_path: Path, knowledge: Knowledge
) -> None:
    draft = tmp_path / "draft.yaml"
    assess(str(draft), "--quick", lines=["Hubs", "4", "3", "q"])
    result = assess(str(draft), "--quick", lines=["q"])
    quick = len(knowledge.dimension_items("ambiguity") + knowledge.dimension_items("conflict"))
    assert f"Resuming: 2 of {quick} answered; going on at question 3." in result.output


def test_an_empty_title_is_asked_again_with_a_reason(assess: Assess, tmp_path: Path) -> None:
    result = assess(str(tmp_path / "new.yaml"), "--quick", lines=["", "  ", "Hubs", "q"])
    assert result.output.count("A title is needed to start the file") == 2
    assert (tmp_path / "new.yaml").exists()


def test_ctrl_c_just_after_an_autosave_is_not_taken_for_a_change_by_someone_else(
    assess: Assess, tmp_path: Path, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C lands after the save's rename and before the session records what it wrote
    (here: while the directory is synced): the file holds the answer, and assess knows the
    text as its own: exit 130, no "changed by something else", nothing listed as missing."""
    import matland.source.files as files

    draft = tmp_path / "d.yaml"
    draft.write_text("matland: 1\npolicy:\n  title: T\nanswers:\n  goal_ambiguity: 2\n")
    real_sync = files._sync_directory
    calls: list[str] = []

    def sync_then_interrupt(directory: str) -> None:
        real_sync(directory)
        calls.append(directory)
        if len(calls) == 1:
            raise KeyboardInterrupt

    monkeypatch.setattr(files, "_sync_directory", sync_then_interrupt)
    result = assess(str(draft), lines=[ABOUT, "4", "3", "3"])
    assert result.exit_code == 130, result.output
    assert "changed by something else" not in result.stderr
    assert "does not have these answers" not in result.stderr
    assert "Interrupted" in result.stderr
    answers = answers_in(draft, knowledge)
    assert len(answers) == 2 and answers["goal_ambiguity"].value == 2


def test_a_byte_order_mark_is_kept_by_every_save(
    assess: Assess, tmp_path: Path, knowledge: Knowledge
) -> None:
    text = "# mine\nmatland: 1\npolicy:\n  title: T\nanswers:\n  goal_ambiguity: 2\n"
    draft = tmp_path / "bom.yaml"
    draft.write_bytes(b"\xef\xbb\xbf" + text.encode())
    result = assess(str(draft), lines=[ABOUT, "4", "3", "q"])
    assert result.exit_code == 0, result.output
    raw = draft.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf# mine\nmatland: 1\n") and raw.count(b"\xef\xbb\xbf") == 1
    assert len(answers_in(draft, knowledge)) == 3
    again = assess(str(draft), lines=["q"])  # read back, BOM and all, and not changed
    assert again.exit_code == 0 and draft.read_bytes() == raw
