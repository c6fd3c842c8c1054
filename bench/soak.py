"""Soak: 64 concurrent clients for 60 s on loopback, mixing curated queries, searches and neighbourhoods.

Issue #9's load check: every answer must be a 200 (errors must be 0). Bounded in time (`--seconds`)
and in count (`--max-requests`); it stops by itself, and exits 1 when any request failed. The
request mix is drawn (seeded) from names the graph itself holds: the top cities and institutions of
the rankings, two-character prefixes of their names for searches, their ids for neighbourhoods.
Against a running API (`--url`), or `policykg demo` on the bundled samples started in its own process.
The load comes from `wrk` (Debian package `wrk`; a Lua script cycles through the mix, each thread
stopping after its share of `--max-requests`) when installed, else from asyncio + httpx clients in
this process, which then spend more CPU than the server (per-kind figures only with those).

    .venv/bin/python bench/soak.py [--url http://127.0.0.1:8000] [--clients 64] [--seconds 60] [--engine wrk|python]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from bench.api_load import percentile, run_wrk, serve_samples
from bench.machine import describe

Request = tuple[str, str, dict[str, Any]]  # (kind, path, query parameters)


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    sent: int = 0


def names_in_graph(client: httpx.Client) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The cities and institutions to ask about: the rankings' top rows (served from the API's cache)."""
    cities = client.get("/api/queries/city-ranking", params={"limit": 50}, timeout=300).json()["rows"]
    institutions = client.get("/api/queries/institution-ranking", params={"limit": 50}, timeout=300).json()["rows"]
    return (
        [{"name": r["city"], "id": r["city_id"]} for r in cities],
        [{"name": r["institution"], "id": r["institution_id"]} for r in institutions],
    )


def request_mix(
    cities: list[dict[str, str]],
    institutions: list[dict[str, str]],
    rng: random.Random,
) -> list[Request]:
    """A shuffled pool of requests: per-city and per-institution queries, whole-graph ones, searches and
    neighbourhoods, roughly as the page asks for them."""
    pool: list[Request] = []
    for city in cities:
        for name in ("city-partners", "city-platforms", "city-timeline", "city-city"):
            pool.append(("query", f"/api/queries/{name}", {"city": city["name"]}))
        pool.append(("search", "/api/search", {"q": city["name"][:2], "limit": 20}))
        pool.append(("neighbourhood", "/api/entity", {"id": city["id"], "depth": 1, "limit": 100}))
    for institution in institutions:
        pool.append(("query", "/api/queries/institution-cities", {"institution": institution["name"], "limit": 50}))
        pool.append(("search", "/api/search", {"q": institution["name"][:2], "limit": 20}))
        pool.append(("neighbourhood", "/api/entity", {"id": institution["id"], "depth": 1, "limit": 100}))
    whole_graph: tuple[tuple[str, dict[str, Any]], ...] = (
        ("city-ranking", {}),
        ("institution-ranking", {}),
        ("cooperation-matrix", {}),
        ("programme-cities", {"programme": "科技特派员"}),
        ("metric-targets", {"metric": "高新技术企业"}),
        ("city-city", {"city": "any"}),
    )
    for name, params in whole_graph:
        pool += [("query", f"/api/queries/{name}", params)] * 5
    rng.shuffle(pool)
    return pool


async def _client(
    client: httpx.AsyncClient, pool: list[Request], offset: int, deadline: float, budget: list[int], tally: Tally
) -> None:
    index = offset
    while time.perf_counter() < deadline and budget[0] > 0:
        budget[0] -= 1
        kind, path, params = pool[index % len(pool)]
        index += 1
        began = time.perf_counter()
        try:
            response = await client.get(path, params=params)
            if response.status_code != 200:
                tally.errors[f"{kind} {path}: HTTP {response.status_code}"] += 1
        except httpx.HTTPError as error:
            tally.errors[f"{kind} {path}: {type(error).__name__}"] += 1
        tally.latencies.setdefault(kind, []).append((time.perf_counter() - began) * 1000)
        tally.sent += 1


