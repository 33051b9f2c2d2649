"""amend(): answers written into a hand-written file change the answers and nothing else."""

from __future__ import annotations

import dataclasses
import difflib
import itertools
import json
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matland.assess.amend import amend, rewrite
from matland.assess.dump import dump
from matland.core.knowledge import Knowledge, load_knowledge
from matland.core.model import Answer, AnswerValue, Policy, Proposal
from matland.core.yamlpos import parse
from matland.render import questions as questionnaire
from matland.render.questions import template_lines
from matland.source.load import proposal_from_document

KNOWLEDGE = load_knowledge()
ITEMS = list(KNOWLEDGE.questions)


def answers_of(text: str) -> dict[str, Answer]:
    proposal, errors = proposal_from_document("p.yaml", parse(text), KNOWLEDGE)
    assert proposal is not None, [e.one_line() for e in errors] + [text]
    return dict(proposal.answers)


# ---------------------------------------------------------------- a hand-written file


@dataclass
class Written:
    """A file as a person might write it, and what the generator knows about it."""

    text: str
    answers: dict[str, Answer]
    newline: str
    lines_of: dict[str, set[str]] = field(default_factory=dict)  # an answer's lines
    section: set[str] = field(default_factory=set)  # `answers: {…}` where new ones go in


notes = (
    st.text(alphabet=st.sampled_from("abcdefgh XYZ019:#,'\"-é[]{}"), min_size=1, max_size=20)
    .map(str.strip)
    .filter(bool)
)
plain_notes = st.from_regex(r"[a-z][a-z ]{0,12}[a-z]", fullmatch=True)
any_notes = st.text(max_size=30).map(str.strip).filter(lambda s: "¤" not in s)  # "", \n, \0 …


def values(qid: str) -> st.SearchStrategy[AnswerValue]:
    kind = KNOWLEDGE.questions[qid].type
    typed = {"scale": st.integers(1, 5), "bool": st.booleans(), "count": st.integers(1, 999)}
    return st.none() | typed[kind]


