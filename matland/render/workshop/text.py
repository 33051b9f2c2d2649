"""Plain text for a terminal: the group's position among the participants', the spread of
every item, the disagreement, the roles, and the group's support mix and risks."""

from __future__ import annotations

from collections.abc import Sequence

from tabulate import tabulate

from matland.core.classify import SCALE_MAX, SCALE_MIN
from matland.core.knowledge import Knowledge
from matland.render import line_start, printable, printable_lines, views
from matland.render import text as single
from matland.render.matrix import cell, draw
from matland.render.prose import columns, glued, grid, hanging, heading, table, table_width, titled
from matland.render.workshop import WorkshopOptions
from matland.workshop.aggregate import (
    CONTESTED,
    Group,
    ItemSpread,
    RoleSplit,
    Scenario,
    Workshop,
    WorkshopRules,
    counted,
)

GROUP_MARKER = "◆"
FLAG = " (*)"
FLAGGED = (
    "too few classification items answered: left out of the group's position; their "
    "answers still count in each item's spread"
)
MARKERS = "123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SHARED = "abcdefghijklmnopqrstuvwxyz"  # cells holding several participants


def marker(index: int) -> str:
    """Participant 1, 2, … as one character in the text matrix and the table: 1-9, A-Z,
    then the number itself (it does not fit one cell: such a participant is drawn as a
    shared cell, listed under the matrix)."""
    return MARKERS[index] if index < len(MARKERS) else str(index + 1)


def number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}".rstrip("0")


def render(workshop: Workshop, options: WorkshopOptions) -> str:
    k = options.knowledge
    title = f"Workshop: {printable(workshop.title)}"
    lines = [*titled(title), *hanging(printable(workshop.headcount()), "")]
    lines += position(workshop, k)
    lines += participants(workshop)
    lines += disagreement(workshop, k)
    lines += items(workshop.group, workshop.rules)
    lines += roles(workshop)
    lines += single.support(workshop.group.assessment, k)
    lines += single.risks(workshop.group.assessment, lines_in_file=False)
    lines += left_out(workshop)
    # Each field from a participant's file or a CSV cell is escaped where it is put (a
    # table's widths count what is shown); every line once more, whatever it quotes.
    return printable_lines("\n".join(lines)) + "\n"


def _wrap(text: str, indent: str = "  ", hang: str = "") -> list[str]:
    return hanging(text, indent, indent + hang)


def position(workshop: Workshop, knowledge: Knowledge) -> list[str]:
    place = workshop.group.assessment.placement
    lines = heading("The group's position")
    lines.append(
        f"  ambiguity {single.score_text(place.ambiguity.score):>3} / 100   "
        f"conflict {single.score_text(place.conflict.score):>3} / 100"
    )
    points, shared = matrix_points(workshop, knowledge)
    lines += ["", *draw(points, knowledge), ""]
    lines.append(f"  {GROUP_MARKER} the group; 1, 2, … the participants (table below)")
    lines += [f"  {text}" for text in shared]
    if not place.classifiable:
        lines.append("  The group is not classifiable: too few items have answers.")
        return lines
    basis = views.group_basis(workshop.group, workshop.rules)
    lines += single.placement(place, knowledge)
    lines += hanging(basis, "  Counted:    ", " " * 14) if basis else []
    stable = views.bootstrap_text(workshop)
    return lines + (hanging(stable, "  Stable?     ", " " * 14) if stable else [])


def matrix_points(
    workshop: Workshop, knowledge: Knowledge
) -> tuple[list[tuple[float, float, str]], list[str]]:
    """The matrix's characters, one a cell, and what the shared cells hold: a cell that
    holds several participants (or one numbered beyond Z) shows a letter, listed below the
    matrix with its count, so no marker hides another."""
    cells: dict[tuple[int, int], list[str]] = {}
    spots: dict[tuple[int, int], tuple[float, float]] = {}
    for index, p in enumerate(workshop.participants):
        ambiguity, conflict = p.assessment.placement.scores.values()
        if ambiguity is not None and conflict is not None:
            at = cell(ambiguity, conflict, knowledge)
            cells.setdefault(at, []).append(marker(index))
            spots.setdefault(at, (ambiguity, conflict))
    place = workshop.group.assessment.placement
    group_at = None
    if place.ambiguity.score is not None and place.conflict.score is not None:
        group_at = cell(place.ambiguity.score, place.conflict.score, knowledge)
        spots[group_at] = (place.ambiguity.score, place.conflict.score)
    points, shared = [], []
    letters = iter(SHARED)
    for at, (ambiguity, conflict) in sorted(spots.items()):
        held = cells.get(at, [])
        if at == group_at:
            points.append((ambiguity, conflict, GROUP_MARKER))
            if held:
                shared.append(f"{GROUP_MARKER} shares its cell with {_count(held)}")
        elif len(held) == 1 and len(held[0]) == 1:
            points.append((ambiguity, conflict, held[0]))
        else:
            letter = next(letters, "*")
            points.append((ambiguity, conflict, letter))
            shared.append(f"{letter}: {_count(held)}")
    return points, shared


