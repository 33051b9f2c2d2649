"""Load on the live workshop server: N simulated participants join and save every answer
concurrently over loopback while a projector connection listens.

    python benchmarks/bench_serve.py [--participants 200] [--think-ms 1000]
    python benchmarks/bench_serve.py --url http://127.0.0.1:8350 --code K7PQ2M

Without --url it starts its own `matland workshop serve --bind 127.0.0.1` on a free port
with a fresh store, and stops it at the end. With --url it loads a server that is already
running (so that one can be killed under load and restarted); only loopback addresses are
accepted. Each participant waits --think-ms between answers (a person reads a question for
several seconds; the default is a fast tapper). Bounded: at most --participants simulated
phones, each making about forty requests, and the whole run stops after --timeout seconds.

Prints the save latency (p50/p95/p99), the delay from a participant's last save to the
projector counting them finished (the slowest such delay), and the server's peak memory
(its own server only); the last line is machine-readable:
participants=N answers_acknowledged=N p50_ms=… p95_ms=… p99_ms=… projector_ms=… peak_mb=…
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from matland.core.knowledge import load_knowledge


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)
    acknowledged: int = 0
    finished_at: list[float] = field(default_factory=list)  # each participant's last save
    failures: int = 0
    projector: float = float("nan")  # the slowest delay from a last save to the projector


class Connection:
    """One keep-alive HTTP/1.1 connection (the standard library's asyncio streams: a client
    light enough not to take the cores from the server it measures)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: str = "") -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        origin = f"http://{self.host}:{self.port}"
        headers = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            f"Origin: {origin}",
            "Accept: application/json",
            f"Content-Length: {len(body.encode())}",
        ]
        if body:
            headers.append("Content-Type: application/x-www-form-urlencoded")
        if self.cookies:
            headers.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        self.writer.write(("\r\n".join(headers) + "\r\n\r\n" + body).encode())
        await self.writer.drain()
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "set-cookie":
                key, _, rest = value.strip().partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return status, await self.reader.readexactly(length)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def participant(
    number: int, host: str, port: int, code: str, think: float, figures: Figures
) -> None:
    knowledge = load_knowledge()
    phone = Connection(host, port)
    try:
        await phone.request("GET", "/")
        csrf = phone.cookies.get("matland_csrf", "")
        fields = {"csrf": csrf, "code": code, "name": f"bench {number}", "role": ROLE}
        status, _ = await phone.request("POST", "/join", urlencode(fields))
        if status != 200:
            figures.failures += 1
            return
        answers: dict[str, object] = {}
        rng = random.Random(number)
        last = 0.0
        for question in knowledge.questions.values():
            if not question.applies(answers):
                continue
            value = {"bool": rng.choice(["yes", "no"]), "count": str(rng.randint(1, 9))}.get(
                question.type, str(rng.randint(1, 5))
            )
            if think:
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))
            started = time.perf_counter()
            body = urlencode({"csrf": csrf, "value": value})
            status, reply = await phone.request("POST", f"/answer/{question.id}", body)
            figures.latencies.append(time.perf_counter() - started)
            if status == 200 and json.loads(reply).get("saved"):
                figures.acknowledged += 1
                answers[question.id] = value == "yes" if question.type == "bool" else value
                last = time.perf_counter()
            else:
                figures.failures += 1
        figures.finished_at.append(last)
    except (OSError, asyncio.IncompleteReadError, ValueError):
        figures.failures += 1
    finally:
        phone.close()


ROLE = "a"


async def projector(host: str, port: int, seen: list[tuple[float, int]]) -> None:
    """The projector's stream: when each change of the finished count arrived."""
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        f"GET /projector/events HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream"
        "\r\n\r\n".encode()
    )
    await writer.drain()
    try:
        while line := await reader.readline():
            text = line.decode(errors="replace")
            if text.startswith("data: "):
                data = json.loads(text[6:])
                if "status" in data:
                    seen.append((time.perf_counter(), data["status"]["finished"]))
    finally:
        writer.close()


