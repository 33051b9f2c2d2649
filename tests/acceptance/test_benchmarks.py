"""The benchmark scripts still run and print their figures (on a few files: a smoke test,
not a measurement)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).parents[2] / "benchmarks"


@pytest.mark.slow
def test_bench_stages_prints_every_stage() -> None:
    script = BENCHMARKS / "bench_stages.py"
    result = subprocess.run(
        [sys.executable, str(script), "--n", "20", "--repeat", "1"],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert lines[0].startswith("20 proposals")
    assert "parse floor" in lines[1] and "1.00x floor" in lines[1]
    assert lines[-1].split()[:4] == ["whole", "check", "of", "a"]
    assert all("ms/file" in line for line in lines[1:])


@pytest.mark.slow
def test_bench_check_prints_times_ratios_and_memory() -> None:
    script = BENCHMARKS / "bench_check.py"
    result = subprocess.run(
        [sys.executable, str(script), "--n", "30", "--skip-jsonschema", "--repeat", "1"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "ratio to parse floor" in result.stdout
    assert "peak RSS" in result.stdout
    assert "start-up" in result.stdout
    figures = dict(pair.split("=") for pair in result.stdout.splitlines()[-1].split())
    assert {"second_run_s", "second_vs_floor", "one_changed_s"} <= set(figures)


def test_bench_validity_classifies_two_cases_and_ends_with_its_figures(tmp_path: Path) -> None:
    """The validation script on a copy of two cases (both fills of each)."""
    import shutil
    import subprocess
    import sys

    root = Path(__file__).parents[2]
    for folder in ("cases", "fills"):
        (tmp_path / folder).mkdir()
    for case in ("pharmacovigilance-jordan", "siak-traditional-villages"):
        shutil.copy(root / "validation" / "cases" / f"{case}.yaml", tmp_path / "cases")
        for reader in ("a", "b"):
            name = f"{case}.{reader}.yaml"
            shutil.copy(root / "validation" / "fills" / name, tmp_path / "fills" / name)
    out = subprocess.run(
        [
            sys.executable,
            str(root / "benchmarks" / "bench_validity.py"),
            "--validation",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    last = out.strip().splitlines()[-1]
    figures = dict(pair.split("=") for pair in last.split())
    assert figures["cases"] == "2" and figures["fills"] == "4"
    # Siak B sits on the conflict line: the naive mean counts the line as high (symbolic,
    # wrong); matland's tie rule reads organised_opposition 2 and says experimental.
    assert figures["matland"] == "4" and figures["naive"] == "3"
    siak_b = next(line for line in out.splitlines() if line.startswith("siak") and " b " in line)
    assert "✓ experimental" in siak_b and "✗ symbolic" in siak_b, siak_b


@pytest.mark.slow
def test_bench_serve_ends_with_the_machine_readable_line() -> None:
    out = bench("bench_serve.py", "--participants", "5", "--think-ms", "0")
    last = out.splitlines()[-1]
    figures = dict(part.split("=") for part in last.split())
    assert list(figures) == [
        "participants",
        "answers_acknowledged",
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "projector_ms",
        "peak_mb",
    ]
    assert figures["participants"] == "5" and int(figures["answers_acknowledged"]) >= 5 * 36


def bench(script: str, *args: str) -> str:
    """What a benchmark script prints, run to its end (bounded: it stops by itself)."""
    command = [sys.executable, str(BENCHMARKS / script), *args]
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=300).stdout
