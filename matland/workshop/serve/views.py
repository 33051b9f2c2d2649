"""What the pages show, worked out from the session: the templates (Jinja, autoescaped), the
parts of the live pages (each a piece of HTML the stream sends when it changes), the
matrix with each participant inside their own quadrant, the QR code of the join URL.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from matland.core.knowledge import Knowledge
from matland.core.records import record
from matland.render.htmlkit import MARKER_RADIUS, SIZE, Marker, matrix_svg
from matland.workshop.aggregate import Workshop
from matland.workshop.seats import finished
from matland.workshop.serve.session import Session

SPREAD_RINGS = 40


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("matland.workshop.serve", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["ago"] = ago
    return env


def ago(at: float) -> str:
    if not at:
        return "—"
    seconds = int(time.time() - at)
    if seconds < 60:
        return f"{seconds} s"
    return f"{seconds // 60} min"


@record
class Links:
    join: str  # the URL to type
    join_qr: str  # the URL in the QR code (with the code filled in)
    facilitator: str


# ------------------------------------------------------------------ the matrix


def in_quadrants(
    points: Sequence[tuple[float, float, str]], knowledge: Knowledge
) -> list[tuple[float, float]]:
    """Each point (ambiguity, conflict, paradigm) moved the least needed to stand clear of
    the others, never across a paradigm line: a dot shows its true quadrant."""
    mid = knowledge.classification.midpoint
    gap = (2 * MARKER_RADIUS + 1) / SIZE * 100 * 1.02  # in score units, a hair over a dot
    edge = (MARKER_RADIUS + 1) / SIZE * 100
    placed: list[tuple[float, float]] = []
    for ambiguity, conflict, paradigm in points:
        p = knowledge.paradigms[paradigm]
        a_box = (edge, mid - edge) if p.ambiguity == "low" else (mid + edge, 100 - edge)
        c_box = (edge, mid - edge) if p.conflict == "low" else (mid + edge, 100 - edge)
        spot = _clamp(ambiguity, a_box), _clamp(conflict, c_box)
        for ring in range(SPREAD_RINGS):
            slots = max(1, 6 * ring)
            candidates = [
                (
                    _clamp(ambiguity + ring * gap * math.sin(2 * math.pi * s / slots), a_box),
                    _clamp(conflict + ring * gap * math.cos(2 * math.pi * s / slots), c_box),
                )
                for s in range(slots)
            ]
            free = [c for c in candidates if all(math.dist(c, q) >= gap for q in placed)]
            if free:
                spot = free[0]
                break
        placed.append(spot)
    return placed


def _clamp(value: float, box: tuple[float, float]) -> float:
    low, high = box
    return min(max(value, low), max(low, high))


def matrix(workshop: Workshop, knowledge: Knowledge, anonymous: bool) -> Markup:
    group = workshop.group.assessment.placement
    people = [
        (r, r.assessment.placement)
        for r in workshop.participants
        if r.assessment.placement.classifiable and r.assessment.placement.paradigm
    ]
    points: list[tuple[float, float, str]] = []
    if group.classifiable and group.paradigm:
        points.append((group.ambiguity.score or 0, group.conflict.score or 0, group.paradigm))
    points += [(p.ambiguity.score or 0, p.conflict.score or 0, p.paradigm or "") for _, p in people]
    spots = in_quadrants(points, knowledge)
    markers = []
    offset = 1 if group.classifiable and group.paradigm else 0
    for number, ((result, place), (a, c)) in enumerate(zip(people, spots[offset:], strict=True), 1):
        who = f"P{number}" if anonymous else result.name
        markers.append(
            Marker(
                a,
                c,
                "" if anonymous else str(number),
                f"{who}: {place.paradigm}",
                data={"paradigm": place.paradigm or ""},
            )
        )
    if offset:
        a, c = spots[0]
        markers.append(
            Marker(
                a,
                c,
                "",
                f"the group: {group.paradigm}",
                kind="group",
                data={"paradigm": group.paradigm or ""},
            )
        )
    return Markup(matrix_svg(knowledge, markers, label="The room in the matrix"))


# ------------------------------------------------------------------ the live pages


def qr_svg(url: str) -> Markup:
    import segno

    svg = segno.make(url, error="m").svg_inline(scale=6, border=2, dark="#1d2329")
    return Markup(svg)


def contested(workshop: Workshop, knowledge: Knowledge) -> list[dict[str, Any]]:
    items = []
    for item_id in workshop.group.disagreement.contested:
        spread = workshop.items[item_id]
        items.append(
            {
                "id": item_id,
                "text": knowledge.questions[item_id].text,
                "n": spread.n,
                "low": spread.low,
                "high": spread.high,
                "median": spread.median,
                "iqr": spread.iqr,
            }
        )
    return items


def projector_parts(session: Session, pages: Environment, links: Links) -> Mapping[str, Any]:
    def make() -> Mapping[str, Any]:
        state = session.state
        active = state.active()
        counts = {
            "joined": len(active),
            "finished": finished(session.knowledge, active, state.round),
            "round": state.round,
            "revealed": state.revealed,
        }
        parts = pages.get_template("parts.html").module
        context: dict[str, Any] = {"counts": counts, "settings": session.settings}
        shown: dict[str, Any] = {"status": counts, "counts": str(parts.counts(**context))}  # type: ignore[attr-defined]
        if state.revealed:
            workshop = session.current()
            people = (
                []
                if session.settings.anonymous
                else [
                    {"number": n, "name": r.name, "paradigm": r.assessment.placement.paradigm}
                    for n, r in enumerate(workshop.participants, 1)
                ]
            )
            shown["board"] = str(
                parts.revealed(  # type: ignore[attr-defined]
                    matrix=matrix(workshop, session.knowledge, session.settings.anonymous),
                    group=workshop.group.assessment.placement,
                    contested=contested(workshop, session.knowledge),
                    people=people,
                    **context,
                )
            )
        else:
            shown["board"] = str(
                parts.blind(qr=qr_svg(links.join_qr), links=links, **context)  # type: ignore[attr-defined]
            )
        return shown

    result: Mapping[str, Any] = session.cached("projector", make)
    return result


def facilitator_parts(
    session: Session, pages: Environment, csrf: str, base: str
) -> Mapping[str, Any]:
    state = session.state
    rows = [
        {
            "id": seat.id,
            "label": seat.label(session.settings.anonymous),
            "role": seat.role,
            "progress": session.progress(seat),
            "last": seat.last_at,
            "removed": seat.removed,
        }
        for seat in state.seats.values()
    ]
    parts = pages.get_template("parts.html").module
    return {
        "people": str(parts.people(rows=rows, csrf=csrf, base=base)),  # type: ignore[attr-defined]
        "phase": str(
            parts.phase(state=state, settings=session.settings, csrf=csrf, base=base)  # type: ignore[attr-defined]
        ),
    }
