"""The interactive questionnaire of `matland assess`: a small state machine and its screens.

`Session` is the state (the items to ask, the answers so far, where we are). `interpret` turns
one typed line into an `Action`, and `apply` turns a session and an action into the next
session; both are pure, so tests drive them without a terminal. `Interview` is the I/O around
them: it shows a question, reads a line, and calls `save` whenever the answers change, so the
draft on disk always holds every answer given. Input is read a line at a time, which works the same
in a terminal, under click's CliRunner and through pexpect.
"""

from __future__ import annotations

import dataclasses
import re
import sys
import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import Literal, Protocol

import click

from matland.assess.dump import answer_meaning
from matland.core.classify import classify
from matland.core.knowledge import Knowledge, Question
from matland.core.model import NOT_APPLICABLE, Answer, GivenValue
from matland.core.records import record
from matland.core.vocabulary import DIMENSIONS
from matland.core.yamlpos import MAX_DIGITS
from matland.render import printable, printable_lines
from matland.render.matrix import MARKER, draw
from matland.render.prose import hanging, titled

PROMPT = "> "
YES = ("y", "yes", "true")
NO = ("n", "no", "false")

ActionKind = Literal["answer", "keep", "skip", "back", "help", "note", "quit", "invalid"]
Ending = Literal["done", "quit", "end-of-input", "interrupted"]


@record
class Action:
    """What one typed line asks for; `text` is a note, or what was wrong with the line."""

    kind: ActionKind
    value: GivenValue = None
    text: str = ""


@record
class Session:
    items: tuple[str, ...]
    answers: Mapping[str, Answer]
    index: int = 0
    review: bool = False
    last: str | None = None  # the item whose answer was just given: where a note goes
    furthest: int = 0  # the furthest item reached; going back and forth stays within it

    @property
    def done(self) -> bool:
        return self.index >= len(self.items)

    @property
    def current(self) -> str:
        return self.items[self.index]

    @property
    def progress(self) -> str:
        return f"{min(self.index + 1, len(self.items))}/{len(self.items)}"


def begin(items: Sequence[str], answers: Mapping[str, Answer], review: bool = False) -> Session:
    """A session at the first unanswered item (or the first item, to review every answer)."""
    index = 0 if review else _next_unanswered(tuple(items), answers, -1)
    return Session(tuple(items), dict(answers), index, review, None, index)


def interpret(question: Question, line: str, current: Answer | None, review: bool) -> Action:
    """One line typed at a question."""
    text = line.strip()
    word = text.lower()
    yes_no = question.type == "bool"
    if not word:
        if current is not None or review:
            return Action("keep")
        return Action("invalid", text=f"Type {keys(question)}.")
    if word in ("?", "help"):
        return Action("help")
    if word in ("q", "quit"):
        return Action("quit")
    if word in ("b", "back"):
        return Action("back")
    if word in ("s", "skip"):
        return Action("skip")
    if word in ("u", "unsure"):
        return Action("answer", None)
    if word in ("n/a", "na"):
        if question.group in DIMENSIONS:
            return Action(
                "invalid",
                text=f"Every policy has a level of {question.group}: answer it, or u (unsure) "
                "if you do not know.",
            )
        return Action("answer", NOT_APPLICABLE)
    if yes_no and word in YES + NO:
        return Action("answer", word in YES)
    first, _, rest = text.partition(" ")
    if first.lower() == "note" or (first.lower() == "n" and not yes_no):
        return Action("note", text=rest.strip())
    if yes_no:
        return Action("invalid", text=f"Answer y (yes), n (no) or u (unsure); {keys(question)}.")
    return _number(question, word)


_GROUPED = re.compile(r"\d{1,3}([, ])\d{3}(?:\1\d{3})*")  # thousands, grouped one way


def _number(question: Question, word: str) -> Action:
    low, high = (1, None) if question.type == "count" else (1, 5)
    # ASCII digits only ("²" is a digit to Python, not to int()), and no longer than the
    # loader accepts, so that whatever is saved reads back.
    if high is None and _GROUPED.fullmatch(word):  # 1,500 or 1 500 bodies
        word = word.replace(",", "").replace(" ", "")
    if word.isascii() and word.isdigit() and len(word) <= MAX_DIGITS:
        number = int(word)
        if number >= low and (high is None or number <= high):
            return Action("answer", number)
    wanted = "a whole number of 1 or more" if high is None else f"a whole number from {low} to 5"
    return Action("invalid", text=f"'{word}' is not an answer here: give {wanted}, or u (unsure).")


