"""`matland check` as a typed options object and one `execute` (the CLI only gathers flags).

The edge of the road: it reads the files (through run.py), writes `--output` files
atomically, and returns the terminal text and the exit code; it never prints or exits.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
from collections.abc import Callable, Iterator
from dataclasses import astuple
from functools import partial

from matland.check.runner import Work, check_paths_as
from matland.core.gates import Gates
from matland.core.knowledge import Knowledge
from matland.core.records import record
from matland.core.vocabulary import EXIT_OK
from matland.render import RenderOptions, assembly, pieces, prose
from matland.render.stream import Assembly, Piece, assemble
from matland.source.files import AtomicFile


@record
class Output:
    format: str
    path: str


@record
class CheckOptions:
    paths: tuple[str, ...]
    format: str = "text"
    fail_on: str = "high"
    max_bytes: int = 1_000_000
    require_complete: bool = False
    expect_paradigm: str | None = None
    require_notes: str | None = None
    outputs: tuple[Output, ...] = ()
    exclude: tuple[str, ...] = ()
    force_exclude: bool = False  # excludes apply to files named outright too (pre-commit)
    jobs: int = 1
    rules_dir: str | None = None
    cache_dir: str | None = None  # the result cache's folder; None: no cache


@record(frozen=False)
class CheckRun:
    """What a check prints, piece by piece, and how it ends; `exit_code` and `problems` are
    final once `chunks` is exhausted."""

    chunks: Iterator[str]
    exit_code: int = EXIT_OK
    problems: tuple[str, ...] = ()  # outputs that could not be written


def execute(options: CheckOptions, knowledge: Knowledge) -> CheckRun:
    """Every format streams: each file is checked once and rendered, for the terminal and for
    each --output, where it was checked; the parent only joins the pieces, so memory stays
    flat however many files there are (and JSON and GitHub output start at once)."""
    asked = Gates(options.require_complete, options.expect_paradigm, options.require_notes)
    names = tuple(dict.fromkeys([options.format, *(o.format for o in options.outputs)]))
    render = partial(pieces, names, options.fail_on)
    work = Work(options.rules_dir, options.max_bytes, asked, render)
    memo = None
    if options.cache_dir is not None and knowledge.digest:
        from matland.check.resultcache import ResultCache

        # Everything a file's pieces depend on besides its content and its path as shown.
        context = [knowledge.digest, options.fail_on, options.max_bytes, *astuple(asked)]
        memo = ResultCache(options.cache_dir, context, names)
    checked = check_paths_as(
        options.paths,
        knowledge,
        work,
        exclude=options.exclude,
        force_exclude=options.force_exclude,
        jobs=options.jobs,
        memo=memo,
    )
    run = CheckRun(iter(()))
    run.chunks = _streamed(
        run, checked, names, options, RenderOptions(knowledge, "check", options.fail_on)
    )
    if memo is not None:
        run.chunks = _then(run.chunks, memo.save)
    return run


def _then(chunks: Iterator[str], done: Callable[[], None]) -> Iterator[str]:
    """The chunks, and `done` once they are all out (a run cut short keeps its old cache)."""
    yield from chunks
    done()


def _streamed(
    run: CheckRun,
    checked: Iterator[tuple[Piece, ...]],
    names: tuple[str, ...],
    options: CheckOptions,
    render_options: RenderOptions,
) -> Iterator[str]:
    files: list[OutputFile] = []
    try:
        for o in options.outputs:
            for_file = dataclasses.replace(render_options, columns=prose.FILE_COLUMNS)
            files.append(OutputFile(o, names.index(o.format), assembly(o.format, for_file)))
        terminal = assembly(options.format, render_options)
        yield from assemble(terminal, _fed(checked, run, files, options.fail_on))
        with _all_or_none():
            run.problems = tuple(problem for file in files if (problem := file.put_in_place()))
    finally:
        for file in files:
            file.discard()


@contextlib.contextmanager
def _all_or_none() -> Iterator[None]:
    """Ctrl-C and SIGTERM held back while the outputs are put in place: a cancelled run
    leaves the old ones, or all the new ones, never some of each."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal mask
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _fed(
    checked: Iterator[tuple[Piece, ...]], run: CheckRun, files: list[OutputFile], fail_on: str
) -> Iterator[Piece]:
    """The terminal's pieces, passing through; the exit code follows them (the run.exit_code
    policy), and each --output takes its own piece of the file."""
    for each in checked:
        first = each[0]
        run.exit_code = max(run.exit_code, first.exit_code)
        real = os.path.realpath(first.path) if files else ""
        for file in files:
            file.add(each, real)
        yield first


class OutputFile:
    """One `--output FORMAT:FILE`: its format's document, written as the run goes to a
    temporary file beside FILE and put in place once complete; never onto an input."""

    def __init__(self, output: Output, index: int, assembly: Assembly) -> None:
        self.output = output
        self.index = index  # of its format's piece among each file's pieces
        self.assembly = assembly
        self.real = os.path.realpath(output.path)
        self.is_input = False
        self.error: str | None = None
        self.file: AtomicFile | None = None
        try:
            self.file = AtomicFile(output.path)
        except OSError as error:
            self.error = error.strerror
        try:
            self._write(assembly.start())
        except BaseException:  # Ctrl-C or SIGTERM before the run holds it: no file left
            self.discard()
            raise

    def add(self, each: tuple[Piece, ...], real: str) -> None:
        self.is_input = self.is_input or real == self.real
        if self.file is not None:
            self._write(self.assembly.add(each[self.index]))

    def put_in_place(self) -> str:
        """The file put in place; or, when it cannot be, the problem to report (a file
        named as an input was refused before the run: cli._outputs)."""
        path = self.output.path
        if self.is_input:  # a file found in a directory, met as the run went
            return f"{path}: is one of the inputs; not overwritten"
        if self.file is not None:
            for chunk in self.assembly.end():
                self._write(chunk)
        if self.file is None:  # it could not be made, or a write failed
            return f"{path}: cannot write: {self.error}"
        try:
            self.file.commit(replace=True)
        except OSError as error:
            return f"{path}: cannot write: {error.strerror}"
        return ""

    def discard(self) -> None:
        self.assembly.close()
        if self.file is not None:
            self.file.discard()

    def _write(self, text: str) -> None:
        if self.file is None or not text:
            return
        try:
            self.file.write(text)
        except OSError as error:  # a full disk: the run goes on, the output is reported
            self.error = error.strerror
            self.file.discard()
            self.file = None
