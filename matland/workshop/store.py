"""A live workshop's store: one SQLite file holding an append-only log of events.

Every fact is an event (a participant joined, answered an item, was removed; the facilitator
revealed the group, closed round one, opened round two, locked the workshop); the current
state is a fold over the events. Nothing is updated or deleted (triggers refuse it), which is
what lets a restart after SIGKILL lose nothing and what lets round two record what each
participant was shown. Each event is committed (WAL, synchronous=FULL) before `append`
returns, so an answer the page was told is saved is on disk.

Standard library only: the store is read by `matland workshop STORE_DIR` without the web
stack installed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import sqlite3
import time
from collections.abc import Iterator, Mapping
from dataclasses import field
from typing import Any

from matland.core.records import record

SCHEMA_VERSION = 1
FILE_NAME = "workshop.sqlite"
# Join codes: no look-alikes (no O/0, I/1/L, S/5, Z/2, B/8), so a code read off a projector
# is typed right on a phone.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6
EVENT_KINDS = frozenset({"join", "answer", "remove", "reveal", "close_round", "open_round", "lock"})

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at REAL NOT NULL,
  kind TEXT NOT NULL,
  seat TEXT,
  data TEXT NOT NULL
);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
"""


class StoreError(Exception):
    """A store that cannot be used, said in one line (the CLI prints it and exits 2)."""


@record
class Settings:
    """What the facilitator chose when the workshop was created; fixed for its life."""

    title: str
    roles: tuple[str, ...]
    anonymous: bool = False
    rounds: int = 1
    summary: str = ""  # the briefing, from the proposal file
    code: str = ""
    facilitator: str = ""  # the secret of the facilitator's pages (kept here to resume)

    def as_json(self) -> str:
        return json.dumps({**self.__dict__, "roles": list(self.roles)})

    @classmethod
    def from_json(cls, text: str) -> Settings:
        data = json.loads(text)
        return cls(**{**data, "roles": tuple(data["roles"])})


@record
class Event:
    seq: int
    at: float
    kind: str
    seat: str | None
    data: Mapping[str, Any]


@record
class Given:
    """One answer as given: the file format's value (1-5, a count, true/false, "unsure")."""

    value: int | bool | str
    note: str = ""
    reason: str = ""  # round two: why the answer was kept or revised
    shown: Mapping[str, Any] | None = None  # round two: the feedback the participant saw
    at: float = 0.0


@record(frozen=False)
class Seat:
    """One participant's place in the workshop."""

    id: str
    number: int  # in order of joining, from 1 (the anonymous name is P<number>)
    name: str
    role: str
    token_hash: str
    joined_at: float
    removed: bool = False
    answers: dict[int, dict[str, Given]] = field(default_factory=lambda: {1: {}, 2: {}})
    last_at: float = 0.0

    def label(self, anonymous: bool) -> str:
        return f"P{self.number}" if anonymous else self.name

    def round_answers(self, round_: int) -> dict[str, Given]:
        """Round two carries each round-one answer the participant did not touch."""
        if round_ == 1:
            return self.answers[1]
        return {**self.answers[1], **self.answers[2]}


@record(frozen=False)
class State:
    """The fold over the events."""

    settings: Settings
    seats: dict[str, Seat] = field(default_factory=dict)
    by_token: dict[str, str] = field(default_factory=dict)
    revealed: bool = False
    round: int = 1  # the round open (or last open)
    closed: set[int] = field(default_factory=set)
    locked: bool = False
    seq: int = 0

    def apply(self, event: Event) -> None:
        self.seq = event.seq
        data = event.data
        if event.kind == "join" and event.seat is not None:
            seat = Seat(
                event.seat,
                len(self.seats) + 1,
                data["name"],
                data["role"],
                data["token_hash"],
                event.at,
            )
            self.seats[seat.id] = seat
            self.by_token[seat.token_hash] = seat.id
        elif event.kind == "answer" and event.seat in self.seats:
            seat = self.seats[event.seat]
            seat.answers[data["round"]][data["item"]] = Given(
                data["value"],
                data.get("note", ""),
                data.get("reason", ""),
                data.get("shown"),
                event.at,
            )
            seat.last_at = event.at
        elif event.kind == "remove" and event.seat in self.seats:
            self.seats[event.seat].removed = True
        elif event.kind == "reveal":
            self.revealed = True
        elif event.kind == "close_round":
            self.closed.add(data["round"])
        elif event.kind == "open_round":
            self.round = data["round"]
            self.revealed = False  # round two starts blind on the projector too
        elif event.kind == "lock":
            self.locked = True

    @property
    def open(self) -> bool:
        """Whether answers are taken now."""
        return not self.locked and self.round not in self.closed

    def active(self) -> list[Seat]:
        """The participants who count: everyone who joined, less those removed."""
        return [s for s in self.seats.values() if not s.removed]

    def seat_for(self, token: str | None) -> Seat | None:
        if not token:
            return None
        seat_id = self.by_token.get(token_hash(token))
        return None if seat_id is None else self.seats[seat_id]


