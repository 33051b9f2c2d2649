"""The workshop matrix tells the truth: every marker is drawn inside the quadrant its scores
fall in (a dense workshop of sixty, many on or near the lines), the drawing scales, colours
are the same every run, the text matrix counts what shares a cell."""

from __future__ import annotations

import random
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from matland.core.knowledge import Knowledge
from matland.core.yamlpos import parse
from matland.render.workshop import WorkshopOptions, workshop_renderer
from matland.render.workshop.html import role_colours
from matland.source.load import proposal_from_document
from matland.workshop.aggregate import Participant, Workshop, aggregate, load_workshop_rules

ROLES = ["commissioner", "provider", "frontline", "carer", None]


def dense(knowledge: Knowledge, n: int = 60, seed: int = 18) -> list[Participant]:
    """Sixty participants answering mostly 2-4 around the middle: many score exactly 50 (on a
    line) or within a few points of one."""
    rng = random.Random(seed)
    items = [*knowledge.dimension_items("ambiguity"), *knowledge.dimension_items("conflict")]
    people = []
    for i in range(n):
        centre = rng.choice([3, 3, 3, 2, 4])
        answers = {q: min(5, max(1, centre + rng.choice([-1, 0, 0, 0, 1]))) for q in items}
        if i % 4 == 0:
            answers = dict.fromkeys(items, 3)  # exactly on both lines
        data = {"matland": 1, "policy": {"title": "Hubs"}, "answers": answers}
        proposal, errors = proposal_from_document(
            f"p{i}.yaml", parse(yaml.safe_dump(data)), knowledge
        )
        assert proposal is not None, errors
        people.append(Participant(f"P{i + 1}", ROLES[i % len(ROLES)], f"p{i}.yaml", proposal))
    return people


