"""End-to-end `policykg ingest` of generated corpora into a fresh embedded store: wall time, peak RSS of the
whole process tree (CLI, workers and the FalkorDB server), load rows/s, then curated-query latency at that size.

    python bench/ingest.py --sizes 1000 10000 [--workers 2] [--seed 1] [--work /tmp/policykg-bench]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.corpus import VERSION, density, generate, real_density
from bench.machine import describe, tree_rss_bytes
from policykg.graph.paths import PathSearchTooLarge
from policykg.graph.stores.embedded_server import EmbeddedServer
from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.graph.stores.protocol import StoreError
from policykg.queries import load_queries
from policykg.queries.dialects import run_curated

RESULTS = Path(__file__).with_name("results.jsonl")
QUERY_TIMEOUT_MS = 5000


def corpus(work: Path, size: int, seed: int) -> Path:
    folder = work / f"corpus-v{VERSION}-{size}-{seed}"
    complete = work / f"corpus-v{VERSION}-{size}-{seed}.complete"
    if not complete.exists():  # generating is reproducible, so a finished corpus is reused
        shutil.rmtree(folder, ignore_errors=True)
        generate(folder, size, seed)
        complete.touch()
    return folder


def run_ingest(folder: Path, data_dir: Path, workers: int) -> dict[str, object]:
    command = [
        str(Path(sys.executable).with_name("policykg")),
        "ingest",
        str(folder),
        "--data-dir",
        str(data_dir),
        "--workers",
        str(workers),
        "--no-progress",
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    peak = peak_pss = peak_without_store = 0  # "without the store": leaving out redis-server and its forks
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_pss, peak_without_store
        while not done.wait(0.5):
            peak = max(peak, tree_rss_bytes(process.pid))
            peak_pss = max(peak_pss, tree_rss_bytes(process.pid, proportional=True))
            peak_without_store = max(peak_without_store, tree_rss_bytes(process.pid, excluding="redis"))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    done.set()
    seconds = time.perf_counter() - started
    rows = re.search(r"wrote (\d+) node rows and (\d+) relationship rows", stderr)
    failed = re.search(r"(\d+) failed", stderr)
    written = int(rows.group(1)) + int(rows.group(2)) if rows else 0
    return {
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(peak / 2**20),
        "peak_pss_mb": round(peak_pss / 2**20),
        "peak_rss_without_store_mb": round(peak_without_store / 2**20),
        "exit_code": process.returncode,
        "rows": written,
        "rows_per_s": round(written / seconds),
        "failed": int(failed.group(1)) if failed else None,
        "summary": stderr.strip().splitlines()[:2],
    }


def example_parameters(example: str, city: str) -> dict[str, str]:
    pairs = dict(re.findall(r"(\w+)=([^\s,&]+)", example))
    return {k: (city if k == "city" else v) for k, v in pairs.items()}


_PROPERTY_SIZES = {  # the large string properties, in characters (UTF-8: 3 bytes each for Chinese)
    "document_text": "MATCH (d:Document) RETURN sum(size(d.text)) AS n",
    "document_sections": "MATCH (d:Document) RETURN sum(size(d.sections)) AS n",
    "relationship_sentences": "MATCH ()-[r]->() WHERE r.sentence IS NOT NULL RETURN sum(size(r.sentence)) AS n",
    "search_text": "MATCH (e:Entity) RETURN sum(size(e.search_text)) AS n",
    "target_text": "MATCH (t:Target) RETURN sum(size(t.text)) AS n",
}


def store_memory(store: FalkorDBStore) -> dict[str, object]:
    """What the server's memory is made of: FalkorDB's own accounting by label and relationship type (MB),
    the server's used memory, and the characters held in the large string properties."""
    connection = store.client.connection
    usage = connection.execute_command("GRAPH.MEMORY", "USAGE", store.graph.name)
    by_part = dict(zip(usage[::2], usage[1::2], strict=True))
    for part in ("amortized_node_attributes_by_label_sz_mb", "amortized_edge_attributes_by_type_sz_mb"):
        by_part[part] = dict(zip(by_part[part][::2], by_part[part][1::2], strict=True))
    info = connection.info("memory")
    return {
        "graph_mb": by_part,
        "used_memory_mb": round(info["used_memory"] / 2**20),
        "rss_mb": round(info["used_memory_rss"] / 2**20),
        "characters": {name: store.run(cypher)[0]["n"] for name, cypher in _PROPERTY_SIZES.items()},
    }


def query_latency(data_dir: Path, repeats: int = 20) -> dict[str, object]:
    """Restart the store (timed: it replays its append-only file), then time every curated query."""
    server = EmbeddedServer(data_dir)
    started = time.perf_counter()
    address = server.start(timeout=3600)
    restart_s = round(time.perf_counter() - started, 1)
    store = FalkorDBStore(address.client())
    try:
        city = store.run("MATCH (d:Document) WHERE d.city IS NOT NULL RETURN d.city AS c LIMIT 1")[0]["c"]
        latencies = {}
        for name, query in sorted(load_queries().items()):
            params = query.bind(example_parameters(query.example, city))
            timings = []
            for _ in range(repeats):
                started = time.perf_counter()
                try:
                    run_curated(store, name, query.cypher, params, timeout_ms=QUERY_TIMEOUT_MS)
                except (StoreError, PathSearchTooLarge):  # a query this slow is a finding, not a reason to wait for it
                    timings.append(float(QUERY_TIMEOUT_MS))
                    break
                timings.append((time.perf_counter() - started) * 1000)
            timings.sort()
            latencies[name] = {
                "p50_ms": round(statistics.median(timings), 1),
                "p99_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.99))], 1),
            }
        return {"restart_s": restart_s, "queries": latencies, "store_memory": store_memory(store)}
    finally:
        store.close()
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/policykg-bench"))
    args = parser.parse_args()
    machine = describe()
    workers = args.workers or os.cpu_count() or 1
    real = real_density()
    print(json.dumps({"density_real_samples": real}, ensure_ascii=False), flush=True)
    for size in args.sizes:
        folder = corpus(args.work, size, args.seed)
        data_dir = args.work / f"data-{size}"
        shutil.rmtree(data_dir, ignore_errors=True)
        synthetic = density(sorted(folder.glob("000/*.txt"))[:50])
        result = {
            "bench": "ingest",
            "documents": size,
            "workers": workers,
            "machine": machine,
            "corpus_version": VERSION,
            "density": synthetic,
            "density_real_samples": real,
            "corpus_mb": round(sum(p.stat().st_size for p in folder.rglob("*.*")) / 1e6, 1),
            **run_ingest(folder, data_dir, workers),
        }
        print(json.dumps(result, ensure_ascii=False), flush=True)
        result.update(query_latency(data_dir))
        line = json.dumps(result, ensure_ascii=False)
        print(line, flush=True)
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")


if __name__ == "__main__":
    main()
