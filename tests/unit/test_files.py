from __future__ import annotations

import os
from pathlib import Path

import pytest

from matland.source.files import AtomicFile, FileExists, write_atomic


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


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_written_to_not_replaced(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    write_atomic(str(fifo), "through the pipe\n")  # no --force needed: nothing is replaced
    reader.join(timeout=10)
    assert received == ["through the pipe\n"]
    assert fifo.is_fifo() and [p.name for p in tmp_path.iterdir()] == ["out.fifo"]


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null here")
def test_dev_null_is_written_to_not_replaced() -> None:
    # Asked of the file object, not by writing: should this regress, a test run as root
    # must not leave the machine with a regular file for /dev/null.
    file = AtomicFile("/dev/null")
    try:
        assert file.direct and file.temporary == ""
    finally:
        file.discard()


@pytest.mark.skipif(not os.path.exists("/dev/stdout"), reason="no /dev/stdout here")
def test_dev_stdout_redirected_to_a_file_is_appended_to(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "out.txt"
    code = (
        "import sys; print('from the terminal format', flush=True);"
        "from matland.source.files import write_atomic;"
        " write_atomic('/dev/stdout', 'from --output\\n')"
    )
    with out.open("w") as handle:
        subprocess.run([sys.executable, "-c", code], stdout=handle, check=True)
    assert out.read_text() == "from the terminal format\nfrom --output\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_stale_temporary_files_of_a_killed_run_go_when_the_target_is_written_next(
    tmp_path: Path,
) -> None:
    """A SIGKILL between mkstemp and the rename leaves `.matland-…tmp` beside the target;
    the next write of that target removes those older than the run (and the old unnamed
    ones), never another target's, a fresh one, or a file that only looks alike."""
    import time

    target = tmp_path / "out.json"
    old = time.time() - 3600
    names = {
        ".matland-out.json-ab12cd_z.tmp": False,  # stale, this target's: goes
        ".matland-x8k2lq0p.tmp": False,  # stale, from before they were named: goes
        ".matland-other.json-ab12cd_z.tmp": True,  # another target's
        ".matland-out.json-notmkstemp.tmp": True,  # not mkstemp's pattern
        "matland-out.json-ab12cd_z.tmp": True,  # not hidden: not ours
        ".matland-out.json-fresh123.tmp": True,  # made since this run began
    }
    for name in names:
        (tmp_path / name).write_text("partial")
        if "fresh" not in name:
            os.utime(tmp_path / name, (old, old))
    write_atomic(str(target), "{}\n")
    assert target.read_text() == "{}\n"
    left = {p.name for p in tmp_path.iterdir()} - {"out.json"}
    assert left == {name for name, kept in names.items() if kept}
