"""A repository's second run: each unchanged file's output taken from the last run's.

`.matland_cache/results.json` at the repository root (or `--cache-dir`, `$MATLAND_CACHE_DIR`,
`cache-dir:` in .matland.yaml), with a `.gitignore` holding `*` so it is never committed.
For each file (by its absolute path) it keeps the key it was checked under (the content's
hash, the rules' hash, the options that change a result, the path as shown, matland's
version) and each format's rendered piece. A hit needs the same key and every format asked
for; anything else is checked and stored again.

Safe to share: JSON only (a checkout or a CI cache could bring the file; nothing in it is
run or trusted: an entry of the wrong shape is a miss and is rewritten); written to a
temporary file and renamed over the old one, so two runs at once never leave a torn file
(the last one's entries win). Bounded: one entry per file, and entries for files that no
longer exist are dropped when it is written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from collections.abc import Sequence
from typing import Any

import orjson

from matland import __version__
from matland.core.findings import Finding
from matland.render.stream import Piece
from matland.source.paths import upwards

CACHE_FOLDER = ".matland_cache"
RESULTS = "results.json"
FORMAT = 1  # of results.json; another number is a foreign file, read as empty
Stat = tuple[int, int, int]  # size, mtime_ns, inode: the file is the one that was hashed


def default_dir(start: str = ".") -> str:
    """`.matland_cache` at the repository root above `start`, else in `start`."""
    for directory in upwards(start):
        if os.path.exists(os.path.join(directory, ".git")):
            return os.path.join(directory, CACHE_FOLDER)
    return os.path.join(os.path.abspath(start), CACHE_FOLDER)


class ResultCache:
    def __init__(self, directory: str, context: Sequence[Any], formats: tuple[str, ...]) -> None:
        self.directory = directory
        self.file = os.path.join(directory, RESULTS)
        self.context = orjson.dumps([__version__, *context])
        self.formats = formats
        self.entries = _read(self.file)
        self.changed = False
        self._pending: dict[str, tuple[str, Stat]] = {}  # real path -> (key, stat) of a miss

    def lookup(self, path: str) -> tuple[Piece, ...] | None:
        """The file's pieces from the last run, or None (and the key to store it under)."""
        real = os.path.abspath(path)  # not realpath: its lstat of every folder costs a tenth
        try:
            with open(real, "rb") as handle:
                stat = os.fstat(handle.fileno())
                content = handle.read()
        except OSError:
            return None  # checked as usual, which reports why it cannot be read
        digest = hashlib.blake2b(content, digest_size=20)
        digest.update(self.context + path.encode(errors="surrogateescape"))
        key = digest.hexdigest()
        entry = self.entries.get(real)
        if isinstance(entry, dict) and entry.get("key") == key:
            found = _pieces(entry.get("pieces"), self.formats)
            if found is not None:
                return found
        self._pending[real] = (key, (stat.st_size, stat.st_mtime_ns, stat.st_ino))
        return None

    def store(self, path: str, pieces: tuple[Piece, ...]) -> None:
        """A checked file's pieces, kept if the file is still the one that was hashed."""
        real = os.path.abspath(path)
        pending = self._pending.pop(real, None)
        if pending is None:
            return
        key, stat = pending
        try:
            now = os.stat(real)
        except OSError:
            return
        if (now.st_size, now.st_mtime_ns, now.st_ino) != stat:
            return  # changed while it was checked: the next run checks it again
        plain = {name: _plain(piece) for name, piece in zip(self.formats, pieces, strict=True)}
        try:  # a name or text that is not UTF-8 (surrogates) has no JSON: not kept
            orjson.dumps([real, plain])
        except TypeError:
            return
        entry = self.entries.get(real)
        kept = entry.get("pieces") if isinstance(entry, dict) and entry.get("key") == key else {}
        formats = {**(kept if isinstance(kept, dict) else {})}
        formats.update(plain)
        self.entries[real] = {"key": key, "pieces": formats}
        self.changed = True

    def save(self) -> None:
        """Written only when something changed; best effort (a cache that cannot be written
        costs the next run time, nothing else)."""
        gone = [path for path in self.entries if not os.path.exists(path)]
        for path in gone:
            del self.entries[path]
        if not (self.changed or gone):
            return
        with contextlib.suppress(OSError):
            os.makedirs(self.directory, exist_ok=True)
            ignore = os.path.join(self.directory, ".gitignore")
            if not os.path.exists(ignore):
                _write(ignore, b"# matland's result cache (matland check --no-cache)\n*\n")
            _write(self.file, orjson.dumps({"matland-results": FORMAT, "entries": self.entries}))


def _write(path: str, data: bytes) -> None:
    # Not mkstemp: its 0600 would keep the cache from the rest of a team's CI (the umask
    # decides, as for any file the user writes).
    temporary = os.path.join(os.path.dirname(path), f".tmp-{os.getpid()}-{secrets.token_hex(6)}")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _read(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            data = orjson.loads(handle.read())
    except (OSError, orjson.JSONDecodeError):
        return {}
    if not isinstance(data, dict) or data.get("matland-results") != FORMAT:
        return {}
    entries = data.get("entries")
    return entries if isinstance(entries, dict) else {}


def _plain(piece: Piece) -> list[Any]:
    return [
        piece.path,
        piece.valid,
        list(piece.counts),
        piece.exit_code,
        piece.text,
        list(piece.row),
        [list(f) for f in piece.findings],
    ]


def _pieces(stored: Any, formats: tuple[str, ...]) -> tuple[Piece, ...] | None:
    if not isinstance(stored, dict):
        return None
    pieces = []
    for name in formats:
        piece = _piece(stored.get(name))
        if piece is None:
            return None
        pieces.append(piece)
    return tuple(pieces)


_FINDING_TYPES = (str, int, int, str, str, str, str, str, bool, str)


def _piece(value: Any) -> Piece | None:
    """A stored piece, only if every part has the type it must (never trusted otherwise)."""
    if not (isinstance(value, list) and len(value) == 7):
        return None
    path, valid, counts, exit_code, text, row, findings = value
    if not (
        isinstance(path, str)
        and type(valid) is bool
        and isinstance(counts, list)
        and all(type(c) is int for c in counts)
        and type(exit_code) is int
        and isinstance(text, str)
        and isinstance(row, list)
        and all(isinstance(cell, str) for cell in row)
        and isinstance(findings, list)
    ):
        return None
    kept = []
    for finding in findings:
        if not (isinstance(finding, list) and len(finding) == len(_FINDING_TYPES)):
            return None
        if not all(type(v) is t for v, t in zip(finding, _FINDING_TYPES, strict=True)):
            return None
        kept.append(Finding(*finding))
    return Piece(path, valid, tuple(counts), exit_code, text, tuple(row), tuple(kept))
