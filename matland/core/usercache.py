"""What matland keeps in the user's cache, so a run does not read, validate and compile
again what has not changed: a one-file check in a pre-commit hook spent most of its time
there. Two kinds of entry, each a pickle of records:

* the rules, validated and compiled (the Knowledge: knowledge.py's and conditions.py's
  records, a compiled condition's closures left out and built again when read back), one
  entry per rules directory, keyed by `rules_key`: the rules files' content, matland's
  and Python's versions and the source of the modules whose records it holds;
* a `.matland.yaml`, validated (check/config.py's Config), one entry per config file,
  keyed by its text: a run with an unchanged config parses no YAML for it.

Entries live under `$XDG_CACHE_HOME/matland`, else `~/.cache/matland`, as
`<name>-<hash of the path>.pickle`. A missing, stale or unreadable entry is rebuilt without
a word; it is written atomically (a temporary file renamed over it), so two runs at once
never see half a file. Pickle is safe here as the user's own cache is the user's own code
path (the per-repository result cache, which a checkout could bring, holds no pickle:
resultcache.py).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from matland import __version__

T = TypeVar("T")


def cache_home() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "matland"


def rules_key(root: Path, names: Iterable[str]) -> str:
    """What the cached rules were made from: each file's bytes (a missing file counts as
    missing), matland's and Python's versions, and the source of matland's core, which
    validates, compiles and defines what is pickled (a change to it in a working copy, at
    the same version, is a new key)."""
    digest = hashlib.sha256()
    for part in (__version__, sys.version, str(root.resolve())):
        digest.update(part.encode() + b"\0")
    digest.update(sources("core"))
    for name in names:
        try:
            content = (root / f"{name}.yaml").read_bytes()
        except OSError:
            content = b"\0missing"
        digest.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest()


@functools.lru_cache(maxsize=8)
def sources(*parts: str) -> bytes:
    """A digest of matland's own source in these folders or files (`core`, `check/config.py`):
    an entry is the work of that code as well as of its input, and a working copy edits it
    at the same version. Empty beside a frozen build, which has no source to read."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for part in parts:
        where = package / part
        files = sorted(where.glob("*.py")) if where.is_dir() else [where]
        for file in files:
            with contextlib.suppress(OSError):
                digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.digest()


def _path(place: Path, name: str) -> Path:
    where = hashlib.sha256(str(place.resolve()).encode()).hexdigest()[:20]
    return cache_home() / f"{name}-{where}.pickle"


def read(place: Path, wanted: str, kind: type[T], name: str = "rules") -> T | None:
    """The object cached for `place` under this key, or None (missing, stale, corrupt:
    rebuilt)."""
    try:
        with open(_path(place, name), "rb") as handle:
            stored_key, value = pickle.load(handle)
    except Exception:  # whatever is wrong with a cache (a pickle of old classes too), rebuild
        return None
    return value if stored_key == wanted and isinstance(value, kind) else None


def write(place: Path, stored_key: str, value: object, name: str = "rules") -> None:
    """Best effort: a cache that cannot be written costs the next run time, nothing else."""
    path = _path(place, name)
    import tempfile  # here: a warm run writes nothing

    # Any failure: a value that will not pickle (TypeError, RecursionError) included.
    with contextlib.suppress(Exception):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump((stored_key, value), out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