def projector_delay(finished_at: list[float], seen: list[tuple[float, int]]) -> float:
    """The slowest delay from a participant's last save to the projector counting as many
    finished (k-th finisher against the first update showing k more than at the start)."""
    if not seen or not finished_at:
        return float("nan")
    start = seen[0][1]
    worst = 0.0
    for rank, at in enumerate(sorted(finished_at), 1):
        shown = next((t for t, count in seen if count - start >= rank), None)
        if shown is None:
            return float("inf")
        worst = max(worst, shown - at)
    return worst


def start_server() -> tuple[subprocess.Popen[str], str, str, str]:
    store = tempfile.mkdtemp(prefix="bench-serve-")
    args = [sys.executable, "-m", "matland", "workshop", "serve", "--bind", "127.0.0.1"]
    args += ["--port", "0", "--store", store, "--title", "Bench", "--roles", f"{ROLE},b"]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: dict[str, str] = {}
    assert process.stdout is not None
    while "store" not in lines:
        line = process.stdout.readline()
        if not line:
            raise SystemExit("bench_serve: the server did not start")
        key, _, value = line.strip().partition(": ")
        lines[key] = value
    return process, lines["join"].rstrip("/"), lines["code"], store


def peak_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


async def run(url: str, code: str, n: int, think: float, timeout: float) -> Figures:
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or 80
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        raise SystemExit("bench_serve: only loopback addresses (127.0.0.0/8, ::1) are loaded")
    figures = Figures()
    seen: list[tuple[float, int]] = []
    listener = asyncio.ensure_future(projector(host, port, seen))
    await asyncio.sleep(0.3)
    phones = [participant(i, host, port, code, think, figures) for i in range(n)]
    try:
        await asyncio.wait_for(asyncio.gather(*phones), timeout)
    except asyncio.TimeoutError:
        print(f"bench_serve: stopped after {timeout:.0f} s", file=sys.stderr)
    await asyncio.sleep(1.5)  # the last projector updates
    listener.cancel()
    figures.finished_at = [t for t in figures.finished_at if t]
    figures.projector = projector_delay(figures.finished_at, seen)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--think-ms", type=float, default=1000.0)
    parser.add_argument("--url", help="load this running server instead of starting one")
    parser.add_argument("--code", help="its join code (with --url)")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    if not 1 <= args.participants <= 1000:
        raise SystemExit("bench_serve: --participants from 1 to 1000")
    process = None
    if args.url:
        if not args.code:
            raise SystemExit("bench_serve: --url needs --code")
        url, code = args.url.rstrip("/"), args.code
    else:
        process, url, code, store = start_server()
    started = time.perf_counter()
    try:
        figures = asyncio.run(run(url, code, args.participants, args.think_ms / 1000, args.timeout))
        peak = peak_mb(process.pid) if process else float("nan")
    finally:
        if process is not None:
            process.terminate()
            process.communicate(timeout=30)
    took = time.perf_counter() - started
    lat = figures.latencies
    print(
        f"{args.participants} participants, {len(lat)} saves in {took:.1f} s "
        f"(think {args.think_ms:.0f} ms), {figures.failures} failed"
    )
    if lat:
        print(
            f"save latency: mean {statistics.fmean(lat) * 1000:.1f} ms, "
            f"max {max(lat) * 1000:.1f} ms"
        )
    projector_ms = figures.projector * 1000
    print(
        f"participants={args.participants} answers_acknowledged={figures.acknowledged} "
        f"p50_ms={percentile(lat, 0.50):.1f} p95_ms={percentile(lat, 0.95):.1f} "
        f"p99_ms={percentile(lat, 0.99):.1f} projector_ms={projector_ms:.0f} peak_mb={peak:.1f}"
    )
    if process is not None and os.environ.get("BENCH_KEEP_STORE") is None:
        import shutil

        shutil.rmtree(store, ignore_errors=True)


if __name__ == "__main__":
    main()
