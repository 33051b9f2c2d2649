"""File paths as a repository's tools read them: code scanning and pull-request annotations
resolve a relative path against the repository's root, not the directory matland ran in."""

from __future__ import annotations

import functools
import os
import posixpath

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


@functools.cache
def _prefix(cwd: str) -> str:
    """The working directory relative to its repository's root, with a trailing slash ('' at
    the root, or outside any repository)."""
    directory = cwd
    while True:
        if os.path.exists(os.path.join(directory, ".git")):  # a directory, or a worktree's file
            relative = os.path.relpath(cwd, directory)
            return "" if relative == "." else relative.replace(os.sep, "/") + "/"
        parent = os.path.dirname(directory)
        if parent == directory:
            return ""
        directory = parent
