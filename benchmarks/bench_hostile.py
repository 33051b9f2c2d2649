"""Time and memory bounds for hostile input: an alias bomb and an oversized file.

Each case runs `matland check FILE` in a fresh process and prints its wall time, peak RSS and
exit code. Targets: both refused (exit 2) well under a second, with bounded memory (the
oversized file is refused before it is read whole).

    python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import resource
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


def run(matland: str, path: Path) -> tuple[float, float, int, str]:
    start = time.perf_counter()
    result = subprocess.run(
        [matland, "check", "--format", "text", str(path)], capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    last = next((line for line in result.stdout.splitlines() if "error [" in line), "")
    return seconds, peak_mb, result.returncode, last


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
        return 1 if failures else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
