"""A live workshop's seats as participants: each seat's answers become a proposal validated by
the same code as a proposal file (source.load), so the server, `matland workshop STORE_DIR`
and the exported files all aggregate the same Participants.

Also the questionnaire as a participant walks it: the items asked given the answers so far
(`asked_when`), and an answer typed on a page read as the file format reads it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from matland.core.findings import Finding
from matland.core.knowledge import Knowledge, Question
from matland.core.model import FORMAT_VERSION, NotApplicable
from matland.core.vocabulary import NA, UNSURE
from matland.core.yamlpos import Document
from matland.source.load import check_value, proposal_from_document
from matland.workshop.aggregate import Participant
from matland.workshop.store import Given, Seat, Settings, State

NOTE_MAX = 2000  # characters in a note or a reason: a paragraph, not a document


def parse_answer(question: Question, raw: str) -> tuple[str, int | bool | str | None]:
    """('', value in the file format) or (what is wrong, None): a form's text read as YAML
    reads an answer (`3`, `yes`/`no`, `unsure`), then checked by the file format's rule."""
    text = raw.strip().lower()
    if not text:
        return f"{question.id}: no answer given; choose one (or unsure)", None
    if text in (UNSURE, NA):
        problem, _ = check_value(question, text)
        return (f"{question.id}: {problem}", None) if problem else ("", text)
    value: Any = text
    if question.type == "bool":
        value = {"yes": True, "true": True, "no": False, "false": False}.get(text, text)
    elif text.lstrip("+-").isdigit():
        value = int(text)
    problem, checked = check_value(question, value)
    if problem:
        return f"{question.id}: {problem}", None
    assert not isinstance(checked, NotApplicable)  # `n/a` was read above
    return "", checked


def file_value(given: Given) -> Any:
    """An answer as a proposal file holds it."""
    return given.value if not given.note else {"value": given.value, "note": given.note}


def proposal_data(
    settings: Settings, seat: Seat, answers: Mapping[str, Given], *, anonymous: bool
) -> dict[str, Any]:
    """A seat's answers as the data of a proposal file (what export writes)."""
    policy: dict[str, Any] = {"title": settings.title}
    if settings.summary:
        policy["summary"] = settings.summary
    return {
        "matland": FORMAT_VERSION,
        "policy": policy,
        "respondent": {"name": seat.label(anonymous), "role": seat.role},
        "answers": {item: file_value(given) for item, given in answers.items()},
    }


def participant(
    state: State, seat: Seat, round_: int, knowledge: Knowledge
) -> tuple[Participant | None, list[Finding]]:
    """One seat as a Participant of `round_`, validated as a proposal file is."""
    anonymous = state.settings.anonymous
    source = f"store:{seat.label(anonymous)}"
    data = proposal_data(state.settings, seat, seat.round_answers(round_), anonymous=anonymous)
    proposal, findings = proposal_from_document(source, Document(data), knowledge)
    if proposal is None:
        return None, findings
    return Participant(seat.label(anonymous), seat.role or None, source, proposal), []


def participants(
    state: State, round_: int, knowledge: Knowledge
) -> tuple[list[Participant], list[Finding]]:
    """Every seat not removed that answered anything, in order of joining."""
    found: list[Participant] = []
    problems: list[Finding] = []
    for seat in state.active():
        if not seat.round_answers(round_):
            continue
        one, errors = participant(state, seat, round_, knowledge)
        problems += errors
        if one is not None:
            found.append(one)
    return found, problems


def asked(knowledge: Knowledge, answers: Mapping[str, Given]) -> list[Question]:
    """The items to ask, in questionnaire order, given the answers so far (`asked_when`)."""
    values = {item: given.value for item, given in answers.items()}
    return [q for q in knowledge.questions.values() if q.applies(values)]


def progress(knowledge: Knowledge, seat: Seat, round_: int) -> tuple[int, int]:
    """(answered, asked) in `round_`: how far a participant is (an `unsure` is an answer; in
    round two an item counts once kept or revised)."""
    items = asked(knowledge, seat.round_answers(round_))
    touched = seat.answers[round_]
    return sum(1 for q in items if q.id in touched), len(items)


def finished(knowledge: Knowledge, seats: Sequence[Seat], round_: int) -> int:
    return sum(1 for seat in seats if _done(progress(knowledge, seat, round_)))


def _done(counts: tuple[int, int]) -> bool:
    return counts[0] == counts[1]
