"""Both rounds of a Delphi workshop compared, as Markdown (readable as plain text too):
the group's paradigm after each round, the contested items that reached agreement and the
stable splits, per item the movement of the median and the spread, and each participant's
stability (the share of answers kept and a weighted kappa)."""

from __future__ import annotations

from matland.core.knowledge import Knowledge
from matland.workshop.delphi import Rounds


def _n(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def render(rounds: Rounds, knowledge: Knowledge) -> str:
    first, second = rounds.paradigms
    lines = [
        f"# {rounds.second.title}: round one and round two",
        "",
        f"The group's paradigm: **{first or 'not placed'}** after round one, "
        f"**{second or 'not placed'}** after round two.",
        "",
    ]
    if rounds.stable_splits:
        lines += [
            "Stable splits (contested in both rounds, after each participant saw the group's "
            "round-one answers) are evidence of conflict in their own right: "
            + ", ".join(rounds.stable_splits)
            + ".",
            "",
        ]
    if rounds.resolved:
        lines += ["Reached agreement in round two: " + ", ".join(rounds.resolved) + ".", ""]
    lines += [
        "| item | median 1 → 2 | IQR 1 → 2 | kept | outcome |",
        "| --- | --- | --- | --- | --- |",
    ]
    for change in rounds.items:
        if not (change.before.n or change.after.n):
            continue
        lines.append(
            f"| {change.id} | {_n(change.before.median)} → {_n(change.after.median)} "
            f"| {_n(change.before.iqr)} → {_n(change.after.iqr)} "
            f"| {change.kept} of {change.both} | {change.outcome} |"
        )
    lines += [
        "",
        "## Stability of each participant (1-5 items)",
        "",
        "| participant | kept | weighted kappa |",
        "| --- | --- | --- |",
    ]
    for person in rounds.participants:
        kappa = "—" if person.kappa is None else f"{person.kappa:.2f}"
        lines.append(f"| {person.participant} | {person.kept} of {person.both} | {kappa} |")
    text = "\n".join(lines) + "\n"
    return text
