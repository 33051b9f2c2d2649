"""The live workshop through Starlette's test client: joining, saving, resuming, round two,
export, every bad input and the security rules. The server is never started here (see
tests/acceptance/test_serve_process.py and tests/browser/ for that)."""

from __future__ import annotations

import asyncio
import html
import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from starlette.testclient import TestClient

from matland.core.knowledge import Knowledge
from matland.workshop.aggregate import load_workshop_rules
from matland.workshop.serve.app import create_app
from matland.workshop.serve.events import Broadcaster, stream
from matland.workshop.serve.security import Hosts
from matland.workshop.serve.session import Session
from matland.workshop.serve.views import Links, in_quadrants
from matland.workshop.store import Settings, Store

ORIGIN = "http://testserver"
ROLES = ("commissioner", "provider", "front line")
Run = Callable[..., Result]
HOSTILE = ("<script>alert(1)</script>", '"><img src=x onerror=alert(2)>')


class Room:
    """A workshop served to test clients (one client a phone)."""

    def __init__(self, path: Path, knowledge: Knowledge, **settings: Any) -> None:
        self.dir = path
        self.store = Store.create(str(path), Settings("Care hubs", ROLES, **settings))
        self.session = Session(self.store, knowledge, load_workshop_rules())
        self.settings = self.store.state.settings
        self.base = f"/facilitator/{self.settings.facilitator}"
        links = Links(f"{ORIGIN}/", f"{ORIGIN}/?code={self.settings.code}", ORIGIN + self.base)
        self.app, self.broadcaster = create_app(self.session, links, Hosts.of(["testserver"], 80))

    def client(self) -> TestClient:
        return TestClient(self.app, headers={"origin": ORIGIN})

    def phone(self, name: str = "Ann", role: str = "provider") -> Phone:
        phone = Phone(self.client())
        response = phone.post("/join", code=self.settings.code, name=name, role=role)
        assert response.status_code == 303, response.text
        return phone

    def facilitator(self, action: str, **extra: str) -> Any:
        client = Phone(self.client())
        return client.post(f"{self.base}/act", page=self.base, action=action, **extra)

    def events(self) -> int:
        db = sqlite3.connect(self.store.path)
        try:
            count: int = db.execute("SELECT count(*) FROM events").fetchone()[0]
        finally:
            db.close()
        return count


class Phone:
    def __init__(self, client: TestClient) -> None:
        self.client = client

    def csrf(self, page: str = "/") -> str:
        """The token the page's forms carry (the browser's CSRF cookie, set by any page)."""
        token = self.client.cookies.get("matland_csrf")
        if token is None:
            found = re.search(r'name="csrf" value="([^"]+)"', self.client.get(page).text)
            assert found, page
            token = found.group(1)
        return str(token)

    def post(self, url: str, page: str = "/", json_: bool = False, **data: str) -> Any:
        headers = {"accept": "application/json"} if json_ else {}
        fields = {"csrf": self.csrf(page), **data}
        return self.client.post(url, data=fields, headers=headers, follow_redirects=False)

    def answer(self, item: str, value: str, **extra: str) -> Any:
        return self.post(f"/answer/{item}", page="/", json_=True, value=value, **extra)


@pytest.fixture
def room(tmp_path: Path, knowledge: Knowledge) -> Iterator[Room]:
    made = Room(tmp_path / "store", knowledge, rounds=2)
    yield made
    made.store.close()


def answer_all(phone: Phone, knowledge: Knowledge, value: Callable[[str], str]) -> None:
    for question in knowledge.questions.values():
        if question.asked_when:
            continue  # pilot is answered no below, so pilot_dual_purpose is not asked
        kind = question.type
        raw = {"bool": "no", "count": "3"}.get(kind) or value(question.id)
        response = phone.answer(question.id, raw)
        assert response.status_code == 200, response.text


# ------------------------------------------------------------------ joining and saving


def test_joining_needs_the_code_and_a_listed_role(room: Room) -> None:
    phone = Phone(room.client())
    wrong = phone.post("/join", code="AAAAAA", name="Ann", role="provider")
    assert wrong.status_code == 403 and "not this workshop's code" in html.unescape(wrong.text)
    no_role = phone.post("/join", code=room.settings.code, name="Ann", role="boss")
    assert no_role.status_code == 400 and "roles listed" in no_role.text
    assert room.events() == 0
    ok = phone.post("/join", code=room.settings.code.lower(), name="Ann", role="provider")
    assert ok.status_code == 303 and ok.headers["location"] == "/answer"
    assert "matland_seat" in ok.headers["set-cookie"] and "HttpOnly" in ok.headers["set-cookie"]
    assert room.events() == 1