class _Writer:
    """Draws the pieces of a hand-written file; every comment is unique (`# ¤N`, which no
    note holds)."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.count = itertools.count()
        self.indent = draw(st.sampled_from(["  ", "   ", "    "]))

    def comment(self) -> str:
        return f"# ¤{next(self.count)}: it's {self.draw(st.sampled_from(['', 'a # b', 'x: y']))}"

    def trailing(self) -> str:
        return (
            f"{' ' * self.draw(st.integers(1, 4))}{self.comment()}"
            if self.draw(st.booleans())
            else ""
        )

    def above(self, indent: str) -> list[str]:
        """Own-line comments and blank lines, as people leave them between entries."""
        lines = []
        for _ in range(self.draw(st.integers(0, 2))):
            lines.append(
                ""
                if self.draw(st.booleans())
                else self.draw(st.sampled_from(["", indent])) + self.comment()
            )
        return lines

    def value(self, value: AnswerValue) -> str:
        if value is None:
            return self.draw(st.sampled_from(["unsure", "'unsure'", '"unsure"']))
        if isinstance(value, bool):
            words = ["true", "yes", "True", "on"] if value else ["false", "no", "off"]
            return self.draw(st.sampled_from(words))
        return str(value)

    def note(self, note: str, block_indent: str | None) -> str:
        styles = ["double", "single"] + (["plain"] if _plain(note) else [])
        styles += ["literal", "folded"] if block_indent is not None else []
        style = self.draw(st.sampled_from(styles))
        if style == "double":
            return json.dumps(note)
        if style == "single":
            return "'" + note.replace("'", "''") + "'"
        if style == "plain":
            return note
        header = "|" if style == "literal" else ">"
        return f"{header}{self.trailing()}\n{block_indent}{note}"

    def entry(self, qid: str, answer: Answer) -> list[str]:
        i = self.indent
        form = self.draw(
            st.sampled_from(["bare", "flow", "block"] if not answer.note else ["flow", "block"])
        )
        value = self.value(answer.value)
        if form == "bare":
            return [f"{i}{qid}: {value}{self.trailing()}"]
        if form == "flow":
            note = f", note: {self.note(answer.note, None)}" if answer.note else ""
            return [f"{i}{qid}: {{value: {value}{note}}}{self.trailing()}"]
        lines = [f"{i}{qid}:{self.trailing()}", f"{i * 2}value: {value}{self.trailing()}"]
        if answer.note:
            note = self.note(answer.note, i * 3)
            after = "" if "\n" in note else self.trailing()  # a block note ends on its text
            lines += f"{i * 2}note: {note}{after}".split("\n")
        if self.draw(st.booleans()):
            lines.append(f"{i * 2}x-source: page {self.draw(st.integers(1, 99))}{self.trailing()}")
        return lines


def _plain(note: str) -> bool:
    return (
        note.replace(" ", "").isalpha()
        and note.isascii()
        and note.lower() not in ("yes", "no", "on", "off", "true", "false", "null", "y", "n")
    )


@st.composite
def hand_written(draw: st.DrawFn) -> Written:
    w = _Writer(draw)
    i = w.indent
    chosen = draw(st.lists(st.sampled_from(ITEMS), unique=True, max_size=8))
    chosen.sort(key=ITEMS.index) if draw(st.booleans()) else None  # any order people like
    answers = {
        qid: Answer(draw(values(qid)), draw(st.just("") | notes | plain_notes)) for qid in chosen
    }
    lines = [*w.above(""), f"matland: 1{w.trailing()}", *w.above("")]
    lines += [f"policy:{w.trailing()}", f"{i}title: 'Care reform'{w.trailing()}", *w.above(i)]
    lines += [f"{i}x-ref:   [1,2]{w.trailing()}", *w.above("")]
    style = draw(st.sampled_from(["block", "flow"] + ([] if answers else ["missing", "null"])))
    written = Written("", answers, draw(st.sampled_from(["\n", "\r\n"])))
    if style == "block":
        lines.append(f"answers:{w.trailing()}")
        for qid, answer in answers.items():
            entry = w.entry(qid, answer)
            written.lines_of[qid] = set(entry)
            lines += [*w.above(i), *entry]
    elif style == "flow":
        entries = ", ".join(
            f"{qid}: {{value: {w.value(a.value)}, note: {json.dumps(a.note)}}}"
            for qid, a in answers.items()
        )
        lines.append(f"answers: {{{entries}}}{w.trailing()}")
        written.lines_of = {qid: {lines[-1]} for qid in answers}
        written.section = {lines[-1]}
    elif style == "null":
        lines.append(f"answers: {draw(st.sampled_from(['', '~', 'null']))}{w.trailing()}")
        written.section = {lines[-1]}
    lines += [*w.above(""), f"stakeholders:{w.trailing()}"]
    lines += [f"- {{name: LGA, role: partner}}{w.trailing()}", *w.above("")]
    lines += [f"support_plan: [written_guidance]{w.trailing()}", *w.above("")]
    end = written.newline if draw(st.booleans()) else ""  # a last line without a line break
    written.text = written.newline.join(lines) + end
    return written


@st.composite
def changes(draw: st.DrawFn, answers: dict[str, Answer]) -> dict[str, Answer]:
    """Any answer's value or note changed, and any new items answered."""
    changed = dict(answers)
    for qid, answer in answers.items():
        if draw(st.booleans()):
            changed[qid] = Answer(draw(values(qid)), answer.note)
        if draw(st.booleans()):
            changed[qid] = dataclasses.replace(changed[qid], note=draw(any_notes | notes))
    for qid in draw(st.lists(st.sampled_from(ITEMS), unique=True, max_size=6)):
        if qid not in answers:
            changed[qid] = Answer(draw(values(qid)), draw(st.just("") | any_notes))
    return changed


