"""How long the embedded store takes to start again after it was killed (kill -9) in the middle of an ingest.

For each N in `--after`, an empty data folder gets `policykg ingest CORPUS`; N seconds after its first document
reached the append-only file, the store's server is killed with SIGKILL (and the ingest with it), then the store
is started again and timed until it answers: that time is the replay of its append-only file. Printed and appended
to results.jsonl with the files' sizes at the kill.

    .venv/bin/python -m bench.replay CORPUS [--after 10 30 60]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.api_load import POLICYKG
from bench.machine import describe
from policykg.graph.stores.embedded_server import EmbeddedServer
from policykg.graph.stores.falkordb_store import FalkorDBStore

RESULTS = Path(__file__).with_name("results.jsonl")


def data_files_mb(data_dir: Path) -> dict[str, float]:
    """Size of each append-only and snapshot file in the folder, in MB."""
    files = [*data_dir.glob("appendonlydir/*"), *data_dir.glob("*.rdb")]
    return {path.name: round(path.stat().st_size / 2**20, 1) for path in sorted(files)}


def _written(data_dir: Path) -> bool:
    """Whether a document's load has reached the append-only file (index creation writes a few hundred bytes)."""
    return sum(path.stat().st_size for path in data_dir.glob("appendonlydir/*.incr.aof")) > 100_000


def kill_mid_ingest(corpus: Path, data_dir: Path, seconds: float) -> dict[str, Any]:
    """Ingest for `seconds`, kill -9 the store, and time its next start."""
    server = EmbeddedServer(data_dir)
    server.start()
    ingest = subprocess.Popen(
        [POLICYKG, "ingest", str(corpus), "--data-dir", str(data_dir), "--no-progress"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    began = time.monotonic()
    while not _written(data_dir):  # the ingest's start (extractors, the store's indexes) is not what is measured
        assert ingest.poll() is None and time.monotonic() - began < 600, "the ingest wrote nothing"
        time.sleep(0.1)
    time.sleep(seconds)
    pid = server.pid()
    assert pid is not None and ingest.poll() is None, "the ingest ended before the kill: give fewer seconds"
    os.kill(pid, signal.SIGKILL)
    os.killpg(ingest.pid, signal.SIGKILL)
    ingest.wait()
    files = data_files_mb(data_dir)
    started = time.monotonic()
    address = server.start(timeout=3600)  # as long as it takes (policykg before #19 gave up after 20 s)
    replay_s = time.monotonic() - started
    documents = FalkorDBStore(address.client()).run("MATCH (d:Document) RETURN count(d) AS n")[0]["n"]
    server.stop()
    return {"killed_after_s": seconds, "files_mb": files, "replay_s": round(replay_s, 1), "documents": documents}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a folder of documents, large enough to ingest for the longest N")
    parser.add_argument("--after", type=float, nargs="+", default=[10.0, 30.0, 60.0], help="seconds of ingest")
    args = parser.parse_args()
    runs = []
    for seconds in args.after:
        folder = Path(tempfile.mkdtemp(prefix="policykg-replay-"))
        try:
            run = kill_mid_ingest(args.corpus, folder / "data", seconds)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        print(json.dumps(run), flush=True)
        runs.append(run)
    entry = {"bench": "replay", "machine": describe(), "load_average": os.getloadavg(), "runs": runs}
    with RESULTS.open("a", encoding="utf-8") as results:
        results.write(json.dumps(entry) + "\n")


if __name__ == "__main__":
    main()