def test_the_join_code_has_six_characters_and_no_look_alikes(room: Room) -> None:
    code = room.settings.code
    assert len(code) == 6 and not set(code) & set("O0I1LS5Z2B8")


def test_each_answer_is_committed_before_it_is_acknowledged(room: Room) -> None:
    phone = room.phone()
    response = phone.answer("goal_ambiguity", "4", note="pilots first")
    assert response.json() == {"saved": True, "item": "goal_ambiguity", "done": 1, "total": 37}
    reopened = Store.open(str(room.dir), write=False)  # another connection: on disk already
    (seat,) = reopened.state.seats.values()
    given = seat.answers[1]["goal_ambiguity"]
    assert (given.value, given.note) == (4, "pilots first")
    reopened.close()


def test_the_same_answer_sent_again_is_stored_once(room: Room) -> None:
    phone = room.phone()
    phone.answer("goal_ambiguity", "4")
    before = room.events()
    assert phone.answer("goal_ambiguity", "4").status_code == 200
    assert room.events() == before


def test_without_scripts_the_form_posts_and_goes_to_the_next_item(room: Room) -> None:
    phone = room.phone()
    page = phone.client.get("/answer", follow_redirects=True)
    assert page.url.path == "/answer/goal_ambiguity" and 'method="post"' in page.text
    response = phone.post("/answer/goal_ambiguity", value="2", go="next")
    assert response.status_code == 303 and response.headers["location"] == "/answer/means_ambiguity"
    back = phone.post("/answer/means_ambiguity", value="3", go="back")
    assert back.headers["location"] == "/answer/goal_ambiguity"


def test_a_returning_phone_carries_on_where_it_was(room: Room, knowledge: Knowledge) -> None:
    phone = room.phone()
    phone.answer("goal_ambiguity", "2")
    phone.answer("means_ambiguity", "3")
    again = TestClient(room.app, headers={"origin": ORIGIN}, cookies=phone.client.cookies)
    page = again.get("/", follow_redirects=True)
    third = list(knowledge.questions)[2]
    assert page.url.path == f"/answer/{third}"
    assert "2 of 37 answered" in re.sub("<[^>]+>", "", page.text)


def test_the_questionnaire_is_the_knowledge_bases_with_asked_when(
    room: Room, knowledge: Knowledge
) -> None:
    phone = room.phone()
    page = phone.client.get("/answer/goal_ambiguity").text
    question = knowledge.questions["goal_ambiguity"]
    page = html.unescape(page)
    assert question.text in page
    assert all(anchor in page for anchor in (question.anchors or {}).values())
    phone.answer("pilot", "no")
    refused = phone.answer("pilot_dual_purpose", "yes")
    assert refused.status_code == 409 and "not asked" in refused.json()["error"]
    phone.answer("pilot", "yes")
    assert phone.answer("pilot_dual_purpose", "unsure").status_code == 200


@pytest.mark.parametrize(
    ("item", "value", "status", "said"),
    [
        ("goal_ambiguity", "9", 400, "outside 1–5"),
        ("goal_ambiguity", "", 400, "no answer given"),
        ("pilot", "3", 400, "not a yes/no answer"),
        ("implementing_bodies", "0", 400, "not a positive count"),
        ("no_such_item", "3", 404, "There is no item"),
    ],
)
def test_a_bad_answer_is_refused_with_a_message_and_nothing_stored(
    room: Room, item: str, value: str, status: int, said: str
) -> None:
    phone = room.phone()
    before = room.events()
    response = phone.answer(item, value)
    assert response.status_code == status and said in response.json()["error"]
    assert room.events() == before


def test_a_bad_answer_without_scripts_shows_the_item_again_with_the_message(room: Room) -> None:
    phone = room.phone()
    response = phone.post("/answer/goal_ambiguity", value="7")
    assert response.status_code == 400 and "outside 1–5" in response.text
    assert 'name="value"' in response.text


