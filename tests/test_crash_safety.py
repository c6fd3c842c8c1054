"""Crash safety: a load killed midway, then run again, gives the graph a clean load gives."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policykg import SAMPLES_DIR
from policykg.graph.stores.embedded_server import EmbeddedServer
from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.graph.stores.writer_lock import WriterLock

pytestmark = [pytest.mark.store, pytest.mark.slow]  # each test loads the samples 80 times, twice
ROOT = Path(__file__).resolve().parent.parent
POLICYKG = str(Path(sys.executable).parent / "policykg")
COPIES = 80  # enough documents that a load is still running when the test kills it


def make_corpus(folder: Path) -> Path:
    """Distinct documents: each sample with a numbered line appended changes its content hash."""
    folder.mkdir()
    for sample in sorted(SAMPLES_DIR.glob("*.txt")):
        text = sample.read_text(encoding="utf-8")
        for copy in range(COPIES):
            (folder / f"{sample.stem}-{copy:03d}.txt").write_text(f"{text}\n副本{copy}\n", encoding="utf-8")
    return folder


def snapshot(store: FalkorDBStore) -> tuple[list, list]:
    """The whole graph by stable ids, independent of internal ids and insertion order."""
    nodes = store.run("MATCH (n) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props")
    rels = store.run("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS props")

    def canonical(row: dict) -> str:
        row = dict(row)
        if isinstance(row.get("labels"), list):
            row["labels"] = sorted(row["labels"])
        props = dict(row["props"])
        if isinstance(props.get("aliases"), list):
            props["aliases"] = sorted(props["aliases"])
        row["props"] = props
        return repr(sorted(row.items()))

    return sorted(map(canonical, nodes)), sorted(map(canonical, rels))


def ingest(corpus: Path, data_dir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [POLICYKG, "ingest", str(corpus), "--data-dir", str(data_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def documents_in(server: EmbeddedServer) -> int:
    address = server.address()
    if address is None:
        return 0
    rows = FalkorDBStore(address.client()).run("MATCH (d:Document) RETURN count(d) AS n")
    return int(rows[0]["n"])


def wait_for_documents(server: EmbeddedServer, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while documents_in(server) == 0:
        assert process.poll() is None, "ingest finished before it could be interrupted"
        assert time.monotonic() < deadline, "ingest wrote nothing in time"
        time.sleep(0.02)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("crash") / "corpus")


@pytest.fixture(scope="module")
def clean_graph(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[list, list]:
    data_dir = tmp_path_factory.mktemp("clean")
    assert ingest(corpus, data_dir).wait(timeout=600) == 0
    server = EmbeddedServer(data_dir)
    try:
        return snapshot(FalkorDBStore(server.start().client()))
    finally:
        server.stop()


def test_killed_ingest_then_rerun_equals_clean_load(corpus: Path, clean_graph: tuple, tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "data")
    try:
        process = ingest(corpus, server.data_dir)
        wait_for_documents(server, process)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        loaded = FalkorDBStore(server.start().client()).run(
            "MATCH (d:Document) WHERE d.status = 'loaded' RETURN count(d) AS n"
        )[0]["n"]
        assert loaded < len(list(corpus.iterdir())), "the kill came too late to interrupt the load"
        assert ingest(corpus, server.data_dir).wait(timeout=600) == 0
        assert snapshot(FalkorDBStore(server.start().client())) == clean_graph
    finally:
        server.stop()


def test_store_killed_mid_load_then_rerun_equals_clean_load(corpus: Path, clean_graph: tuple, tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "data")
    try:
        server.start()
        process = ingest(corpus, server.data_dir)
        wait_for_documents(server, process)
        pid = server.pid()
        assert pid is not None
        os.kill(pid, signal.SIGKILL)  # the database process dies, not policykg
        assert process.wait(timeout=120) == 2, "ingest must stop, exit 2, when its store dies"
        assert process.stderr is not None and b"run the same command again to resume" in process.stderr.read()
        assert ingest(corpus, server.data_dir).wait(timeout=600) == 0
        assert snapshot(FalkorDBStore(server.start().client())) == clean_graph
    finally:
        server.stop()


def test_two_ingests_into_one_folder_equal_one_clean_load(corpus: Path, clean_graph: tuple, tmp_path: Path) -> None:
    """Both read what the store holds, then write what is missing: side by side they both wrote every document
    (targets and cooperations twice, summaries counted twice), and both exited 0."""
    server = EmbeddedServer(tmp_path / "data")
    try:
        server.start()
        first, second = ingest(corpus, server.data_dir), ingest(corpus, server.data_dir)
        assert first.wait(timeout=600) == 0 and second.wait(timeout=600) == 0
        assert snapshot(FalkorDBStore(server.start().client())) == clean_graph
    finally:
        server.stop()


def test_a_second_writer_waits_and_says_for_whom(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    server = EmbeddedServer(data_dir)
    try:
        server.start()
        with WriterLock(data_dir).held():
            process = subprocess.Popen(
                [POLICYKG, "ingest", str(SAMPLES_DIR), "--data-dir", str(data_dir), "--no-progress"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                start_new_session=True,
            )
            assert process.stderr is not None
            said = process.stderr.readline()  # waits until the ingest reaches the lock
            assert f"another writer (pid {os.getpid()}" in said and "waiting" in said, said
            assert documents_in(server) == 0 and process.poll() is None
        assert process.wait(timeout=300) == 0
        assert documents_in(server) == len(list(SAMPLES_DIR.glob("*.txt")))
    finally:
        server.stop()
