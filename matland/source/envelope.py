"""A proposal's envelope checked without pydantic, for the plain files most are.

The pydantic models of core/proposalfile.py are the reference, and they decide every file
this check does not vouch for: it builds the records only when each value is of the plain
kind the model takes as it is (text with nothing to strip, a word of the list, a list, a
mapping with text keys), so the records are what the model would have made; on anything
else (a value to strip or coerce, a wrong type, a missing key) it answers None and the model
is asked, so its findings are the reference's. A warm check of a valid file so imports no
pydantic (tests/unit/test_envelope.py compares the two on every example and on variants).
"""

from __future__ import annotations

import re
from typing import Any, get_args

from matland.core.model import (
    AcceptedRisk,
    Action,
    Influence,
    Policy,
    ProposalFile,
    Respondent,
    Role,
    Stakeholder,
    Stance,
)

ROLES: frozenset[str] = frozenset(get_args(Role))
STANCES: frozenset[str] = frozenset(get_args(Stance))
INFLUENCE: frozenset[str] = frozenset(get_args(Influence))
# Python's str has them; pydantic (Rust strings) refuses them as text.
_SURROGATE = re.compile("[\ud800-\udfff]")


class _Doubt(Exception):
    """A value this check does not vouch for: the model is asked instead."""


def quick_envelope(data: dict[str, Any]) -> ProposalFile | None:
    """The envelope as the model makes it, or None when the model must decide."""
    try:
        return _envelope(data)
    except _Doubt:
        return None


def _envelope(data: dict[str, Any]) -> ProposalFile:
    matland = data["matland"]  # `matland: 1`, checked before (load.check_version)
    respondent = data.get("respondent")
    return ProposalFile(
        matland=matland,
        policy=_policy(_node(data.get("policy"))),
        answers=dict(_node(data.get("answers", {}), empty=True)),
        stakeholders=[_stakeholder(_node(item)) for item in _listed(data.get("stakeholders"))],
        support_plan=[_text(item) for item in _listed(data.get("support_plan"))],
        accepted_risks=[_accepted(_node(item)) for item in _listed(data.get("accepted_risks"))],
        lessons=[_text(item) for item in _listed(data.get("lessons"))],
        respondent=None if respondent is None else _respondent(_node(respondent)),
        actions=[_action(_node(item)) for item in _listed(data.get("actions"))],
    )


def _policy(node: dict[str, Any]) -> Policy:
    return Policy(
        title=_text(node.get("title")),
        summary=_optional(node.get("summary")),
        owner=_optional(node.get("owner")),
        jurisdiction=_optional(node.get("jurisdiction")),
    )


def _stakeholder(node: dict[str, Any]) -> Stakeholder:
    return Stakeholder(
        name=_text(node.get("name")),
        role=_word(node.get("role"), ROLES),  # type: ignore[arg-type]
        stance=_word(node.get("stance", "neutral"), STANCES),  # type: ignore[arg-type]
        influence=_word(node.get("influence", "medium"), INFLUENCE),  # type: ignore[arg-type]
    )


def _accepted(node: dict[str, Any]) -> AcceptedRisk:
    return AcceptedRisk(id=_text(node.get("id")), reason=_text(node.get("reason")))


def _respondent(node: dict[str, Any]) -> Respondent:
    return Respondent(name=_optional(node.get("name")), role=_optional(node.get("role")))


def _action(node: dict[str, Any]) -> Action:
    return Action(
        item=_text(node.get("item")),
        owner=_optional(node.get("owner")),
        due=_optional(node.get("due")),
        outcome=_optional(node.get("outcome")),
    )


def _node(value: Any, empty: bool = False) -> dict[str, Any]:
    """A mapping with text keys (`empty`: null means none, as `answers:` alone does)."""
    if value is None and empty:
        return {}
    if type(value) is not dict or not all(type(key) is str for key in value):
        raise _Doubt
    return value


def _listed(value: Any) -> list[Any]:
    """A list; null is an empty one (`stakeholders:` with every entry commented out)."""
    if value is None:
        return []
    if type(value) is not list:
        raise _Doubt
    return value


def _text(value: Any) -> str:
    """Text the model keeps as it is: not empty, nothing to strip. Python strips every
    character pydantic does and a few more (the ASCII separators), so text Python leaves
    alone pydantic leaves alone."""
    if type(value) is not str or not value or value.strip() != value:
        raise _Doubt
    return _optional(value)  # type: ignore[return-value]


def _optional(value: Any) -> str | None:
    if value is None:
        return None
    if type(value) is not str or _SURROGATE.search(value):
        raise _Doubt
    return value


def _word(value: Any, words: frozenset[str]) -> str:
    if type(value) is not str or value not in words:
        raise _Doubt
    return value
