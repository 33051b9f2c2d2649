"""`matland workshop serve` as a trainer starts it: its start-up lines, its one-line errors,
a clean Ctrl-C, and every acknowledged answer surviving SIGKILL. Real servers listen on
127.0.0.1 only, on a free port, and are always stopped."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import urllib.request
from collections.abc import Callable
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from click.testing import Result

from matland.core.knowledge import Knowledge
from matland.workshop.store import SCHEMA_VERSION, Settings, Store

Server = Callable[..., Any]

Run = Callable[..., Result]
START = ["workshop", "serve", "--bind", "127.0.0.1", "--title", "Hubs", "--roles", "a,b"]


def test_matland_version_does_not_import_the_web_stack() -> None:
    code = (
        "import sys, matland.cli.main; "
        "print(sorted(m for m in ('starlette', 'uvicorn', 'jinja2', 'segno') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_without_the_web_stack_serve_says_how_to_install_it(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("matland.cli.serve_deps.missing_web_stack", lambda: "starlette")
    result = run_cli(*START, "--store", str(tmp_path / "s"))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "matland: `workshop serve` needs starlette: pip install 'matland[serve]'"
    ]


def test_a_port_in_use_is_one_line_and_exit_2(run_cli: Run, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli(*START, "--store", str(tmp_path / "s"), "--port", str(port))
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert f"port {port} on 127.0.0.1 is in use" in line


def test_a_store_that_cannot_be_written_is_one_line_and_exit_2(
    run_cli: Run, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run_cli(*START, "--store", str(blocker / "store"))
    assert result.exit_code == 2
    assert result.stderr.startswith("matland: ") and "cannot create the store" in result.stderr
    assert "Traceback" not in result.output


def test_a_store_from_a_newer_matland_is_refused(run_cli: Run, tmp_path: Path) -> None:
    Store.create(str(tmp_path), Settings("Hubs", ("a",))).close()
    db = sqlite3.connect(tmp_path / "workshop.sqlite")
    with db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION + 1,))
    db.close()
    result = run_cli("workshop", "serve", "--bind", "127.0.0.1", "--store", str(tmp_path))
    assert result.exit_code == 2 and "newer than this matland reads" in result.stderr
    assert run_cli("workshop", str(tmp_path)).exit_code == 2


def test_a_proposal_with_errors_is_refused(run_cli: Run, tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("matland: 1\npolicy: {title: Hubs}\nanswers: {goal_ambiguity: 9}\n")
    result = run_cli("workshop", "serve", str(bad), "--roles", "a", "--store", str(tmp_path / "s"))
    assert result.exit_code == 2 and "outside 1–5" in result.stderr
    assert not (tmp_path / "s").exists()


def test_resuming_with_other_settings_is_refused(run_cli: Run, tmp_path: Path) -> None:
    Store.create(str(tmp_path), Settings("Hubs", ("a",))).close()
    result = run_cli(*START[:4], "--title", "Other", "--store", str(tmp_path))
    assert result.exit_code == 2 and "leave --title out to resume it" in result.stderr


def test_a_new_workshop_needs_a_title_and_roles(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("workshop", "serve", "--bind", "127.0.0.1", "--store", str(tmp_path / "s"))
    assert result.exit_code == 2 and "needs --title and --roles" in result.stderr


def test_round_is_for_a_store_only(run_cli: Run) -> None:
    result = run_cli("workshop", "examples/workshop/participants", "--round", "2")
    assert result.exit_code == 2 and "--round applies to a workshop store" in result.stderr


def test_a_store_reads_like_files_with_every_participants_answers(
    run_cli: Run, tmp_path: Path, knowledge: Knowledge
) -> None:
    store = Store.create(str(tmp_path), Settings("Hubs", ("a",)))
    for name, value in (("Ann", 2), ("Bea", 4)):
        seat, _ = store.join(name, "a")
        store.append("answer", seat.id, round=1, item="goal_ambiguity", value=value, note="")
    store.close()
    document = json.loads(run_cli("workshop", str(tmp_path), "--format", "json").stdout)
    assert [p["name"] for p in document["participants"]] == ["Ann", "Bea"]
    assert document["items"]["goal_ambiguity"]["median"] == 3
    for fmt in ("text", "markdown", "html"):
        assert run_cli("workshop", str(tmp_path), "--format", fmt).exit_code == 0


# ------------------------------------------------------------------ a real server


class Browser:
    """A phone: cookies kept, forms posted with this server's Origin."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.url + path, timeout=10) as response:
            return str(response.read().decode())

    def post(self, path: str, **fields: str) -> dict[str, object]:
        csrf = next((c.value for c in self.jar if c.name == "matland_csrf"), None)
        if csrf is None:
            self.get("/")
            csrf = next(c.value for c in self.jar if c.name == "matland_csrf")
        body = urlencode({"csrf": csrf, **fields}).encode()
        request = urllib.request.Request(
            self.url + path,
            body,
            headers={"origin": self.url, "accept": "application/json"},
        )
        with self.opener.open(request, timeout=10) as response:
            data: dict[str, object] = json.loads(response.read())
            return data


def test_start_up_lines_are_one_fact_a_line(tmp_path: Path, serve_workshop: Server) -> None:
    server = serve_workshop(tmp_path / "s")
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", server.lines["join"])
    assert re.fullmatch(r"[A-Z0-9]{6}", server.lines["code"])
    assert re.fullmatch(
        r"http://127\.0\.0\.1:\d+/facilitator/[\w-]{20,}", server.lines["facilitator"]
    )
    code, err = server.stop()
    assert code == 0 and "the answers are in" in err and str(tmp_path / "s") in err
    assert "Traceback" not in err


@pytest.mark.slow
def test_every_acknowledged_answer_survives_sigkill(
    tmp_path: Path, serve_workshop: Server, knowledge: Knowledge
) -> None:
    store = tmp_path / "s"
    server = serve_workshop(store)
    items = [q.id for q in knowledge.questions.values() if q.type == "scale"]
    phones = []
    for name in ("Ann", "Bea", "Cy"):
        phone = Browser(server.url)
        phone.post("/join", code=server.lines["code"], name=name, role="a")
        phones.append(phone)
    acknowledged = []
    for index, item in enumerate(items[:12]):
        for number, phone in enumerate(phones):
            value = str(1 + (index + number) % 5)
            if phone.post(f"/answer/{item}", value=value).get("saved"):
                acknowledged.append((number, item, int(value)))
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=10)
    again = serve_workshop(store, port=server.port)  # the same store, the same address
    assert again.lines["code"] == server.lines["code"]
    for phone in phones:  # the cookies still open their seats
        assert "answered" in phone.get(f"/answer/{items[0]}")
    reopened = Store.open(str(store), write=False)
    seats = list(reopened.state.seats.values())
    for number, item, value in acknowledged:
        assert seats[number].answers[1][item].value == value
    reopened.close()
    assert again.stop()[0] == 0