def _count(held: Sequence[str]) -> str:
    return f"{counted(len(held), 'participant')} ({', '.join(held)})"


def participants(workshop: Workshop) -> list[str]:
    lines = heading("Participants")
    rows = []
    for index, p in enumerate(workshop.participants):
        place = p.assessment.placement
        rows.append(
            [
                marker(index),
                printable(p.name),
                printable(p.role or ""),
                single.score_text(place.ambiguity.score),
                single.score_text(place.conflict.score),
                _kept(single.paradigm_text(p.assessment)) + ("" if p.in_position else FLAG),
            ]
        )
    lines += table(
        rows,
        ("#", "participant", "role", "ambiguity", "conflict", "paradigm"),
        wrapped=(2, 5),
        colalign=("left", "left", "left", "right", "right", "left"),
    )
    if workshop.flagged:
        lines += _wrap(f"{FLAG.strip()} {FLAGGED}")
    return lines


def _kept(paradigm: str) -> str:
    """A paradigm for a wrapped cell: its elements' `(+ ` kept with the first of them."""
    return paradigm.replace("(+ ", glued("(+ "))


def scenario_text(s: Scenario | None, side: str) -> list[str]:
    if s is None:
        return []
    place = s.placement
    where = place.paradigm or "not classifiable"
    values = ", ".join(f"{item} = {value}" for item, value in s.values.items())
    return _wrap(
        f"If the {side} answers were right ({values}): {where} "
        f"(ambiguity {single.score_text(place.ambiguity.score)}, "
        f"conflict {single.score_text(place.conflict.score)})."
    )


def disagreement(workshop: Workshop, knowledge: Knowledge) -> list[str]:
    dis = workshop.group.disagreement
    rule = workshop.rules.disagreement
    lines = heading(f"Disagreement ({counted(len(dis.contested), 'contested item')})")
    if not dis.found:
        return [*lines, *_wrap(workshop.no_split()), *_wrap(f"Rule: {rule.explanation}")]
    for item_id in dis.contested:
        spread = workshop.items[item_id]
        question = knowledge.questions[item_id].text
        lines += _wrap(
            f"- {item_id} ({question}): {spread.low} of {spread.n} answered {_low(workshop)}, "
            f"{spread.high} answered {_high(workshop)}; group value {CONTESTED} "
            f"(the median, {number(spread.median)}, would hide the split)",
            "  ",
            "  ",
        )
        low, high = sides(workshop, item_id)
        lines += _wrap(f"{_low(workshop)}: {low}", "    ", "  ")
        lines += _wrap(f"{_high(workshop)}: {high}", "    ", "  ")
    if dis.conflict_items:
        lines += ["", *_wrap(workshop.rules.conflict_evidence.text)]
        lines += _wrap(f"Source: {workshop.rules.conflict_evidence.source}")
    lines.append("")
    lines += scenario_text(dis.if_high, "high")
    lines += scenario_text(dis.if_low, "low")
    lines += ["", *_wrap(f"Rule: {rule.explanation} Source: {rule.source}")]
    return lines


def who(workshop: Workshop, names: Sequence[str]) -> str:
    """Participants by name, or by role when the report names no one."""
    if not names:
        return "no one"
    if workshop.anonymous:
        return ", ".join(f"{printable(role)} ({n})" for role, n in workshop.by_role(names).items())
    return ", ".join(printable(name) for name in names)


def sides(workshop: Workshop, item: str) -> tuple[str, str]:
    low, high = workshop.sides(item)
    return who(workshop, low), who(workshop, high)


def split_text(workshop: Workshop, split: RoleSplit) -> str:
    """`funding_gap: Commissioner (1-2) against Front-line staff (4-5); Carer between`."""
    text = (
        f"{split.item}: {_roles(split.low)} ({_low(workshop)}) against "
        f"{_roles(split.high)} ({_high(workshop)})"
    )
    if split.between:
        text += f"; {_roles(split.between)} between"
    if not split.contested:
        text += "; not contested for the whole group"
    return text


def _roles(names: Sequence[str]) -> str:
    return ", ".join(printable(name) for name in names)