class Svg(HTMLParser):
    """The quadrants' rectangles and every marker's drawn centre and scores in svg#matrix."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.quadrants: dict[str, tuple[float, float, float, float]] = {}
        self.markers: list[dict[str, str]] = []
        self.svg: dict[str, str] = {}
        self._inside = False
        self._marker: dict[str, str] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "svg" and a.get("id") == "matrix":
            self._inside, self.svg = True, a
        if not self._inside:
            return
        if tag == "rect" and a.get("class") == "quadrant":
            x, y, w, h = (float(a[k]) for k in ("x", "y", "width", "height"))
            self.quadrants[a["data-paradigm"]] = (x, y, x + w, y + h)
        elif tag == "g" and "marker" in a.get("class", ""):
            self._marker = a
            self.markers.append(a)
        elif self._marker is not None and tag == "circle":
            self._marker |= {"x": a["cx"], "y": a["cy"], "r": a["r"]}
        elif self._marker is not None and tag == "polygon":
            points = [tuple(map(float, p.split(","))) for p in a["points"].split()]
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            r = (max(xs) - min(xs)) / 2
            self._marker |= {"x": str(sum(xs) / 4), "y": str(sum(ys) / 4), "r": str(r)}

    def handle_endtag(self, tag: str) -> None:
        if tag == "g":
            self._marker = None
        if tag == "svg":
            self._inside = False


def allowed_region(
    svg: Svg, knowledge: Knowledge, ambiguity: float, conflict: float
) -> tuple[str, tuple[float, float, float, float]]:
    """The quadrant the scores give, as a rectangle; a score on a line (a tie: undecided, or
    decided only by evidence the drawing does not see) may sit on that line, so its region
    spans the quadrants on both sides."""
    rules = knowledge.classification
    mid, within = rules.midpoint, rules.ties.within

    def sides(score: float) -> tuple[str, ...]:
        if abs(score - mid) < within:
            return ("low", "high")
        return ("high",) if score > mid else ("low",)

    names = [
        p.id
        for p in knowledge.paradigms.values()
        if p.ambiguity in sides(ambiguity) and p.conflict in sides(conflict)
    ]
    boxes = [svg.quadrants[name] for name in names]
    region = (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
    return "/".join(names), region


def crossings(html: str, knowledge: Knowledge) -> tuple[int, int, list[str]]:
    """(markers, markers not wholly inside their own quadrant, what is wrong with each)."""
    svg = Svg(html)
    wrong = []
    for m in svg.markers:
        x, y, r = float(m["x"]), float(m["y"]), float(m["r"])
        want, (left, top, right, bottom) = allowed_region(
            svg, knowledge, float(m["data-ambiguity"]), float(m["data-conflict"])
        )
        if not (left + r <= x <= right - r and top + r <= y <= bottom - r):
            wrong.append(f"{m.get('data-participant') or m['class']} at {x},{y} not in {want}")
    return len(svg.markers), len(wrong), wrong


@pytest.fixture(scope="module")
def dense_workshop(knowledge: Knowledge) -> Workshop:
    return aggregate(dense(knowledge), knowledge, load_workshop_rules(), by_role=True)


def test_every_marker_of_a_dense_workshop_is_drawn_inside_its_own_quadrant(
    dense_workshop: Workshop, knowledge: Knowledge
) -> None:
    html = workshop_renderer("html")(dense_workshop, WorkshopOptions(knowledge))
    drawn, crossing, wrong = crossings(html, knowledge)
    on_line = sum(50 in p.assessment.placement.scores.values() for p in dense_workshop.participants)
    assert on_line >= 15  # the test means something: many sit exactly on a line
    assert drawn == 60 + 1  # every participant and the group (nothing contested)
    assert crossing == 0, wrong


def test_markers_stay_near_their_true_position(
    dense_workshop: Workshop, knowledge: Knowledge
) -> None:
    svg = Svg(workshop_renderer("html")(dense_workshop, WorkshopOptions(knowledge)))
    (left, top, _, _) = svg.quadrants["administrative"]
    (_, _, right, _) = svg.quadrants["political"]
    size = right - left
    for m in svg.markers:
        true_x = left + float(m["data-conflict"]) / 100 * size
        true_y = top + float(m["data-ambiguity"]) / 100 * size
        moved = ((float(m["x"]) - true_x) ** 2 + (float(m["y"]) - true_y) ** 2) ** 0.5
        assert moved <= size / 2, (m, moved)  # never thrown across the page


def test_the_matrix_scales_to_its_column(dense_workshop: Workshop, knowledge: Knowledge) -> None:
    html = workshop_renderer("html")(dense_workshop, WorkshopOptions(knowledge))
    svg = Svg(html).svg
    assert "viewBox" in {k.lower(): v for k, v in svg.items()} or "viewbox" in svg
    assert "width" not in svg and "height" not in svg  # no fixed 480 px
    assert re.search(r"svg\.matrix \{[^}]*width: 100%", html)


def test_role_colours_do_not_depend_on_the_order_of_the_files(
    dense_workshop: Workshop, knowledge: Knowledge
) -> None:
    people = [r.participant for r in dense_workshop.participants]
    turned = aggregate(people[::-1], knowledge, load_workshop_rules())
    assert role_colours(turned) == role_colours(dense_workshop)
    html = workshop_renderer("html")(dense_workshop, WorkshopOptions(knowledge))
    key = re.search(r'<ul class="key".*?</ul>', html)
    assert key is not None
    for role in ("carer", "commissioner", "frontline", "provider", "(no role given)"):
        assert role in key.group(0)


def test_the_text_matrix_counts_the_participants_that_share_a_cell(
    dense_workshop: Workshop, knowledge: Knowledge
) -> None:
    text = workshop_renderer("text")(dense_workshop, WorkshopOptions(knowledge))
    listed = re.findall(r"^  (?:[a-z*]|◆ shares its cell with): ?(\d+) participants?", text, re.M)
    listed += re.findall(r"^  ◆ shares its cell with (\d+) participants?", text, re.M)
    matrix = text.split("┌", 1)[1].split("└", 1)[0]
    alone = len(
        re.findall(
            r"[1-9A-Z]",
            matrix.replace("EXPERIMENTAL", "")
            .replace("ADMINISTRATIVE", "")
            .replace("POLITICAL", "")
            .replace("SYMBOLIC", ""),
        )
    )
    assert alone + sum(int(n) for n in listed) == 60


def test_a_scenario_where_the_group_already_is_is_not_drawn_twice(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    # Contested only on an item outside the classification: the high answers move nothing.
    people = []
    for i, v in enumerate([1, 1, 1, 5, 5, 5]):
        answers = {"funding_gap": v, "goal_conflict": 3, "stakes": 3, "means_conflict": 3}
        answers |= {"goal_ambiguity": 4, "means_ambiguity": 4, "evidence_gap": 4}
        data = {"matland": 1, "policy": {"title": "Hubs"}, "answers": answers}
        proposal, _ = proposal_from_document(f"{i}.yaml", parse(yaml.safe_dump(data)), knowledge)
        assert proposal is not None
        people.append(Participant(f"P{i}", None, f"{i}.yaml", proposal))
    w = aggregate(people, knowledge, load_workshop_rules())
    assert w.group.disagreement.contested == ("funding_gap",)
    html = workshop_renderer("html")(w, WorkshopOptions(knowledge))
    kinds = [m["class"] for m in Svg(html).markers]
    assert kinds.count("marker scenario") == 0 and kinds.count("marker group") == 1
    assert "would not move it" in html
