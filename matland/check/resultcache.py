"""A repository's second run: each unchanged file's output taken from the last run's.

`.matland_cache/` at the repository root (or `--cache-dir`, `$MATLAND_CACHE_DIR`,
`cache-dir:` in .matland.yaml), with a `.gitignore` holding `*` so it is never committed.
For each file (by its absolute path) it keeps the key it was checked under (the content's
hash, the rules' hash, the options that change a result, the path as shown, matland's
version) and each format's rendered piece. A hit needs the same key and every format asked
for; anything else is checked and stored again.

An unchanged file is known by its stat (size, mtime, ctime, inode, as git knows it) when
that was last changed well before the file was hashed, so a second run reads no file it has
seen; any other file is read and hashed (a fresh checkout, a CI cache restored elsewhere).

Sharded, so a run reads only what it needs: a file's entry is in one of 256 shards
(`r-XX.json`, by a hash of its path), read when the run first looks up a file of it, and
only the shards that changed are written. `index.json` lists the files kept, so a run that
writes can prune the entries of files that no longer exist without reading every shard.

Safe to share: JSON only (a checkout or a CI cache could bring the folder; nothing in it is
run or trusted: an entry of the wrong shape is a miss and is rewritten); keyed with a
secret of this machine's user (`result-key` in the user's cache, usercache.py), so a folder
a pull request commits, with entries forged to pass a proposal that fails, matches
nothing and is rewritten (a CI job that keeps the folder between runs keeps the user's
cache folder too, or each run starts cold); each file written
to a temporary file and renamed over the old one, so two runs at once never leave a torn
file (the last one's entries win); an entry names its key in its own shard, so a shard and
an index from different runs never give a file another file's or another version's output.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Sequence
from typing import Any

import orjson

from matland import __version__
from matland.core.findings import Finding
from matland.render.stream import Piece
from matland.source.paths import upwards

CACHE_FOLDER = ".matland_cache"
INDEX = "index.json"
OLD_RESULTS = "results.json"  # the unsharded cache of matland before: removed when seen
FORMAT = 2  # of the index and the shards; another number is a foreign file, read as empty
SHARD_BYTES = 1  # 256 shards: 10,000 files make shards of about 40 entries
Stat = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode: the file hashed
# A stat is trusted only for a file last changed this long before it was hashed: a change
# within a timestamp's granularity of the hashing could leave the same stat (racy git).
SETTLED_NS = 2_000_000_000


def default_dir(*starts: str) -> str | None:
    """`.matland_cache` at the root of the repository above the first of `starts` in one
    (the working directory, then what is checked), or None outside any repository: no
    folder is made in a home directory or a shared temporary one unless asked for
    (--cache-dir, $MATLAND_CACHE_DIR, `cache-dir:`)."""
    for start in starts:
        for directory in upwards(start):
            if os.path.exists(os.path.join(directory, ".git")):
                return os.path.join(directory, CACHE_FOLDER)
    return None


def _secret() -> bytes:
    """This user's random key of results (made at the first run, kept in the user's cache):
    a key no one without it can compute. Where it cannot be kept, a new one each run: the
    cache then misses, which is safe."""
    from matland.core.usercache import cache_home

    path = cache_home() / "result-key"
    try:
        with open(path, "rb") as handle:
            found = handle.read(64)
        if len(found) >= 16:
            return found
    except OSError:
        pass
    made = os.urandom(32)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = f"{path}.{os.getpid()}-{os.urandom(4).hex()}.tmp"
        with open(temporary, "wb") as handle:
            handle.write(made)
        try:
            os.link(temporary, path)  # the first run's key stays: two at once agree on it
        except FileExistsError:
            os.unlink(temporary)
            with open(path, "rb") as handle:
                return handle.read(64)
        except OSError:  # a file system without hard links: the last run's key stays
            os.replace(temporary, path)
            return made
        os.unlink(temporary)
    return made


def shard_of(real: str) -> str:
    """The shard a file's entry lives in, by its absolute path."""
    name = hashlib.blake2b(real.encode(errors="surrogateescape"), digest_size=SHARD_BYTES)
    return f"r-{name.hexdigest()}.json"


