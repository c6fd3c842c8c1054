"""Whole-graph answers over HTTP (issue #19 item 5): each export format and the analytics on N real documents,
asked twice; wall time of each request, and the peak resident memory of the serving process alone and of it with
its worker processes (the FalkorDB server left out: its memory is the graph's), sampled every 0.1 s.

    python bench/graph_jobs.py [--documents 1000] [--data-dir D]

The first request computes in a worker process; the second is sent the kept file. The documents are the first N
of ../shared/realcorpus/docs by name, ingested into D (a temporary folder unless given; reused when it exists).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.machine import ROOT, describe, tree_rss_bytes
from policykg.graph.stores.embedded_server import free_port

CORPUS = ROOT.parent / "shared" / "realcorpus" / "docs"
POLICYKG = Path(sys.executable).parent / "policykg"
ROUTES = [
    ("/api/export", {"format": "ttl"}),
    ("/api/export", {"format": "jsonld"}),
    ("/api/export", {"format": "graphml"}),
    ("/api/export", {"format": "csv"}),
    ("/api/analytics/centrality", {}),
    ("/api/analytics/communities", {}),
]


def ingest(documents: int, data_dir: Path) -> float:
    """Seconds to ingest the first `documents` real documents (copied to a folder of their own) into `data_dir`."""
    with tempfile.TemporaryDirectory(prefix="policykg-bench-docs-") as folder:
        for path in sorted(CORPUS.iterdir())[:documents]:
            shutil.copy(path, folder)
        started = time.monotonic()
        subprocess.run([str(POLICYKG), "ingest", folder, "--data-dir", str(data_dir)])  # a failed document: exit 1
        return time.monotonic() - started


class PeakMemory:
    """The largest RSS of a process alone and with its descendants (the store's server excluded), while running."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.alone = self.tree = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while True:  # once at the start, then every 0.1 s until stopped
            self.alone = max(self.alone, _rss(self.pid))
            self.tree = max(self.tree, tree_rss_bytes(self.pid, excluding="redis"))
            if self._stop.wait(0.1):
                return

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def _rss(pid: int) -> int:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def measure(url: str, pid: int) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    with httpx.Client(base_url=url, timeout=None) as client:
        for path, params in ROUTES:
            for attempt in ("computed", "kept"):
                with PeakMemory(pid) as peak:
                    started = time.monotonic()
                    size = 0
                    with client.stream("GET", path, params=params, headers={"Accept-Encoding": "identity"}) as answer:
                        for chunk in answer.iter_raw():
                            size += len(chunk)
                    seconds = time.monotonic() - started
                row: dict[str, object] = {
                    "route": path + ("?format=" + params["format"] if params else ""),
                    "request": attempt,
                    "status": answer.status_code,
                    "seconds": round(seconds, 2),
                    "MB": round(size / 2**20, 1),
                    "server_peak_rss_MB": round(peak.alone / 2**20),
                    "with_workers_peak_rss_MB": round(peak.tree / 2**20),
                }
                print(json.dumps(row, ensure_ascii=False), flush=True)
                rows.append(row)
    return rows


def serve(data_dir: Path, port: int, timeout_s: int) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ, POLICYKG_DATA_DIR=str(data_dir), POLICYKG_CACHE_WARM="0", POLICYKG_GRAPH_TIMEOUT_S=str(timeout_s)
    )
    process = subprocess.Popen([str(POLICYKG), "serve", "--port", str(port)], env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.5)
    process.terminate()
    raise RuntimeError("the server did not answer within 120 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--timeout", type=int, default=300, help="POLICYKG_GRAPH_TIMEOUT_S for the server")
    arguments = parser.parse_args()
    print(json.dumps(describe()), flush=True)
    with tempfile.TemporaryDirectory(prefix="policykg-bench-store-") as scratch:
        data_dir = arguments.data_dir or Path(scratch)
        if not (data_dir / "texts").exists():
            print(
                json.dumps({"documents": arguments.documents, "ingest_s": round(ingest(arguments.documents, data_dir))})
            )
        port = free_port()
        process = serve(data_dir, port, arguments.timeout)
        try:
            rows = measure(f"http://127.0.0.1:{port}", process.pid)
        finally:
            process.terminate()
            process.wait(timeout=60)
    with (ROOT / "bench" / "results.jsonl").open("a", encoding="utf-8") as results:
        record = {
            "bench": "graph_jobs",
            "documents": arguments.documents,
            "timeout_s": arguments.timeout,
            "machine": describe(),
            "rows": rows,
        }
        results.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