def comment_lines(text: str) -> dict[str, str]:
    """Each comment `# ¤N` and the line it stands on."""
    found = {}
    for line in text.splitlines():
        for part in line.split("# ¤")[1:]:
            found[part.split(":")[0]] = line
    return found


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_a_hand_written_file_keeps_every_comment_and_reads_back_the_new_answers(
    data: st.DataObject,
) -> None:
    written = data.draw(hand_written())
    assert answers_of(written.text) == written.answers  # the generator writes what it means
    intended = data.draw(changes(written.answers))

    amended = amend(written.text, intended, KNOWLEDGE, "p.yaml")

    assert amended is not None, written.text
    new = amended.text
    assert answers_of(new) == intended
    before, after = comment_lines(written.text), comment_lines(new)
    assert set(after) == set(before)  # every comment, once
    for name, line in before.items():
        if line.lstrip().startswith("#"):
            assert after[name] == line  # own-line comments untouched
        else:  # a trailing comment stays beside its key
            assert after[name].split(":")[0] == line.split(":")[0]
    changed = {q for q in written.answers if intended[q] != written.answers[q]}
    allowed = set().union(*(written.lines_of[q] for q in changed))
    if set(intended) - set(written.answers):
        allowed |= written.section
    gone = [
        line[2:]
        for line in difflib.ndiff(written.text.splitlines(), new.splitlines())
        if line.startswith("- ")
    ]
    assert set(gone) <= allowed  # only the lines of changed answers were touched
    if written.newline == "\r\n":
        assert new.count("\n") == new.count("\r\n")


# ---------------------------------------------------------------- cases by name


def test_only_the_changed_value_changes_on_its_line() -> None:
    text = "matland: 1\npolicy: {title: T}\nanswers:\n    goal_ambiguity: 2    # vague\n"
    amended = amend(text, {"goal_ambiguity": Answer(4)}, KNOWLEDGE)
    assert amended is not None
    assert amended.text == text.replace(": 2 ", ": 4 ")


def test_a_new_answer_goes_in_questionnaire_order_with_the_files_indentation() -> None:
    first, second, third = ITEMS[:3]
    text = (
        "matland: 1\npolicy:\n    title: T\nanswers:\n"
        f"    {first}: 2  # one\n\n    # about the third\n    {third}: 4\n"
    )
    amended = amend(text, {first: Answer(2), second: Answer(3), third: Answer(4)}, KNOWLEDGE)
    assert amended is not None
    lines = amended.text.splitlines()
    assert (
        lines.index(f"    {second}: 3")
        == lines.index(f"    {first}: 2  # one") + len(template_question(second)) + 1
    )
    assert lines[-3:] == ["", "    # about the third", f"    {third}: 4"]


def template_question(qid: str) -> list[str]:
    from matland.assess.dump import annotation

    return annotation(KNOWLEDGE.questions[qid], Answer(3))


def test_a_changed_note_keeps_its_quoting_style() -> None:
    text = (
        "matland: 1\npolicy: {title: T}\nanswers:\n"
        "  goal_ambiguity: {value: 2, note: 'from the minutes'}\n"
        "  goal_conflict:\n    value: 3\n    note: |   # long\n      first draft\n"
    )
    intended = {"goal_ambiguity": Answer(2, "it's agreed"), "goal_conflict": Answer(3, "settled")}
    amended = amend(text, intended, KNOWLEDGE)
    assert amended is not None
    assert "  goal_ambiguity: {value: 2, note: 'it''s agreed'}\n" in amended.text
    assert "    note: |   # long\n      settled\n" in amended.text


def test_a_changed_plain_note_stays_plain() -> None:
    # libyaml gives a plain scalar the style "" where PyYAML's own parser gives None.
    text = "matland: 1\npolicy: {title: T}\nanswers:\n  stakes: {value: 3, note: old words}\n"
    amended = amend(text, {"stakes": Answer(3, "new words")}, KNOWLEDGE)
    assert amended is not None
    assert "  stakes: {value: 3, note: new words}\n" in amended.text


