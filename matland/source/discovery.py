"""Which files a run reads: the paths named, and the proposal files below directories,
with excludes applied (I/O at the edge: listing directories; nothing printed)."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterator, Sequence

from matland.core.findings import Finding
from matland.core.records import record
from matland.source.load import STDIN

YAML_SUFFIXES = (".yaml", ".yml")


@record
class Target:
    path: str
    problem: Finding | None = None  # the path itself is unusable (missing, a loop ...)


def discover(
    paths: Sequence[str], exclude: Sequence[str] = (), force_exclude: bool = False
) -> Iterator[Target]:
    """Files named, and *.yaml / *.yml below directories (sorted, symlink loops skipped),
    each once (`check a.yaml .` checks a.yaml once, where first named or found). `exclude`
    globs drop files and directories found in directories; a path named outright is kept
    unless `force_exclude` (pre-commit names every file it passes)."""
    exclusion = _Exclusion(exclude)
    found = (target for path in paths for target in _targets(path, exclusion, force_exclude))
    if len(paths) == 1:  # one path cannot give a file twice: no set of them to keep
        yield from found
        return
    seen: set[str] = set()
    for target in found:
        if target.problem is None and target.path != STDIN:
            key = os.path.normcase(os.path.abspath(target.path))
            if key in seen:
                continue
            seen.add(key)
        yield target


def _targets(path: str, exclusion: _Exclusion, force_exclude: bool) -> Iterator[Target]:
    if path == STDIN:
        yield Target(STDIN)
    elif force_exclude and exclusion.excludes(path):
        if os.path.isdir(path):  # a file named and excluded is skipped (pre-commit names all)
            yield Target(
                path,
                Finding(
                    path,
                    1,
                    1,
                    "no-proposals",
                    "error",
                    "this directory is excluded, and so is every file in it",
                    "check the exclude patterns, or name the files",
                ),
            )
        return
    elif os.path.isdir(path):
        yield from _walk(path, exclusion)
    elif os.path.exists(path) or os.path.islink(path):
        yield Target(path)
    else:
        yield Target(
            path,
            Finding(
                path, 1, 1, "no-such-file", "error", "no such file or directory", "check the path"
            ),
        )


class _Exclusion:
    """Exclude globs, compiled once into one pattern. A pattern matches a path relative to
    the working directory, its absolute path (the config's patterns are anchored to its
    directory) or its name; a directory it matches is left out with everything below it."""

    def __init__(self, patterns: Sequence[str]) -> None:
        joined = "|".join(fnmatch.translate(os.path.normcase(_plain(p))) for p in patterns)
        self.match = re.compile(joined).match if patterns else None

    def drops(self, directory: str, names: Sequence[str]) -> set[str]:
        """Which of the names (files or directories) found in the directory are excluded;
        both paths of the directory are worked out once for all its names."""
        if self.match is None:
            return set()
        relative = _slashed(os.path.relpath(directory))
        relative = "" if relative == "." else relative.rstrip("/") + "/"
        absolute = _slashed(os.path.abspath(directory)).rstrip("/") + "/"
        match = self.match
        return {
            name
            for name in names
            if match(os.path.normcase(relative + name))
            or match(os.path.normcase(absolute + name))
            or match(os.path.normcase(name))
        }

    def excludes(self, path: str) -> bool:
        """A path named outright: excluded if it, or a directory it lies in, matches."""
        if self.match is None:
            return False
        directory, name = os.path.split(os.path.normpath(path))
        if self.drops(directory or ".", [name]):
            return True
        # The directories it lies in, as far as they are below the working directory (a
        # pattern such as `drafts` must not catch /home/drafts/… from outside the repository).
        relative = os.path.relpath(directory or ".")
        while relative not in (".", "") and not relative.startswith(".."):
            parent, name = os.path.split(relative)
            if self.drops(parent or ".", [name]):
                return True
            relative = parent
        return False


def _plain(pattern: str) -> str:
    """`./drafts/` as `drafts`: the paths it is matched against carry neither."""
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern.rstrip("/") or pattern


def _slashed(path: str) -> str:
    return path.replace(os.sep, "/")


def input_files(paths: Sequence[str]) -> list[str]:
    """The files a command given these paths reads: each file named, and the proposal
    files found in each directory (what an output file must never replace)."""
    return [t.path for t in discover(paths) if t.problem is None and t.path != STDIN]


def _walk(top: str, exclusion: _Exclusion) -> Iterator[Target]:
    """The proposal files below a directory. A directory that cannot be read is an error
    (a run must not pass on files it never saw), and so is one whose every file is
    excluded; files that are not regular files (a FIFO would block the run) are skipped."""
    seen: set[str] = set()
    excluded_any = kept_any = failed_any = False
    unreadable: list[OSError] = []
    for directory, subdirs, files, depth in _directories(top, unreadable):
        failed_any = failed_any or bool(unreadable)
        yield from (_unreadable(error) for error in unreadable)
        unreadable.clear()
        real = os.path.realpath(directory)
        if real in seen:  # a symlink loop, or a second way into the same directory
            subdirs.clear()
            yield Target(
                directory,
                Finding(
                    directory,
                    1,
                    1,
                    "symlink-loop",
                    "info",
                    "directory already visited (symlink loop); skipped",
                ),
            )
            continue
        seen.add(real)
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        if depth >= MAX_DEPTH and subdirs:  # not entered: said, as an unread directory is
            failed_any = True
            yield _too_deep(directory)
            subdirs.clear()
        left_out = exclusion.drops(directory, subdirs)  # worked out once for them all
        excluded_any = excluded_any or bool(left_out)
        subdirs[:] = [d for d in subdirs if d not in left_out]
        found = sorted(
            n for n in files if n.lower().endswith(YAML_SUFFIXES) and not n.startswith(".")
        )
        dropped = exclusion.drops(directory, found)  # .matland.yaml and other dotfiles aside
        excluded_any = excluded_any or bool(dropped)
        for name in found:
            path = os.path.join(directory, name)
            if name not in dropped and (os.path.isfile(path) or not os.path.exists(path)):
                kept_any = True
                yield Target(path)  # (a dangling link is kept: reading it says what is wrong)
    failed_any = failed_any or bool(unreadable)
    yield from (_unreadable(error) for error in unreadable)
    if not kept_any and not failed_any:
        message = (
            "every .yaml or .yml file in this directory is excluded"
            if excluded_any
            else "no .yaml or .yml files in this directory"
        )
        hint = (
            "check the exclude patterns"
            if excluded_any
            else "give proposal files or a directory holding them"
        )
        yield Target(top, Finding(top, 1, 1, "no-proposals", "error", message, hint))


# How far below a directory named its proposal files are looked for. A real repository is a
# few levels deep; a hostile one can be thousands (a walk by recursion ended in
# RecursionError at about 990 levels, and took 10 s at 900).
MAX_DEPTH = 100


def _directories(
    top: str, unreadable: list[OSError]
) -> Iterator[tuple[str, list[str], list[str], int]]:
    """`os.walk(top, followlinks=True)` top-down, with each directory's depth below top, and
    without recursion: a stack of the directories still to list, however deep the tree.
    Pruning the subdirectories yielded prunes the walk; a directory that cannot be listed
    goes to `unreadable`."""
    stack = [(top, 0)]
    while stack:
        directory, depth = stack.pop()
        subdirs: list[str] = []
        files: list[str] = []
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    try:
                        is_dir = entry.is_dir()  # a link to a directory too, as followlinks
                    except OSError:
                        is_dir = False
                    (subdirs if is_dir else files).append(entry.name)
        except OSError as error:
            unreadable.append(error)
            continue
        yield directory, subdirs, files, depth
        stack.extend((os.path.join(directory, d), depth + 1) for d in reversed(subdirs))


def _too_deep(directory: str) -> Target:
    return Target(
        directory,
        Finding(
            directory,
            1,
            1,
            "too-deep",
            "error",
            f"directories nested more than {MAX_DEPTH} levels below the one named; "
            "the ones below this are not read",
            "name the deeper directory itself, or check how the tree came to be so deep",
        ),
    )


def _unreadable(error: OSError) -> Target:
    where = error.filename if isinstance(error.filename, str) else str(error.filename)
    return Target(
        where,
        Finding(
            where,
            1,
            1,
            "unreadable",
            "error",
            f"cannot read directory: {error.strerror}",
            "check the directory's permissions",
        ),
    )
