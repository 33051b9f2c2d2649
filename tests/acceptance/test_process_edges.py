"""The process around a command: Ctrl-C at any moment, stdin closed, an output encoding that
is not UTF-8. Each ends with its documented exit code and one line, never a traceback."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"
CONSOLE = shutil.which("matland", path=os.path.dirname(sys.executable))


def started(args: list[str], **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,  # type: ignore[call-overload]
    )


def finished(out: str) -> bool:
    """Whether `out` is the whole of a check's JSON report."""
    try:
        return isinstance(json.loads(out), dict)
    except ValueError:
        return False


ENTRY_POINTS = {
    "python -m matland": [sys.executable, "-m", "matland"],
    "console script": [CONSOLE or "matland"],
}


@pytest.mark.slow
@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_ctrl_c_in_the_first_third_of_a_second_exits_130_in_one_line(
    entry: str, tmp_path: Path
) -> None:
    if entry == "console script" and CONSOLE is None:
        pytest.skip("no console script next to this Python")
    for step in range(30):
        delay = step * 0.33 / 30
        # --no-cache: with its results cached the whole check can end inside a third of a
        # second, and a run that ended before the signal says nothing about Ctrl-C.
        process = started(
            [*ENTRY_POINTS[entry], "check", str(EXAMPLES), "--format", "json", "--no-cache"],
            cwd=tmp_path,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
        code = process.returncode
        assert "Aborted!" not in err, (delay, err)
        if code in (0, 1) and finished(out):
            # It ended before the signal reached it: a whole run, not a half one.
            continue
        if code != 130 and delay < 0.1 and str(ROOT / "matland") + os.sep not in err:
            # The signal came before any of matland's code ran (Python starting up, finding
            # the package; tens of milliseconds on a loaded machine): Python's own handling,
            # no line of matland's in what it says. Once a line of matland's has run, it is
            # always matland's.
            continue
        assert "Traceback" not in err, (delay, err)
        assert code == 130, (delay, code, err)
        assert err.strip() in ("", "matland: interrupted"), (delay, err)


def run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "matland", *args],
        capture_output=True,
        text=True,
        timeout=60,
        **kwargs,  # type: ignore[call-overload]
    )


def test_assess_with_stdin_closed_says_what_it_says_without_a_terminal(tmp_path: Path) -> None:
    target = str(tmp_path / "new.yaml")
    no_terminal = run(["assess", target], stdin=subprocess.DEVNULL)
    closed = run(["assess", target], stdin=None, preexec_fn=lambda: os.close(0))
    assert no_terminal.returncode == closed.returncode == 2, closed.stderr
    assert closed.stderr == no_terminal.stderr
    assert "needs a terminal on stdin" in closed.stderr
    assert not (tmp_path / "new.yaml").exists()


TITLE = "Café 漢字 ✓ — naïve"


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
@pytest.mark.parametrize(
    "args",
    [
        ["check", "p.yaml"],
        ["check", "p.yaml", "--format", "markdown"],
        ["report", "p.yaml"],
        ["explain", "p.yaml"],
        ["rules", "list"],
        ["workshop", "p.yaml"],
    ],
    ids=" ".join,
)
def test_an_output_encoding_that_is_not_utf8_gets_replacements_not_a_crash(
    tmp_path: Path, encoding: str, args: list[str]
) -> None:
    (tmp_path / ".git").mkdir()
    text = (EXAMPLES / "troubled-families.yaml").read_text(encoding="utf-8")
    title = "  title: Troubled Families Programme"
    (tmp_path / "p.yaml").write_text(text.replace(title, f"  title: {TITLE}"), encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    result = subprocess.run(
        [sys.executable, "-m", "matland", *args],
        capture_output=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    err = result.stderr.decode(encoding, "replace")
    assert result.returncode in (0, 1), err
    assert "Traceback" not in err and "internal error" not in err
    if encoding == "ascii":  # click writes its own lines as UTF-8 to an ASCII stream
        out = result.stdout.decode("utf-8")
        assert "Caf" in out or args[0] == "rules"
        return
    out = result.stdout.decode(encoding)  # what was written is in the console's encoding
    if args[0] != "rules":
        assert "Café ?? ? ? naïve" in out or (args[0] == "workshop" and "Caf" in out), out[:500]


@pytest.mark.slow
@pytest.mark.parametrize("sent", ["SIGINT to the group", "SIGTERM to matland"])
def test_a_signal_during_a_parallel_check_ends_it_without_a_hang_or_a_workers_traceback(
    sent: str, tmp_path: Path
) -> None:
    """Ctrl-C reaches every process of the group: only matland acts on it, its workers
    stop with the pool. (A worker that raised KeyboardInterrupt could die holding the
    pool's queue lock: 1 run in 10 then never ended, and most printed worker tracebacks.)"""
    source = (EXAMPLES / "care-act-2014.yaml").read_text(encoding="utf-8")
    for n in range(300):
        (tmp_path / f"p{n}.yaml").write_text(source.replace("Care Act 2014", f"Copy {n}", 1))
    for step in range(12):
        process = subprocess.Popen(
            [sys.executable, "-m", "matland", "check", str(tmp_path), "--no-cache", "--jobs", "2"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        time.sleep(0.25 + step * 0.05)
        if sent.startswith("SIGINT"):
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGTERM)
        try:
            _, err = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail(f"still running 30 s after {sent} at step {step}")
        assert "ForkPoolWorker" not in err and "Traceback" not in err, (step, err)
        # 0, 1: it had finished. -15: the signal came as Python was ending the process
        # (its handlers already reset), which a shell reports as 143 all the same. -2:
        # CPython's own rare "unhandled KeyboardInterrupt" end (see cli/launch.py).
        assert process.returncode in (0, 1, 130, 143, -15, -2), (step, process.returncode, err)