def test_a_note_is_added_beside_its_value() -> None:
    text = (
        "matland: 1\npolicy: {title: T}\nanswers:\n  goal_ambiguity: 2   # why\n"
        "  goal_conflict:\n    value: 3\n    x-src: p4\n  stakes: {value: 1}\n"
    )
    intended = {
        "goal_ambiguity": Answer(2, "a"),
        "goal_conflict": Answer(3, "b"),
        "stakes": Answer(1, "c"),
    }
    amended = amend(text, intended, KNOWLEDGE)
    assert amended is not None
    assert '  goal_ambiguity: {value: 2, note: "a"}   # why\n' in amended.text
    assert '    value: 3\n    note: "b"\n    x-src: p4\n' in amended.text
    assert '  stakes: {value: 1, note: "c"}\n' in amended.text


def test_a_file_without_answers_gets_a_section_in_its_line_endings() -> None:
    text = "matland: 1\r\npolicy:\r\n   title: T   # no answers yet"
    amended = amend(text, {"pilot": Answer(True)}, KNOWLEDGE)
    assert amended is not None
    assert amended.text.startswith(text + "\r\nanswers:\r\n")
    assert amended.text.endswith("\r\n   pilot: true\r\n")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("matland: 1\npolicy: {title: T}\nx-d: &d 3\nanswers: {goal_ambiguity: *d}\n", "alias"),
        ("matland: 1\npolicy: {title: T}\n...\n", "a section after the end marker"),
        ("matland: 1\npolicy: {title: T}\nanswers: {goal_ambiguity: 9}\n", "invalid"),
    ],
)
def test_what_cannot_be_edited_and_proven_gives_none(text: str, why: str) -> None:
    assert amend(text, {"goal_ambiguity": Answer(5), "pilot": Answer(False)}, KNOWLEDGE) is None


def test_removing_an_answer_is_not_an_edit() -> None:
    text = "matland: 1\npolicy: {title: T}\nanswers: {goal_ambiguity: 3}\n"
    assert amend(text, {}, KNOWLEDGE) is None


def test_unchanged_answers_leave_the_text_as_it_is() -> None:
    text = "matland: 1  # v\npolicy: {title: T}\nanswers: {goal_ambiguity: 3}\n"
    amended = amend(text, {"goal_ambiguity": Answer(3)}, KNOWLEDGE)
    assert amended is not None and amended.text == text


# ---------------------------------------------------------------- files matland wrote


def test_an_init_template_has_its_placeholders_replaced(knowledge: Knowledge) -> None:
    text = questionnaire.template(knowledge, "T")
    for question in knowledge.questions.values():  # the template is what amend recognises
        assert "\n".join("  " + line for line in template_lines(question)) in text
    first, last = ITEMS[0], ITEMS[-1]
    amended = amend(text, {first: Answer(3), last: Answer(None)}, knowledge)
    assert amended is not None
    for qid in (first, last):
        assert f"# {qid}:" not in amended.text
        assert "\n".join(template_question(qid)[:1]) in amended.text
    assert f"  {first}: 3\n" in amended.text and f"  {last}: unsure\n" in amended.text
    assert amended.text.count("#     ") == text.count("#     ") - len(
        template_lines(knowledge.questions[first])[1:]
    ) - len(template_lines(knowledge.questions[last])[1:])


def test_rewrite_is_dump_proven() -> None:
    proposal = Proposal("p.yaml", Policy(title="T"), {"pilot": Answer(True, "n")})
    rewritten = rewrite(proposal, KNOWLEDGE)
    assert rewritten is not None
    assert rewritten.text == dump(proposal, KNOWLEDGE) and rewritten.proposal == proposal
