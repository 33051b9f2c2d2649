"""The support plan and the accepted risks asked in the terminal, after the questions: the
catalogue searched by words and picked from by number or id, risks accepted each with a
reason. A part of `DetailsInterview`, which reads the lines and keeps the state.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from matland.assess import details as d
from matland.assess.interview import Console
from matland.core.assessment import Assessment
from matland.core.findings import did_you_mean
from matland.core.knowledge import Approach, Knowledge
from matland.render import printable
from matland.render.prose import columns, hanging, titled, width

DONE = ("", "d", "done", "s", "skip")
SHOWN = 8  # search results listed at once: more, and the list scrolls off a small terminal
RECOMMENDED = 5  # the recommended approaches offered before any search


PLAN_HELP = (
    "Type words to search the catalogue (broker, peer learning); a number adds the approach "
    "listed with it, an id adds that approach; l lists the whole catalogue; r N or r ID takes "
    "an approach out of the plan; Enter goes on to the accepted risks; q saves and quits."
)
RISKS_HELP = (
    "A number or a risk id accepts that risk (a reason is asked; Enter alone cancels); for one "
    "accepted already, it changes the reason. r N or r ID takes the acceptance back. Enter "
    "finishes and shows the report; q saves and quits."
)


def heading(title: str, intro: str) -> str:
    return "\n".join(["", *titled(title, "─"), *hanging(intro, "")])


class PlanPrompts:
    """The plan and accepted-risks prompts; the interview that has them gives the state and
    the reading of lines."""

    knowledge: Knowledge
    console: Console
    details: d.Details
    consult: Callable[[d.Details], Assessment]
    _listed: tuple[str, ...]

    def _line(self, prompt: str) -> str:
        raise NotImplementedError

    def _say(self, message: str) -> None:
        raise NotImplementedError

    def _change(self, details: d.Details) -> None:
        raise NotImplementedError

    def _command(self, prompt: str, help_text: str) -> str | None:
        """The next line typed at a part's prompt (`?` answered with `help_text`); None when
        it ends the part (Enter, d, s)."""
        while True:
            line = self._line(prompt)
            if line.lower() in DONE:
                return None
            if line.lower() not in ("?", "help"):
                return line
            self._say(help_text)

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
            line = self._command("plan> ", PLAN_HELP)
            if line is None:
                return
            command, _, rest = line.partition(" ")
            if line.lower() in ("l", "list"):
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
            text = f"{approach.id}{mark}: {d.one_line(approach.description, width())}"
            lines += _two_lines(hanging(f"{number:>3}. {text}", "", "       "))
        if len(approaches) > len(shown):
            lines.append(f"     … and {len(approaches) - len(shown)} more: add words to narrow it.")
        self.console.show("\n".join(lines))

    def _show_plan(self) -> None:
        plan = self.details.support_plan
        names = [f"{i}. {a}" for i, a in enumerate(plan, 1)]
        text = "In the plan: " + ("; ".join(names) if names else "(nothing yet)")
        self.console.show("\n".join(hanging(text, "  ", "    ")))
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
            line = self._command("risks> ", RISKS_HELP)
            if line is None:
                return
            command, _, rest = line.partition(" ")
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
            lines += hanging(text, "", "       ")
            if risk_id in accepted:
                reason = printable(d.one_line(accepted[risk_id], width() - 20))
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


def _two_lines(lines: list[str]) -> list[str]:
    """A catalogue entry's first two lines, the second ending in … when there was more."""
    if len(lines) <= 2:
        return lines
    last = lines[1]
    while last and columns(last) + 2 > width():
        last = last.rsplit(" ", 1)[0]
    return [lines[0], last + " …"]
