"""The road every command walks: find files, load each, assess it, decide the exit code.

I/O at the edge (reading files); no printing and no exiting here.
"""

from __future__ import annotations

import fnmatch
import gc
import os
import re
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from matland.assessment import FileResult, assess
from matland.findings import Finding
from matland.gates import Gates, apply
from matland.knowledge import Approach, Knowledge, Risk, load_knowledge
from matland.load import STDIN, load_proposal
from matland.paths import STDIN_NAME
from matland.yamlpos import DEFAULT_MAX_BYTES, YamlProblem, decode

# The exit-code policy, documented in the README and in `matland --help`.
EXIT_OK = 0  # every file valid, no finding at or above --fail-on
EXIT_FINDINGS = 1  # a finding at or above --fail-on
EXIT_INVALID = 2  # an invalid file, or a usage error
EXIT_BUG = 3  # a bug in matland
FAIL_ON = ("never", "info", "low", "medium", "high")
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Target:
    path: str
    problem: Finding | None = None  # the path itself is unusable (missing, a loop ...)


NO_GATES = Gates()

# Below this many files a worker pool costs more to start than it saves (measured with
# benchmarks/bench_check.py on 2 cores: pool start-up is about 40 ms, a file about 0.4 ms).
PARALLEL_MIN_FILES = 200
CHUNK = 64  # files per task sent to a worker: amortises pickling without starving a core
GC_EVERY = 50_000  # a worker's collector threshold (allocations); Python's default is 700


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
    for directory, subdirs, files in os.walk(top, onerror=unreadable.append, followlinks=True):
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


def check_file(
    path: str, knowledge: Knowledge, max_bytes: int = DEFAULT_MAX_BYTES, gates: Gates = NO_GATES
) -> FileResult:
    text = None
    if path == STDIN:
        path = STDIN_NAME  # what every format shows for `-`
        try:
            if sys.stdin is None:  # started with stdin closed (`<&-`)
                raise YamlProblem(
                    "standard input is closed",
                    hint="give a file, or pipe one in",
                    rule_id="unreadable",
                )
            text = decode(sys.stdin.buffer.read(max_bytes + 1))
        except YamlProblem as problem:
            return FileResult(path, errors=(problem.finding(path),))
        if len(text) > max_bytes:
            too_large = Finding(
                path,
                1,
                1,
                "too-large",
                "error",
                f"input over the {max_bytes:,}-byte limit",
                "raise --max-bytes",
            )
            return FileResult(path, errors=(too_large,))
    proposal, errors = load_proposal(path, knowledge, max_bytes, text=text)
    if proposal is None:
        return FileResult(path, errors=tuple(errors))
    return apply(FileResult(path, assess(proposal, knowledge)), gates)


def check_paths(
    paths: Sequence[str],
    knowledge: Knowledge,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    exclude: Sequence[str] = (),
    jobs: int = 1,
    rules_dir: str | None = None,
    gates: Gates = NO_GATES,
) -> Iterator[FileResult]:
    """Every file checked, in order; with jobs > 1 and enough files, in worker processes
    (whole results travel back: for a large run, `check_paths_as` with a `finish` that
    keeps only what is needed)."""
    work = Work(rules_dir, max_bytes, gates, _keep)
    yield from check_paths_as(paths, knowledge, work, exclude=exclude, jobs=jobs)


T = TypeVar("T")


def _keep(result: FileResult, knowledge: Knowledge) -> FileResult:
    return result


def check_paths_as(
    paths: Sequence[str],
    knowledge: Knowledge,
    work: Work[T],
    *,
    exclude: Sequence[str] = (),
    force_exclude: bool = False,
    jobs: int = 1,
) -> Iterator[T]:
    """check_paths, each result passed through `work.finish` where it was checked (in a
    worker, for a large run): a format can turn a result into its output there, so the
    parent only joins the pieces."""
    targets = list(discover(paths, exclude, force_exclude))
    files = [t.path for t in targets if t.problem is None and t.path != STDIN]
    if jobs > 1 and len(files) >= PARALLEL_MIN_FILES:
        yield from _parallel(targets, knowledge, work, jobs)
        return
    for target in targets:
        result = _check_target(target, knowledge, work.max_bytes, work.gates)
        if result is not None:
            yield work.finish(result, knowledge)


def _check_target(
    target: Target, knowledge: Knowledge, max_bytes: int, gates: Gates
) -> FileResult | None:
    if target.problem is not None:
        return (
            FileResult(target.path, errors=(target.problem,)) if target.problem.is_error else None
        )
    return check_file(target.path, knowledge, max_bytes, gates)


@dataclass(frozen=True)
class Work(Generic[T]):
    """What a worker process needs to check a file as the parent would."""

    rules_dir: str | None
    max_bytes: int
    gates: Gates
    finish: Callable[[FileResult, Knowledge], T]  # module-level, so it pickles by name


_worker: tuple[Knowledge, Work[Any]] | None = None


def _init_worker(work: Work[Any]) -> None:
    global _worker
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the pool ends its workers with SIGTERM
    _worker = (load_knowledge(work.rules_dir), work)
    # Checking a file leaves almost no garbage only the collector can free (536 objects in
    # 2,000 files), yet its allocations set a collection off every 700: 3% of the time.
    gc.set_threshold(GC_EVERY)
    # Results travel back holding rules (Risk, Approach); send those as references to the
    # parent's own loaded copy, so 10,000 results share one set of rules, not 157 copies.
    from multiprocessing.reduction import ForkingPickler

    ForkingPickler.register(Risk, lambda risk: (shared_rule, (work.rules_dir, "risk", risk.id)))
    ForkingPickler.register(
        Approach, lambda approach: (shared_rule, (work.rules_dir, "approach", approach.id))
    )


def shared_rule(rules_dir: str | None, kind: str, rule_id: str) -> Risk | Approach:
    """The process's own loaded copy of a rule, by id (unpickling worker results)."""
    knowledge = load_knowledge(rules_dir)
    if kind == "risk":
        return next(risk for risk in knowledge.risks if risk.id == rule_id)
    return knowledge.approaches[rule_id]


def _work(path: str) -> Any:
    assert _worker is not None
    knowledge, work = _worker
    result = check_file(path, knowledge, work.max_bytes, work.gates)
    return work.finish(result, knowledge)


def _parallel(targets: list[Target], knowledge: Knowledge, work: Work[T], jobs: int) -> Iterator[T]:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    plain = [t.path for t in targets if t.problem is None and t.path != STDIN]
    # What is loaded (modules, rules) is frozen out of the collector's sight before the
    # workers fork: they share its pages instead of copying them as the collector walks it.
    gc.freeze()
    try:
        with context.Pool(jobs, initializer=_init_worker, initargs=(work,)) as pool:
            checked = pool.imap(_work, plain, chunksize=CHUNK)
            for target in targets:
                if target.problem is None and target.path != STDIN:
                    yield next(checked)
                else:
                    result = _check_target(target, knowledge, work.max_bytes, work.gates)
                    if result is not None:
                        yield work.finish(result, knowledge)
    finally:
        gc.unfreeze()


def file_exit_code(valid: bool, findings: Sequence[Finding], fail_on: str) -> int:
    """0 clean, 1 a finding at or above `fail_on` (accepted risks do not count), 2 an
    invalid file; a run's code is the largest of its files'."""
    if not valid:
        return EXIT_INVALID
    return EXIT_FINDINGS if any(f.fails(fail_on) for f in findings) else EXIT_OK
