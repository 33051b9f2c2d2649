"""The rest of the proposal in `matland assess`: the policy's details, the respondent, the
stakeholder map, the support plan and the accepted risks, as a state and pure operations.

`Details` is what the interview has been told so far. Each stakeholder carries a key of its
own for the session (`Entry.key`): a renamed stakeholder is the same entry, so the edit to the
file keeps whatever else the user wrote in it (their `x-` keys, comments); the writer knows
which key each stakeholder in the file has. The words a field accepts (roles, stances,
influence levels) come from the model, the approaches and risks from the rules, never from a
copy here.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Sequence
from typing import Any

from matland.core.knowledge import Approach, Knowledge
from matland.core.model import AcceptedRisk, Policy, Proposal, Respondent, Stakeholder
from matland.core.records import record

POLICY_FIELDS = ("summary", "owner", "jurisdiction")
RESPONDENT_FIELDS = ("name", "role")
STAKEHOLDER_FIELDS = ("name", "role", "stance", "influence")


def choices(field_name: str) -> tuple[str, ...]:
    """The words a stakeholder's role, stance or influence may be, from the model."""
    annotation = typing.get_type_hints(Stakeholder)[field_name]
    return tuple(str(word) for word in typing.get_args(annotation))


def default(field_name: str) -> str | None:
    """A stakeholder field's value when the file leaves it out (None: it must be given)."""
    (info,) = (item for item in dataclasses.fields(Stakeholder) if item.name == field_name)
    return None if info.default is dataclasses.MISSING else str(info.default)


@record
class Entry:
    stakeholder: Stakeholder
    key: int  # the same for the session, whatever is changed in it


@record
class Details:
    policy: Policy
    respondent: Respondent | None = None
    stakeholders: tuple[Entry, ...] = ()
    support_plan: tuple[str, ...] = ()
    accepted_risks: tuple[AcceptedRisk, ...] = ()
    keys_made: int = 0  # keys handed out so far: a new stakeholder's is never an old one's

    @classmethod
    def of(cls, proposal: Proposal) -> Details:
        """What a proposal holds, the stakeholders keyed by their place in the file."""
        return cls(
            proposal.policy,
            proposal.respondent,
            tuple(Entry(s, i) for i, s in enumerate(proposal.stakeholders)),
            tuple(proposal.support_plan),
            tuple(proposal.accepted_risks),
            len(proposal.stakeholders),
        )

    @property
    def keys(self) -> tuple[int, ...]:
        return tuple(entry.key for entry in self.stakeholders)

    def applied(self, proposal: Proposal) -> Proposal:
        """The proposal with these details (its answers and the rest as they are)."""
        return dataclasses.replace(
            proposal,
            policy=self.policy,
            respondent=self.respondent,
            stakeholders=tuple(e.stakeholder for e in self.stakeholders),
            support_plan=self.support_plan,
            accepted_risks=self.accepted_risks,
        )

    def same_as(self, proposal: Proposal) -> bool:
        return self.applied(proposal) == proposal


# ---------------------------------------------------------------- operations


def with_policy(details: Details, field_name: str, value: str | None) -> Details:
    change: dict[str, Any] = {field_name: value}  # one of POLICY_FIELDS, never the title
    policy = dataclasses.replace(details.policy, **change)
    return dataclasses.replace(details, policy=policy)


def with_respondent(details: Details, field_name: str, value: str | None) -> Details:
    """A field of the respondent set, or cleared; both cleared is no respondent."""
    respondent = dataclasses.replace(details.respondent or Respondent(), **{field_name: value})
    empty = all(getattr(respondent, f) is None for f in RESPONDENT_FIELDS)
    return dataclasses.replace(details, respondent=None if empty else respondent)


def stakeholder(name: str, role: str, stance: str, influence: str) -> Stakeholder:
    """A stakeholder from words already checked against `choices` (validated again here)."""
    from matland.core import proposalfile

    data = {"name": name, "role": role, "stance": stance, "influence": influence}
    return proposalfile.validated(proposalfile.Stakeholder, Stakeholder, **data)


def add_stakeholder(details: Details, new: Stakeholder) -> Details:
    entries = (*details.stakeholders, Entry(new, details.keys_made))
    return dataclasses.replace(details, stakeholders=entries, keys_made=details.keys_made + 1)


def edit_stakeholder(details: Details, index: int, changed: Stakeholder) -> Details:
    entries = list(details.stakeholders)
    entries[index] = Entry(changed, entries[index].key)
    return dataclasses.replace(details, stakeholders=tuple(entries))


