"""The live workshop as the routes see it: typed forms in, the store and the workshop code
out. Routes never touch the store or the aggregation directly; this never sees a request.

A problem with what a page sent is a `Refused` (a one-line message for the phone and an HTTP
status); nothing is stored then.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from matland.core.knowledge import Knowledge, Question
from matland.core.records import record
from matland.core.words import flat
from matland.workshop.aggregate import Workshop, WorkshopRules, aggregate
from matland.workshop.delphi import Rounds, compare
from matland.workshop.seats import NOTE_MAX, asked, parse_answer, participants, progress
from matland.workshop.store import Given, Seat, Settings, State, Store

NAME_MAX = 80
# Requests a seat may make: a burst of a screenful of quick taps, then a few a second. A
# person answers an item every few seconds; a page retrying its queue stays well inside.
SEAT_BURST, SEAT_RATE = 60.0, 10.0
# Joining is counted for the whole room (it has no seat yet); wrong codes more strictly, so
# that a six-character code cannot be guessed by trying.
JOIN_BURST, JOIN_RATE = 400.0, 50.0
WRONG_CODE_BURST, WRONG_CODE_RATE = 20.0, 0.5
SEATS_MAX = 1000


class Refused(Exception):
    """What a page sent that is not taken, said in one line for the person."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@record
class JoinForm:
    code: str
    name: str
    role: str


@record
class AnswerForm:
    item: str
    value: str  # as typed: `3`, `yes`, `unsure`, a count
    note: str = ""
    reason: str = ""


@record
class Feedback:
    """What round two shows beside a participant's answer: the group's round-one answers."""

    item: str
    counts: tuple[tuple[str, int], ...]  # answer -> how many gave it, in scale order
    n: int
    median: float | None
    q1: float | None
    q3: float | None
    contested: bool
    own: Any  # the participant's round-one answer (file format), or None

    @property
    def outside(self) -> bool:
        """The participant's answer lies outside the group's interquartile range."""
        if self.q1 is None or self.q3 is None or not isinstance(self.own, int | bool):
            return False
        own = float(self.own)
        return own < self.q1 or own > self.q3

    def record(self) -> dict[str, Any]:
        return {
            "counts": dict(self.counts),
            "n": self.n,
            "median": self.median,
            "q1": self.q1,
            "q3": self.q3,
            "contested": self.contested,
            "own": self.own,
            "outside_iqr": self.outside,
        }


