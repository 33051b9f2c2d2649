"""A Spool gives back exactly what was put in, in memory while small and from a temporary
file past SPOOL_IN_MEMORY characters; a path that is not UTF-8 (a surrogate escape) too."""

from __future__ import annotations

import io

import pytest

from matland.render.stream import SPOOL_IN_MEMORY, Spool

ODD_PATH = "bad-\udcff-name.yaml:1:1: a line\n"


@pytest.mark.parametrize("size", [10, SPOOL_IN_MEMORY // 3, SPOOL_IN_MEMORY * 2])
def test_what_is_spooled_comes_back_whole(size: int) -> None:
    lines = [f"{n:08d} {'x' * 40}\r\n" if n % 7 == 0 else f"{n:08d}\n" for n in range(size // 20)]
    text = ODD_PATH + "".join(lines)
    for read in ("chunks", "lines"):
        spool = Spool()
        assert spool.empty
        for start in range(0, len(text), 1000):
            spool.write(text[start : start + 1000])
        assert not spool.empty
        in_memory = isinstance(spool._file, io.StringIO)
        assert in_memory is (len(text) <= SPOOL_IN_MEMORY)
        assert "".join(getattr(spool, read)()) == text


def test_an_empty_spool_reads_back_nothing() -> None:
    spool = Spool()
    spool.write("")
    assert spool.empty and list(spool.lines()) == [] and list(spool.chunks()) == []
