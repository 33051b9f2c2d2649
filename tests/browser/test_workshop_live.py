"""The live workshop in a real browser: Debian's chromium driven by Playwright for Python.

Eight participants on 360×740 phones, each in a browser context of their own, join by URL
and answer every item; one reloads half-way and carries on; the projector shows their dots
once revealed; round two revises; the export matches the store. The screenshots of the
trainer's guide are taken on the way: into docs/ (docs/workshop-*.png) with
MATLAND_UPDATE_SCREENSHOTS=1, else into the test's own folder, so that a run leaves the
checkout as it was. Everything on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

CHROMIUM = "/usr/bin/chromium"
DOCS = Path(__file__).parents[2] / "docs"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
NAMES = ["Asha", "Ben", "Chloe", "Dev", "Ema", "Finn", "Gita", "Hal"]
Run = Callable[..., Result]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason=f"no {CHROMIUM} (apt-get install chromium)"
    ),
]


def value_for(person: int, item: int, question: Any) -> str:
    """Half the room low and half high on the conflict items (a split); spread elsewhere."""
    if question.type == "bool":
        return "no"
    if question.type == "count":
        return "3"
    if question.group == "conflict":
        return str([1, 2, 1, 2, 4, 5, 4, 5][person])
    return str(1 + (person + item) % 5)


def answer_item(page: Any, question: Any, value: str) -> None:
    if question.type == "count":
        page.fill("#count", value)
        page.press("#count", "Tab")  # a typed number is sent when the field is left
    else:
        page.check(f"input[name=value][value='{value}']")
    page.wait_for_selector("#status:has-text('Saved')")  # saved as given, before moving on
    page.click("button[value=next]")


def test_a_room_of_phones_the_projector_and_round_two(
    tmp_path: Path, serve_workshop: Any, knowledge: Any, run_cli: Run
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    shots = DOCS if os.environ.get("MATLAND_UPDATE_SCREENSHOTS") == "1" else tmp_path
    store = tmp_path / "store"
    server = serve_workshop(store, extra=("--rounds", "2"))
    url, code = server.url, server.lines["code"]
    asked = [q for q in knowledge.questions.values() if not q.asked_when]
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        wall = browser.new_context(viewport={"width": 1280, "height": 800})
        projector = wall.new_page()
        projector.goto(f"{url}/projector")
        facilitator = wall.new_page()
        facilitator.goto(server.lines["facilitator"])
        phones = []
        for name in NAMES:
            page = browser.new_context(viewport=PHONE).new_page()
            page.goto(f"{url}/?code={code}")  # the QR code's URL
            page.fill("#name", name)
            page.check("input[name=role][value=a]")
            page.click("button[type=submit]")
            page.wait_for_url(re.compile(r"/answer/"))
            phones.append(page)
        for index, question in enumerate(asked):
            for person, page in enumerate(phones):
                assert page.url.endswith(f"/answer/{question.id}"), page.url
                if person == 2 and index == len(asked) // 2:
                    page.reload()  # a phone that slept, or a reload: it carries on here
                    assert page.url.endswith(f"/answer/{question.id}")
                if person == 0 and index == 1:
                    page.check("input[name=value][value='2']")
                    page.wait_for_selector("#status:has-text('Saved')")
                    page.screenshot(path=str(shots / "workshop-phone.png"))
                answer_item(page, question, value_for(person, index, question))
        for page in phones:
            page.wait_for_url(re.compile(r"/done$"))
        projector.wait_for_selector("[data-finished='8']")
        facilitator.click("button[value=reveal]")
        dots = projector.locator("#part-board .marker.participant")
        dots.nth(7).wait_for()  # the stream brought the matrix in, one dot a participant
        assert dots.count() == 8
        assert "Contested items" in projector.inner_text("#part-board")
        projector.screenshot(path=str(shots / "workshop-projector.png"), full_page=True)

        facilitator.click("button[value=open2]")
        first = phones[0]
        first.goto(f"{url}/answer")
        assert "The group in round one" in first.inner_text("main")
        contested = first.url.rsplit("/", 1)[1]
        first.check("input[name=value][value='3']")
        first.fill("#reason", "the others' view of the goals convinced me")
        first.wait_for_selector("#status:has-text('Saved')")
        first.screenshot(path=str(shots / "workshop-phone-round2.png"), full_page=True)
        first.click("button[value=next]")
        facilitator.click("button[value=close]")
        facilitator.click("button[value=export]")
        assert "Exported" in facilitator.inner_text("main")
        browser.close()
    assert server.stop()[0] == 0

    (folder,) = (store / "exports").glob("round2-*")
    from_store = json.loads(
        run_cli("workshop", str(store), "--round", "2", "--format", "json").stdout
    )
    from_files = json.loads(run_cli("workshop", str(folder), "--format", "json").stdout)
    assert len(from_store["participants"]) == 8
    assert from_store["items"] == from_files["items"] and from_store["group"] == from_files["group"]
    first_round = json.loads(
        run_cli("workshop", str(store), "--round", "1", "--format", "json").stdout
    )
    assert first_round["items"][contested]["disagreement"]  # round two asks contested items first
    assert from_store["items"][contested]["n"] == 8
    assert from_store["items"][contested] != first_round["items"][contested]  # Asha revised
