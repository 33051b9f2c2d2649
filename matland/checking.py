"""`matland check` as a typed options object and one `execute` (the CLI only gathers flags).

The edge of the road: it reads the files (through run.py), writes `--output` files
atomically, and returns the terminal text and the exit code; it never prints or exits.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from matland.assessment import FileResult
from matland.files import write_atomic
from matland.findings import Finding
from matland.gates import Gates
from matland.knowledge import Knowledge
from matland.render import RENDERERS, RenderOptions, renderer
from matland.run import EXIT_OK, Work, check_paths, check_paths_as, exit_code, file_exit_code


@dataclass(frozen=True)
class Output:
    format: str
    path: str


@dataclass(frozen=True)
class CheckOptions:
    paths: tuple[str, ...]
    format: str = "text"
    fail_on: str = "high"
    max_bytes: int = 1_000_000
    require_complete: bool = False
    expect_paradigm: str | None = None
    outputs: tuple[Output, ...] = ()
    exclude: tuple[str, ...] = ()
    jobs: int = 1
    rules_dir: str | None = None


@dataclass
class CheckRun:
    """What a check prints, piece by piece, and how it ends; `exit_code` and `problems` are
    final once `chunks` is exhausted."""

    chunks: Iterator[str]
    exit_code: int = EXIT_OK
    problems: tuple[str, ...] = ()  # outputs that could not be written


def execute(options: CheckOptions, knowledge: Knowledge) -> CheckRun:
    asked = Gates(options.require_complete, options.expect_paradigm)
    render_options = RenderOptions(knowledge, "check", options.fail_on)
    module = importlib.import_module(RENDERERS[options.format][0])
    run = CheckRun(iter(()))
    if hasattr(module, "piece") and not options.outputs:
        # The format renders each file where it is checked and the parent only joins the
        # pieces: output starts at once, nothing is held (flat memory), workers do the work.
        # Only the piece is kept, so the result need not be slimmed first.
        work = Work(options.rules_dir, options.max_bytes, False, asked, module.piece)
        pieces = check_paths_as(
            options.paths, knowledge, work, exclude=options.exclude, jobs=options.jobs
        )
        run.chunks = module.assemble(_watched(pieces, run, options.fail_on))
        return run
    kept = list(
        check_paths(
            options.paths,
            knowledge,
            options.max_bytes,
            exclude=options.exclude,
            jobs=options.jobs,
            rules_dir=options.rules_dir,
            slim=True,
            gates=asked,
        )
    )
    _, problems = write_outputs(options.outputs, kept, render_options, options.paths)
    run.chunks = iter((renderer(options.format)(kept, render_options),))
    run.exit_code, run.problems = exit_code(kept, options.fail_on), tuple(problems)
    return run


class _Part(Protocol):
    valid: bool
    findings: tuple[Finding, ...]


P = TypeVar("P", bound=_Part)


def _watched(pieces: Iterator[P], run: CheckRun, fail_on: str) -> Iterator[P]:
    """The pieces, passing through; the exit code follows them (run.exit_code policy)."""
    for part in pieces:
        run.exit_code = max(run.exit_code, file_exit_code(part.valid, part.findings, fail_on))
        yield part


def write_outputs(
    outputs: Sequence[Output],
    results: Sequence[FileResult],
    render_options: RenderOptions,
    inputs: Sequence[str],
) -> tuple[list[str], list[str]]:
    """Each `--output FORMAT:FILE`, atomically; an input file is never overwritten."""
    written, problems = [], []
    protected = {os.path.realpath(r.path) for r in results} | {
        os.path.realpath(p) for p in inputs if p != "-"
    }
    for output in outputs:
        if os.path.realpath(output.path) in protected:
            problems.append(f"{output.path}: is one of the inputs; not overwritten")
            continue
        try:
            write_atomic(
                output.path, renderer(output.format)(results, render_options), replace=True
            )
        except OSError as error:
            problems.append(f"{output.path}: cannot write: {error.strerror}")
            continue
        written.append(output.path)
    return written, problems
