"""`matland check` as a typed options object and one `execute` (the CLI only gathers flags).

The edge of the road: it reads the files (through run.py), writes `--output` files
atomically, and returns the terminal text and the exit code; it never prints or exits.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from matland.assessment import FileResult
from matland.files import write_atomic
from matland.gates import Gates
from matland.knowledge import Knowledge
from matland.render import RENDERERS, RenderOptions, renderer
from matland.run import EXIT_OK, check_paths, exit_code


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
    results = check_paths(
        options.paths,
        knowledge,
        options.max_bytes,
        exclude=options.exclude,
        jobs=options.jobs,
        rules_dir=options.rules_dir,
        slim=True,
        gates=asked,
    )
    render_options = RenderOptions(knowledge, "check", options.fail_on)
    run = CheckRun(iter(()))
    stream = getattr(importlib.import_module(RENDERERS[options.format][0]), "stream", None)
    if stream is not None and not options.outputs:
        # Stream: each file is printed as it is checked and then dropped (flat memory).
        run.chunks = stream(_watched(results, run, options.fail_on), render_options)
        return run
    kept = list(results)
    _, problems = write_outputs(options.outputs, kept, render_options, options.paths)
    run.chunks = iter((renderer(options.format)(kept, render_options),))
    run.exit_code, run.problems = exit_code(kept, options.fail_on), tuple(problems)
    return run


def _watched(results: Iterator[FileResult], run: CheckRun, fail_on: str) -> Iterator[FileResult]:
    """The results, passing through; the exit code follows them (run.exit_code policy)."""
    for result in results:
        run.exit_code = max(run.exit_code, exit_code([result], fail_on))
        yield result


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
