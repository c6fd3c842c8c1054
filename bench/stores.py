"""The embedded FalkorDB against Neo4j 5 on the same records: load time and rows/s, memory, and every curated query's
cold and warm p50/p99.

    python -m bench.stores --realcorpus ../shared/realcorpus/docs
    python -m bench.stores --synthetic 10000 [--seed 1]
        [--work /tmp/policykg-bench] [--workers 2] [--neo4j-heap 1g] [--neo4j-page-cache 512m] [--repeats 20]

A corpus is extracted once into WORK/records-NAME.jsonl (reused once complete; --workers processes), then the same
records are loaded into a fresh embedded FalkorDB (`bulk_loading`, as `policykg ingest` does) and a fresh Neo4j 5
Community (tests/neo4j_launcher.py: built from Maven Central, with the heap and page cache given). Memory: the
FalkorDB server's RSS and the Neo4j JVM's, each at its peak during the load (sampled every 0.5 s) and after a
restart, and Neo4j's database on disk. Queries: each store is restarted and opened as policykg opens it, then each
curated query runs once for each of its parameter sets (cold: the store's own caches and query plans empty, not the
operating system's file cache) and then `repeats` times more each (warm).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.ingest import RESULTS, corpus
from bench.machine import describe
from policykg.app.batch import warm_up_extractor
from policykg.graph.paths import PathSearchTooLarge
from policykg.graph.stores.embedded_server import EmbeddedServer
from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.graph.stores.neo4j_store import Neo4jStore
from policykg.graph.stores.opening import texts_of
from policykg.graph.stores.protocol import Row, Store, StoreError
from policykg.ingest.files import document_paths
from policykg.ingest.pipeline import extract_file
from policykg.ingest.readers import ReadError
from policykg.ingest.record import Record
from policykg.queries import load_queries
from policykg.queries.dialects import run_curated
from tests.neo4j_launcher import Neo4jServer, running_neo4j

QUERY_TIMEOUT_MS = 30_000  # a query this slow is recorded as such, not waited for
Params = dict[str, Any]


# ---------------------------------------------------------------- records, once


def _extracted(path: str) -> str | None:
    try:
        return json.dumps(extract_file(Path(path)), ensure_ascii=False)
    except ReadError:
        return None


def extract_once(name: str, source: Path, work: Path, workers: int) -> Path:
    """The corpus's records as JSON Lines, extracted by `workers` processes the first time only."""
    records = work / f"records-{name}.jsonl"
    complete = work / f"records-{name}.complete"
    if complete.exists():
        return records
    paths = document_paths([source])
    warm_up_extractor()  # before the fork: the workers share its gazetteers and automata
    started = time.perf_counter()
    with multiprocessing.Pool(workers) as pool, records.open("w", encoding="utf-8") as out:
        for line in pool.imap(_extracted, paths, chunksize=8):
            if line is not None:
                out.write(line + "\n")
    print(f"extracted {len(paths)} files in {time.perf_counter() - started:.0f} s to {records}", flush=True)
    complete.touch()
    return records


def read_records(path: Path) -> Iterator[Record]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


# ---------------------------------------------------------------- memory


def rss_bytes(pid: int) -> int:
    """The process's own resident memory (not its forks': FalkorDB's index collector forks during loads)."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


class PeakRss:
    """The largest RSS of a process seen while the block runs, sampled every 0.5 s."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._done.wait(0.5):
            self.peak = max(self.peak, rss_bytes(self.pid))

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes(self.pid))


def mb(size: int) -> int:
    return round(size / 2**20)


def disk_mb(folder: Path) -> int:
    out = subprocess.run(["du", "-sb", str(folder)], capture_output=True, text=True, check=True).stdout
    return mb(int(out.split()[0]))


# ---------------------------------------------------------------- queries


def _values(store: Store, cypher: str) -> list[Any]:
    return [next(iter(row.values())) for row in store.run(cypher)]


