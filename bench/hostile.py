"""Issue #19's attacks on a served graph, and what they do to everyone else: /api/health and an uncached curated
query are probed all along, and each attack's p50/p99 (and failures) are printed beside the quiet baseline.

The attacks, each for `--seconds` (the issue's list), each attacker from its own loopback address (127.0.0.10…),
so that limits per client do not hide what several clients can do:
- nesting: `RETURN ((…1…))` 22 deep, two clients at a time (its parse time doubles with each level);
- sppaths: `algo.SPpaths` between two far-apart cities, two at a time (it ignores the time limit);
- range: `RETURN size(range(1, 150000000))`, one at a time (gigabytes in the store);
- timeouts: a variable-length match that runs into the 5 s limit, four at a time;
- runtime-range, cpu: what passes the API's checks yet asks much of the store: a range() built from a variable
  (150 million numbers), nested reduce() over ranges (work no time limit interrupts), two at a time;
- crowd: 64 clients on the page's cached requests for `--seconds`, alone and then with one more client sending
  four time-limited queries at a time: requests completed by the 64 in each case.
After each attack the script waits until health answers within 100 ms again (the store may still be working
through what it was sent) and reports that wait as `recovery`.

    .venv/bin/python -m bench.hostile --data-dir DIR [--seconds 20]

DIR holds a loaded embedded store (e.g. `policykg ingest` of 1,000 real documents); it is served from this
checkout by `policykg serve` in its own process, which is stopped (with its store) at the end. Nothing is written.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import multiprocessing
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx

from bench.api_load import POLICYKG, percentile, wait_healthy
from bench.machine import describe, tree_rss_bytes
from bench.soak import names_in_graph, request_mix, soak

RESULTS = Path(__file__).with_name("results.jsonl")
DEEP = "RETURN " + "(" * 22 + "1" + ")" * 22 + " AS x"
RANGE = "RETURN size(range(1, 150000000)) AS n"
SLOW = "MATCH (a:Entity)-[*1..4]-(b:Entity) RETURN count(*) AS n"
# What passes /api/cypher's checks yet asks the store for much: a range built at run time (under the store's memory
# limit per query), and nested reduce() over one (work no time limit interrupts).
RUNTIME_RANGE = "WITH 150000000 AS n RETURN size(range(1, n)) AS n"
CPU = "WITH 20000 AS n RETURN reduce(a = 0, x IN range(1, n) | a + reduce(b = 0, y IN range(1, n) | b + y)) AS n"
SPPATHS = (
    "MATCH (a:City {name: $a}), (b:City {name: $b}) "
    "CALL algo.SPpaths({sourceNode: a, targetNode: b, maxLen: 6, pathCount: 0}) YIELD path RETURN count(path) AS n"
)


@dataclass
class Probe:
    """Latencies of one kind of request sent in a loop, one at a time."""

    latencies: list[float] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {
            "requests": len(self.latencies),
            "p50_ms": round(statistics.median(self.latencies), 1) if self.latencies else None,
            "p99_ms": round(percentile(self.latencies, 0.99), 1) if self.latencies else None,
            "max_ms": round(max(self.latencies), 1) if self.latencies else None,
            "failures": self.failures,
        }


def _probe(
    url: str, next_request: Callable[[], tuple[str, dict[str, Any]]], pause: float, stop: threading.Event
) -> Probe:
    probe = Probe()
    with httpx.Client(base_url=url, timeout=120) as client:
        while not stop.is_set():
            path, params = next_request()
            began = time.perf_counter()
            try:
                response = client.get(path, params=params)
                status = str(response.status_code)
            except httpx.HTTPError as error:
                status = type(error).__name__
            probe.latencies.append((time.perf_counter() - began) * 1000)
            if status != "200":
                probe.failures[status] = probe.failures.get(status, 0) + 1
            stop.wait(pause)
    return probe


_DISTINCT = itertools.count()


class _Stop(Protocol):
    def is_set(self) -> bool: ...
    def wait(self, timeout: float | None = None) -> bool: ...


def _attack(url: str, query: str, params: dict[str, Any], stop: _Stop, sent: list[str], address: str) -> None:
    """Send `query` (which ends with a column's alias) to /api/cypher again and again until `stop`, each time
    with a number after the alias, from the loopback `address` (each attacker its own client); each answer's status is
    noted."""
    transport = httpx.HTTPTransport(local_address=address)
    with httpx.Client(base_url=url, timeout=600, transport=transport) as client:
        while not stop.is_set():
            text = f"{query}{next(_DISTINCT)}"  # a text never sent before: not answered from the store's plan cache
            try:
                response = client.post("/api/cypher", json={"query": text, "params": params})
                sent.append(str(response.status_code))
            except httpx.HTTPError as error:
                sent.append(type(error).__name__)
            if sent[-1] == "429":  # refused at once: an attacker would come back a moment later
                stop.wait(0.2)


def _attack_alone(
    url: str, query: str, params: dict[str, Any], stop: _Stop, answers: Any, address: str, first: int
) -> None:
    """_attack in a process of its own: attacker threads beside the probes held the interpreter lock the probes
    needed, and their waits counted as the server's (health p99 60-145 ms with two attackers, 25 ms with one)."""
    global _DISTINCT
    _DISTINCT = itertools.count(first)  # texts distinct from other attackers' too
    sent: list[str] = []
    _attack(url, query, params, stop, sent, address)
    answers.put(sent)


def store_pid(data_dir: Path) -> int | None:
    try:
        return int(json.loads((data_dir / "falkordb.json").read_text())["pid"])
    except (OSError, ValueError, KeyError):
        return None


class Served:
    """`policykg serve` on the data folder, and the probes of health and of an uncached curated query."""

    def __init__(self, url: str, data_dir: Path, cities: list[str]) -> None:
        self.url = url
        self.data_dir = data_dir
        self.cities = cities
        self.counter = 0

    def curated(self) -> tuple[str, dict[str, Any]]:
        """city-partners of one of the top cities, with a limit never asked before: never in the cache."""
        self.counter += 1
        return "/api/queries/city-partners", {
            "city": self.cities[self.counter % len(self.cities)],
            "limit": 1000 + self.counter,
        }

    def measure(self, attackers: list[tuple[str, dict[str, Any]]], seconds: float) -> dict[str, Any]:
        context = multiprocessing.get_context("spawn")
        stop, probes_stop, answers = context.Event(), threading.Event(), context.Queue()
        results: dict[str, Probe] = {}
        sent: list[str] = []

        def run_probe(name: str, next_request: Callable[[], tuple[str, dict[str, Any]]], pause: float) -> None:
            results[name] = _probe(self.url, next_request, pause, probes_stop)

        probes = [
            threading.Thread(target=run_probe, args=("health", lambda: ("/api/health", {}), 0.05)),
            threading.Thread(target=run_probe, args=("curated", self.curated, 0.2)),
        ]
        processes = [
            context.Process(
                target=_attack_alone,
                args=(self.url, q, p, stop, answers, f"127.0.0.{10 + i}", i * 10**9),
                daemon=True,
            )
            for i, (q, p) in enumerate(attackers)
        ]
        peak = 0
        for process in processes:
            process.start()
        for thread in probes:
            thread.start()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            pid = store_pid(self.data_dir)
            peak = max(peak, tree_rss_bytes(pid) if pid else 0)
            time.sleep(0.5)
        stop.set()
        probes_stop.set()
        for thread in probes:
            thread.join()
        for _ in processes:  # each reports when its request under way has been answered
            sent.extend(answers.get())
        outcome: dict[str, Any] = {name: probe.summary() for name, probe in results.items()}
        outcome["attack_answers"] = {status: sent.count(status) for status in sorted(set(sent))}
        outcome["store_peak_rss_mb"] = round(peak / 2**20)
        outcome["recovery_s"] = self.recover()
        pid = store_pid(self.data_dir)
        outcome["store_rss_after_mb"] = round(tree_rss_bytes(pid) / 2**20) if pid else None
        return outcome

    def recover(self, limit: float = 900.0) -> float:
        """Seconds until health answers within 100 ms five times in a row."""
        began = time.monotonic()
        fast = 0
        with httpx.Client(base_url=self.url, timeout=limit) as client:
            while fast < 5 and time.monotonic() - began < limit:
                t = time.perf_counter()
                try:
                    ok = client.get("/api/health").status_code == 200
                except httpx.HTTPError:
                    ok = False
                fast = fast + 1 if ok and time.perf_counter() - t < 0.1 else 0
                time.sleep(0.05)
        return round(time.monotonic() - began, 1)


async def _crowd(url: str, pool: list[Any], seconds: float, attack: bool) -> dict[str, Any]:
    stop = threading.Event()
    sent: list[str] = []
    attackers = [
        threading.Thread(target=_attack, args=(url, SLOW, {}, stop, sent, "127.0.0.10"), daemon=True)
        for _ in range(4 if attack else 0)  # one client (one address) sending four at a time
    ]
    for thread in attackers:
        thread.start()
    began = time.perf_counter()
    tally = await soak(url, pool, 64, seconds, 10_000_000)
    stop.set()
    every = [ms for values in tally.latencies.values() for ms in values]
    return {
        "completed": tally.sent - sum(tally.errors.values()),
        "errors": sum(tally.errors.values()),
        "seconds": round(time.perf_counter() - began, 1),
        "p50_ms": round(statistics.median(every), 1) if every else None,
        "p99_ms": round(percentile(every, 0.99), 1) if every else None,
        "attack_answers": {status: sent.count(status) for status in sorted(set(sent))},
    }


def run(data_dir: Path, port: int, seconds: float, only: list[str] | None) -> dict[str, Any]:
    process = subprocess.Popen(
        [POLICYKG, "serve", "--data-dir", str(data_dir), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    figures: dict[str, Any] = {}
    try:
        wait_healthy(url, process, timeout=600)
        with httpx.Client(base_url=url, timeout=600) as client:
            cities, institutions = names_in_graph(client)
        served = Served(url, data_dir, [city["name"] for city in cities])
        far = (cities[0]["name"], cities[-1]["name"])
        attacks: dict[str, list[tuple[str, dict[str, Any]]]] = {
            "quiet": [],
            "nesting": [(DEEP, {})] * 2,
            "sppaths": [(SPPATHS, {"a": far[0], "b": far[1]})] * 2,
            "range": [(RANGE, {})],
            "timeouts": [(SLOW, {})] * 4,
            "runtime-range": [(RUNTIME_RANGE, {})] * 2,
            "cpu": [(CPU, {})] * 2,
        }
        for name, attackers in attacks.items():
            if only and name not in only and name != "quiet":
                continue
            figures[name] = served.measure(attackers, seconds)
            print(name, json.dumps(figures[name], ensure_ascii=False), flush=True)
        if not only or "crowd" in only:
            pool = request_mix(cities, institutions, random.Random(1))
            for attack in (False, True):
                name = "crowd+attacker" if attack else "crowd"
                figures[name] = asyncio.run(_crowd(url, pool, seconds, attack))
                figures[name]["recovery_s"] = served.recover()
                print(name, json.dumps(figures[name], ensure_ascii=False), flush=True)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:  # a server that ignores SIGTERM while it waits on the store
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            figures["serve_ignored_sigterm"] = True
        pid = store_pid(data_dir)
        if pid:  # a store left busy by an attack is not ours to keep
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="a loaded embedded store's folder")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long each attack lasts")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--only", nargs="*", help="some of: nesting sppaths range timeouts crowd")
    args = parser.parse_args()
    machine = describe()
    print("machine:", machine, "load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)
    figures = run(args.data_dir.resolve(), args.port, args.seconds, args.only)
    with RESULTS.open("a", encoding="utf-8") as results:
        results.write(
            json.dumps({"bench": "hostile", "machine": machine, "figures": figures}, ensure_ascii=False) + "\n"
        )
    sys.exit(0)


if __name__ == "__main__":
    main()