SPLITS_NOTE = (
    "Split between roles: some roles' medians are in the low extreme and others' in the "
    "high one (whether or not the whole group's rule calls the item contested)."
)
GAPS_NOTE = (
    "Ranked by the gap between the highest and the lowest role median (items at least "
    "{min_gap:g} apart, the widest {top} and every item tied with the last of them); items "
    "with the same gap in questionnaire order."
)


def _low(workshop: Workshop) -> str:
    return f"{SCALE_MIN}-{workshop.rules.disagreement.low_max}"


def _high(workshop: Workshop) -> str:
    return f"{workshop.rules.disagreement.high_min}-{SCALE_MAX}"


def item_row(spread: ItemSpread) -> list[object]:
    reported = spread.reported
    group = reported if isinstance(reported, str) else number(reported)
    return [
        spread.id,
        spread.n,
        number(spread.mean),
        number(spread.median),
        number(spread.minimum),
        number(spread.maximum),
        number(spread.iqr),
        group,
    ]


ITEM_HEADERS = ["item", "n", "mean", "median", "min", "max", "IQR", "group"]


def answered(group: Group) -> Sequence[ItemSpread]:
    return [s for s in group.items.values() if s.n]


def items(group: Group, rules: WorkshopRules) -> list[str]:
    lines = heading("Items (answers 1-5; yes = 1, no = 0)")
    drawn = tabulate(
        [item_row(s) for s in answered(group)],
        headers=ITEM_HEADERS,
        colalign=("left", "right", "right", "right", "right", "right", "right", "left"),
    )
    lines += ["  " + line for line in drawn.splitlines()]
    return [*lines, "", *_wrap(rounding_note(rules))]


def rounding_note(rules: WorkshopRules) -> str:
    half = {"towards_midpoint": "towards the middle of the scale", "up": "up", "down": "down"}
    return (
        "group: the median, or contested when the answers split. The group's assessment takes "
        "whole answers, so a median between two answers is rounded (rules/workshop.yaml): "
        f"scale items {half[rules.group.scale_half]}, counts {half[rules.group.count_half]}; "
        "a yes/no tie counts as unsure."
    )


def roles(workshop: Workshop) -> list[str]:
    if not workshop.roles:
        return []
    lines = heading("By role")
    rows = []
    for r in workshop.roles:
        place = r.group.assessment.placement
        rows.append(
            [
                printable(r.role),
                str(len(r.group.members)),
                single.score_text(place.ambiguity.score),
                single.score_text(place.conflict.score),
                _kept(single.paradigm_text(r.group.assessment)),
                ", ".join(r.group.disagreement.contested) or "—",
            ]
        )
    lines += table(
        rows,
        ("role", "n", "ambiguity", "conflict", "paradigm", "contested"),
        wrapped=(0, 4, 5),
        colalign=("left", "right", "right", "right", "left", "left"),
    )
    lines += ["", "  Split between roles:"]
    if workshop.role_splits:
        lines += [
            line
            for s in workshop.role_splits
            for line in _wrap(f"- {split_text(workshop, s)}", "  ", "  ")
        ]
    else:
        lines.append("  No item has roles at opposite extremes.")
    lines += _wrap(SPLITS_NOTE)
    lines += ["", "  Where the roles differ most (role medians):"]
    if not workshop.role_gaps:
        return [*lines, "  No item differs by a whole answer or more between roles."]
    names = [r.role for r in workshop.roles]
    gap_rows = [
        [g.item, number(g.gap), *(number(g.medians.get(n)) for n in names)]
        for g in workshop.role_gaps
    ]
    headers = ["item", "gap", *(printable(n) for n in names)]
    gaps = grid(gap_rows, headers, ["left", *["right"] * (len(headers) - 1)])
    if max(map(columns, gaps)) + 2 <= table_width():
        lines += ["  " + line for line in gaps]
    else:  # a role a column is too wide (long role names, many roles): an item a line
        for g in workshop.role_gaps:
            medians = (glued(f"{printable(n)} {number(g.medians.get(n))}") for n in names)
            lines += hanging(f"{g.item} (gap {number(g.gap)}): {', '.join(medians)}", "  - ")
    return [*lines, *_wrap(gaps_note(workshop))]


def gaps_note(workshop: Workshop) -> str:
    rule = workshop.rules.roles
    return GAPS_NOTE.format(min_gap=rule.min_gap, top=rule.top_items)


def left_out(workshop: Workshop) -> list[str]:
    if not workshop.errors:
        return []
    lines = heading(f"Left out or noted ({len(workshop.errors)})")
    # a finding a line, never wrapped: `path:line:col:` first, as editors and CI logs read it
    return lines + [f"  {line_start(printable(f.one_line()))}" for f in workshop.errors]