def parameter_sets(store: Store) -> dict[str, list[Params]]:
    """Several parameter sets per query, from the loaded data: its busiest cities, institutions, metrics and
    programmes, some documents, pairs of cities two hops apart. A query not named here runs its example."""
    cities = _values(store, "MATCH (s:CitySummary) RETURN s.city ORDER BY s.partners DESC, s.city LIMIT 5")
    institutions = _values(
        store, "MATCH (s:InstitutionSummary) RETURN s.institution ORDER BY s.cities DESC, s.institution LIMIT 3"
    )
    metrics = _values(
        store, "MATCH (:Target)-[:MEASURES]->(m:Metric) WITH m, count(*) AS n RETURN m.name ORDER BY n DESC LIMIT 3"
    )
    programmes = _values(
        store, "MATCH (:Document)-[:MENTIONS]->(p:Program) WITH p, count(*) AS n RETURN p.name ORDER BY n DESC LIMIT 3"
    )
    documents = _values(store, "MATCH (d:Document) RETURN d.id ORDER BY d.id LIMIT 5")
    by_city = [{"city": city} for city in cities]
    return {
        "city-city": [{"city": "any"}, *by_city],
        "city-partners": by_city,
        "city-platforms": by_city,
        "city-timeline": by_city,
        "document-facts": [{"doc": doc} for doc in documents],
        "institution-cities": [{"institution": name} for name in institutions],
        "metric-targets": [{"metric": name} for name in metrics],
        "programme-cities": [{"programme": name} for name in programmes],
        "search": [{"q": q} for q in ("大学", "科学院", "研究院")],
        "shortest-paths": two_hop_pairs(store, institutions),
    }


def two_hop_pairs(store: Store, institutions: list[Any]) -> list[Params]:
    """Two cities that cooperate with the same institution, per institution. Read one institution at a time: every
    two-hop pair of the whole graph, sorted, passes Neo4j's transaction memory limit (70 % of a 1 GB heap) on the
    synthetic corpus, whose hubs have thousands of partner cities."""
    pairs = []
    for name in institutions:
        rows = store.run(
            "MATCH (a:City)-[:COOPERATES_WITH]->(:Institution {name: $name}) "
            "RETURN DISTINCT a.id AS id ORDER BY id LIMIT 2",
            {"name": name},
        )
        if len(rows) == 2:
            pairs.append({"source": rows[0]["id"], "target": rows[1]["id"]})
    return pairs


def _timed(run: Callable[[], list[Row]]) -> float:
    started = time.perf_counter()
    try:
        run()
    except (StoreError, PathSearchTooLarge):
        return float(QUERY_TIMEOUT_MS)
    return (time.perf_counter() - started) * 1000


def _percentiles(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 1),
        "runs": len(times),
    }


def query_times(store: Store, sets: dict[str, list[Params]], repeats: int) -> dict[str, dict[str, Any]]:
    """Every curated query: its first run per parameter set (cold), then `repeats` runs of each set (warm)."""
    times: dict[str, dict[str, Any]] = {}
    for name, query in sorted(load_queries().items()):
        example = dict(pair.split("=", 1) for pair in query.example.split("&") if pair)
        bound = [query.bind(given) for given in sets.get(name) or [example]]

        def once(params: Params, name: str = name, cypher: str = query.cypher) -> float:
            return _timed(lambda: run_curated(store, name, cypher, params, timeout_ms=QUERY_TIMEOUT_MS))

        cold = [once(params) for params in bound]
        warm = [once(params) for _ in range(repeats) for params in bound]
        times[name] = {"cold": _percentiles(cold), "warm": _percentiles(warm), "parameter_sets": len(bound)}
    return times


# ---------------------------------------------------------------- the stores


def load(store: Store, records: Path, pid: int) -> dict[str, Any]:
    with PeakRss(pid) as memory, store.bulk_loading():
        started = time.perf_counter()
        report = store.load(read_records(records))
        seconds = time.perf_counter() - started
    rows = report.nodes + report.relationships
    result = {
        "documents": report.loaded,
        "load_s": round(seconds, 1),
        "rows": rows,
        "rows_per_s": round(rows / seconds),
        "peak_rss_mb": mb(memory.peak),
        "failures": report.failures,
    }
    print(json.dumps({"loaded": result}, ensure_ascii=False), flush=True)  # kept if a later step fails
    return result


def bench_falkordb(records: Path, work: Path, name: str, repeats: int) -> dict[str, Any]:
    data_dir = work / f"falkordb-{name}"
    shutil.rmtree(data_dir, ignore_errors=True)
    server = EmbeddedServer(data_dir)
    address = server.start()
    store = FalkorDBStore(address.client(), texts=texts_of(data_dir))
    pid = server.pid()
    assert pid is not None
    try:
        result = load(store, records, pid)
        result["rss_after_load_mb"] = mb(rss_bytes(pid))
    finally:
        store.close()
        server.stop(timeout=600)
    started = time.perf_counter()  # until the store is open, as on Neo4j
    address = server.start(timeout=3600)
    store = FalkorDBStore(address.client(), texts=texts_of(data_dir))
    result["restart_s"] = round(time.perf_counter() - started, 1)
    try:
        pid = server.pid()
        assert pid is not None
        result["rss_after_restart_mb"] = mb(rss_bytes(pid))
        result["disk_mb"] = disk_mb(data_dir)
        sets = parameter_sets(store)
        result["queries"] = query_times(store, sets, repeats)
    finally:
        store.close()
        server.stop(timeout=600)
        shutil.rmtree(data_dir, ignore_errors=True)
    return result


