"""The HTML reports' structure, read with html.parser: self-contained (no external URL, no
script), printable on A4, the matrix with its four paradigms, a marker for every participant,
and every piece of user text escaped."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import Result

from matland.core.assessment import FileResult, assess
from matland.core.knowledge import Knowledge
from matland.render import RENDERERS, RenderOptions, formats, renderer
from matland.render.workshop import WorkshopOptions, workshop_renderer
from matland.source.load import load_proposal
from matland.workshop.aggregate import Participant, aggregate, load_workshop_rules
from matland.workshop.participants import gather

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"
PARTICIPANTS = EXAMPLES / "workshop" / "participants"
URL_ATTRIBUTES = {"src", "href", "xlink:href", "action", "formaction", "poster", "srcset"}


class Page(HTMLParser):
    """Every start tag with its attributes, the text, and which tags sit inside svg#matrix."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.in_matrix: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._matrix_depth = 0
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if self._matrix_depth:
            self.in_matrix.append((tag, attributes))
        if tag == "svg" and attributes.get("id") == "matrix":
            self._matrix_depth = 1
        elif self._matrix_depth and tag == "svg":
            self._matrix_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._matrix_depth and tag == "svg":
            self._matrix_depth -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for t, attrs in self.tags if t == tag]

    def markers(self, kind: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.in_matrix if t == "g" and kind in (a.get("class") or "")]

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


def assert_self_contained(page: Page, raw: str) -> None:
    for tag, attrs in page.tags:
        assert tag not in ("script", "link", "iframe", "img", "object", "embed"), tag
        for name, value in attrs.items():
            if name in URL_ATTRIBUTES or name == "style":
                assert "//" not in (value or "") and "url(" not in (value or ""), (tag, name)
    # An address may stand only as the text of a reference, never where a page loads it.
    without_references = re.sub(r'<section class="references">.*?</section>', "", raw, flags=re.S)
    assert "http://" not in without_references and "https://" not in without_references
    assert "@import" not in raw and "url(" not in raw


def assert_printable(raw: str) -> None:
    assert "@page" in raw and "size: A4" in raw and "@media print" in raw


@pytest.fixture(scope="module")
def report_html(knowledge: Knowledge) -> str:
    path = str(EXAMPLES / "care-act-2014.yaml")
    proposal, errors = load_proposal(path, knowledge)
    assert proposal is not None, errors
    result = FileResult(path, assess(proposal, knowledge))
    return renderer("html")([result], RenderOptions(knowledge, "report"))


@pytest.fixture(scope="module")
def workshop_html(knowledge: Knowledge) -> tuple[str, list[Participant]]:
    people, errors = gather([str(PARTICIPANTS)], knowledge)
    assert errors == []
    w = aggregate(people, knowledge, load_workshop_rules(), by_role=True)
    return workshop_renderer("html")(w, WorkshopOptions(knowledge)), people


def test_html_is_a_report_format_only() -> None:
    assert RENDERERS["html"][1] == ("report",)
    assert "html" in formats("report") and "html" not in formats("check")


def test_report_page_is_self_contained_and_printable(report_html: str) -> None:
    page = Page(report_html)
    assert report_html.startswith("<!DOCTYPE html>")
    assert_self_contained(page, report_html)
    assert_printable(report_html)
    assert page.all("meta")[0] == {"charset": "utf-8"}


def test_report_page_draws_the_matrix_with_its_four_paradigms(report_html: str) -> None:
    page = Page(report_html)
    assert len([a for a in page.all("svg") if a.get("id") == "matrix"]) == 1
    quadrants = {
        a["data-paradigm"] for t, a in page.in_matrix if t == "rect" and "data-paradigm" in a
    }
    assert quadrants == {"administrative", "political", "experimental", "symbolic"}
    for label in ("ADMINISTRATIVE", "POLITICAL", "EXPERIMENTAL", "SYMBOLIC"):
        assert label in page.words
    (marker,) = page.markers("marker")
    assert marker["data-proposal"] == "Care Act 2014"


def test_report_page_shows_position_support_mix_risks_and_answers(report_html: str) -> None:
    words = Page(report_html).words
    for heading in (
        "Position in Matland's matrix",
        "Support mix",
        "Policy-failure risks",
        "Answers",
    ):
        assert heading in words
    assert "Experimental implementation" in words
    assert "Funding inadequate for the objectives" in words


def test_report_through_the_cli_prints_the_page(run_cli: Callable[..., Result]) -> None:
    result = run_cli("report", str(EXAMPLES / "troubled-families.yaml"), "--format", "html")
    assert result.exit_code == 0
    page = Page(result.stdout)
    assert "Troubled Families Programme" in page.words
    assert_self_contained(page, result.stdout)


def test_every_participant_has_a_marker_and_the_group_one(
    workshop_html: tuple[str, list[Participant]],
) -> None:
    raw, people = workshop_html
    page = Page(raw)
    assert_self_contained(page, raw)
    assert_printable(raw)
    markers = [m["data-participant"] for m in page.markers("participant")]
    assert sorted(markers) == sorted(p.name for p in people)
    assert len(page.markers("group")) == 1
    assert [m["data-scenario"] for m in page.markers("scenario")] == ["high"]


def test_workshop_page_shows_spread_disagreement_roles_support_and_risks(
    workshop_html: tuple[str, list[Participant]], knowledge: Knowledge
) -> None:
    raw, _ = workshop_html
    page = Page(raw)
    strips = [a["data-item"] for a in page.all("tr") if "data-item" in a]
    assert "goal_conflict" in strips and len(strips) == len(knowledge.questions)
    words = page.words
    assert "contested" in words and "Disagreement is a finding" in words
    assert "If the high answers were right" in words
    assert {a["data-role"] for a in page.all("tr") if "data-role" in a} == {
        "commissioner",
        "provider",
        "frontline",
        "carers' representative",
    }
    assert "The group's support mix" in words and "The group's policy-failure risks" in words


def test_user_text_is_escaped(knowledge: Knowledge, tmp_path: Path) -> None:
    evil = '<script>alert("x")</script> & "quotes"'
    text = (PARTICIPANTS / "grace-okafor.yaml").read_text()
    text = text.replace("name: Grace Okafor", f"name: '{evil}'")
    text = text.replace('role: "provider"', "role: '<b onmouseover=x>'")
    text = text.replace("title: Neighbourhood care hubs", "title: '<img src=//x>'")
    (tmp_path / "evil.yaml").write_text(text)
    people, _ = gather([str(tmp_path)], knowledge)
    w = aggregate(people, knowledge, load_workshop_rules(), by_role=True)
    raw = workshop_renderer("html")(w, WorkshopOptions(knowledge))
    page = Page(raw)
    assert "<script>" not in raw and "<img" not in raw and "<b onmouseover" not in raw
    assert not page.all("script") and not page.all("img")
    assert [m["data-participant"] for m in page.markers("participant")] == [evil]
    assert evil in page.words
