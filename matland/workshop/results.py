"""What a workshop's aggregation gives: frozen records, read by every output format (and by
the live server). Computed in aggregate.py; nothing here scores or counts anew."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import field
from typing import Literal

from matland.core.assessment import Assessment
from matland.core.classify import Placement
from matland.core.findings import Finding
from matland.core.model import AnswerValue
from matland.core.records import record
from matland.workshop.participant import Participant, is_csv
from matland.workshop.rules import WorkshopRules

CONTESTED = "contested"
BAD_CELL = "bad-cell"
DUPLICATE = "duplicate-participant"
# Findings that leave no row or file out (the rest of the row, the file, still counts).
KEEPS_THE_ROW = (BAD_CELL,)


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`1 participant`, `2 participants`: a count as words read."""
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"


@record
class ParticipantResult:
    participant: Participant
    assessment: Assessment
    in_position: bool = True  # False: too few answers to count in the group's position

    @property
    def name(self) -> str:
        return self.participant.name

    @property
    def role(self) -> str | None:
        return self.participant.role


@record
class ItemSpread:
    """How the participants answered one item (unsure and missing answers left out)."""

    id: str
    type: str  # scale | count | bool (yes = 1, no = 0)
    answers: tuple[tuple[str, float], ...]  # (participant, value), in participant order
    unsure: int
    mean: float | None
    median: float | None
    minimum: float | None
    maximum: float | None
    q1: float | None
    q3: float | None
    low: int  # answers in the low extreme (scale items)
    high: int  # answers in the high extreme
    disagreement: bool
    group_value: AnswerValue  # the whole answer the group proposal carries
    notes: tuple[tuple[str, str], ...] = ()  # (participant, note), in participant order

    @classmethod
    def unanswered(
        cls, item: str, kind: str, unsure: int, notes: tuple[tuple[str, str], ...] = ()
    ) -> ItemSpread:
        return cls(item, kind, (), unsure, *(None,) * 6, 0, 0, False, None, notes)

    @property
    def n(self) -> int:
        return len(self.answers)

    @property
    def iqr(self) -> float | None:
        return None if self.q1 is None or self.q3 is None else self.q3 - self.q1

    @property
    def reported(self) -> float | str | None:
        """The group value as reported: `contested` for a split item, else the whole answer
        the group's assessment uses (the median, rounded as rules/workshop.yaml says)."""
        if self.disagreement:
            return CONTESTED
        if isinstance(self.group_value, bool):
            return "yes" if self.group_value else "no"
        if self.group_value is None:
            return None if self.median is None else "unsure"  # a yes/no tie
        return self.group_value


@record
class Scenario:
    """The group's position if one side of every contested item were right."""

    side: Literal["high", "low"]
    values: Mapping[str, int]  # contested item -> the answer that side gives it
    placement: Placement


@record
class Disagreement:
    contested: tuple[str, ...]  # items with disagreement
    conflict_items: tuple[str, ...]  # of them, the items of the conflict dimension
    if_high: Scenario | None
    if_low: Scenario | None

    @property
    def found(self) -> bool:
        return bool(self.contested)


@record
class Group:
    """Participants taken together: per-item spread and the assessment of their medians."""

    members: tuple[str, ...]
    items: Mapping[str, ItemSpread]
    assessment: Assessment
    disagreement: Disagreement
    # Whose answers make the group's position (the medians): the members less those with
    # too few answers. None: every member.
    counted: tuple[str, ...] | None = None
    # The contested conflict items counted at their high side (conflict_evidence), and the
    # position the medians alone give (None when no item was moved).
    conflict_counted: tuple[str, ...] = ()
    median_placement: Placement | None = None


@record
class RoleGap:
    """An item on which the roles' medians lie apart."""

    item: str
    medians: Mapping[str, float]  # role -> its median on the item
    gap: float  # highest role median minus lowest


@record
class RoleSplit:
    """An item on which whole roles sit at opposite extremes (role medians 1-2 against
    4-5), whether or not the whole group's rule calls it contested."""

    item: str
    low: tuple[str, ...]  # roles whose median is in the low extreme
    high: tuple[str, ...]  # roles whose median is in the high extreme
    between: tuple[str, ...]  # roles in the middle
    contested: bool  # the whole group's rule calls it contested as well


