"""The web app under load, and the weight of the HTML report.

    python bench/web/run.py                      # 20 clients for 30 s against the demo archive, 1 and 2 server processes
    python bench/web/run.py --clients 5 --seconds 10 --workers 1

The server runs as `quotetrace serve` (with 1, then 2 worker processes) on
loopback; the clients are asyncio tasks in this process, each sending the demo
essay to POST /api/trace (12 quotes traced against the State of the Union
archive) as soon as its previous answer came back. Printed: requests per
second, latency percentiles, errors, the server's memory (all its processes)
before and after the run; then the HTML report of the demo essay: its size and
whether it asks for anything from outside the file.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from process_tree import tree_rss_mb  # noqa: E402
from quotetrace.archive import Archive
from quotetrace.articles import load_article
from quotetrace.demo import demo_archive, demo_article_path
from quotetrace.pipeline import trace_report
from quotetrace.reports import render

_OUTSIDE = re.compile(r"<(?:link|img|iframe|object|embed|audio|video|source)\b|<script[^>]+src=|@import|url\(", re.I)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(archive: Path, results: Path, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "quotetrace", "serve", "--archive", str(archive), "--port", str(port),
                               "--results", str(results), "--workers", str(workers)], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/archive", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


async def load(url: str, body: dict, clients: int, seconds: float) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        started = time.perf_counter()
        stop = started + seconds

        async def one_client() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                sent = time.perf_counter()
                try:
                    response = await client.post(url, json=body)
                    ok = response.status_code == 200 and len(response.json()["quotes"]) > 0
                except (httpx.HTTPError, ValueError, KeyError):
                    ok = False
                latencies.append(time.perf_counter() - sent)
                errors += not ok

        await asyncio.gather(*(one_client() for _ in range(clients)))
        return latencies, errors, time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="server processes, one run each")
    args = parser.parse_args()

    archive = demo_archive()
    essay = demo_article_path().read_text(encoding="utf-8")
    body = {"text": essay, "format": "markdown"}
    rows = []
    for workers in args.workers:
        port = free_port()
        with tempfile.TemporaryDirectory() as tmp:
            server = start_server(archive, Path(tmp) / "results.db", port, workers)
            try:
                url = f"http://127.0.0.1:{port}/api/trace"
                for _ in range(2 * workers):  # warm: each worker opens the archive on its first request
                    httpx.post(url, json=body, timeout=120)
                idle = tree_rss_mb(server.pid)
                latencies, errors, wall = asyncio.run(load(url, body, args.clients, args.seconds))
                after = tree_rss_mb(server.pid)
            finally:
                server.terminate()
                server.wait(10)
        rows.append((workers, latencies, errors, wall, idle, after))

    with Archive.open(archive) as store:
        report = trace_report(load_article(str(demo_article_path())), store)
    html = render(report, "html")
    outside = _OUTSIDE.findall(html)

    print(f"## Web app under load: {args.clients} clients for {args.seconds:g} s, POST /api/trace with the demo essay "
          f"({len(report.quotes)} quotes, {len(essay.encode()):,} bytes) on loopback\n")
    print("| server processes | requests | errors | requests/s | quotes/s | p50 ms | p90 ms | p99 ms | max ms | server MB idle → after |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for workers, latencies, errors, wall, idle, after in rows:
        ms = [x * 1000 for x in latencies]
        print(f"| {workers} | {len(latencies)} | {errors} | {len(latencies) / wall:.1f} | {len(latencies) * len(report.quotes) / wall:.0f} | "
              f"{statistics.median(ms):.0f} | {percentile(ms, 90):.0f} | {percentile(ms, 99):.0f} | {max(ms):.0f} | {idle:.0f} → {after:.0f} |")
    print("\n## HTML report of the demo essay\n")
    print(f"page weight {len(html.encode()) / 1000:.1f} KB (target < 300 KB); "
          f"external requests: {len(outside)} ({', '.join(sorted(set(outside))) or 'none'})")


if __name__ == "__main__":
    main()