def test_n_a_is_offered_and_kept_only_where_an_item_may_not_apply(room: Room) -> None:
    phone = room.phone()
    placing = phone.client.get("/answer/goal_conflict").text
    funding = phone.client.get("/answer/funding_gap").text
    bodies = phone.client.get("/answer/implementing_bodies").text
    assert 'value="n/a"' not in placing and "Does not apply" not in placing
    assert 'value="n/a"' in funding and 'name="na"' in bodies
    assert phone.answer("funding_gap", "n/a").status_code == 200
    assert phone.post("/answer/implementing_bodies", na="1", go="next").status_code == 303
    refused = phone.answer("goal_conflict", "n/a")
    assert refused.status_code == 400 and "twelve items" in refused.json()["error"]
    reopened = Store.open(str(room.dir), write=False)
    (seat,) = reopened.state.seats.values()
    assert seat.answers[1]["funding_gap"].value == "n/a"
    assert seat.answers[1]["implementing_bodies"].value == "n/a"
    assert "goal_conflict" not in seat.answers[1]
    reopened.close()
    again = phone.client.get("/answer/funding_gap").text
    assert re.search(r'value="n/a"\s+checked', again)


# ------------------------------------------------------------------ security


def test_a_forged_or_missing_participant_token_writes_nothing(room: Room) -> None:
    room.phone()
    before = room.events()
    forged = TestClient(room.app, headers={"origin": ORIGIN}, cookies={"matland_seat": "x" * 32})
    stranger = Phone(forged)
    response = stranger.answer("goal_ambiguity", "3")
    assert response.status_code == 401 and "Join the workshop first" in response.json()["error"]
    assert room.events() == before


def test_every_post_needs_the_csrf_token_and_this_servers_origin(room: Room) -> None:
    phone = room.phone()
    before = room.events()
    no_token = phone.client.post(
        "/answer/goal_ambiguity", data={"value": "3"}, headers={"accept": "application/json"}
    )
    assert no_token.status_code == 403
    elsewhere = phone.client.post(
        "/answer/goal_ambiguity",
        data={"value": "3", "csrf": phone.csrf()},
        headers={"origin": "http://evil.example"},
    )
    assert elsewhere.status_code == 403 and "did not come from" in elsewhere.text
    no_origin = TestClient(room.app, cookies=phone.client.cookies).post(
        "/answer/goal_ambiguity", data={"value": "3", "csrf": phone.csrf()}
    )
    assert no_origin.status_code == 403
    assert room.events() == before


def test_requests_under_another_host_name_are_refused(room: Room) -> None:
    response = room.client().get("/", headers={"host": "attacker.example"})
    assert response.status_code == 421


