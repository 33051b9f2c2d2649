"""Speed and memory of `matland check` on many realistic proposals.

Generates N proposals (block style with comments, ~3.5 KB each, about a third of the answers
with notes, some `unsure`, 3-8 stakeholders) and times, in one run:

* `matland check DIR --format json` (full check: validation, classification, risks);
* `check-jsonschema --schemafile <matland schema> FILES…` on the same files (the tool a CI
  user would otherwise reach for; it must accept every file, which also proves the schema);
* the parse floor: `yaml.compose(…, Loader=yaml.CSafeLoader)` over the files in one process;

and prints the three times, both ratios, matland's peak memory, the result cache's second
run (nothing changed, then one file changed) against the floor measured beside it, and
start-up times of `matland --version` / `--help` against a bare `python -c pass`. The last
line is `name=value` pairs (seconds, ratios) for scripts.

With `--formats`, it instead prints the peak memory of `matland check DIR --format F` for each
format at each of `--sizes` (the same generated files, the smaller runs a prefix of the
largest), so whether memory stays flat in the number of files is shown by figures. `outputs`
stands for `--format text` with one `--output` file in each other format.

    python benchmarks/bench_check.py [--n 10000] [--skip-jsonschema]
    python benchmarks/bench_check.py --formats sarif,junit,text,outputs [--sizes 2000,10000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from matland.core.knowledge import load_knowledge

ROLES = ["implementer", "sponsor", "affected", "partner", "opponent"]
STANCES = ["support", "neutral", "oppose"]
LEVELS = ["low", "medium", "high"]
NOTES = [
    "targets left to local areas to define",
    "evidence from two comparable pilots in the north west",
    "professional bodies consulted late in the design",
    "funding settlement announced after the guidance",
    "regional leads report mixed readiness across councils",
]


def proposal_text(index: int, rng: random.Random) -> str:
    knowledge = load_knowledge()
    lines = [
        "# Generated for benchmarks/bench_check.py: a realistic proposal file.",
        "# yaml-language-server: $schema=matland.source.schema.json",
        "matland: 1",
        "policy:",
        f"  title: Generated policy {index}",
        "  summary: >-",
        "    A generated policy used to measure how fast matland checks a repository of",
        "    proposals; the wording is filler of the length a real summary would have.",
        "  owner: Department for Benchmarks",
        "  jurisdiction: England",
        "answers:",
    ]
    for question in knowledge.questions.values():
        if rng.random() < 0.1:
            continue
        lines.append(f"  # {question.text}")
        if rng.random() < 0.08:
            value = "unsure"
        elif question.type == "bool":
            value = rng.choice(["true", "false"])
        elif question.type == "count":
            value = str(rng.randint(1, 200))
        else:
            value = str(rng.randint(1, 5))
        if rng.random() < 0.33:
            lines.append(f'  {question.id}: {{value: {value}, note: "{rng.choice(NOTES)}"}}')
        else:
            lines.append(f"  {question.id}: {value}")
    lines.append("stakeholders:")
    for number in range(rng.randint(3, 8)):
        lines += [
            f"  - name: Stakeholder {number}",
            f"    role: {rng.choice(ROLES)}",
            f"    stance: {rng.choice(STANCES)}",
            f"    influence: {rng.choice(LEVELS)}",
        ]
    lines += ["support_plan:", "  - written_guidance", "  - regional_support", ""]
    return "\n".join(lines)


def generate(directory: Path, n: int) -> list[Path]:
    rng = random.Random(1995)  # Matland's year: the same files every run
    paths = []
    for index in range(n):
        path = directory / f"proposal-{index:05d}.yaml"
        path.write_text(proposal_text(index, rng), encoding="utf-8")
        paths.append(path)
    return paths


# matland runs as installed: with its bytecode cached. Some machines set
# PYTHONDONTWRITEBYTECODE, which makes every run compile matland's modules again (10-20 ms
# of start-up that a `pip install` never pays: pip compiles them when it installs).
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str]) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, env=ENV)
    return time.perf_counter() - start, result


def parse_floor(paths: list[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            yaml.compose(handle.read(), Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


def _runs(times: list[float]) -> str:
    return " ".join(f"{t:.2f}" for t in times)


def startup(command: list[str], repeat: int = 15) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, env=ENV)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# Run in a fresh interpreter so RUSAGE_CHILDREN holds one matland run only (the largest of it
# and its workers): ru_maxrss only ever grows within a process.
PEAK = (
    "import resource, subprocess, sys;"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode;"
    "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)
OUTPUT_FORMATS = ("json", "markdown", "sarif", "junit", "github")


def peak_memory(command: list[str]) -> tuple[int, float]:
    """The exit code and peak RSS (MB) of a command, its output thrown away."""
    done = subprocess.run([sys.executable, "-c", PEAK, *command], capture_output=True, check=True)
    code, peak_kb = done.stdout.split()
    return int(code), int(peak_kb) / 1024


def memory_by_format(matland: str, work: Path, formats: list[str], sizes: list[int]) -> int:
    """Peak RSS of `matland check` per format and run size: flat means the same in each column."""
    (work / "all").mkdir()
    paths = generate(work / "all", max(sizes))
    for size in sizes:
        folder = work / f"n{size}"
        folder.mkdir()
        for path in paths[:size]:
            os.link(path, folder / path.name)
    print(f"peak RSS of `matland check DIR --format F --fail-on never`, {os.cpu_count()} cores")
    print(f"{'format':<10}" + "".join(f"{f'{size:,} files':>14}" for size in sizes))
    for name in formats:
        figures = []
        for size in sizes:
            command = [matland, "check", str(work / f"n{size}"), "--fail-on", "never"]
            if name == "outputs":
                command += ["--format", "text"]
                for other in OUTPUT_FORMATS:
                    command += ["--output", f"{other}:{work / f'out-{size}.{other}'}"]
            else:
                command += ["--format", name]
            code, peak = peak_memory(command)
            if code != 0:
                print(f"{name}: matland check exited {code}")
                return 1
            figures.append(f"{peak:11.0f} MB")
        print(f"{name:<10}" + "".join(f"{figure:>14}" for figure in figures))
    return 0


def second_run(matland: str, work: Path, paths: list[Path], repeat: int) -> dict[str, float]:
    """The result cache: a second run over the same unchanged files, against the parse floor
    measured beside it, and a run after one file changed."""
    env = {**ENV, "MATLAND_CACHE_DIR": str(work / "cache")}
    command = [matland, "check", str(work / "proposals"), "--format", "json", "--fail-on", "never"]

    def run() -> float:
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, env=env)
        return time.perf_counter() - start

    first = run()
    # A stat is trusted for files changed two seconds or more before they were hashed (git's
    # racy-file rule): the generated files may be younger, so the first run is made again.
    time.sleep(2)
    shutil.rmtree(work / "cache")
    first = run()
    floors, seconds = [], []
    for _ in range(repeat):
        floors.append(parse_floor(paths))
        seconds.append(run())
    changed = []
    for number in range(repeat):
        paths[0].write_text(proposal_text(number, random.Random(number)), encoding="utf-8")
        changed.append(run())
    floor, second = statistics.median(floors), statistics.median(seconds)
    print(
        f"result cache: first run {first:.2f} s; second run {second:.2f} s "
        f"({second / floor:.2f}x the parse floor {floor:.2f} s, target <= 0.3x; "
        f"run by run {_runs(seconds)}); one file changed {statistics.median(changed):.2f} s"
    )
    return {
        "cache_first_s": round(first, 2),
        "second_run_s": round(second, 2),
        "second_floor_s": round(floor, 2),
        "second_vs_floor": round(second / floor, 3),
        "one_changed_s": round(statistics.median(changed), 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--skip-jsonschema", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the floor and of matland")
    parser.add_argument(
        "--formats", help="comma-separated formats (or `outputs`): measure memory only"
    )
    parser.add_argument("--sizes", default="2000,10000", help="run sizes for --formats")
    args = parser.parse_args()
    # The matland installed beside this Python first (a venv run without activating it).
    matland = (
        shutil.which("matland", path=os.path.dirname(sys.executable))
        or shutil.which("matland")
        or sys.exit("matland is not installed")
    )
    if args.formats:
        work = Path(tempfile.mkdtemp(prefix="matland-bench-"))
        try:
            sizes = [int(size) for size in args.sizes.split(",")]
            return memory_by_format(matland, work, args.formats.split(","), sizes)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix="matland-bench-"))
    try:
        (work / "proposals").mkdir()
        paths = generate(work / "proposals", args.n)
        size = sum(p.stat().st_size for p in paths) / len(paths)
        print(f"{args.n} proposals, {size / 1024:.1f} KB each on average, {os.cpu_count()} cores")

        # The floor and matland run alternately, --repeat times: a shared machine's speed
        # drifts by a fifth between minutes, so each ratio compares neighbouring runs and
        # the medians are reported.
        command = [matland, "check", str(work / "proposals"), "--format", "json", "--no-cache"]
        # Peak memory from a fresh interpreter: a fork of this process (which by then holds
        # a parsed 60 MB report) would count this process's pages as the child's.
        _, peak = peak_memory([*command, "--fail-on", "never"])
        floors, checks = [], []
        for _ in range(args.repeat):
            floors.append(parse_floor(paths))
            seconds, result = timed([*command, "--fail-on", "never"])
            if result.returncode != 0:
                print(result.stderr.decode()[-2000:])
                return 1
            summary = json.loads(result.stdout)["summary"]
            assert summary["valid"] == args.n, summary
            checks.append(seconds)
        floor, seconds = statistics.median(floors), statistics.median(checks)
        print(
            f"parse floor (CSafeLoader compose, 1 process): {floor:7.2f} s "
            f"({floor / args.n * 1000:.3f} ms/file)  runs: {_runs(floors)}"
        )
        print(
            f"matland check --format json:                  {seconds:7.2f} s "
            f"({seconds / args.n * 1000:.3f} ms/file), peak RSS {peak:.0f} MB"
            f"  runs: {_runs(checks)}"
        )
        ratios = sorted(c / f for c, f in zip(checks, floors, strict=True))
        print(
            f"  ratio to parse floor: {seconds / floor:.2f}x (target <= 1.0x); "
            f"run by run {ratios[0]:.2f}-{ratios[-1]:.2f}x"
        )

        figures = {
            "floor_s": round(floor, 2),
            "check_s": round(seconds, 2),
            "check_vs_floor": round(seconds / floor, 3),
            "peak_mb": round(peak),
        }
        figures.update(second_run(matland, work, paths, args.repeat))

        if not args.skip_jsonschema:
            schema = work / "matland.source.schema.json"
            schema.write_bytes(
                subprocess.run([matland, "schema"], capture_output=True, check=True).stdout
            )
            tool = shutil.which("check-jsonschema")
            if tool is None:
                print("check-jsonschema not installed (pip install check-jsonschema)")
            else:
                js_seconds, js = timed([tool, "--schemafile", str(schema), *map(str, paths)])
                verdict = "accepted every file" if js.returncode == 0 else "REJECTED files"
                print(
                    f"check-jsonschema:                             {js_seconds:7.2f} s "
                    f"({js_seconds / args.n * 1000:.3f} ms/file), {verdict}"
                )
                if js.returncode != 0:
                    print(js.stdout.decode()[-1500:])
                print(
                    f"  ratio matland / check-jsonschema: {seconds / js_seconds:.3f}x "
                    "(target <= 0.05x)"
                )
                figures["jsonschema_s"] = round(js_seconds, 2)
                figures["check_vs_jsonschema"] = round(seconds / js_seconds, 3)

        bare = startup([sys.executable, "-c", "pass"])
        version = startup([matland, "--version"])
        helptext = startup([matland, "--help"])
        print(
            f"start-up: python -c pass {bare * 1000:.0f} ms, matland --version "
            f"{version * 1000:.0f} ms (+{(version - bare) * 1000:.0f}), --help "
            f"{helptext * 1000:.0f} ms (+{(helptext - bare) * 1000:.0f}); target +60 ms"
        )
        figures["version_over_python_ms"] = round((version - bare) * 1000)
        print(" ".join(f"{key}={value}" for key, value in figures.items()))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