class ResultCache:
    def __init__(self, directory: str, context: Sequence[Any], formats: tuple[str, ...]) -> None:
        self.directory = directory
        self.context = orjson.dumps([__version__, *context]) + _secret()
        self.formats = formats
        self.shards: dict[str, dict[str, Any]] = {}  # shard name -> its entries, once read
        self.written: set[str] = set()  # shards with an entry stored in this run
        # real path -> (key, content hash, stat, when hashed) of a miss
        self._pending: dict[str, tuple[str, str, Stat, int]] = {}

    def lookup(self, path: str) -> tuple[Piece, ...] | None:
        """The file's pieces from the last run, or None (and the key to store it under)."""
        real = os.path.abspath(path)  # not realpath: its lstat of every folder costs a tenth
        entry = self._shard(shard_of(real)).get(real)
        if isinstance(entry, dict) and isinstance(entry.get("content"), str):
            try:
                stat = _stat(os.stat(real))
            except OSError:
                return None  # checked as usual, which reports why it cannot be read
            if entry.get("stat") == list(stat):  # the very file hashed last time
                found = self._found(entry, self._key(entry["content"], path))
                if found is not None:
                    return found
        try:
            with open(real, "rb") as handle:
                stat = _stat(os.fstat(handle.fileno()))
                content = handle.read()
        except OSError:
            return None
        hashed = hashlib.blake2b(content, digest_size=20).hexdigest()
        key = self._key(hashed, path)
        found = self._found(entry, key)
        if found is None:
            self._pending[real] = (key, hashed, stat, time.time_ns())
        return found

    def _key(self, content: str, path: str) -> str:
        """The key of a file's result: its content's hash, the run's context, the path as
        shown."""
        digest = hashlib.blake2b(content.encode(), digest_size=20)
        digest.update(self.context + path.encode(errors="surrogateescape"))
        return digest.hexdigest()

    def _found(self, entry: Any, key: str) -> tuple[Piece, ...] | None:
        if isinstance(entry, dict) and entry.get("key") == key:
            return _pieces(entry.get("pieces"), self.formats)
        return None

    def store(self, path: str, pieces: tuple[Piece, ...]) -> None:
        """A checked file's pieces, kept if the file is still the one that was hashed."""
        real = os.path.abspath(path)
        pending = self._pending.pop(real, None)
        if pending is None:
            return
        key, hashed, stat, when = pending
        try:
            now = _stat(os.stat(real))
        except OSError:
            return
        if now != stat:
            return  # changed while it was checked: the next run checks it again
        plain = {name: _plain(piece) for name, piece in zip(self.formats, pieces, strict=True)}
        try:  # a name or text that is not UTF-8 (surrogates) has no JSON: not kept
            orjson.dumps([real, plain])
        except TypeError:
            return
        name = shard_of(real)
        entries = self._shard(name)
        entry = entries.get(real)
        kept = entry.get("pieces") if isinstance(entry, dict) and entry.get("key") == key else {}
        formats = {**(kept if isinstance(kept, dict) else {})}
        formats.update(plain)
        settled = stat[2] < when - SETTLED_NS  # ctime: no change since, stat-ed or not
        entries[real] = {
            "key": key,
            "content": hashed,
            "stat": list(stat) if settled else None,
            "pieces": formats,
        }
        self.written.add(name)

    def save(self) -> None:
        """The shards that changed and the index, written only when something changed
        (then the entries of files that no longer exist go too); best effort (a cache that
        cannot be written costs the next run time, nothing else)."""
        if not self.written:
            return
        index = _read(os.path.join(self.directory, INDEX), "paths", list)
        kept = {p for p in index if isinstance(p, str)}
        for shard in self.written:
            kept.update(self.shards[shard])
        gone = {path for path in kept if not os.path.exists(path)}
        for path in gone:
            self._shard(shard_of(path)).pop(path, None)
        with contextlib.suppress(OSError):
            os.makedirs(self.directory, exist_ok=True)
            ignore = os.path.join(self.directory, ".gitignore")
            if not os.path.exists(ignore):
                _write(ignore, b"# matland's result cache (matland check --no-cache)\n*\n")
            for shard in self.written | {shard_of(path) for path in gone}:
                self._write_shard(shard)
            paths = sorted(kept - gone)
            _write(os.path.join(self.directory, INDEX), _document("paths", paths))
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(self.directory, OLD_RESULTS))

    def _shard(self, name: str) -> dict[str, Any]:
        entries = self.shards.get(name)
        if entries is None:
            entries = self.shards[name] = _read(os.path.join(self.directory, name), "entries", dict)
        return entries

    def _write_shard(self, name: str) -> None:
        path = os.path.join(self.directory, name)
        entries = {  # what is not its own (a shard copied over another) is left out
            p: e
            for p, e in self.shards[name].items()
            if isinstance(e, dict) and shard_of(p) == name
        }
        if entries:
            _write(path, _document("entries", entries))
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)


def _stat(found: os.stat_result) -> Stat:
    return (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino)


def _document(name: str, value: Any) -> bytes:
    return orjson.dumps({"matland-results": FORMAT, name: value})


def _write(path: str, data: bytes) -> None:
    # Not mkstemp: its 0600 would keep the cache from the rest of a team's CI (the umask
    # decides, as for any file the user writes).
    temporary = os.path.join(os.path.dirname(path), f".tmp-{os.getpid()}-{os.urandom(6).hex()}")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _read(path: str, name: str, kind: type[Any]) -> Any:
    """A shard's entries or the index's paths; empty when missing, corrupt or foreign."""
    try:
        with open(path, "rb") as handle:
            data = orjson.loads(handle.read())
    except (OSError, orjson.JSONDecodeError):
        return kind()
    if not isinstance(data, dict) or data.get("matland-results") != FORMAT:
        return kind()
    value = data.get(name)
    return value if isinstance(value, kind) else kind()


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