def test_a_huge_body_is_refused_and_the_server_goes_on(room: Room) -> None:
    phone = room.phone()
    before = room.events()
    huge = phone.client.post(
        "/answer/goal_ambiguity",
        content=b"value=3&note=" + b"x" * 100_000,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert huge.status_code == 413
    assert room.events() == before
    assert phone.answer("goal_ambiguity", "3").status_code == 200


def test_pages_allow_nothing_from_outside_the_laptop(room: Room) -> None:
    client = room.client()
    for url in ("/", "/projector", room.base, "/static/app.css"):
        csp = client.get(url).headers["content-security-policy"]
        assert "default-src 'none'" in csp and "http" not in csp and "unsafe" not in csp
    page = client.get("/").text
    assert not re.search(r"(src|href)=\"(https?:)?//", page)


def test_static_files_come_only_from_the_package(room: Room) -> None:
    client = room.client()
    assert client.get("/static/participant.js").status_code == 200
    for name in ("..%2Fstore.py", "../app.py", "nope.js", "%2e%2e/%2e%2e/workshop.sqlite"):
        assert client.get(f"/static/{name}").status_code == 404


def test_the_facilitator_pages_need_the_token(room: Room) -> None:
    client = room.client()
    assert client.get("/facilitator/guess").status_code == 404
    assert client.get(f"/facilitator/{'x' * 32}/report.html").status_code == 404
    phone = Phone(client)
    forged = phone.post("/facilitator/guess/act", action="reveal")
    assert forged.status_code == 404 and not room.session.state.revealed


def test_each_seat_is_rate_limited_not_each_address(
    room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    from types import SimpleNamespace

    from matland.workshop.serve import session

    first, second = room.phone("Ann"), room.phone("Bea")
    # the clock stands still: a loaded machine's slow requests refill no tokens meanwhile
    monkeypatch.setattr(session, "time", SimpleNamespace(monotonic=lambda: 1000.0))
    codes = [first.client.get("/answer/goal_ambiguity").status_code for _ in range(70)]
    assert codes.count(200) == session.SEAT_BURST and codes.count(429) == 70 - session.SEAT_BURST
    assert second.client.get("/answer/goal_ambiguity").status_code == 200


@pytest.mark.parametrize("hostile", HOSTILE)
def test_names_and_notes_are_escaped_on_every_page(room: Room, hostile: str) -> None:
    phone = room.phone(name=hostile)
    phone.answer("goal_ambiguity", "4", note=hostile)
    room.facilitator("reveal")
    client = room.client()
    pages = [
        client.get(room.base).text,
        client.get("/projector").text,
        phone.client.get("/answer/goal_ambiguity").text,
    ]
    for text in pages:
        assert hostile not in text and "<script>alert" not in text and "<img src=x" not in text
    assert "&lt;script&gt;" in pages[0] or "&#34;&gt;&lt;img" in pages[0]


# ------------------------------------------------------------------ the room


def test_the_projector_is_blind_until_reveal(room: Room, knowledge: Knowledge) -> None:
    for name, value in (("Ann", "1"), ("Bea", "5")):
        answer_all(room.phone(name), knowledge, lambda _, v=value: v)  # type: ignore[misc]
    blind = room.client().get("/projector").text
    assert 'data-joined="2"' in blind and 'data-finished="2"' in blind
    assert "Ann" not in blind and "<circle" not in blind and room.settings.code in blind
    room.facilitator("reveal")
    shown = room.client().get("/projector").text
    assert shown.count('class="marker participant"') == 2 and "Ann" in shown


def test_dots_never_leave_their_true_quadrant(knowledge: Knowledge) -> None:
    mid = knowledge.classification.midpoint
    crowd = [(mid + 0.1, mid - 0.1, "experimental")] * 30 + [
        (mid - 0.1, mid + 0.1, "political")
    ] * 30
    placed = in_quadrants(crowd, knowledge)
    for (a, c), (_, _, paradigm) in zip(placed, crowd, strict=True):
        p = knowledge.paradigms[paradigm]
        assert (a >= mid) == (p.ambiguity == "high") and (c >= mid) == (p.conflict == "high")


def test_the_facilitator_sees_progress_not_answers_and_can_remove(room: Room) -> None:
    phone = room.phone("Ann")
    phone.answer("goal_ambiguity", "4", note="a secret note")
    page = room.client().get(room.base).text
    assert "1 of 37" in page and "a secret note" not in page
    (seat,) = room.session.state.seats
    room.facilitator("remove", seat=seat)
    assert room.session.state.seats[seat].removed and room.events() == 3  # kept, marked
    refused = phone.answer("means_ambiguity", "3")
    assert refused.status_code == 403 and "removed" in refused.json()["error"]


def test_a_locked_workshop_takes_no_one_and_nothing(room: Room) -> None:
    phone = room.phone("Ann")
    room.facilitator("lock")
    assert phone.answer("goal_ambiguity", "3").status_code == 409
    late = Phone(room.client()).post("/join", code=room.settings.code, name="Cy", role="provider")
    assert late.status_code == 409


def test_the_stream_sends_a_snapshot_then_only_what_changed() -> None:
    async def run() -> list[dict[str, Any]]:
        broadcaster = Broadcaster()
        view = {"counts": "0", "board": "blind"}
        events = stream(broadcaster, lambda: dict(view))
        first = await anext(events)
        waiting = asyncio.ensure_future(anext(events))
        await asyncio.sleep(0.01)
        view["counts"] = "1"
        broadcaster.notify()
        second = await asyncio.wait_for(waiting, 5)
        broadcaster.stop()
        return [json.loads(e.split("data: ", 1)[1]) for e in (first, second)]

    snapshot, change = asyncio.run(run())
    assert snapshot == {"counts": "0", "board": "blind"} and change == {"counts": "1"}


# ------------------------------------------------------------------ round two and results


def two_rounds(room: Room, knowledge: Knowledge) -> list[Phone]:
    phones = [room.phone(n) for n in ("Ann", "Bea", "Cy", "Dee")]
    for phone, value in zip(phones, "1155", strict=True):
        answer_all(phone, knowledge, lambda _, v=value: v)  # type: ignore[misc]
    room.facilitator("open2")
    return phones


def test_round_two_shows_the_group_beside_each_answer_contested_first(
    room: Room, knowledge: Knowledge
) -> None:
    phones = two_rounds(room, knowledge)
    page = phones[0].client.get("/answer", follow_redirects=True)
    assert page.url.path == "/answer/goal_ambiguity"  # contested: every 1-5 item here
    assert "The group in round one" in page.text and "round two" in page.text
    assert "outside the middle half" not in page.text  # 1 is the group's q1
    response = phones[0].answer("goal_ambiguity", "3", reason="heard the others")
    assert response.status_code == 200
    seat = next(iter(room.session.state.seats.values()))
    given = seat.answers[2]["goal_ambiguity"]
    assert given.reason == "heard the others" and given.shown is not None
    assert given.shown["counts"] == {"1": 2, "2": 0, "3": 0, "4": 0, "5": 2}
    assert given.shown["own"] == 1 and given.shown["median"] == 3


def test_an_answer_outside_the_iqr_is_told_so(room: Room, knowledge: Knowledge) -> None:
    phones = [room.phone(n) for n in ("Ann", "Bea", "Cy", "Dee", "Eve")]
    for phone, value in zip(phones, "13335", strict=True):
        answer_all(phone, knowledge, lambda _, v=value: v)  # type: ignore[misc]
    room.facilitator("open2")
    page = phones[0].client.get("/answer/goal_ambiguity").text
    assert "outside the middle half" in page


def test_both_rounds_are_reported_with_stable_splits(room: Room, knowledge: Knowledge) -> None:
    phones = two_rounds(room, knowledge)
    for phone in phones[:2]:  # two move to the middle on one item; the rest stay split
        phone.answer("goal_ambiguity", "3")
    compared = room.session.rounds()
    assert compared is not None
    assert "goal_ambiguity" not in compared.stable_splits
    assert "means_ambiguity" in compared.stable_splits
    page = room.client().get(f"{room.base}/rounds").text
    assert "Stable splits" in page and "weighted kappa" in page.lower()


def test_export_reads_back_as_the_same_workshop(
    room: Room, knowledge: Knowledge, run_cli: Run
) -> None:
    phones = two_rounds(room, knowledge)
    phones[0].answer("goal_ambiguity", "3", note=HOSTILE[0], reason="moved")
    room.facilitator("close")
    result = run_cli("workshop", "export", str(room.dir))
    assert result.exit_code == 0, result.output
    exports = room.dir / "exports"
    for round_ in (1, 2):
        (folder,) = exports.glob(f"round{round_}-*")
        (table,) = exports.glob(f"answers-round{round_}-*.csv")
        from_store = json.loads(
            run_cli("workshop", str(room.dir), "--round", str(round_), "--format", "json").stdout
        )
        from_files = json.loads(run_cli("workshop", str(folder), "--format", "json").stdout)
        from_csv = json.loads(
            run_cli("workshop", str(table), "--format", "json", "--title", "Care hubs").stdout
        )
        for document in (from_store, from_files, from_csv):
            for p in document["participants"]:
                p.pop("source")
        assert from_store["items"] == from_files["items"]
        # The answers' CSV holds no notes (they are exported beside it, in notes-round*.csv)
        without_notes = {k: {**v, "notes": []} for k, v in from_store["items"].items()}
        assert without_notes == from_csv["items"]
        assert from_store["group"] == from_files["group"] == from_csv["group"]
        assert from_store["participants"] == from_files["participants"]
    notes = next(exports.glob("notes-round2-*.csv")).read_text()
    assert "moved" in notes and HOSTILE[0] in notes
    assert next(exports.glob("rounds-*.md")).read_text().count("stable split") >= 1


def test_an_anonymous_export_holds_no_name(room: Room, knowledge: Knowledge, run_cli: Run) -> None:
    two_rounds(room, knowledge)
    assert run_cli("workshop", "export", str(room.dir), "--anonymous").exit_code == 0
    for path in (room.dir / "exports").rglob("*"):
        if path.is_file():
            text = path.read_text()
            assert not any(name in text for name in ("Ann", "Bea", "Dee")), path


def test_an_anonymous_workshop_asks_no_name(tmp_path: Path, knowledge: Knowledge) -> None:
    room = Room(tmp_path / "anon", knowledge, anonymous=True)
    page = room.client().get("/").text
    assert 'name="name"' not in page
    phone = Phone(room.client())
    response = phone.post("/join", code=room.settings.code, name="Ann", role="provider")
    assert response.status_code == 303
    (seat,) = room.store.state.seats.values()
    assert seat.name == "" and seat.label(True) == "P1"
    room.store.close()