async def soak(url: str, pool: list[Request], clients: int, seconds: float, max_requests: int) -> Tally:
    tally = Tally()
    budget = [max_requests]
    # Idle connections are dropped before uvicorn's 5 s keep-alive ends, so none is reused as the server closes it.
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients, keepalive_expiry=2)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        deadline = time.perf_counter() + seconds
        stride = max(1, len(pool) // clients)
        await asyncio.gather(*(_client(client, pool, i * stride, deadline, budget, tally) for i in range(clients)))
    return tally


def wrk_script(pool: list[Request], max_requests: int, threads: int) -> str:
    """Lua for wrk: each thread cycles through the mix from its own offset and stops after its share."""
    paths = ",\n".join('"' + path + "?" + urlencode(params) + '"' for _, path, params in pool)
    return (
        f"local paths = {{{paths}}}\nlocal i, sent, share = 0, 0, {max(1, max_requests // threads)}\n"
        "init = function(args) i = math.random(#paths) end\n"
        "request = function() i = i % #paths + 1; return wrk.format('GET', paths[i]) end\n"
        "response = function(status, headers, body) sent = sent + 1; "
        "if sent >= share then wrk.thread:stop() end end\n"
    )


def soak_with_wrk(url: str, pool: list[Request], clients: int, seconds: float, max_requests: int) -> int:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", encoding="utf-8") as script:
        script.write(wrk_script(pool, max_requests, min(clients, os.cpu_count() or 1)))
        script.flush()
        began = time.perf_counter()
        level = run_wrk(url, clients, seconds, Path(script.name))
        took = time.perf_counter() - began
    print(
        f"{clients} clients, {took:.1f} s (wrk): {level.requests} requests ({level.requests / took:.0f}/s), "
        f"{level.errors} errors, p50 {level.p50:.1f} ms, p99 {level.p99:.1f} ms"
    )
    return level.errors


def report(url: str, clients: int, seconds: float, max_requests: int, seed: int, engine: str) -> int:
    print("machine:", describe(), "load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    with httpx.Client(base_url=url) as client:
        print("store:", client.get("/api/health").json())
        pool = request_mix(*names_in_graph(client), random.Random(seed))
    print(f"mix: {len(pool)} distinct requests")
    if engine == "wrk":
        errors = soak_with_wrk(url, pool, clients, seconds, max_requests)
        print("load average after:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
        return 1 if errors else 0
    began = time.perf_counter()
    tally = asyncio.run(soak(url, pool, clients, seconds, max_requests))
    took = time.perf_counter() - began
    every = [ms for values in tally.latencies.values() for ms in values]
    errors = sum(tally.errors.values())
    print(
        f"{clients} clients, {took:.1f} s: {tally.sent} requests ({tally.sent / took:.0f}/s), {errors} errors, "
        f"p50 {statistics.median(every):.1f} ms, p99 {percentile(every, 0.99):.1f} ms"
    )
    for kind, values in sorted(tally.latencies.items()):
        print(
            f"  {kind:14} {len(values):>7} requests  p50 {statistics.median(values):7.1f} ms  "
            f"p99 {percentile(values, 0.99):7.1f} ms"
        )
    for what, count in tally.errors.most_common(10):
        print(f"  error x{count}: {what}")
    print("load average after:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    return 1 if errors else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running API; default: `policykg demo` on the samples, in its own process")
    parser.add_argument("--clients", type=int, default=64, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to run")
    parser.add_argument("--max-requests", type=int, default=1_000_000, help="stop after this many requests")
    parser.add_argument("--seed", type=int, default=1, help="seeds the request mix")
    parser.add_argument(
        "--engine",
        choices=("wrk", "python"),
        default="wrk" if shutil.which("wrk") else "python",
        help="load generator (default: wrk when installed)",
    )
    args = parser.parse_args()
    if args.url:
        sys.exit(report(args.url.rstrip("/"), args.clients, args.seconds, args.max_requests, args.seed, args.engine))
    with serve_samples() as url:
        code = report(url, args.clients, args.seconds, args.max_requests, args.seed, args.engine)
    sys.exit(code)


if __name__ == "__main__":
    main()
