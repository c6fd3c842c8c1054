"""The shortest-paths curated query on FalkorDB (graph/paths.py) over many entity pairs of an existing store:
the time of each search and its outcome (paths, none, too large), the slowest pairs first.

    python bench/shortest_paths.py DATA_DIR [--pairs 200] [--seed 1] [--limit 10] [--slowest 10]

Pairs are drawn at random among platforms, programmes, institutions, agencies, counties and cities, plus the
entities with the most neighbours (hubs); the issue's slow case was two platforms/programmes far apart.
Times are wall-clock on a shared machine: compare them with the load printed beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from pathlib import Path
from typing import TypedDict

from bench.machine import describe
from policykg.graph.paths import PATH_TYPES, PathSearchTooLarge
from policykg.graph.stores.embedded_server import EmbeddedServer
from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.queries import load_queries
from policykg.queries.dialects import run_curated

LABELS = ("Platform", "Program", "Institution", "Agency", "County", "City")
SAMPLE = "MATCH (n:{label}) RETURN n.id AS id ORDER BY id"
HUBS = (
    f"MATCH (n:Entity)-[:{'|'.join(PATH_TYPES)}]-(m:Entity) "
    "RETURN n.id AS id, count(DISTINCT m) AS degree ORDER BY degree DESC LIMIT 20"
)


def candidates(store: FalkorDBStore, rng: random.Random, pairs: int) -> list[tuple[str, str]]:
    pool = {label: [row["id"] for row in store.run(SAMPLE.format(label=label))] for label in LABELS}
    pool["hub"] = [row["id"] for row in store.run(HUBS)]
    kinds = [kind for kind, ids in pool.items() if ids]
    chosen = []
    for _ in range(pairs):
        first, second = rng.choice(kinds), rng.choice(kinds)
        chosen.append((rng.choice(pool[first]), rng.choice(pool[second])))
    return chosen


class Timing(TypedDict):
    source: str
    target: str
    ms: float
    outcome: str


def timed(store: FalkorDBStore, source: str, target: str, limit: int) -> Timing:
    query = load_queries()["shortest-paths"]
    started = time.perf_counter()
    try:
        rows = run_curated(store, query.name, query.cypher, {"source": source, "target": target, "limit": limit})
        outcome = f"{len(rows)} paths of {rows[0]['hops']} hops" if rows else "no path"
    except PathSearchTooLarge:
        outcome = "too large"
    return {
        "source": source,
        "target": target,
        "ms": round((time.perf_counter() - started) * 1000, 1),
        "outcome": outcome,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--slowest", type=int, default=10)
    args = parser.parse_args()
    server = EmbeddedServer(args.data_dir)
    store = FalkorDBStore(server.start(timeout=3600).client())
    try:
        results = [
            timed(store, source, target, args.limit)
            for source, target in candidates(store, random.Random(args.seed), args.pairs)
        ]
    finally:
        store.close()
        server.stop()
    times = sorted(result["ms"] for result in results)
    outcomes = [result["outcome"] for result in results]
    summary = {
        "bench": "shortest-paths",
        "data_dir": str(args.data_dir),
        "pairs": len(results),
        "p50_ms": statistics.median(times),
        "max_ms": times[-1],
        "too_large": outcomes.count("too large"),
        "no_path": outcomes.count("no path"),
        "load_average": os.getloadavg(),
        "machine": describe(),
    }
    print(json.dumps(summary, ensure_ascii=False))
    for result in sorted(results, key=lambda r: -r["ms"])[: args.slowest]:
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
