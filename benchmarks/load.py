"""Load on `eventcoder serve`: concurrent clients on 127.0.0.1, errors, throughput and p95 latency.

    python benchmarks/load.py [--clients 50] [--requests 2000] [--time-budget 300] [--db PATH]
                              [--during-run]

Builds a database from the bundled sample (unless ``--db`` names one), starts ``eventcoder serve``
on a free local port in a separate process, and has ``--clients`` asyncio clients (httpx) each send
up to ``--requests`` requests, cycling through the event list, dyads and series endpoints with a
few filters. Stops early when ``--time-budget`` seconds have passed (the count sent is printed).
With ``--during-run`` an ``eventcoder run`` writes to the same database while the load runs, to
show the server answering throughout. Any status other than 200, or a transport error, is an error.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

CLI = [sys.executable, "-c", "from eventcoder.cli import app; app()"]
PATHS = (
    "/api/events",
    "/api/events?dyad=AZE:TUR",
    "/api/events?type=CONSULT&sort=-date&limit=20",
    "/api/dyads",
    "/api/series?dyad=AZE:TUR&freq=month",
    "/api/series?freq=week",
    "/api/events?actor=RUS&offset=5",
    "/api/overview",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def wait_ready(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=base) as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get("/api/overview")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"server at {base} did not answer within {timeout} s")


async def client_loop(i: int, base: str, n: int, deadline: float, lat: list[float], errors: Counter[str]) -> int:
    """One client: up to ``n`` sequential requests on one keep-alive connection; requests sent."""
    sent = 0
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for k in range(n):
            if time.monotonic() >= deadline:
                break
            path = PATHS[(i + k) % len(PATHS)]
            t = time.perf_counter()
            try:
                r = await client.get(path)
                if r.status_code != 200:
                    errors[f"HTTP {r.status_code} {path}"] += 1
            except httpx.HTTPError as exc:
                errors[f"{type(exc).__name__} {path}"] += 1
            lat.append(time.perf_counter() - t)
            sent += 1
    return sent


async def load(base: str, clients: int, requests: int, budget: float) -> tuple[int, float, list[float], Counter[str]]:
    lat: list[float] = []
    errors: Counter[str] = Counter()
    t0 = time.perf_counter()
    deadline = time.monotonic() + budget
    sent = await asyncio.gather(*(client_loop(i, base, requests, deadline, lat, errors) for i in range(clients)))
    return sum(sent), time.perf_counter() - t0, lat, errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=2000, help="requests per client")
    ap.add_argument("--time-budget", type=float, default=300.0, help="stop sending after this many seconds")
    ap.add_argument("--db", help="serve this database instead of one built from the bundled sample")
    ap.add_argument("--during-run", action="store_true", help="run `eventcoder run` on the database meanwhile")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="eventcoder-load-"))
    server = writer = None
    try:
        db = Path(args.db) if args.db else tmp / "sample.duckdb"
        if not args.db:
            subprocess.run([*CLI, "run", "--db", str(db), "-q"], check=True)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([*CLI, "serve", "--db", str(db), "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        asyncio.run(wait_ready(base))
        if args.during_run:
            extra = tmp / "extra"
            shutil.copytree(Path(__file__).resolve().parents[1] / "src" / "eventcoder" / "sample", extra)
            for f in extra.iterdir():  # new content, so the run has real work to do
                if f.suffix == ".txt":
                    f.write_text(f.read_text() + "\n\nThe talks were reported again on Friday.\n")
            writer = subprocess.Popen([*CLI, "run", str(extra), "--db", str(db), "-q", "--batch-size", "2"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        sent, secs, lat, errors = asyncio.run(load(base, args.clients, args.requests, args.time_budget))
        run_note = ""
        if writer is not None:
            rc = writer.wait(timeout=600)
            run_note = f"; concurrent `eventcoder run` exit code {rc}"
        lat.sort()
        p50 = statistics.median(lat) * 1000 if lat else float("nan")
        p95 = lat[int(0.95 * (len(lat) - 1))] * 1000 if lat else float("nan")
        p99 = lat[int(0.99 * (len(lat) - 1))] * 1000 if lat else float("nan")
        planned = args.clients * args.requests
        print(f"load: {args.clients} clients x {args.requests} requests on {base} (database {db.name}{run_note})")
        print(f"sent {sent} of {planned} requests in {secs:.1f} s"
              + (" (time budget reached)" if sent < planned else ""))
        print(f"throughput {sent / secs:,.0f} requests/s; latency p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
              f"p99 {p99:.1f} ms, max {lat[-1] * 1000 if lat else float('nan'):.1f} ms")
        print(f"errors: {sum(errors.values())}")
        for what, n in errors.most_common(10):
            print(f"  {n:6d}  {what}")
        return 1 if errors else 0
    finally:
        for proc in (writer, server):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        if os.environ.get("KEEP_LOAD_DIR") is None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
