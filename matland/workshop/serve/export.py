"""A live workshop's answers as files `matland workshop` reads, and its report.

Per round: `answers-round1-STAMP.csv` (one row a participant, one column an item),
`notes-round1-STAMP.csv` (every note and reason, one a row), `round1-STAMP/NAME.yaml` (one
proposal file a participant) and `report-round1-STAMP.html`; with two rounds also
`rounds-STAMP.md`, both rounds compared. Names are stamped with the time, so an export never
replaces an earlier one. Anonymous (the workshop's or `--anonymous`): P1, P2, … in every file.

Standard library and the render part only: no web stack needed to export a store.
"""

from __future__ import annotations

import csv
import io
import os
import re
import time
from collections.abc import Sequence

import yaml

from matland.core.knowledge import Knowledge
from matland.render.workshop import WorkshopOptions, workshop_renderer
from matland.render.workshop.rounds import render as render_rounds
from matland.source.files import write_atomic
from matland.workshop.aggregate import Workshop, WorkshopRules, aggregate
from matland.workshop.delphi import compare
from matland.workshop.seats import participants, proposal_data
from matland.workshop.store import Given, Seat, State

EXPORTS = "exports"


def export_files(
    state: State,
    store_dir: str,
    knowledge: Knowledge,
    rules: WorkshopRules,
    *,
    anonymous: bool = False,
) -> list[str]:
    """Write the export into STORE_DIR/exports/; returns the paths written."""
    anonymous = anonymous or state.settings.anonymous
    stamp = time.strftime("%Y%m%d-%H%M%S")
    folder = os.path.join(store_dir, EXPORTS)
    os.makedirs(folder, exist_ok=True)
    written: list[str] = []
    rounds = [1, 2] if 2 in (state.round, *state.closed) else [1]
    workshops: dict[int, Workshop] = {}
    for round_ in rounds:
        seats = [s for s in state.active() if s.round_answers(round_)]
        written += _round_files(state, seats, round_, folder, stamp, knowledge, anonymous)
        workshops[round_] = workshop_of(state, round_, knowledge, rules, anonymous)
        path = os.path.join(folder, f"report-round{round_}-{stamp}.html")
        html = workshop_renderer("html")(workshops[round_], WorkshopOptions(knowledge))
        written.append(_write(path, html))
    if len(workshops) == 2:
        text = render_rounds(compare(workshops[1], workshops[2]), knowledge)
        written.append(_write(os.path.join(folder, f"rounds-{stamp}.md"), text))
    return written


def workshop_of(
    state: State, round_: int, knowledge: Knowledge, rules: WorkshopRules, anonymous: bool
) -> Workshop:
    shown = _anonymised(state) if anonymous and not state.settings.anonymous else state
    found, problems = participants(shown, round_, knowledge)
    return aggregate(found, knowledge, rules, title=state.settings.title, errors=problems)


def _anonymised(state: State) -> State:
    """The same state with every name gone (what `export --anonymous` writes from)."""
    from dataclasses import replace

    return replace(state, settings=replace(state.settings, anonymous=True))


def _round_files(
    state: State,
    seats: Sequence[Seat],
    round_: int,
    folder: str,
    stamp: str,
    knowledge: Knowledge,
    anonymous: bool,
) -> list[str]:
    items = list(knowledge.questions)
    table, notes = io.StringIO(), io.StringIO()
    rows = csv.writer(table, lineterminator="\n")
    rows.writerow(["participant", "role", *items])
    note_rows = csv.writer(notes, lineterminator="\n")
    note_rows.writerow(["participant", "role", "round", "item", "note", "reason"])
    directory = os.path.join(folder, f"round{round_}-{stamp}")
    os.makedirs(directory, exist_ok=True)
    written = []
    for seat in seats:
        answers = seat.round_answers(round_)
        label = seat.label(anonymous)
        rows.writerow([label, seat.role, *(_cell(answers.get(i)) for i in items)])
        for item, given in answers.items():
            if given.note or given.reason:
                note_rows.writerow([label, seat.role, round_, item, given.note, given.reason])
        data = proposal_data(state.settings, seat, answers, anonymous=anonymous)
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        written.append(_write(os.path.join(directory, f"{_file_name(seat, label)}.yaml"), text))
    written.insert(
        0, _write(os.path.join(folder, f"answers-round{round_}-{stamp}.csv"), table.getvalue())
    )
    written.insert(
        1, _write(os.path.join(folder, f"notes-round{round_}-{stamp}.csv"), notes.getvalue())
    )
    return written


def _cell(given: Given | None) -> str:
    if given is None:
        return ""
    if isinstance(given.value, bool):
        return "yes" if given.value else "no"
    return str(given.value)


def _file_name(seat: Seat, label: str) -> str:
    """A file name from a participant's label: safe on every system, and unique (the seat's
    number leads, so two Annes do not meet)."""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", label).strip("-")[:40] or "participant"
    return f"{seat.number:03d}-{safe}"


def _write(path: str, text: str) -> str:
    write_atomic(path, text)
    return path
