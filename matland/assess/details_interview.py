"""The rest of the proposal asked in the terminal: the policy's details and the respondent
(before the questions), then the stakeholders, the support plan and the accepted risks (after
them), each saved as soon as it is given.

Every prompt reads one line: Enter keeps what is there (or leaves a field out), a word that is
not an answer says why and asks again, q saves and quits, and Ctrl-C or the end of input keep
what was given, as at the questions. The state and its operations are in `details.py`; this
is the I/O around them (the support plan's and the accepted risks' prompts are in
`plan_interview.py`). The lists are shown on every run, so a run stopped half way goes on
where it was; the policy's details are asked while they are missing (or with --review).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field

from matland.assess import details as d
from matland.assess.interview import Console, Ending
from matland.assess.plan_interview import DONE, PlanPrompts, heading
from matland.core.assessment import Assessment
from matland.core.knowledge import Knowledge
from matland.core.records import record
from matland.render import printable
from matland.render.prose import hanging

QUIT = ("q", "quit")

POLICY_LABELS = {
    "summary": "Summary (what the policy does, in a sentence or two)",
    "owner": "Owner (the department or body that owns it)",
    "jurisdiction": "Jurisdiction (where it applies)",
}
RESPONDENT_LABELS = {"name": "Your name (who answers)", "role": "Your role"}


CLEAR = "-"  # typed at a free-text prompt: the field is taken out of the file
KEYS_ELSEWHERE = ("?", "help", "b", "back")  # the questions' keys: help, never a detail's text


class _Stop(Exception):
    """q, or the end of input, at any prompt: the interview ends there (a way out of the
    nested prompts, caught in this module; never a bug)."""

    def __init__(self, ending: Ending) -> None:
        super().__init__(ending)
        self.ending: Ending = ending


@record(frozen=False)
class DetailsInterview(PlanPrompts):
    """Asks the details against a console; `details` is always the latest state, and `save`
    is called whenever it changes. `consult` assesses the proposal with given details (the
    risks it raises, the approaches recommended for it)."""

    knowledge: Knowledge
    console: Console
    save: Callable[[d.Details], None]
    details: d.Details
    consult: Callable[[d.Details], Assessment]
    review: bool = False
    _listed: tuple[str, ...] = field(default=(), repr=False)  # what a number picks

    # -- the two parts

    def about(self) -> Ending | None:
        """The policy's summary, owner and jurisdiction, and the respondent: those missing
        (every one, with --review). None when done, else how it ended."""
        return self._run(self._about)

    def lists(self) -> Ending | None:
        """The stakeholders, the support plan and the accepted risks."""
        return self._run(self._lists)

    def _run(self, part: Callable[[], None]) -> Ending | None:
        try:
            part()
        except _Stop as stop:
            return stop.ending
        except KeyboardInterrupt:
            self.console.show("")
            return "interrupted"
        return None

    def _about(self) -> None:
        policy = [
            f for f in d.POLICY_FIELDS if self.review or getattr(self.details.policy, f) is None
        ]
        respondent = self.details.respondent
        people = [
            f for f in d.RESPONDENT_FIELDS if self.review or getattr(respondent, f, None) is None
        ]
        if not policy and not people:
            return
        self.console.show(
            heading(
                "About the policy",
                "These go in the file beside the answers. Enter keeps what is there (or leaves "
                "it out for now); - clears it; s skips the rest of this part, q saves and quits.",
            )
        )
        for name in policy:
            current = getattr(self.details.policy, name)
            value = self._text(POLICY_LABELS[name], current)
            if value is None:
                return
            if value != current and (value := self._cleared(value, current)) != "":
                self._change(d.with_policy(self.details, name, value))
        for name in people:
            current = getattr(self.details.respondent, name, None)
            value = self._text(RESPONDENT_LABELS[name], current)
            if value is None:
                return
            if value != current and (value := self._cleared(value, current)) != "":
                self._change(d.with_respondent(self.details, name, value))

    def _cleared(self, typed: str, current: str | None) -> str | None:
        """What a typed line makes a field: '' keeps it, `-` clears it (None), else the text."""
        if typed != CLEAR:
            return typed
        if current is None:
            return ""  # nothing to clear
        self._say("Cleared.")
        return None

    def _lists(self) -> None:
        self._stakeholders()
        self._plan()
        self._accepted()

    # -- reading lines

    def _line(self, prompt: str) -> str:
        line = self.console.ask(prompt)
        if line is None:
            self.console.show("")
            raise _Stop("end-of-input")
        if line.strip().lower() in QUIT:
            raise _Stop("quit")
        return line.strip()

    def _text(self, label: str, current: str | None) -> str | None:
        """A free text ('' when Enter keeps the current one, or leaves it out); None: s,
        skip the rest."""
        shown = f" [{printable(d.one_line(current, 40))}]" if current else ""
        while True:
            line = self._line(f"{label}{shown}: ")
            if line.lower() not in KEYS_ELSEWHERE:
                return None if line.lower() in ("s", "skip") else line
            self._say(  # a key of the questions' prompts is not saved as the text
                "Type the text and press Enter. Enter alone keeps what is there, - clears it, "
                "s skips the rest of this part, q saves and quits (b goes back at the "
                "questions only)."
            )

    def _say(self, message: str) -> None:
        self.console.show("\n".join(hanging(message, "    ")))

    def _change(self, details: d.Details) -> None:
        self.details = details
        self.save(details)

    # -- stakeholders

    def _stakeholders(self) -> None:
        self.console.show(
            heading(
                "Stakeholders",
                "Who will make or break the change: each with a role, a stance towards the "
                "policy and an influence. The risk rules read this map (implementers who "
                "oppose, influential opponents, no influential supporter).",
            )
        )
        while True:
            self._show_stakeholders()
            line = self._line("stakeholders> ")
            command, _, rest = line.partition(" ")
            command = command.lower()
            if command in DONE and not rest:
                return
            if command in ("?", "help"):
                self._say(
                    "a adds a stakeholder; e N edits the one numbered N (Enter keeps each "
                    "field); r N removes it (asked first); Enter goes on to the support plan; "
                    "q saves and quits. Roles: "
                    + ", ".join(d.choices("role"))
                    + "; stances: "
                    + ", ".join(d.choices("stance"))
                    + "; influence: "
                    + ", ".join(d.choices("influence"))
                    + "."
                )
            elif command in ("a", "add"):
                self._add_stakeholder()
            elif command in ("e", "edit", "r", "remove"):
                index = self._number(rest, len(self.details.stakeholders), "stakeholder")
                if index is not None and command.startswith("e"):
                    self._edit_stakeholder(index)
                elif index is not None:
                    self._remove_stakeholder(index)
            else:
                self._say(f"'{printable(line)}' is not a choice here: {self._stakeholder_keys()}.")

    def _stakeholder_keys(self) -> str:
        return "a (add), e N (edit), r N (remove), Enter (go on), ? (help), q (save and quit)"

    def _show_stakeholders(self) -> None:
        people = [e.stakeholder for e in self.details.stakeholders]
        lines = [f"  {i}. {printable(d.describe_stakeholder(p))}" for i, p in enumerate(people, 1)]
        self.console.show("\n".join(lines or ["  (none yet)"]))
        self._say(self._stakeholder_keys())

    def _number(self, text: str, count: int, kind: str) -> int | None:
        """A 1-based number typed after a command, as an index; None (said why) if not one."""
        text = text.strip()
        if not count:
            self._say(f"There is no {kind} yet.")
        elif text.isascii() and text.isdigit() and 1 <= int(text) <= count:
            return int(text) - 1
        else:
            self._say(f"Give the {kind}'s number, 1 to {count} (e 2, say).")
        return None

    def _add_stakeholder(self) -> None:
        while True:
            name = self._line("Name (Enter alone cancels): ")
            if not name:
                self._say("No stakeholder added.")
                return
            if not d.name_taken(self.details, name):
                break
            self._say(
                f"There is already a stakeholder named '{printable(name)}': give another name."
            )
        values = {
            field_name: self._word(field_name, None) for field_name in d.STAKEHOLDER_FIELDS[1:]
        }
        person = d.stakeholder(name, **values)
        self._change(d.add_stakeholder(self.details, person))
        self._say(f"Added {printable(d.describe_stakeholder(person))}.")

    def _edit_stakeholder(self, index: int) -> None:
        was = self.details.stakeholders[index].stakeholder
        while True:
            name = self._line(f"Name [{printable(was.name)}]: ") or was.name
            if not d.name_taken(self.details, name, besides=index):
                break
            self._say(
                f"There is already a stakeholder named '{printable(name)}': give another name."
            )
        values = {f: self._word(f, getattr(was, f)) for f in d.STAKEHOLDER_FIELDS[1:]}
        person = d.stakeholder(name, **values)
        if person == was:
            self._say("Nothing changed.")
            return
        self._change(d.edit_stakeholder(self.details, index, person))
        self._say(f"Now {printable(d.describe_stakeholder(person))}.")

    def _word(self, field_name: str, current: str | None) -> str:
        """A role, stance or influence: a word of the model's (its start, or its number)."""
        words = d.choices(field_name)
        keeps = current or d.default(field_name)
        listed = ", ".join(f"{i} {w}" for i, w in enumerate(words, 1))
        shown = f" [{keeps}]" if keeps else ""
        while True:
            line = self._line(f"{field_name.capitalize()} ({listed}){shown}: ")
            if not line and keeps:
                return keeps
            chosen = d.word_choice(line, words)
            if chosen is not None:
                return chosen
            wrong = (
                f"A {field_name} is needed"
                if not line
                else f"'{printable(line)}' is not a {field_name}"
            )
            self._say(f"{wrong}: give one of {', '.join(words)} (a word, its start or its number).")

    def _remove_stakeholder(self, index: int) -> None:
        person = self.details.stakeholders[index].stakeholder
        reply = self._line(f'Remove "{printable(person.name)}" from the stakeholders? [y/N] ')
        if reply.lower() not in ("y", "yes"):
            self._say("Kept.")
            return
        self._change(d.remove_stakeholder(self.details, index))
        self._say(f"Removed {printable(person.name)}.")