def token_hash(token: str) -> str:
    """Tokens are kept hashed: a copy of the store does not let anyone answer for another."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_token() -> str:
    return secrets.token_urlsafe(24)


def store_file(directory: str) -> str:
    return os.path.join(directory, FILE_NAME)


def is_store(path: str) -> bool:
    """A directory holding a workshop store (what `matland workshop DIR` reads as one)."""
    return os.path.isdir(path) and os.path.isfile(store_file(path))


class Store:
    """The open store: appends events, keeps the fold up to date."""

    def __init__(self, connection: sqlite3.Connection, settings: Settings, path: str) -> None:
        self._db = connection
        self.path = path
        self.state = State(settings)
        for event in self.events():
            self.state.apply(event)

    # -------------------------------------------------------------- opening

    @classmethod
    def create(cls, directory: str, settings: Settings) -> Store:
        """A new store in `directory` (made if need be), with a fresh code and token."""
        try:
            os.makedirs(directory, exist_ok=True)
        except OSError as error:
            raise StoreError(f"{directory}: cannot create the store: {error.strerror}") from error
        path = store_file(directory)
        if os.path.exists(path):
            raise StoreError(f"{path}: a store is already there")
        settings = Settings(**{**settings.__dict__, "code": new_code(), "facilitator": new_token()})
        try:
            db = _connect(path)
            db.executescript("BEGIN IMMEDIATE;" + _SCHEMA)  # one transaction with the meta
            meta = {
                "schema_version": str(SCHEMA_VERSION),
                "settings": settings.as_json(),
                "created": repr(time.time()),
            }
            db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            db.execute("COMMIT")
        except sqlite3.Error as error:
            raise StoreError(f"{path}: cannot write the store: {error}") from error
        return cls(db, settings, path)

    @classmethod
    def open(cls, directory: str, *, write: bool = True) -> Store:
        """The store in `directory`; StoreError if it is not one this matland reads."""
        path = store_file(directory)
        if not os.path.isfile(path):
            raise StoreError(f"{directory}: no workshop store here ({FILE_NAME})")
        if write and not os.access(directory, os.W_OK):
            raise StoreError(f"{directory}: the store's directory is not writable")
        try:
            db = _connect(path, write=write)
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.Error as error:
            raise StoreError(f"{path}: not a workshop store ({error})") from error
        version = int(meta.get("schema_version", "0"))
        if version > SCHEMA_VERSION:
            db.close()
            raise StoreError(
                f"{path}: the store is schema version {version}, newer than this matland "
                f"reads ({SCHEMA_VERSION}); upgrade matland"
            )
        if version < 1 or "settings" not in meta:
            db.close()
            raise StoreError(f"{path}: not a workshop store (no schema version)")
        return cls(db, Settings.from_json(meta["settings"]), path)

    def close(self) -> None:
        self._db.close()

    # -------------------------------------------------------------- events

    def events(self) -> Iterator[Event]:
        rows = self._db.execute("SELECT seq, at, kind, seat, data FROM events ORDER BY seq")
        for seq, at, kind, seat, data in rows:
            yield Event(seq, at, kind, seat, json.loads(data))

    def append(self, kind: str, seat: str | None = None, **data: Any) -> Event:
        """Commit one event (durable when this returns), then fold it into the state."""
        if kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {kind!r}")
        at = time.time()
        with _transaction(self._db):
            cursor = self._db.execute(
                "INSERT INTO events (at, kind, seat, data) VALUES (?, ?, ?, ?)",
                (at, kind, seat, json.dumps(data, ensure_ascii=False)),
            )
        event = Event(cursor.lastrowid or 0, at, kind, seat, data)
        self.state.apply(event)
        return event

    def join(self, name: str, role: str) -> tuple[Seat, str]:
        """A new seat and its token (given to the participant once, kept only hashed)."""
        token = new_token()
        seat_id = secrets.token_hex(4)
        while seat_id in self.state.seats:
            seat_id = secrets.token_hex(4)
        self.append("join", seat_id, name=name, role=role, token_hash=token_hash(token))
        return self.state.seats[seat_id], token


def _connect(path: str, write: bool = True) -> sqlite3.Connection:
    if write:
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        # FULL: each commit reaches the disk, not only the page cache: an answer the page
        # was told is saved survives a power cut too, not just a killed process.
        db.execute("PRAGMA synchronous=FULL")
    else:  # reading a store (`matland workshop DIR`): nothing is written to it
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA query_only=ON")
    db.execute("PRAGMA busy_timeout=5000")
    return db


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
