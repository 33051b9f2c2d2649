"""The assess state machine (interpret, apply) and the interview loop, without a terminal."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matland.assess.interview import (
    Action,
    Interview,
    Session,
    apply,
    begin,
    interpret,
    provisional,
    question_screen,
)
from matland.core.knowledge import Knowledge, load_knowledge
from matland.core.model import Answer
from matland.core.yamlpos import MAX_DIGITS

KNOWLEDGE = load_knowledge()
ITEMS = tuple(KNOWLEDGE.questions)
DIMENSIONS = KNOWLEDGE.dimension_items("ambiguity") + KNOWLEDGE.dimension_items("conflict")


def read(qid: str, line: str, current: Answer | None = None, review: bool = False) -> Action:
    return interpret(KNOWLEDGE.questions[qid], line, current, review)


# ---------------------------------------------------------------- interpret


@pytest.mark.parametrize("line", ["1", "3", " 5 ", "5\r"])
def test_a_digit_from_1_to_5_answers_a_scale_item(line: str) -> None:
    assert read("goal_ambiguity", line) == Action("answer", int(line.strip()))


@pytest.mark.parametrize("line", ["0", "6", "-1", "3.5", "x", "12"])
def test_anything_else_at_a_scale_item_is_refused_with_what_to_type(line: str) -> None:
    action = read("goal_ambiguity", line)
    assert action.kind == "invalid" and "1 to 5" in action.text


def test_yes_no_items_take_y_n_u_and_n_means_no_there() -> None:
    assert read("pilot", "y") == Action("answer", True)
    assert read("pilot", "No") == Action("answer", False)
    assert read("pilot", "n") == Action("answer", False)
    assert read("pilot", "u") == Action("answer", None)
    assert read("pilot", "3").kind == "invalid"
    assert read("pilot", "note evidence") == Action("note", text="evidence")


def test_the_count_item_takes_any_positive_number_the_file_can_hold() -> None:
    assert read("implementing_bodies", "152") == Action("answer", 152)
    assert read("implementing_bodies", "0").kind == "invalid"
    assert read("implementing_bodies", "²").kind == "invalid"
    assert read("implementing_bodies", "9" * (MAX_DIGITS + 1)).kind == "invalid"
    assert read("implementing_bodies", "unsure") == Action("answer", None)


@pytest.mark.parametrize(
    ("line", "kind"),
    [("u", "answer"), ("s", "skip"), ("b", "back"), ("?", "help"), ("q", "quit"), ("n", "note")],
)
def test_the_one_letter_keys(line: str, kind: str) -> None:
    assert read("goal_ambiguity", line).kind == kind


def test_n_with_text_is_a_note_given_at_once() -> None:
    assert read("stakes", "n budgets at risk") == Action("note", text="budgets at risk")


def test_enter_keeps_a_current_answer_and_reminds_when_there_is_none() -> None:
    assert read("stakes", "", Answer(4)) == Action("keep")
    assert read("stakes", "", None, review=True) == Action("keep")
    reminder = read("stakes", "")
    assert reminder.kind == "invalid" and "1-5" in reminder.text


# ---------------------------------------------------------------- begin and apply


def test_a_new_session_starts_at_the_first_unanswered_item() -> None:
    answers = {ITEMS[0]: Answer(3), ITEMS[1]: Answer(None), ITEMS[3]: Answer(2)}
    assert begin(ITEMS, answers).index == 2
    assert begin(ITEMS, answers, review=True).index == 0
    assert ITEMS[: len(DIMENSIONS)] == DIMENSIONS  # the questionnaire opens with them
    assert begin(ITEMS, {i: Answer(1) for i in DIMENSIONS}).index == len(DIMENSIONS)


def test_resuming_with_everything_answered_has_nothing_to_ask() -> None:
    assert begin(DIMENSIONS, {i: Answer(3) for i in DIMENSIONS}).done


def test_an_answer_is_recorded_and_moves_on() -> None:
    session, message = apply(begin(ITEMS, {}), Action("answer", 4))
    assert session.answers == {ITEMS[0]: Answer(4)} and session.index == 1 and message == ""
    assert session.progress == f"2/{len(ITEMS)}"


def test_a_note_goes_with_the_answer_just_given() -> None:
    session, _ = apply(begin(ITEMS, {}), Action("answer", 4))
    session, message = apply(session, Action("note", text="targets left to local areas"))
    assert session.answers[ITEMS[0]] == Answer(4, "targets left to local areas")
    assert session.index == 1 and ITEMS[0] in message


def test_in_a_review_a_note_goes_with_the_answer_on_the_screen() -> None:
    answered = {ITEMS[0]: Answer(3, "from the board paper")}
    session, message = apply(begin(ITEMS, answered, review=True), Action("note", text="and JSNA"))
    assert session.answers[ITEMS[0]] == Answer(3, "from the board paper; and JSNA")
    assert session.index == 0 and "earlier note" in message


def test_a_note_before_any_answer_is_refused() -> None:
    session, message = apply(begin(ITEMS, {}), Action("note", text="x"))
    assert session.answers == {} and "Answer an item first" in message


def test_changing_a_value_keeps_its_note() -> None:
    session = begin(ITEMS, {ITEMS[0]: Answer(2, "evidence")}, review=True)
    session, _ = apply(session, Action("answer", 5))
    assert session.answers[ITEMS[0]] == Answer(5, "evidence")


def test_skip_moves_on_without_removing_an_answer() -> None:
    session = begin(ITEMS, {ITEMS[0]: Answer(2)}, review=True)
    session, _ = apply(session, Action("skip"))
    assert session.answers == {ITEMS[0]: Answer(2)} and session.index == 1


def test_back_returns_to_the_previous_question_but_not_before_the_first() -> None:
    session = begin(ITEMS, {})
    same, message = apply(session, Action("back"))
    assert same == session and "first question" in message
    session, _ = apply(session, Action("answer", 3))
    session, _ = apply(session, Action("back"))
    assert session.index == 0 and session.last == ITEMS[0]


def test_after_going_back_the_way_forward_passes_every_question_again() -> None:
    session = begin(ITEMS, {})
    for value in (1, 2, 3):
        session, _ = apply(session, Action("answer", value))
    for _ in range(2):
        session, _ = apply(session, Action("back"))
    session, _ = apply(session, Action("keep"))
    assert session.index == 2  # not straight on to the next unanswered item (3)


def test_a_first_pass_jumps_over_items_answered_before_but_a_review_does_not() -> None:
    answers = {ITEMS[1]: Answer(3), ITEMS[2]: Answer(3)}
    session, _ = apply(begin(ITEMS, answers), Action("answer", 1))
    assert session.index == 3
    session, _ = apply(begin(ITEMS, answers, review=True), Action("keep"))
    assert session.index == 1


actions = st.one_of(
    st.builds(Action, st.just("answer"), st.sampled_from([None, 1, 3, 5])),
    st.sampled_from([Action("keep"), Action("skip"), Action("back"), Action("help")]),
    st.builds(Action, st.just("note"), text=st.text(max_size=5)),
)


@given(st.lists(actions, max_size=60), st.booleans())
def test_no_sequence_of_keys_loses_an_answer_or_leaves_the_questionnaire(
    steps: list[Action], review: bool
) -> None:
    session = begin(DIMENSIONS, {DIMENSIONS[3]: Answer(2)}, review)
    for action in steps:
        if session.done:
            break
        before = session
        session, _ = apply(session, action)
        assert set(before.answers) <= set(session.answers)
        assert 0 <= session.index <= len(DIMENSIONS)
        assert set(session.answers) <= set(DIMENSIONS)


# ---------------------------------------------------------------- screens


def test_a_question_shows_progress_its_anchors_and_the_current_answer() -> None:
    session = Session(ITEMS, {ITEMS[6]: Answer(2, "a note")}, index=6)
    screen = question_screen(KNOWLEDGE.questions[ITEMS[6]], session)
    assert f"[7/{len(ITEMS)}]" in screen
    for anchor in (KNOWLEDGE.questions[ITEMS[6]].anchors or {}).values():
        assert anchor in screen
    assert "current answer: 2 = between" in screen and "a note" in screen


def test_the_provisional_position_names_the_paradigm_once_both_dimensions_are_scored(
    knowledge: Knowledge,
) -> None:
    high_ambiguity = {i: Answer(5 if i in DIMENSIONS[:6] else 1) for i in DIMENSIONS}
    text = provisional(knowledge, high_ambiguity)
    assert knowledge.paradigms["experimental"].name in text and "●" in text
    assert "not classifiable yet" in provisional(knowledge, {})


# ---------------------------------------------------------------- the interview loop


class Script:
    """A console that types the given lines and records what is shown."""

    def __init__(self, *lines: str | None, interrupt_after: int | None = None) -> None:
        self.lines = list(lines)  # None: Ctrl-D at that prompt
        self.shown: list[str] = []
        self.interrupt_after = interrupt_after
        self.asked = 0

    def show(self, text: str) -> None:
        self.shown.append(text)

    def ask(self, prompt: str) -> str | None:
        if self.asked == self.interrupt_after:
            raise KeyboardInterrupt
        self.asked += 1
        return self.lines.pop(0) if self.lines else None

    @property
    def output(self) -> str:
        return "\n".join(self.shown)


def interview(
    script: Script, items: tuple[str, ...] = ITEMS
) -> tuple[Interview, list[dict[str, Answer]]]:
    saves: list[dict[str, Answer]] = []

    def save(answers: Mapping[str, Answer]) -> None:
        saves.append(dict(answers))

    return Interview(KNOWLEDGE, script, save, begin(items, {})), saves


def test_every_answer_is_saved_as_it_is_given() -> None:
    script = Script("3", "?", "4", "n why", "q")
    run, saves = interview(script)
    assert run.run() == "quit"
    assert saves == [
        {ITEMS[0]: Answer(3)},
        {ITEMS[0]: Answer(3), ITEMS[1]: Answer(4)},
        {ITEMS[0]: Answer(3), ITEMS[1]: Answer(4, "why")},
    ]
    assert KNOWLEDGE.questions[ITEMS[1]].source in script.output  # "?" at the second item


def test_n_alone_asks_for_the_note_on_its_own_line() -> None:
    run, saves = interview(Script("2", "n", "a reason", "q"))
    run.run()
    assert saves[-1] == {ITEMS[0]: Answer(2, "a reason")}


def test_the_matrix_is_shown_after_the_classification_items() -> None:
    script = Script(*["5"] * 6, *["1"] * 5, "1", "q")
    run, _ = interview(script)
    run.run()
    assert script.output.count("Provisional position") == 1
    assert "[13/" in script.output.split("Provisional position")[1]


def test_the_quick_questionnaire_ends_after_its_twelve_items_without_a_provisional_matrix() -> None:
    script = Script(*["3"] * 12)
    run, saves = interview(script, DIMENSIONS)
    assert run.run() == "done"
    assert len(saves[-1]) == 12 and "Provisional" not in script.output


def test_ctrl_c_ends_the_interview_keeping_the_answers_so_far() -> None:
    run, saves = interview(Script("1", "2", "3", interrupt_after=3))
    assert run.run() == "interrupted"
    assert run.session.answers == saves[-1] and len(saves[-1]) == 3


def test_the_end_of_input_ends_the_interview() -> None:
    run, _ = interview(Script("1"))
    assert run.run() == "end-of-input"
    assert run.session.answers == {ITEMS[0]: Answer(1)}


def test_a_group_heading_comes_before_its_first_question() -> None:
    script = Script(*["3"] * 7, "q")
    run, _ = interview(script)
    run.run()
    titles = [g.title for g in KNOWLEDGE.groups[:2]]
    assert all(script.output.count(title) == 1 for title in titles)
    assert script.output.index(titles[1]) < script.output.index(f"[7/{len(ITEMS)}]")


def test_a_second_note_goes_after_the_first_never_over_it() -> None:
    session = begin(ITEMS, {ITEMS[0]: Answer(2, "voucher schemes exist elsewhere")}, review=True)
    session, _ = apply(session, Action("keep"))
    session, message = apply(session, Action("note", text="extra evidence"))
    assert session.answers[ITEMS[0]] == Answer(2, "voucher schemes exist elsewhere; extra evidence")
    assert message == f"Note added to {ITEMS[0]} after its earlier note."


def test_a_second_note_on_a_block_note_goes_on_a_line_of_its_own() -> None:
    session = begin(ITEMS, {ITEMS[0]: Answer(2, "Leeds evaluation:\nsee page 4")}, review=True)
    session, _ = apply(session, Action("keep"))
    session, _ = apply(session, Action("note", text="and page 9"))
    assert session.answers[ITEMS[0]].note == "Leeds evaluation:\nsee page 4\nand page 9"


def test_n_alone_shows_the_earlier_note_before_asking() -> None:
    script = Script("2", "n first point", "b", "", "n", "second point", "q")
    run, saves = interview(script)
    run.run()
    assert saves[-1] == {ITEMS[0]: Answer(2, "first point; second point")}
    assert f'{ITEMS[0]} has the note "first point"' in script.output


def test_ctrl_d_at_the_note_prompt_drops_the_note_not_the_session() -> None:
    script = Script("2", "n", None, "3", "q")
    run, saves = interview(script)
    assert run.run() == "quit"
    assert saves[-1] == {ITEMS[0]: Answer(2), ITEMS[1]: Answer(3)}
    assert "No note added." in script.output


@pytest.mark.parametrize(
    ("typed", "value"),
    [("1,500", 1500), ("1 500", 1500), ("12,000,000", 12_000_000), ("1500", 1500)],
)
def test_a_count_may_be_typed_with_thousands_grouped(typed: str, value: int) -> None:
    count = next(q for q in KNOWLEDGE.questions.values() if q.type == "count")
    assert interpret(count, typed, None, False) == Action("answer", value)


@pytest.mark.parametrize("typed", ["1,50", "1,500 000", "15,00"])
def test_a_badly_grouped_count_is_refused(typed: str) -> None:
    count = next(q for q in KNOWLEDGE.questions.values() if q.type == "count")
    assert interpret(count, typed, None, False).kind == "invalid"


def test_a_scale_answer_is_never_read_as_grouped() -> None:
    scale = next(q for q in KNOWLEDGE.questions.values() if q.type == "scale")
    assert interpret(scale, "1,000", None, False).kind == "invalid"


PILOT_ITEMS = ("pilot", "pilot_dual_purpose", "top_priority")


def test_an_item_asked_only_of_a_pilot_is_passed_for_no_pilot() -> None:
    script = Script("n", "y", "q")
    run, saves = interview(script, PILOT_ITEMS)
    assert run.run() == "done"
    assert saves[-1] == {"pilot": Answer(False), "top_priority": Answer(True)}
    assert KNOWLEDGE.questions["pilot_dual_purpose"].text not in script.output


def test_a_pilot_is_asked_it() -> None:
    script = Script("y", "n", "y")
    run, saves = interview(script, PILOT_ITEMS)
    assert run.run() == "done"
    assert saves[-1]["pilot_dual_purpose"] == Answer(False)


def test_going_back_passes_an_item_not_asked() -> None:
    # no pilot; back from top_priority lands on pilot (not on the item passed); now a pilot,
    # the item is asked
    script = Script("n", "b", "y", "n", "y")
    run, saves = interview(script, PILOT_ITEMS)
    assert run.run() == "done"
    assert saves[-1] == {
        "pilot": Answer(True),
        "pilot_dual_purpose": Answer(False),
        "top_priority": Answer(True),
    }
