"""`matland check` as a typed options object and one `execute` (the CLI only gathers flags).

The edge of the road: it reads the files (through run.py), writes `--output` files
atomically, and returns the terminal text and the exit code; it never prints or exits.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from matland.assessment import FileResult
from matland.files import write_atomic
from matland.gates import Gates
from matland.knowledge import Knowledge
from matland.render import RenderOptions, renderer
from matland.run import check_paths, exit_code


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


@dataclass(frozen=True)
class CheckRun:
    text: str
    exit_code: int
    written: tuple[str, ...]
    problems: tuple[str, ...]  # outputs that could not be written


def execute(options: CheckOptions, knowledge: Knowledge) -> CheckRun:
    asked = Gates(options.require_complete, options.expect_paradigm)
    results = list(
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
    render_options = RenderOptions(knowledge, "check", options.fail_on)
    written, problems = write_outputs(options.outputs, results, render_options, options.paths)
    text = renderer(options.format)(results, render_options)
    code = exit_code(results, options.fail_on)
    return CheckRun(text, code, tuple(written), tuple(problems))


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
