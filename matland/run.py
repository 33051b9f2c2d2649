"""The road every command walks: find files, load each, assess it, decide the exit code.

I/O at the edge (reading files); no printing and no exiting here.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from matland.assessment import FileResult, assess
from matland.findings import Finding, severity_rank
from matland.knowledge import Knowledge
from matland.load import STDIN, load_proposal
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


def discover(paths: Sequence[str]) -> Iterator[Target]:
    """Files named, and *.yaml / *.yml below directories (sorted, symlink loops skipped)."""
    for path in paths:
        if path == STDIN:
            yield Target(STDIN)
        elif os.path.isdir(path):
            yield from _walk(path)
        elif os.path.exists(path) or os.path.islink(path):
            yield Target(path)
        else:
            yield Target(
                path,
                Finding(
                    path,
                    1,
                    1,
                    "no-such-file",
                    "error",
                    "no such file or directory",
                    "check the path",
                ),
            )


def _walk(top: str) -> Iterator[Target]:
    seen: set[str] = set()
    found_any = False
    for directory, subdirs, files in os.walk(top, followlinks=True):
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
        for name in sorted(files):
            if name.endswith(YAML_SUFFIXES):
                found_any = True
                yield Target(os.path.join(directory, name))
    if not found_any:
        yield Target(
            top,
            Finding(
                top,
                1,
                1,
                "no-proposals",
                "error",
                "no .yaml or .yml files in this directory",
                "give proposal files or a directory holding them",
            ),
        )


def check_file(path: str, knowledge: Knowledge, max_bytes: int = DEFAULT_MAX_BYTES) -> FileResult:
    text = None
    if path == STDIN:
        try:
            text = decode(sys.stdin.buffer.read(max_bytes + 1))
        except YamlProblem as problem:
            return FileResult(path, errors=(problem.finding("<stdin>"),))
        if len(text) > max_bytes:
            return FileResult(
                path,
                errors=(
                    Finding("<stdin>", 1, 1, "too-large", "error", "input over the size limit"),
                ),
            )
    proposal, errors = load_proposal(path, knowledge, max_bytes, text=text)
    if proposal is None:
        return FileResult(path, errors=tuple(errors))
    return FileResult(path, assess(proposal, knowledge))


def check_paths(
    paths: Sequence[str], knowledge: Knowledge, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[FileResult]:
    results = []
    for target in discover(paths):
        if target.problem is not None:
            if target.problem.is_error:
                results.append(FileResult(target.path, errors=(target.problem,)))
            continue
        results.append(check_file(target.path, knowledge, max_bytes))
    return results


def exit_code(results: Sequence[FileResult], fail_on: str = "never") -> int:
    """0 clean, 1 a finding at or above `fail_on` (accepted risks do not count),
    2 an invalid file."""
    if any(not r.valid for r in results):
        return EXIT_INVALID
    if fail_on != "never":
        threshold = severity_rank(fail_on)
        for result in results:
            if any(
                not f.accepted and severity_rank(f.severity) >= threshold for f in result.findings()
            ):
                return EXIT_FINDINGS
    return EXIT_OK
