"""The rest of the proposal asked in the terminal: the policy's details and the respondent
(before the questions), then the stakeholders, the support plan and the accepted risks (after
them), each saved as soon as it is given.

Every prompt reads one line: Enter keeps what is there (or leaves a field out), a word that is
not an answer says why and asks again, q saves and quits, and Ctrl-C or the end of input keep
what was given, as at the questions. The state and its operations are in `details.py`; this
is the I/O around them. The lists are shown on every run, so a run stopped half way goes on
where it was; the policy's details are asked while they are missing (or with --review).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from matland.assess import details as d
from matland.assess.interview import WIDTH, Console, Ending
from matland.core.assessment import Assessment
from matland.core.findings import did_you_mean
from matland.core.knowledge import Approach, Knowledge
from matland.render import printable

QUIT = ("q", "quit")
DONE = ("", "d", "done", "s", "skip")
SHOWN = 8  # search results listed at once: more, and the list scrolls off a small terminal
RECOMMENDED = 5  # the recommended approaches offered before any search

POLICY_LABELS = {
    "summary": "Summary (what the policy does, in a sentence or two)",
    "owner": "Owner (the department or body that owns it)",
    "jurisdiction": "Jurisdiction (where it applies)",
}
RESPONDENT_LABELS = {"name": "Your name (who answers)", "role": "Your role"}


CLEAR = "-"  # typed at a free-text prompt: the field is taken out of the file


class _Stop(Exception):
    """q, or the end of input, at any prompt: the interview ends there (a way out of the
    nested prompts, caught in this module; never a bug)."""

    def __init__(self, ending: Ending) -> None:
        super().__init__(ending)
        self.ending: Ending = ending


def heading(title: str, intro: str) -> str:
    lines = ["", title, "─" * len(title)]
    return "\n".join(lines + textwrap.wrap(intro, WIDTH))


@dataclass
class DetailsInterview:
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
        line = self._line(f"{label}{shown}: ")
        return None if line.lower() in ("s", "skip") else line

    def _say(self, message: str) -> None:
        self.console.show(
            textwrap.fill(message, WIDTH, initial_indent="    ", subsequent_indent="    ")
        )

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

    # -- the support plan

    def _plan(self) -> None:
        self.console.show(
            heading(
                "Support plan",
                "The approaches of implementation support you plan to use, from matland's "
                "catalogue. A risk that an approach in the plan meets is reported as met by it.",
            )
        )
        recommended = [
            r.approach
            for r in self.consult(self.details).recommendations
            if r.approach.id not in self.details.support_plan
        ][:RECOMMENDED]
        if recommended:
            self.console.show("  Recommended for this policy:")
            self._list(recommended)
        while True:
            self._show_plan()
            line = self._line("plan> ")
            command, _, rest = line.partition(" ")
            if line.lower() in DONE:
                return
            if line.lower() in ("?", "help"):
                self._say(
                    "Type words to search the catalogue (broker, peer learning); a number "
                    "adds the approach listed with it, an id adds that approach; l lists "
                    "the whole catalogue; r N or r ID takes an approach out of the plan; "
                    "Enter goes on to the accepted risks; q saves and quits."
                )
            elif line.lower() in ("l", "list"):
                self._list(list(self.knowledge.approaches.values()), every=True)
            elif command.lower() in ("r", "remove") and rest:
                self._remove_from_plan(rest.strip())
            elif line.isascii() and line.isdigit():
                number = int(line)
                if 1 <= number <= len(self._listed):
                    self._add_to_plan(self._listed[number - 1])
                elif self._listed:
                    self._say(f"Give a number from 1 to {len(self._listed)}, or search again.")
                else:
                    self._say("Search first (type a word such as broker); then pick by number.")
            elif line in self.knowledge.approaches:
                self._add_to_plan(line)
            else:
                found = d.search(self.knowledge, line)
                if found:
                    self._list(list(found))
                else:
                    hint = did_you_mean(line, self.knowledge.approaches)
                    self._say(
                        f"Nothing in the catalogue holds '{printable(line)}'"
                        + (f" ({hint})" if hint else "")
                        + ": try other words, or l to list it all."
                    )

    def _list(self, approaches: Sequence[Approach], every: bool = False) -> None:
        shown = approaches if every else approaches[:SHOWN]
        self._listed = tuple(a.id for a in shown)
        lines = []
        for number, approach in enumerate(shown, 1):
            mark = " (in the plan)" if approach.id in self.details.support_plan else ""
            text = f"{approach.id}{mark}: {d.one_line(approach.description, WIDTH)}"
            lines += textwrap.wrap(
                f"{number:>3}. {text}",
                WIDTH,
                subsequent_indent="       ",
                max_lines=2,
                placeholder=" …",
            )
        if len(approaches) > len(shown):
            lines.append(f"     … and {len(approaches) - len(shown)} more: add words to narrow it.")
        self.console.show("\n".join(lines))

    def _show_plan(self) -> None:
        plan = self.details.support_plan
        names = [f"{i}. {a}" for i, a in enumerate(plan, 1)]
        text = "In the plan: " + ("; ".join(names) if names else "(nothing yet)")
        self.console.show(textwrap.fill(text, WIDTH, initial_indent="  ", subsequent_indent="    "))
        self._say(
            "words (search), a number or id (add), l (list all), r N (remove), Enter (go on), "
            "? (help), q (save and quit)"
        )

    def _add_to_plan(self, approach: str) -> None:
        if approach in self.details.support_plan:
            self._say(f"{approach} is in the plan already.")
            return
        self._change(d.add_to_plan(self.details, approach))
        self._say(f"Added {approach} to the plan.")

    def _remove_from_plan(self, which: str) -> None:
        plan = self.details.support_plan
        if which.isascii() and which.isdigit() and 1 <= int(which) <= len(plan):
            which = plan[int(which) - 1]
        if which not in plan:
            self._say(f"'{printable(which)}' is not in the plan: give its number or id.")
            return
        self._change(d.remove_from_plan(self.details, which))
        self._say(f"Took {which} out of the plan.")

    # -- accepted risks

    def _accepted(self) -> None:
        self.console.show(
            heading(
                "Accepted risks",
                "A risk you accept is still reported, with your reason, but no longer fails "
                "`matland check`. Each needs a reason a reviewer can read.",
            )
        )
        while True:
            listed = self._show_risks()
            line = self._line("risks> ")
            command, _, rest = line.partition(" ")
            if line.lower() in DONE:
                return
            if line.lower() in ("?", "help"):
                self._say(
                    "A number or a risk id accepts that risk (a reason is asked; Enter alone "
                    "cancels); for one accepted already, it changes the reason. r N or r ID "
                    "takes the acceptance back. Enter finishes and shows the report; q saves "
                    "and quits."
                )
                continue
            removing = command.lower() in ("r", "remove") and bool(rest)
            risk = self._risk(rest.strip() if removing else line, listed)
            if risk is None:
                continue
            if removing:
                self._unaccept(risk)
            else:
                self._accept(risk)

    def _show_risks(self) -> list[str]:
        """The risks the proposal raises now and those accepted, numbered; their ids."""
        fired = self.consult(self.details).risks
        accepted = {r.id: r.reason for r in self.details.accepted_risks}
        ids = [f.id for f in fired] + [r for r in accepted if r not in {f.id for f in fired}]
        rules = {r.id: r for r in self.knowledge.risks}
        marks = {
            f.id: f.severity + (f", met by {', '.join(f.met_by)}" if f.met_by else "")
            for f in fired
        }
        lines = []
        for number, risk_id in enumerate(ids, 1):
            mark = marks.get(risk_id, "not raised now")
            title = rules[risk_id].rule.title if risk_id in rules else ""
            text = f"{number:>3}. {risk_id} ({mark}): {title}"
            lines += textwrap.wrap(text, WIDTH, subsequent_indent="       ")
            if risk_id in accepted:
                reason = printable(d.one_line(accepted[risk_id], WIDTH - 20))
                lines.append(f"       accepted: {reason}")
        self.console.show("\n".join(lines or ["  The answers raise no risk now."]))
        self._say(
            "a number or risk id (accept), r N (take back), Enter (finish), ? (help), "
            "q (save and quit)"
        )
        return ids

    def _risk(self, typed: str, listed: Sequence[str]) -> str | None:
        if typed.isascii() and typed.isdigit():
            if 1 <= int(typed) <= len(listed):
                return listed[int(typed) - 1]
            self._say(
                f"Give a number from 1 to {len(listed)}, or a risk id."
                if listed
                else "No risk is listed: give a risk id (`matland rules list --kind risk`)."
            )
            return None
        if typed in self.knowledge.risk_ids:
            return typed
        hint = did_you_mean(typed, self.knowledge.risk_ids)
        self._say(
            f"'{printable(typed)}' is not a risk id"
            + (f" ({hint})" if hint else " (`matland rules list --kind risk` lists them)")
            + "."
        )
        return None

    def _accept(self, risk: str) -> None:
        current = next((r.reason for r in self.details.accepted_risks if r.id == risk), None)
        if current:
            self.console.show(f"    accepted because: {printable(current)}")
        reason = self._line(
            f"Why is {risk} accepted? (Enter alone {'keeps it' if current else 'cancels'}): "
        )
        if not reason:
            self._say("Unchanged." if current else f"{risk} is not accepted: a reason is needed.")
            return
        self._change(d.accept_risk(self.details, risk, reason))
        self._say(f"Accepted {risk}.")

    def _unaccept(self, risk: str) -> None:
        if risk not in {r.id for r in self.details.accepted_risks}:
            self._say(f"{risk} is not accepted.")
            return
        self._change(d.unaccept_risk(self.details, risk))
        self._say(f"{risk} is no longer accepted.")
