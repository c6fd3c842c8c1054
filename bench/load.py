"""Load benchmark: rows/s into the embedded FalkorDB store, and the time to re-load unchanged documents.

Synthetic extraction records (the shape of ingest/record.py): each document is one city's plan
naming institutions it cooperates with, drawn from a pool of many cities × institutions, so
entities are shared across documents as in a real corpus. Rows are the node and relationship rows
graph/build.py makes; the sizes are counted in relationship rows.

    .venv/bin/python bench/load.py                 # 10k and 100k relationships
    .venv/bin/python bench/load.py --sizes 1000000 # the 1M case (minutes)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.machine import describe
from policykg.graph.build import build
from policykg.graph.stores.embedded_server import EmbeddedServer
from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.ingest.record import Entity, Record, Relation

COOPERATIONS_PER_DOCUMENT = 50
CITIES = 300
INSTITUTION_SUFFIXES = ("大学", "研究院", "科学院", "技术研究所", "实验室")


def relationship_rows_per_document() -> int:
    return sum(len(rows) for rows in build(synthetic_record(0, random.Random(0))).relationships.values())


def synthetic_record(index: int, rng: random.Random, institutions: int = 5000) -> Record:
    city = f"第{rng.randrange(CITIES)}市"
    chosen = rng.sample(range(institutions), COOPERATIONS_PER_DOCUMENT)
    names = [f"测试{n}{INSTITUTION_SUFFIXES[n % len(INSTITUTION_SUFFIXES)]}" for n in chosen]
    entities: list[Entity] = [
        {"type": "City", "name": city, "aliases": [], "mentions": [{"start": 0, "end": len(city)}]}
    ]
    relations: list[Relation] = []
    for offset, name in enumerate(names, 1):
        start = offset * 40
        entities.append(
            {
                "type": "Institution",
                "name": name,
                "aliases": [f"{name[:4]}院"] if offset % 7 == 0 else [],
                "mentions": [{"start": start + 3, "end": start + 3 + len(name), "extractor": "bench"}],
            }
        )
        relations.append(
            {
                "type": "COOPERATES_WITH",
                "source": {"type": "City", "name": city},
                "target": {"type": "Institution", "name": name},
                "evidence": {"start": start, "end": start + 30, "text": f"深化与{name}的产学研合作,共建创新平台。"},
                "extractor": "bench",
                "confidence": 0.8,
            }
        )
    return {
        "file": f"bench/{index}.txt",
        "source": f"bench/{index}.txt",
        "doc_id": f"doc:bench{index:07d}",
        "document": {
            "title": f"{city}{2015 + index % 10}年科技工作要点",
            "city": city,
            "province": None,
            "year": 2015 + index % 10,
            "issuer": None,
            "doc_number": None,
            "published": None,
        },
        "entities": entities,
        "relations": relations,
        "targets": [],
    }


def records(documents: int) -> Iterator[Record]:
    rng = random.Random(documents)
    for index in range(documents):
        yield synthetic_record(index, rng)


def server_cpu_seconds(data_dir: Path) -> float:
    """CPU time the embedded server has used: with other work on the machine, wall time alone misleads."""
    pid = json.loads((data_dir / "falkordb.json").read_text())["pid"]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_size(relationships: int, data_dir: Path) -> dict[str, Any]:
    documents = max(1, relationships // relationship_rows_per_document())
    server = EmbeddedServer(data_dir)
    store = FalkorDBStore(server.start().client(timeout=600), graph_name="bench")
    try:
        batch = list(records(documents))  # made before the clock starts: generating them is not loading
        load_before = os.getloadavg()[0]
        client_cpu, server_cpu = time.process_time(), server_cpu_seconds(data_dir)
        started = time.perf_counter()
        report = store.load(batch)
        seconds = time.perf_counter() - started
        client_cpu, server_cpu = time.process_time() - client_cpu, server_cpu_seconds(data_dir) - server_cpu
        started = time.perf_counter()
        again = store.load(batch)
        reload_seconds = time.perf_counter() - started
        assert again.unchanged == documents and again.loaded == 0
        rows = report.nodes + report.relationships
        return {
            "documents": documents,
            "node_rows": report.nodes,
            "relationship_rows": report.relationships,
            "seconds": round(seconds, 2),
            "rows_per_s": round(rows / seconds),
            "client_cpu_s": round(client_cpu, 2),
            "server_cpu_s": round(server_cpu, 2),
            # The client and the server work at the same time, on one core each: on an idle 2-core machine
            # the busier of the two sets the pace. On a shared one wall time also counts the waits.
            "rows_per_busiest_cpu_s": round(rows / max(client_cpu, server_cpu)),
            "load_average_before": round(load_before, 1),
            "relationship_rows_per_s": round(report.relationships / seconds),
            "reload_unchanged_seconds": round(reload_seconds, 2),
            "stats": store.stats(),
        }
    finally:
        store.close()
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[10_000, 100_000],
        help="relationship rows to load, one fresh store each",
    )
    args = parser.parse_args()
    print(json.dumps({"machine": describe()}, ensure_ascii=False))
    for size in args.sizes:
        data_dir = Path(tempfile.mkdtemp(prefix="policykg-bench-load-"))
        try:
            result = run_size(size, data_dir)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
        print(json.dumps({"relationships": size, **result}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
