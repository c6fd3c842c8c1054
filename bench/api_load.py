"""API load benchmark: p50/p99 latency of the curated queries at 1, 16 and 64 concurrent clients.

The load generator runs in its own process, never in the server's event loop: `wrk` (Debian package
`wrk`, a C generator using little CPU) when installed, else this script's asyncio + httpx clients.
Point it at a running API (`policykg serve --data-dir D --workers 2`), or let it start `policykg demo`
on the bundled samples in a throwaway folder (stopped at the end). Each query and level runs for a
bounded time. Requests send `Accept-Encoding: gzip`, as browsers, httpx and requests do (`--encoding identity`
measures plain answers). Prints the machine and its load average, then one line per query and level with the
encoding the server chose and the answer's size as sent.

    .venv/bin/python bench/api_load.py [--url http://127.0.0.1:8000] [--seconds 5] [--engine wrk|python]
                                       [--encoding gzip|identity]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import httpx

from bench.machine import describe

POLICYKG = str(Path(sys.executable).with_name("policykg"))
CALLS = {
    "city-partners": {"city": "三明市"},
    "institution-cities": {"institution": "中国科学院"},
    "cooperation-matrix": {},
    "institution-ranking": {},
    "city-ranking": {},
    "city-city": {"city": "丹东市"},
    "city-platforms": {"city": "三明市"},
    "metric-targets": {"metric": "高新技术企业"},
    "programme-cities": {"programme": "科技特派员"},
    "city-timeline": {"city": "三明市"},
    "shortest-paths": {"source": "三明市", "target": "厦门大学"},
    "search": {"q": "大学"},
}
BY_ID = {"shortest-paths": ("source", "target")}  # parameters given above by name, sent as the graph's ids
_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


class Level:
    """What one query at one concurrency gave: requests, errors and latency percentiles in ms."""

    def __init__(self, requests: int, errors: int, p50: float, p99: float) -> None:
        self.requests, self.errors, self.p50, self.p99 = requests, errors, p50, p99


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def _wrk_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if match is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    number, unit = match.groups()
    return float(number) * _WRK_UNITS[unit]


def run_wrk(
    url: str,
    clients: int,
    seconds: float,
    script: Path | None = None,
    encoding: str | None = None,
) -> Level:
    """wrk against `url` (or the requests a Lua `script` makes) for `seconds` with `clients` connections, sending
    `Accept-Encoding: <encoding>` if given (wrk sends none of its own)."""
    threads = min(clients, os.cpu_count() or 1)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{clients}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "--timeout",
        "30s",
        *(["-H", f"Accept-Encoding: {encoding}"] if encoding else []),
    ]
    result = subprocess.run(
        [*command, *(["-s", str(script)] if script else []), url], capture_output=True, text=True, check=True
    )
    out = result.stdout
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE)
    requests = re.search(r"(\d+) requests in", out)
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(failed.group(1)) if failed else 0) + (sum(map(int, socket.groups())) if socket else 0)
    if not (p50 and p99 and requests):
        raise RuntimeError(f"cannot read wrk's output:\n{out}\n{result.stderr}")
    return Level(int(requests.group(1)), errors, _wrk_ms(p50.group(1)), _wrk_ms(p99.group(1)))


async def _client_loop(
    client: httpx.AsyncClient, url: str, deadline: float, latencies: list[float], errors: list[str]
) -> None:
    while time.perf_counter() < deadline:
        began = time.perf_counter()
        try:
            response = await client.get(url)
            if response.status_code != 200:
                errors.append(f"{response.status_code}")
        except httpx.HTTPError as error:
            errors.append(type(error).__name__)
        latencies.append((time.perf_counter() - began) * 1000)


async def _python_level(url: str, clients: int, seconds: float, encoding: str) -> Level:
    latencies: list[float] = []
    errors: list[str] = []
    # Idle connections are dropped before uvicorn's 5 s keep-alive ends, so none is reused as the server closes it.
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients, keepalive_expiry=2)
    async with httpx.AsyncClient(limits=limits, timeout=30, headers={"Accept-Encoding": encoding}) as client:
        deadline = time.perf_counter() + seconds
        await asyncio.gather(*(_client_loop(client, url, deadline, latencies, errors) for _ in range(clients)))
    return Level(len(latencies), len(errors), statistics.median(latencies), percentile(latencies, 0.99))


def query_url(base: str, name: str) -> str:
    by_id = BY_ID.get(name, ())
    params = {key: entity_id(base, value) if key in by_id else value for key, value in CALLS[name].items()}
    return f"{base}/api/queries/{name}?{urlencode(params)}"


def entity_id(base: str, name: str) -> str:
    """The id of the entity named `name` (ids differ between graphs: a large one adds area codes to cities')."""
    hits = httpx.get(f"{base}/api/search", params={"q": name}, timeout=120).json()
    found = [hit["id"] for hit in hits if hit["name"] == name]
    if not found:
        raise SystemExit(f"no entity named {name!r} in the served graph")
    return found[0]


def sent_as(url: str, encoding: str) -> str:
    """How the server sends `url`'s answer to such a request: its encoding and size on the wire."""
    with httpx.stream("GET", url, headers={"Accept-Encoding": encoding}, timeout=120) as response:
        size = sum(len(chunk) for chunk in response.iter_raw())
        return f"{response.headers.get('content-encoding', 'identity')} {size / 1024:.1f}KB"


def report(url: str, seconds: float, levels: tuple[int, ...], engine: str, names: list[str], encoding: str) -> None:
    print("machine:", describe(), "load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"engine: {engine}; Accept-Encoding: {encoding}; store: {httpx.get(url + '/api/health').json()}")
    print(
        f"{'query':22} {'sent as':>16} {'clients':>7} {'requests':>8} {'req/s':>8} {'errors':>6} {'p50 ms':>8} "
        f"{'p99 ms':>8}"
    )
    for name in names:
        target = query_url(url, name)
        for _ in range(8):  # new connections, spread over the server's processes: each fills its own cache
            httpx.get(target, timeout=120)
        sent = sent_as(target, encoding)
        for clients in levels:
            level = (
                run_wrk(target, clients, seconds, encoding=encoding)
                if engine == "wrk"
                else asyncio.run(_python_level(target, clients, seconds, encoding))
            )
            print(
                f"{name:22} {sent:>16} {clients:>7} {level.requests:>8} {level.requests / seconds:>8.0f} "
                f"{level.errors:>6} {level.p50:>8.2f} {level.p99:>8.2f}",
                flush=True,
            )
    print("load average after:", " ".join(f"{x:.2f}" for x in os.getloadavg()))


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        try:
            if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the server did not answer within {timeout:.0f} s")


@contextmanager
def serve_samples(workers: int = 1) -> Iterator[str]:
    """`policykg demo` on the bundled samples in a throwaway folder, in its own process; stopped on exit."""
    from policykg.graph.stores.embedded_server import EmbeddedServer, free_port

    folder = Path(tempfile.mkdtemp(prefix="policykg-bench-"))
    port = free_port()
    process = subprocess.Popen(
        [POLICYKG, "demo", "--data-dir", str(folder), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, timeout=300)
        if workers > 1:  # demo serves in one process; reopen the loaded folder with more
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
            process = subprocess.Popen(
                [POLICYKG, "serve", "--data-dir", str(folder), "--port", str(port), "--workers", str(workers)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            wait_healthy(url, process, timeout=120)
        yield url
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
        EmbeddedServer(folder).stop()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running API; default: `policykg demo` on the samples, in its own process")
    parser.add_argument("--seconds", type=float, default=3.0, help="time per query and level")
    parser.add_argument("--clients", default="1,16,64", help="comma-separated concurrency levels")
    parser.add_argument(
        "--engine",
        choices=("wrk", "python"),
        default="wrk" if shutil.which("wrk") else "python",
        help="load generator (default: wrk when installed)",
    )
    parser.add_argument("--queries", default=",".join(CALLS), help="comma-separated curated queries to run")
    parser.add_argument("--workers", type=int, default=1, help="server processes when serving the samples")
    parser.add_argument(
        "--encoding",
        default="gzip",
        help="the requests' Accept-Encoding (default gzip, as browsers send; identity: plain answers)",
    )
    args = parser.parse_args()
    levels = tuple(int(c) for c in args.clients.split(","))
    names = [n for n in args.queries.split(",") if n]
    if args.url:
        report(args.url.rstrip("/"), args.seconds, levels, args.engine, names, args.encoding)
        return
    with serve_samples(args.workers) as url:
        report(url, args.seconds, levels, args.engine, names, args.encoding)


if __name__ == "__main__":
    main()