@record
class RoleGroup:
    """The participants of one role taken together, as the whole group is."""

    role: str
    group: Group

    @property
    def members(self) -> tuple[str, ...]:
        return self.group.members


@record
class Bootstrap:
    """The group's paradigm over resamples of its participants (rules/workshop.yaml)."""

    resamples: int
    seed: int
    same: int  # draws giving the group's paradigm (label)
    others: Mapping[str, int]  # every other label drawn -> how many times

    @property
    def share(self) -> float:
        return self.same / self.resamples


@record
class Workshop:
    """The whole result: who took part, the group, the roles, and what was left out."""

    title: str
    participants: tuple[ParticipantResult, ...]
    group: Group
    roles: tuple[RoleGroup, ...]  # empty unless asked for (--by role)
    role_gaps: tuple[RoleGap, ...]
    errors: tuple[Finding, ...]  # rows, cells and files left out or noted, and why
    rules: WorkshopRules
    role_splits: tuple[RoleSplit, ...] = ()  # with --by role
    anonymous: bool = False  # names replaced by `Participant N`; notes unnamed
    role_names: Mapping[str, str | None] = field(default_factory=dict)  # name -> role
    bootstrap: Bootstrap | None = None  # with rules' `stability`, when asked for

    @property
    def items(self) -> Mapping[str, ItemSpread]:
        return self.group.items

    @property
    def flagged(self) -> tuple[str, ...]:
        """Participants left out of the group's position (too few answers)."""
        return tuple(p.name for p in self.participants if not p.in_position)

    @property
    def left_out(self) -> int:
        """Rows and files left out: the distinct places of the errors (a row may have
        several), a bad cell not among them (its row still counts)."""
        return len(
            {
                (f.path, f.line if is_csv(f.path) else 0)
                for f in self.errors
                if f.is_error and f.rule_id not in KEEPS_THE_ROW
            }
        )

    def count(self, rule_id: str) -> int:
        return sum(1 for f in self.errors if f.rule_id == rule_id)

    def no_split(self) -> str:
        """What a report says when no item is contested: that the rule found none, or that
        one participant cannot disagree."""
        if len(self.participants) < 2:
            return "One participant: disagreement needs two or more."
        return "No item met the rule for a contested item."

    def headcount(self) -> str:
        """`5 participants`, and what was left out or noted, said at the top of a report (not
        only at its end)."""
        text = counted(len(self.participants), "participant")
        said = []
        if self.left_out:
            said.append(f"{counted(self.left_out, 'row or file', 'rows or files')} left out")
        if n := self.count(BAD_CELL):
            said.append(f"{counted(n, 'cell')} left out (counted as unanswered)")
        if n := self.count("other-policy"):
            said.append(f"{counted(n, 'participant')} about another policy left out")
        if n := self.count(DUPLICATE):
            said.append(f"{counted(n, 'earlier submission')} replaced by a later one")
        if n := len(self.flagged):
            said.append(
                f"{counted(n, 'participant')} with too few answers left out of the group's position"
            )
        if said:
            text += "; " + "; ".join(said)
        if self.errors:
            text += f" (see “Left out or noted”, {counted(len(self.errors), 'note')})"
        return text

    def role_of(self, name: str) -> str:
        return self.role_names.get(name) or self.rules.roles.unspecified

    def sides(self, item: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Who answered an item in its low extreme, and who in its high one."""
        rule = self.rules.disagreement
        answers = self.items[item].answers
        return (
            tuple(name for name, v in answers if v <= rule.low_max),
            tuple(name for name, v in answers if v >= rule.high_min),
        )

    def by_role(self, names: Sequence[str]) -> dict[str, int]:
        """How many of these participants each role has (roles in order of first seen)."""
        counts: dict[str, int] = {}
        for name in names:
            role = self.role_of(name)
            counts[role] = counts.get(role, 0) + 1
        return counts
