"""API load benchmark: p50/p99 latency of the curated queries at 1, 16 and 64 concurrent clients.

A Python asyncio + httpx load generator on loopback against a running policykg API (start one with
`policykg serve`, or let this script serve the bundled samples from a throwaway embedded store).
Each level runs for a bounded time. Prints the machine, then one line per query and level.

    .venv/bin/python bench/api_load.py [--url http://127.0.0.1:8000] [--seconds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe

CALLS = {
    "city-partners": {"city": "三明市"}, "institution-cities": {"institution": "中国科学院"},
    "cooperation-matrix": {}, "institution-ranking": {}, "city-ranking": {}, "city-city": {"city": "丹东市"},
    "city-platforms": {"city": "三明市"}, "metric-targets": {"metric": "高新技术企业"},
    "programme-cities": {"programme": "科技特派员"}, "city-timeline": {"city": "三明市"},
    "shortest-paths": {"source": "City:三明市", "target": "Institution:厦门大学"}, "search": {"q": "大学"},
}


async def _client_loop(client: httpx.AsyncClient, path: str, params: dict, deadline: float,
                       latencies: list[float]) -> None:
    while time.perf_counter() < deadline:
        began = time.perf_counter()
        response = await client.get(path, params=params)
        response.raise_for_status()
        latencies.append((time.perf_counter() - began) * 1000)


async def measure(url: str, name: str, clients: int, seconds: float) -> list[float]:
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        deadline = time.perf_counter() + seconds
        await asyncio.gather(*(_client_loop(client, f"/api/queries/{name}", CALLS[name], deadline, latencies)
                               for _ in range(clients)))
    return latencies


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(url: str, seconds: float, levels: tuple[int, ...]) -> None:
    print("machine:", describe())
    print(f"graph: {httpx.get(url + '/api/health').json()}")
    print(f"{'query':22} {'clients':>7} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for name in CALLS:
        for clients in levels:
            latencies = asyncio.run(measure(url, name, clients, seconds))
            print(f"{name:22} {clients:>7} {len(latencies):>8} {len(latencies) / seconds:>8.0f} "
                  f"{statistics.median(latencies):>8.2f} {percentile(latencies, 0.99):>8.2f}")


def serve_samples() -> tuple[str, object]:
    """A throwaway embedded store with the bundled samples, served on loopback in this process."""
    import threading

    import uvicorn

    from policykg.api.app import create_app
    from policykg.graph.embedded import EmbeddedServer, free_port
    from policykg.graph.falkordb_store import FalkorDBStore
    from policykg.ingest.pipeline import extract_file

    server = EmbeddedServer(tempfile.mkdtemp(prefix="policykg-bench-"))
    address = server.start()
    store = FalkorDBStore(address.client(), graph_name="bench_api")
    samples = sorted((Path(__file__).resolve().parent.parent / "samples").glob("*.txt"))
    store.load([extract_file(path) for path in samples])
    port = free_port()
    api = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=api.run, daemon=True).start()
    while not api.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running API; default: serve the samples from a throwaway store")
    parser.add_argument("--seconds", type=float, default=3.0, help="time per query and level")
    parser.add_argument("--clients", default="1,16,64", help="comma-separated concurrency levels")
    args = parser.parse_args()
    levels = tuple(int(c) for c in args.clients.split(","))
    if args.url:
        report(args.url.rstrip("/"), args.seconds, levels)
        return
    url, server = serve_samples()
    try:
        report(url, args.seconds, levels)
    finally:
        server.stop()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