def apply(session: Session, action: Action) -> tuple[Session, str]:
    """The next session, and a message for the user ('' when there is none)."""
    qid = session.current
    answer = session.answers.get(qid)
    if action.kind == "answer":
        note = answer.note if answer else ""  # a changed value keeps its evidence
        answers = {**session.answers, qid: Answer.given(action.value, note)}
        return _forward(dataclasses.replace(session, answers=answers, last=qid)), ""
    if action.kind in ("keep", "skip"):
        last = qid if action.kind == "keep" and answer is not None else None
        return _forward(dataclasses.replace(session, last=last)), ""
    if action.kind == "back":
        if session.index == 0:
            return session, "This is the first question."
        index = session.index - 1
        last = session.items[index] if session.items[index] in session.answers else None
        return dataclasses.replace(session, index=index, last=last), ""
    if action.kind == "note":
        return _note(session, action.text)
    return session, action.text


def note_target(session: Session) -> str | None:
    """The item a note goes with: the answer just given; else the item on the screen, when
    it has an answer (a review, or a resumed file, shows it: "current answer")."""
    if session.last in session.answers:
        return session.last
    current = session.current if session.index < len(session.items) else None
    return current if current in session.answers else None


def _note(session: Session, text: str) -> tuple[Session, str]:
    target = note_target(session)
    if target is None:
        return session, "Answer an item first: a note goes with the answer just given."
    if not text:
        return session, "No note added."
    answer = session.answers[target]
    # A note is evidence: a second one goes after the first, never over it (the user
    # edits the file to change a note).
    note = text if not answer.note else answer.note + ("\n" if "\n" in answer.note else "; ") + text
    answers = {**session.answers, target: dataclasses.replace(answer, note=note)}
    added = f"Note added to {target}" + (" after its earlier note." if answer.note else ".")
    return dataclasses.replace(session, answers=answers), added


def _forward(session: Session) -> Session:
    """One item on; a first pass skips items answered before (resuming), a review does not."""
    if session.review or session.index + 1 <= session.furthest:
        index = session.index + 1
    else:
        index = _next_unanswered(session.items, session.answers, session.index)
    return dataclasses.replace(session, index=index, furthest=max(session.furthest, index))


def _next_unanswered(items: tuple[str, ...], answers: Mapping[str, Answer], after: int) -> int:
    return next((i for i in range(after + 1, len(items)) if items[i] not in answers), len(items))


# ---------------------------------------------------------------- screens


def keys(question: Question) -> str:
    if question.type == "bool":
        first = "y (yes), n (no), u (unsure)"
        note = "note (add a note)"
    else:
        first = "1-5" if question.type == "scale" else "a number (1 or more)"
        first += ", u (unsure)"
        note = "n (note)"
    if question.group not in DIMENSIONS:
        first += ", n/a (does not apply)"
    return f"{first}, s (skip), b (back), ? (help), {note}, q (save and quit)"


def describe(answer: Answer, question: Question) -> str:
    # A note may come from the file (someone else wrote it): escaped, as all such text is.
    note = f'; note: "{printable(textwrap.shorten(answer.note, 50))}"' if answer.note else ""
    return answer_meaning(question, answer.value, answer.applies) + note


def group_heading(knowledge: Knowledge, group_id: str) -> str:
    group = next(g for g in knowledge.groups if g.id == group_id)
    return "\n".join(["", *titled(group.title, "─"), *hanging(group.intro, "")])


def question_screen(question: Question, session: Session) -> str:
    lines = [""]
    lines += hanging(f"[{session.progress}] {question.text}  ({question.id})", "", "    ")
    for value, anchor in (question.anchors or {}).items():
        lines += hanging(f"{value} = {anchor}", "    ", "        ")
    current = session.answers.get(question.id)
    if current is not None:
        lines += hanging(
            f"current answer: {describe(current, question)} (Enter keeps it)", "    ", "      "
        )
    lines += hanging(keys(question), "    ")
    return "\n".join(lines)


def help_screen(question: Question) -> str:
    lines = hanging(question.help, "  ", "")
    lines += ["", f"  Source: {question.source}", ""]
    lines += [
        "  Keys: type the answer and press Enter. u = unsure (left out of the scores),",
        "  n/a = the item does not apply to this policy (not asked of the twelve items",
        "  that place it),",
        "  s = skip for now, b = back one question, n (or note) = add a note to the answer",
        "  just given (n TEXT adds TEXT at once), q = save and quit; Enter keeps a current",
        "  answer. Every answer is saved at once; run the same command again to resume.",
    ]
    return "\n".join(lines)


