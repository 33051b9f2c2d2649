"""File paths as a repository's tools read them: code scanning and pull-request annotations
resolve a relative path against the repository's root, not the directory matland ran in."""

from __future__ import annotations

import functools
import os
import posixpath
from collections.abc import Iterator

STDIN_NAME = "<stdin>"  # what every format shows for `-` (standard input)


def from_root(path: str) -> str:
    """A relative path as seen from the root of the repository holding the working
    directory (forward slashes, no `./`); an absolute path, or one outside the
    repository, as it is."""
    if os.path.isabs(path) or path == STDIN_NAME:  # standard input is no path
        return path.replace(os.sep, "/")
    relative = posixpath.normpath(path.replace(os.sep, "/"))
    inside = posixpath.normpath(_prefix(os.getcwd()) + relative)
    return relative if inside.startswith("../") else inside


def upwards(start: str) -> Iterator[str]:
    """The directory and those above it, up to its repository's root (the first holding
    `.git`: a directory, or a worktree's file) or the file system's."""
    directory = os.path.abspath(start)
    while True:
        yield directory
        parent = os.path.dirname(directory)
        if is_root(directory) or parent == directory:
            return
        directory = parent


def is_root(directory: str) -> bool:
    """Whether the directory is a repository's root."""
    return os.path.exists(os.path.join(directory, ".git"))


@functools.cache
def _prefix(cwd: str) -> str:
    """The working directory relative to its repository's root, with a trailing slash ('' at
    the root, or outside any repository)."""
    *_, top = upwards(cwd)
    relative = os.path.relpath(cwd, top)
    return "" if not is_root(top) or relative == "." else relative.replace(os.sep, "/") + "/"