def remove_stakeholder(details: Details, index: int) -> Details:
    entries = details.stakeholders[:index] + details.stakeholders[index + 1 :]
    return dataclasses.replace(details, stakeholders=entries)


def name_taken(details: Details, name: str, besides: int | None = None) -> bool:
    """Whether another stakeholder has this name (the loader refuses a name listed twice)."""
    return any(
        e.stakeholder.name == name.strip()
        for i, e in enumerate(details.stakeholders)
        if i != besides
    )


def add_to_plan(details: Details, approach: str) -> Details:
    if approach in details.support_plan:
        return details
    return dataclasses.replace(details, support_plan=(*details.support_plan, approach))


def remove_from_plan(details: Details, approach: str) -> Details:
    plan = tuple(item for item in details.support_plan if item != approach)
    return dataclasses.replace(details, support_plan=plan)


def accept_risk(details: Details, risk_id: str, reason: str) -> Details:
    """The risk accepted for this reason (a risk accepted before keeps its place)."""
    from matland.core import proposalfile

    accepted = proposalfile.validated(
        proposalfile.AcceptedRisk, AcceptedRisk, id=risk_id, reason=reason
    )
    risks = list(details.accepted_risks)
    for index, risk in enumerate(risks):
        if risk.id == risk_id:
            risks[index] = accepted
            break
    else:
        risks.append(accepted)
    return dataclasses.replace(details, accepted_risks=tuple(risks))


def unaccept_risk(details: Details, risk_id: str) -> Details:
    risks = tuple(risk for risk in details.accepted_risks if risk.id != risk_id)
    return dataclasses.replace(details, accepted_risks=risks)


def differences(details: Details, proposal: Proposal) -> list[str]:
    """What the details say that the proposal does not, a line each (for a file that could
    not be written)."""
    lines = [
        f"policy.{name}: {getattr(details.policy, name) or '(cleared)'}"
        for name in POLICY_FIELDS
        if getattr(details.policy, name) != getattr(proposal.policy, name)
    ]
    lines += [
        f"respondent.{name}: {getattr(details.respondent, name, None) or '(cleared)'}"
        for name in RESPONDENT_FIELDS
        if getattr(details.respondent, name, None) != getattr(proposal.respondent, name, None)
    ]
    people = [entry.stakeholder for entry in details.stakeholders]
    if tuple(people) != proposal.stakeholders:
        lines += ["stakeholders:"] + [f"  - {describe_stakeholder(p)}" for p in people]
    if details.support_plan != proposal.support_plan:
        lines.append(f"support_plan: [{', '.join(details.support_plan)}]")
    if details.accepted_risks != proposal.accepted_risks:
        lines += ["accepted_risks:"] + [f"  - {r.id}: {r.reason}" for r in details.accepted_risks]
    return lines


# ---------------------------------------------------------------- reading what is typed


def word_choice(line: str, words: Sequence[str]) -> str | None:
    """One of `words` from what was typed: the word, a prefix of just one, or its number
    (1-based) in the list; None when it is none of these."""
    typed = line.strip().lower()
    if not typed:
        return None
    if typed.isascii() and typed.isdigit():
        number = int(typed)
        return words[number - 1] if 1 <= number <= len(words) else None
    if typed in words:
        return typed
    starting = [word for word in words if word.startswith(typed)]
    return starting[0] if len(starting) == 1 else None


def search(knowledge: Knowledge, query: str) -> tuple[Approach, ...]:
    """The approaches whose id, name or description hold every word of the query (a word
    matches the start of a longer one: `broker` finds brokers and brokering), the ones
    named by it first."""
    words = query.lower().split()
    if not words:
        return ()
    found: list[tuple[int, int, Approach]] = []
    for order, approach in enumerate(knowledge.approaches.values()):
        named = f"{approach.id.replace('_', ' ')} {approach.name}".lower()
        text = f"{named} {approach.description}".lower()
        if all(word in text for word in words):
            in_name = all(word in named for word in words)
            found.append((0 if in_name else 1, order, approach))
    return tuple(approach for _, _, approach in sorted(found, key=lambda f: f[:2]))


def one_line(text: str, width: int) -> str:
    """A text on one line, shortened to `width` with an ellipsis when longer."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def describe_stakeholder(person: Stakeholder) -> str:
    return f"{person.name}: {person.role}, {person.stance}, {person.influence} influence"
