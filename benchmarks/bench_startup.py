"""What a pre-commit hook or an editor's on-save check feels: one file, start to finish.

Times, side by side in one run (the commands taken in turn, --repeat rounds, medians; a
shared machine's speed drifts by a fifth between minutes, so each figure is compared with
its neighbours):

* `python -c pass` (the interpreter's own start-up, the floor);
* `matland --version`;
* `matland check one.yaml` with every cache cold (a fresh cache directory each run: the
  rules are read and validated again and the file is checked);
* the same with the rules cache warm and the result cache off (`--no-cache`: a changed
  file in a hook, the usual case);
* the same with both warm (an unchanged file);
* `matland check --format sarif` and `matland report`, warm;
* `check-jsonschema --schemafile <matland schema> one.yaml`.

The last line is `name=value` pairs (milliseconds and ratios) for scripts.

    python benchmarks/bench_startup.py [--repeat 10] [--file examples/care-act-2014.yaml]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# matland runs as installed: with its bytecode cached (pip compiles it when it installs;
# PYTHONDONTWRITEBYTECODE would make every run compile matland's modules again).
BASE_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(command: list[str], env: dict[str, str], cwd: Path, fresh: Path | None) -> float:
    if fresh is not None:  # a cold cache: nothing left from an earlier run
        shutil.rmtree(fresh, ignore_errors=True)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env=env, cwd=cwd)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--file", default=str(ROOT / "examples" / "care-act-2014.yaml"))
    args = parser.parse_args()
    here = os.path.dirname(sys.executable)
    matland = shutil.which("matland", path=here) or sys.exit("matland is not installed")
    jsonschema = shutil.which("check-jsonschema", path=here) or shutil.which("check-jsonschema")

    work = Path(tempfile.mkdtemp(prefix="matland-startup-"))
    try:
        # Outside any repository and with no .matland.yaml above it: the file alone.
        shutil.copy(args.file, work / "one.yaml")
        cold, warm = work / "cold", work / "warm"
        env_cold = {**BASE_ENV, "XDG_CACHE_HOME": str(cold / "xdg")}
        env_cold["MATLAND_CACHE_DIR"] = str(cold / "results")
        env_warm = {**BASE_ENV, "XDG_CACHE_HOME": str(warm / "xdg")}
        env_warm["MATLAND_CACHE_DIR"] = str(warm / "results")
        schema = work / "schema.json"
        schema.write_bytes(
            subprocess.run([matland, "schema"], capture_output=True, env=env_warm).stdout
        )
        check = [matland, "check", "one.yaml", "--fail-on", "never"]
        helptext = subprocess.run([matland, "check", "--help"], capture_output=True).stdout
        no_cache = ["--no-cache"] if b"--no-cache" in helptext else []  # older matland: none
        cases: dict[str, tuple[list[str], dict[str, str], Path | None]] = {
            "python": ([sys.executable, "-c", "pass"], BASE_ENV, None),
            "version": ([matland, "--version"], env_warm, None),
            "check_cold": (check, env_cold, cold),
            "check_rules_warm": ([*check, *no_cache], env_warm, None),
            "check_warm": (check, env_warm, None),
            "sarif_warm": ([*check, "--format", "sarif"], env_warm, None),
            "report_warm": ([matland, "report", "one.yaml"], env_warm, None),
        }
        if jsonschema:
            cases["check_jsonschema"] = (
                [jsonschema, "--schemafile", str(schema), "one.yaml"],
                BASE_ENV,
                None,
            )
        else:
            print("check-jsonschema not installed (pip install check-jsonschema): left out")
        for command, env, _ in cases.values():  # warm every cache (and the OS's) first
            run_once(command, env, work, None)
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.repeat):
            for name, (command, env, fresh) in cases.items():
                times[name].append(run_once(command, env, work, fresh))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    ms = {name: statistics.median(t) * 1000 for name, t in times.items()}
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{Path(args.file).name}, medians of {args.repeat} runs, load average {load:.2f}")
    for name, value in ms.items():
        spread = f"{min(times[name]) * 1000:.0f}-{max(times[name]) * 1000:.0f}"
        print(f"  {name:<18} {value:7.1f} ms   (runs {spread} ms)")
    figures = {f"{name}_ms": round(value, 1) for name, value in ms.items()}
    figures["version_over_python_ms"] = round(ms["version"] - ms["python"], 1)
    print(f"  matland --version over python -c pass: +{figures['version_over_python_ms']} ms")
    if "check_jsonschema" in ms:
        for name in ("check_cold", "check_rules_warm", "check_warm"):
            ratio = ms[name] / ms["check_jsonschema"]
            figures[f"{name}_vs_jsonschema"] = round(ratio, 3)
            print(f"  {name} / check-jsonschema: {ratio:.3f}x")
    print(" ".join(f"{key}={value}" for key, value in figures.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
