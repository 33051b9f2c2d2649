from __future__ import annotations

import os
from pathlib import Path

import pytest

from matland.files import AtomicFile, FileExists, write_atomic


def test_new_file_is_written(tmp_path: Path) -> None:
    target = tmp_path / "p.yaml"
    write_atomic(str(target), "a: 1\n")
    assert target.read_text() == "a: 1\n"


def test_existing_file_is_never_replaced_unless_asked(tmp_path: Path) -> None:
    target = tmp_path / "p.yaml"
    target.write_text("mine\n")
    with pytest.raises(FileExists):
        write_atomic(str(target), "theirs\n")
    assert target.read_text() == "mine\n"
    write_atomic(str(target), "theirs\n", replace=True)
    assert target.read_text() == "theirs\n"
    assert [p.name for p in tmp_path.iterdir()] == ["p.yaml"]  # no temporary left


def test_interrupted_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "p.yaml"
    target.write_text("old\n")

    def fail(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(str(target), "new\n", replace=True)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["p.yaml"]


def test_a_symlink_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text("old\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    write_atomic(str(link), "new\n", replace=True)
    assert link.is_symlink()
    assert real.read_text() == "new\n"


def test_mode_is_kept_on_replace(tmp_path: Path) -> None:
    target = tmp_path / "p.yaml"
    target.write_text("old\n")
    target.chmod(0o640)
    write_atomic(str(target), "new\n", replace=True)
    assert target.stat().st_mode & 0o777 == 0o640


def test_a_file_written_in_pieces_appears_only_when_committed(tmp_path: Path) -> None:
    target = tmp_path / "out.sarif"
    target.write_text("old\n")
    with AtomicFile(str(target)) as file:
        file.write("new, ")
        file.write("in pieces\n")
        assert target.read_text() == "old\n"  # nothing shows before the commit
        file.commit(replace=True)
    assert target.read_text() == "new, in pieces\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.sarif"]


def test_a_file_left_uncommitted_is_dropped(tmp_path: Path) -> None:
    target = tmp_path / "out.sarif"
    with AtomicFile(str(target)) as file:
        file.write("half a document")
    assert list(tmp_path.iterdir()) == []
