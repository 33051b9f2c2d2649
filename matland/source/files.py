"""Writing files so that nothing the user has is ever lost: temporary file, fsync, rename."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time

# When this run began: a temporary file of ours older than that was left by a run that
# was killed (SIGKILL, a power cut) before it could remove it.
_STARTED = time.time()
# mkstemp's random part: eight of these characters.
_RANDOM = re.compile(r"[a-z0-9_]{8}")
_NAME_KEPT = 100  # of the target's name in its temporary file's (names are at most 255 bytes)


class FileExists(Exception):
    """The target exists and the caller did not ask to replace it."""


def write_atomic(path: str, text: str, replace: bool = False) -> None:
    """Write `text` to `path` in one step: an interrupted write leaves the old file intact.

    With replace=False an existing file is never touched (the check and the link are one
    step, so a file created meanwhile is not overwritten either)."""
    with AtomicFile(path) as file:
        file.write(text)
        file.commit(replace)


class AtomicFile:
    """A file written in one step, however many writes it takes: the text goes to a
    temporary file beside it, `commit` puts that in place (temporary file, fsync, rename);
    leaving the `with` block without a commit drops it, and the old file stays intact.

    A device, a pipe or a descriptor (`/dev/null`, a FIFO, `/dev/stdout`) is not a file
    to replace: renaming over it would put a regular file in its place (as root, over
    /dev/null itself). Such a path is written to directly, appended to, as a shell's `>>`
    would: `/dev/stdout` redirected to a file keeps what the terminal format wrote there."""

    def __init__(self, path: str) -> None:
        self.direct = not_a_file(path)
        if self.direct:
            self.path, self.directory, self.temporary = path, "", ""
            self._stream = open(  # noqa: SIM115 - closed by commit or discard
                path, "a", encoding="utf-8", errors="surrogateescape", newline="\n"
            )
            return
        self.path = os.path.realpath(path)  # a symlink stays a link: its target gets the text
        self.directory = os.path.dirname(self.path)
        prefix = f".matland-{os.path.basename(self.path)[:_NAME_KEPT]}-"
        _remove_stale(self.directory, prefix)
        import tempfile  # here: most runs write no file

        handle, self.temporary = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=self.directory)
        try:
            # A path that is not UTF-8 (decoded by Python with surrogates) is written back as
            # the bytes it was, as on the terminal, rather than failing the whole output.
            self._stream = os.fdopen(
                handle, "w", encoding="utf-8", errors="surrogateescape", newline="\n"
            )
        except BaseException:  # interrupted in between: the temporary file goes too
            os.close(handle)
            os.unlink(self.temporary)
            raise

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.discard()

    def write(self, text: str) -> None:
        self._stream.write(text)

    def commit(self, replace: bool = False) -> None:
        """Put the file in place (raises FileExists with replace=False if it exists)."""
        if self.direct:
            self._stream.close()
            return
        try:
            self._stream.flush()
            os.fsync(self._stream.fileno())
            self._stream.close()
            self._place(replace)
        finally:
            self.discard()

    def discard(self) -> None:
        with contextlib.suppress(OSError):  # a write that failed may fail again on close
            self._stream.close()
        if self.temporary:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.temporary)

    def _place(self, replace: bool) -> None:
        path, temporary = self.path, self.temporary
        if os.path.exists(path) and os.path.samefile(path, temporary):  # pragma: no cover
            return
        # mkstemp makes the file private (0600); give it the mode the file has, or for a new
        # file the mode the user's umask gives, so a shared report stays readable.
        mode = os.stat(path).st_mode & 0o777 if os.path.exists(path) else 0o666 & ~_umask()
        with contextlib.suppress(OSError):
            os.chmod(temporary, mode)
        if replace:
            os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)  # fails if path exists: no race with another writer
            except FileExistsError as error:
                raise FileExists(path) from error
            except OSError:  # a filesystem without hard links
                if os.path.exists(path):
                    raise FileExists(path) from None
                os.replace(temporary, path)
        _sync_directory(self.directory)  # the rename itself survives a power cut


# Paths that name a process's descriptors: /dev/stdout leads to whatever the descriptor is (a
# pipe, a terminal, or a file the shell redirected it to, which must not be renamed over).
_DESCRIPTORS = ("/dev/stdout", "/dev/stderr", "/dev/stdin", "/dev/fd/", "/proc/self/fd/")
_DESCRIPTOR = re.compile(r"/proc/\d+/fd/")


def not_a_file(path: str) -> bool:
    """A device, FIFO or socket, or a descriptor's path: written to as it is, never replaced.
    A regular file is replaced atomically wherever it is (on /dev/shm too)."""
    absolute = os.path.abspath(path)
    if absolute.startswith(_DESCRIPTORS) or absolute in _DESCRIPTORS or _DESCRIPTOR.match(absolute):
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False  # not there yet (or unreadable): made as a file, or the error shows then
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _remove_stale(directory: str, prefix: str) -> None:
    """Temporary files a killed run left for this target (named for it, older than this
    run), and those of matland before they were named for their target (`.matland-` and
    the random part only): removed when the target is written next. Another run's file is
    left alone: named for another target, or made since this run began."""
    try:
        with os.scandir(directory or ".") as entries:
            stale = [
                entry.path
                for entry in entries
                if entry.name.endswith(".tmp")
                and any(
                    entry.name.startswith(start) and _RANDOM.fullmatch(entry.name[len(start) : -4])
                    for start in (prefix, ".matland-")
                )
                and entry.is_file(follow_symlinks=False)
                and entry.stat(follow_symlinks=False).st_mtime < _STARTED
            ]
    except OSError:  # a directory that cannot be listed: writing there says what is wrong
        return
    for path in stale:
        with contextlib.suppress(OSError):
            os.unlink(path)


def same_file(a: str, b: str) -> bool:
    """Whether two paths name one file: the same real path, or (on a file system that folds
    case, such as macOS's) the same file on disk."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one is not there (yet)
        return False


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _sync_directory(directory: str) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a directory
        handle = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
