"""Time and memory bounds for hostile input: an alias bomb and an oversized file.

Each case runs `matland check FILE` in a fresh process and prints its wall time, peak RSS and
exit code. Targets: both refused (exit 2) well under a second, with bounded memory (the
oversized file is refused before it is read whole). Then a file just under the size limit
whose aliases repeat one long text (alias amplification) goes through every command that
reads a proposal: each must stay under MEMORY_BOUND_MB and end with exit 2, never a crash.
The last line is machine-readable.

    python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def billion_laughs(levels: int = 9, width: int = 10) -> str:
    lines = ["matland: 1", "policy: {title: bomb}", 'a0: &a0 ["lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join(f"*a{level - 1}" for _ in range(width))
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


MEMORY_BOUND_MB = 200  # for any file under --max-bytes (1 MB by default)
COMMANDS = (
    ("check", "--format", "text"),
    ("check", "--format", "json"),
    ("report",),
    ("report", "--format", "html"),
    ("explain",),
    ("levers",),
    ("precedents",),
    ("workshop",),
)


def amplification(aliases: int = 247_000, length: int = 500) -> str:  # about 990 KB
    return (
        "matland: 1\npolicy: {title: amplified}\n"
        f"lessons: [&a {'x' * length}, " + ", ".join(["*a"] * aliases) + "]\n"
    )


def run(matland: str, path: Path, *command: str) -> tuple[float, float, int, str]:
    """Wall time, peak RSS of the command alone (a wrapper process reports its own child's),
    exit code and the first error line."""
    command = command or ("check", "--format", "text")
    start = time.perf_counter()
    wrapper = (
        "import resource, subprocess, sys;"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024;"
        "print(f'{peak:.1f}'); print(r.returncode); print(r.stdout + r.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", wrapper, matland, *command, str(path)],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    peak_text, code_text, *rest = [*result.stdout.split("\n", 2), "", ""]
    peak_mb, code = float(peak_text), int(code_text)
    output = rest[0] if rest else ""
    last = next((line for line in output.splitlines() if "error" in line), "")
    return seconds, peak_mb, code, last


def main() -> int:
    matland = shutil.which("matland") or sys.exit("matland is not installed")
    work = Path(tempfile.mkdtemp(prefix="matland-hostile-"))
    try:
        bomb = work / "bomb.yaml"
        bomb.write_text(billion_laughs())
        big = work / "big.yaml"
        with open(big, "w") as handle:  # 200 MB of valid-looking YAML
            handle.write("matland: 1\npolicy: {title: big}\nx-padding: |\n")
            chunk = "  " + "x" * 1022 + "\n"
            for _ in range(200 * 1024):
                handle.write(chunk)
        failures = 0
        for name, path in (
            ("alias bomb (10^9 expansions)", bomb),
            (f"oversized file ({big.stat().st_size / 1e6:.0f} MB)", big),
        ):
            seconds, peak, code, message = run(matland, path)
            ok = code == 2 and seconds < 1.0
            failures += not ok
            print(
                f"{name}: {seconds * 1000:.0f} ms, peak RSS so far {peak:.0f} MB, exit {code}"
                f" {'ok' if ok else 'OVER TARGET'}\n    {message}"
            )
        amplified = work / "amplified.yaml"
        amplified.write_text(amplification())
        size_kb = amplified.stat().st_size / 1000
        worst = 0.0
        for command in COMMANDS:
            seconds, peak, code, message = run(matland, amplified, *command)
            worst = max(worst, peak)
            ok = code == 2 and peak <= MEMORY_BOUND_MB
            failures += not ok
            print(
                f"alias amplification ({size_kb:.0f} KB) `matland {' '.join(command)}`: "
                f"{seconds * 1000:.0f} ms, peak {peak:.0f} MB, exit {code} "
                f"{'ok' if ok else 'OVER TARGET'}\n    {message}"
            )
        print(
            f"commands={len(COMMANDS)} worst_peak_mb={worst:.0f} "
            f"bound_mb={MEMORY_BOUND_MB} failures={failures}"
        )
        return 1 if failures else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
