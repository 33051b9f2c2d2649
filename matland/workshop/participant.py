"""One participant of a workshop, as read from a proposal file, a CSV row or the server."""

from __future__ import annotations

from datetime import datetime

from matland.core.model import Proposal
from matland.core.records import record


@record
class Participant:
    """One participant's answers, as read from a proposal file or a CSV row."""

    name: str
    role: str | None
    source: str  # `path`, or `path:row` for a CSV row
    proposal: Proposal
    at: tuple[int, int] = (1, 1)  # where the name stands in the source
    # The policy they said they assessed (a proposal's title, a survey's policy column);
    # None when the source does not say (a CSV without one): never left out as another's.
    policy: str | None = None
    submitted: datetime | None = None  # when the form was sent (a survey's timestamp)


def is_csv(path: str) -> bool:
    """A CSV of participants' answers (one a row), not a proposal file of one."""
    return path.lower().endswith(".csv")
