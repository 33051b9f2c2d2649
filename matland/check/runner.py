"""`matland check`'s runner: every file checked in order, in worker processes when a run
is large enough for them to pay (I/O at the edge; no printing and no exiting here)."""

from __future__ import annotations

import gc
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, Protocol, TypeVar

from matland.core.assessment import FileResult
from matland.core.gates import Gates
from matland.core.knowledge import Approach, Knowledge, Risk, load_knowledge
from matland.core.records import record
from matland.core.yamlpos import DEFAULT_MAX_BYTES
from matland.source.discovery import Target, discover
from matland.source.load import STDIN
from matland.source.pipeline import NO_GATES, check_file, check_target

# Below this many files a worker pool costs more to start than it saves (measured with
# benchmarks/bench_check.py on 2 cores: pool start-up is about 40 ms, a file about 0.4 ms).
PARALLEL_MIN_FILES = 200
CHUNK = 64  # files per task sent to a worker: amortises pickling without starving a core
GC_EVERY = 50_000  # a worker's collector threshold (allocations); Python's default is 700


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
    (whole results travel back: for a large run, `check_paths_as` with a `render` that
    keeps only what is needed)."""
    work = Work(rules_dir, max_bytes, gates, _keep)
    yield from check_paths_as(paths, knowledge, work, exclude=exclude, jobs=jobs)


T = TypeVar("T")


def _keep(result: FileResult, knowledge: Knowledge) -> FileResult:
    return result


class Memo(Protocol[T]):
    """What a run remembers of its files (check/resultcache.py): a file's finished result
    from an earlier run, or None; and a file's result, once checked."""

    def lookup(self, path: str) -> T | None: ...

    def store(self, path: str, finished: T) -> None: ...


def check_paths_as(
    paths: Sequence[str],
    knowledge: Knowledge,
    work: Work[T],
    *,
    exclude: Sequence[str] = (),
    force_exclude: bool = False,
    jobs: int = 1,
    memo: Memo[T] | None = None,
) -> Iterator[T]:
    """check_paths, each result passed through `work.render` where it was checked (in a
    worker, for a large run): a format can turn a result into its output there, so the
    parent only joins the pieces. With a `memo`, a file it remembers is not checked again;
    the pool is started for the files left to check only."""
    targets = list(discover(paths, exclude, force_exclude))
    known: dict[int, T] = {}
    if memo is not None:
        for index, target in enumerate(targets):
            if target.problem is None and target.path != STDIN:
                found = memo.lookup(target.path)
                if found is not None:
                    known[index] = found
    todo = [t for index, t in enumerate(targets) if index not in known]
    files = [t.path for t in todo if t.problem is None and t.path != STDIN]
    if jobs > 1 and len(files) >= PARALLEL_MIN_FILES:
        checked = _parallel(todo, knowledge, work, jobs)
    else:
        checked = (_one(target, knowledge, work) for target in todo)
    for index, target in enumerate(targets):
        if index in known:
            yield known[index]
            continue
        finished = next(checked)
        if finished is not None:
            if memo is not None and target.problem is None and target.path != STDIN:
                memo.store(target.path, finished)
            yield finished


def _one(target: Target, knowledge: Knowledge, work: Work[T]) -> T | None:
    result = check_target(target, knowledge, work.max_bytes, work.gates)
    return None if result is None else work.render(result, knowledge)


@record
class Work(Generic[T]):
    """What a worker process needs to check a file as the parent would."""

    rules_dir: str | None
    max_bytes: int
    gates: Gates
    render: Callable[[FileResult, Knowledge], T]  # module-level, so it pickles by name


_worker: tuple[Knowledge, Work[Any]] | None = None


def _init_worker(work: Work[Any]) -> None:
    global _worker
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the pool ends its workers with SIGTERM
    # A Ctrl-C reaches the whole process group: the parent alone acts on it (it stops the
    # pool). A worker that raised KeyboardInterrupt could die holding the pool's queue
    # lock, and the pool's shutdown then waited for it for ever (1 run in 10, by a trial).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
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
    return work.render(result, knowledge)


def _parallel(
    targets: list[Target], knowledge: Knowledge, work: Work[T], jobs: int
) -> Iterator[T | None]:
    """Each target's finished result in order (None for one that yields nothing)."""
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
                    yield _one(target, knowledge, work)
    finally:
        gc.unfreeze()