def bench_neo4j(records: Path, work: Path, name: str, heap: str, page_cache: str, repeats: int) -> dict[str, Any]:
    home = work / f"neo4j-{name}"
    shutil.rmtree(home, ignore_errors=True)

    def connect(server: Neo4jServer) -> Neo4jStore:
        return Neo4jStore.connect(server.uri, server.user, server.password)

    try:
        with running_neo4j(heap=heap, page_cache=page_cache, workdir=home) as server:
            store = connect(server)
            try:
                result = {"heap": heap, "page_cache": page_cache, **load(store, records, server.pid)}
                result["rss_after_load_mb"] = mb(rss_bytes(server.pid))
            finally:
                store.close()
        result["disk_mb"] = disk_mb(home / "home" / "data")
        began = time.perf_counter()
        with running_neo4j(heap=heap, page_cache=page_cache, workdir=home, start_timeout=3600) as server:
            store = connect(server)
            try:
                result["restart_s"] = round(time.perf_counter() - began, 1)
                result["rss_after_restart_mb"] = mb(rss_bytes(server.pid))
                result["queries"] = query_times(store, parameter_sets(store), repeats)
            finally:
                store.close()
        return result
    finally:
        shutil.rmtree(home, ignore_errors=True)


# ---------------------------------------------------------------- report


def table(falkordb: dict[str, Any], neo4j: dict[str, Any]) -> str:
    lines = [
        "| | FalkorDB embedded | Neo4j 5 Community |",
        "| --- | ---: | ---: |",
        f"| documents loaded | {falkordb['documents']:,} | {neo4j['documents']:,} |",
        f"| load s | {falkordb['load_s']:,} | {neo4j['load_s']:,} |",
        f"| rows/s | {falkordb['rows_per_s']:,} | {neo4j['rows_per_s']:,} |",
        f"| peak RSS during the load MB | {falkordb['peak_rss_mb']:,} | {neo4j['peak_rss_mb']:,} |",
        f"| RSS after a restart MB | {falkordb['rss_after_restart_mb']:,} | {neo4j['rss_after_restart_mb']:,} |",
        f"| on disk MB | {falkordb['disk_mb']:,} | {neo4j['disk_mb']:,} |",
        f"| restart s | {falkordb['restart_s']} | {neo4j['restart_s']} |",
        "",
        "| query (parameter sets) | FalkorDB cold p50 / p99 ms | warm p50 / p99 | Neo4j cold p50 / p99 ms | warm |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, f in falkordb["queries"].items():
        n = neo4j["queries"][name]
        cells = [f"{t['p50_ms']:,} / {t['p99_ms']:,}" for t in (f["cold"], f["warm"], n["cold"], n["warm"])]
        lines.append(f"| {name} ({f['parameter_sets']}) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--realcorpus", type=Path, help="a folder of real documents (../shared/realcorpus/docs)")
    what.add_argument("--synthetic", type=int, metavar="DOCUMENTS", help="bench/corpus.py's corpus of this size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/policykg-bench"))
    parser.add_argument("--workers", type=int, default=multiprocessing.cpu_count())
    parser.add_argument("--neo4j-heap", default="1g")
    parser.add_argument("--neo4j-page-cache", default="512m")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    machine = describe()
    print(json.dumps(machine), flush=True)
    if args.realcorpus is not None:
        name, source = "-".join(args.realcorpus.resolve().parts[-2:]), args.realcorpus  # realcorpus-docs
    else:
        name, source = f"synthetic-{args.synthetic}-{args.seed}", corpus(args.work, args.synthetic, args.seed)
    records = extract_once(name, source, args.work, args.workers)
    falkordb = bench_falkordb(records, args.work, name, args.repeats)
    print(json.dumps({"falkordb": falkordb}, ensure_ascii=False), flush=True)
    neo4j = bench_neo4j(records, args.work, name, args.neo4j_heap, args.neo4j_page_cache, args.repeats)
    result = {"bench": "stores", "corpus": name, "machine": machine, "falkordb": falkordb, "neo4j": neo4j}
    line = json.dumps(result, ensure_ascii=False)
    print(line, flush=True)
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    print(table(falkordb, neo4j), flush=True)


if __name__ == "__main__":
    main()