class Bucket:
    """A token bucket: `burst` requests at once, `rate` a second after that."""

    def __init__(self, burst: float, rate: float) -> None:
        self.burst, self.rate = burst, rate
        self.tokens, self.at = burst, time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class Session:
    def __init__(self, store: Store, knowledge: Knowledge, rules: WorkshopRules) -> None:
        self.store = store
        self.knowledge = knowledge
        self.rules = rules
        self.listeners: list[Callable[[], None]] = []
        self._buckets: dict[str, Bucket] = {}
        self._joins = Bucket(JOIN_BURST, JOIN_RATE)
        self._wrong_codes = Bucket(WRONG_CODE_BURST, WRONG_CODE_RATE)
        self._cache: dict[tuple[str, int], Any] = {}

    @property
    def state(self) -> State:
        return self.store.state

    @property
    def settings(self) -> Settings:
        return self.store.state.settings

    def _changed(self) -> None:
        for listener in self.listeners:
            listener()

    def cached(self, key: str, make: Callable[[], Any]) -> Any:
        """A value worked out once per state of the store (a view, a workshop)."""
        slot = (key, self.state.seq)
        if slot not in self._cache:
            if len(self._cache) > 32:
                self._cache.clear()
            self._cache[slot] = make()
        return self._cache[slot]

    # -------------------------------------------------------------- participants

    def join(self, form: JoinForm) -> tuple[Seat, str]:
        if not self._joins.take():
            raise Refused("Too many people joining at once; try again in a moment.", 429)
        if form.code.strip().upper() != self.settings.code:
            if not self._wrong_codes.take():
                raise Refused("Too many wrong codes; wait a minute and try again.", 429)
            raise Refused("That is not this workshop's code; check the screen.", 403)
        if self.state.locked:
            raise Refused("The workshop is locked; it takes no more participants.", 409)
        if len(self.state.seats) >= SEATS_MAX:
            raise Refused("The workshop is full.", 409)
        role = form.role.strip()
        if role not in self.settings.roles:
            raise Refused("Choose one of the roles listed.")
        name = flat(form.name)
        if self.settings.anonymous:
            name = ""
        elif not name:
            raise Refused("Give your name (or initials).")
        elif len(name) > NAME_MAX:
            raise Refused(f"A name of at most {NAME_MAX} characters, please.")
        elif any(s.name.casefold() == name.casefold() for s in self.state.active()):
            raise Refused("Someone has joined with that name; add an initial.", 409)
        seat, token = self.store.join(name, role)
        self._changed()
        return seat, token

    def allow(self, seat: Seat) -> None:
        """The rate limit of one seat (a room shares one address, so never per address)."""
        bucket = self._buckets.setdefault(seat.id, Bucket(SEAT_BURST, SEAT_RATE))
        if not bucket.take():
            raise Refused("Too many requests from this phone; wait a moment.", 429)

    def items(self, seat: Seat) -> list[Question]:
        """The items this participant is asked now, in the order they are asked (round two:
        the contested items first)."""
        round_ = self.state.round
        questions = asked(self.knowledge, seat.round_answers(round_))
        if round_ == 2:
            first = self.first_round()
            contested = [q for q in questions if first.items[q.id].disagreement]
            questions = contested + [q for q in questions if q not in contested]
        return questions

    def progress(self, seat: Seat) -> tuple[int, int]:
        return progress(self.knowledge, seat, self.state.round)

    def answer(self, seat: Seat, form: AnswerForm) -> Given:
        """Validate and commit one answer; returns it as stored."""
        state = self.state
        if seat.removed:
            raise Refused("You were removed from this workshop; ask the facilitator.", 403)
        if not state.open:
            raise Refused("This round is closed; answers are no longer taken.", 409)
        question = self.knowledge.questions.get(form.item)
        if question is None:
            raise Refused(f"There is no item '{form.item[:40]}'.", 404)
        if question not in self.items(seat):
            raise Refused("That item is not asked, given your earlier answers.", 409)
        problem, value = parse_answer(question, form.value)
        if problem or value is None:
            raise Refused(problem or "Choose an answer.")
        note, reason = form.note.strip(), form.reason.strip()
        if len(note) > NOTE_MAX or len(reason) > NOTE_MAX:
            raise Refused(f"A note of at most {NOTE_MAX} characters, please.")
        round_ = state.round
        earlier = seat.answers[round_].get(question.id)
        if earlier is not None and (earlier.value, earlier.note, earlier.reason) == (
            value,
            note,
            reason,
        ):
            return earlier  # the same answer sent again (a retry): stored once
        shown = self.feedback(seat, question).record() if round_ == 2 else None
        extra: dict[str, Any] = {"reason": reason, "shown": shown} if round_ == 2 else {}
        self.store.append(
            "answer", seat.id, round=round_, item=question.id, value=value, note=note, **extra
        )
        self._changed()
        return seat.answers[round_][question.id]

    # -------------------------------------------------------------- round two

    def first_round(self) -> Workshop:
        workshop: Workshop = self.cached("workshop-1", lambda: self.workshop(1))
        return workshop

    def feedback(self, seat: Seat, question: Question) -> Feedback:
        spread = self.first_round().items[question.id]
        values = [v for _, v in spread.answers]
        if question.type == "bool":
            counts = Counter("yes" if v else "no" for v in values)
            order = ["yes", "no"]
        else:
            counts = Counter(str(int(v)) for v in values)
            top = int(max(values, default=5))
            order = (
                [str(v) for v in range(1, max(5, top) + 1)]
                if question.type == "scale"
                else (sorted(counts, key=int))
            )
        own = seat.answers[1].get(question.id)
        return Feedback(
            question.id,
            tuple((k, counts.get(k, 0)) for k in order),
            len(values),
            spread.median,
            spread.q1,
            spread.q3,
            spread.disagreement,
            None if own is None else own.value,
        )

    # -------------------------------------------------------------- the group

    def workshop(self, round_: int) -> Workshop:
        found, problems = participants(self.state, round_, self.knowledge)
        return aggregate(
            found, self.knowledge, self.rules, title=self.settings.title, errors=problems
        )

    def current(self) -> Workshop:
        workshop: Workshop = self.cached("workshop", lambda: self.workshop(self.state.round))
        return workshop

    def rounds(self) -> Rounds | None:
        if 2 not in (self.state.round, *self.state.closed):
            return None
        return compare(self.workshop(1), self.workshop(2))

    # -------------------------------------------------------------- the facilitator

    def act(self, action: str, seat_id: str = "") -> None:
        state = self.state
        if action == "reveal":
            self.store.append("reveal")
        elif action == "close" and state.open:
            self.store.append("close_round", round=state.round)
        elif action == "open2":
            if self.settings.rounds < 2:
                raise Refused("This workshop has one round (start it with --rounds 2).", 409)
            if state.round == 2:
                raise Refused("Round two is already open.", 409)
            if 1 not in state.closed:
                self.store.append("close_round", round=1)
            self.store.append("open_round", round=2)
        elif action == "lock":
            self.store.append("lock")
        elif action == "remove" and seat_id in state.seats:
            self.store.append("remove", seat_id)
        else:
            raise Refused("Nothing to do.", 409)
        self._changed()