def provisional(knowledge: Knowledge, answers: Mapping[str, Answer]) -> str:
    """The position in Matland's matrix from the classification items answered so far."""
    values = {qid: a.value for qid, a in answers.items() if a.value is not None}
    place = classify(values, knowledge)
    if not place.classifiable or place.paradigm is None:
        missing = ", ".join(place.to_answer)
        return f"\nProvisional position: not classifiable yet (answer more of: {missing})."
    assert place.ambiguity.score is not None and place.conflict.score is not None
    name = knowledge.paradigms[place.paradigm].name
    lines = [
        "",
        f"Provisional position: ambiguity {place.ambiguity.score:.0f}/100, conflict "
        f"{place.conflict.score:.0f}/100: {name} (confidence: {place.confidence})",
        *draw([(place.ambiguity.score, place.conflict.score, MARKER)], knowledge),
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------- I/O


class Console(Protocol):
    def show(self, text: str) -> None: ...

    def ask(self, prompt: str) -> str | None:
        """One line without its line break; None at the end of input."""


class TerminalConsole:
    """Lines on stdin, text on stdout; Ctrl-C arrives as KeyboardInterrupt. Whatever a
    screen quotes reaches the terminal escaped: each of its lines goes through `printable`
    (a second time for what was escaped where it was put; that changes nothing)."""

    def show(self, text: str) -> None:
        click.echo(printable_lines(text))

    def ask(self, prompt: str) -> str | None:
        click.echo(prompt, nl=False)
        line = sys.stdin.readline()
        return None if line == "" else line.rstrip("\r\n")


@record(frozen=False)
class Interview:
    """Runs a session against a console; `session` is always the latest state."""

    knowledge: Knowledge
    console: Console
    save: Callable[[Mapping[str, Answer]], None]
    session: Session
    _group: str = ""
    _backwards: bool = False  # the last move was `b`: an item not asked is passed going back

    def run(self) -> Ending:
        try:
            return self._loop()
        except KeyboardInterrupt:
            self.console.show("")
            return "interrupted"

    def _loop(self) -> Ending:
        matrix_after = self._last_classification_item()
        while not self.session.done:
            question = self.knowledge.questions[self.session.current]
            if not question.applies(self.session.answers):  # e.g. a pilot's item, for no pilot
                backwards = self._backwards and self.session.index > 0
                self.session, _ = apply(self.session, Action("back" if backwards else "skip"))
                self._backwards = backwards
                continue
            if question.group != self._group:
                self._group = question.group
                self.console.show(group_heading(self.knowledge, question.group))
            self.console.show(question_screen(question, self.session))
            start = self.session.index
            ending = self._ask(question)
            if ending is not None:
                return ending
            crossed = matrix_after is not None and start <= matrix_after < self.session.index
            if crossed and not self.session.done:  # at the end the full report shows it
                self.console.show(provisional(self.knowledge, self.session.answers))
        return "done"

    def _ask(self, question: Question) -> Ending | None:
        """Read lines at one question until one moves the session; an Ending stops it."""
        start = self.session.index
        while self.session.index == start:
            line = self.console.ask(PROMPT)
            if line is None:
                self.console.show("")
                return "end-of-input"
            current = self.session.answers.get(question.id)
            action = interpret(question, line, current, self.session.review)
            if action.kind == "quit":
                return "quit"
            if action.kind == "help":
                self.console.show(help_screen(question))
                continue
            target = note_target(self.session)
            if action.kind == "note" and not action.text and target:
                earlier = self.session.answers[target].note
                if earlier:
                    self.console.show(
                        f'    {target} has the note "{printable(textwrap.shorten(earlier, 60))}"'
                    )
                text = self.console.ask(
                    f"Note for {target} (added after it): " if earlier else f"Note for {target}: "
                )
                if text is None:  # Ctrl-D here drops the note, not the session
                    self.console.show("")
                    text = ""
                action = Action("note", text=text.strip())
            self._apply(action)
        return None

    def _apply(self, action: Action) -> None:
        self._backwards = action.kind == "back"
        session, message = apply(self.session, action)
        changed = session.answers != self.session.answers
        self.session = session
        if changed:
            self.save(session.answers)
        if message:
            self.console.show(f"    {message}")

    def _last_classification_item(self) -> int | None:
        dimensions = {
            *self.knowledge.dimension_items("ambiguity"),
            *self.knowledge.dimension_items("conflict"),
        }
        found = [i for i, qid in enumerate(self.session.items) if qid in dimensions]
        return max(found) if found else None
