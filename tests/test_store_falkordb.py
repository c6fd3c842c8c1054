"""Loading semantics on the real embedded store."""

from __future__ import annotations

import copy
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from policykg.graph.stores.embedded_server import EmbeddedServer
from policykg.graph.stores.falkordb_store import LIST_INDEXES, RETIRED_INDEXES, FalkorDBStore
from tests.test_ontology import every_type_record

POLICYKG = str(Path(sys.executable).parent / "policykg")

pytestmark = pytest.mark.store


def test_loading_twice_changes_nothing(empty_store: FalkorDBStore, sample_records: list) -> None:
    empty_store.load(sample_records)
    before = empty_store.stats()
    report = empty_store.load(sample_records)
    assert report.loaded == 0 and report.unchanged == len(sample_records)
    assert empty_store.stats() == before


def test_delete_then_reload_restores_the_graph(empty_store: FalkorDBStore, sample_records: list) -> None:
    empty_store.load(sample_records)
    before = empty_store.stats()
    assert empty_store.delete_document(sample_records[0]["doc_id"])
    assert empty_store.stats()["nodes"]["Document"] == len(sample_records) - 1
    assert not empty_store.run("MATCH (c:City {name: '三明市'}) RETURN c")
    empty_store.load(sample_records)
    assert empty_store.stats() == before


def test_changed_document_replaces_its_old_version(empty_store: FalkorDBStore, sample_records: list) -> None:
    original = sample_records[0]
    empty_store.load([original])
    changed = copy.deepcopy(original)
    changed["doc_id"] = "doc:changed"
    changed["relations"] = changed["relations"][:1]
    report = empty_store.load([changed])
    assert report.replaced == 1
    docs = empty_store.run("MATCH (d:Document) RETURN d.id AS id")
    assert docs == [{"id": "doc:changed"}]
    assert len(empty_store.run("MATCH ()-[r:COOPERATES_WITH]->() RETURN r")) == 1


def test_server_is_reused_and_stops(tmp_path) -> None:
    server = EmbeddedServer(tmp_path / "data")
    first = server.start()
    assert EmbeddedServer(tmp_path / "data").start() == first
    store = FalkorDBStore(first.client())
    store.run("CREATE (:Document {id: 'x', status: 'loaded'})", read_only=False)
    assert server.stop()
    assert not server.is_running()
    again = FalkorDBStore(server.start().client())  # persisted across the restart
    assert again.run("MATCH (d:Document) RETURN d.id AS id") == [{"id": "x"}]
    server.stop()


def test_an_older_stores_retired_indexes_are_dropped_when_it_opens(empty_store: FalkorDBStore) -> None:
    empty_store.graph.create_node_range_index("Target", "id")
    empty_store.graph.create_edge_range_index("COOPERATES_WITH", "doc_id")
    reopened = FalkorDBStore(empty_store.client, graph_name=empty_store.graph.name)
    indexed = {(row[0], field) for row in reopened.graph.query(LIST_INDEXES).result_set for field in row[1]}
    assert indexed.isdisjoint(RETIRED_INDEXES)
    assert ("Entity", "id") in indexed and ("Document", "id") in indexed


@pytest.mark.parametrize(
    ("key", "label", "link"), [("targets", "Target", "SETS_TARGET"), ("results", "Result", "REPORTS_RESULT")]
)
def test_each_target_and_result_is_created_with_its_document_and_metric(
    empty_store: FalkorDBStore, sample_records: list, key: str, label: str, link: str
) -> None:
    records = [*sample_records, every_type_record()]  # a result among them whatever the samples report
    empty_store.load(records)
    expected = sum(len(record.get(key) or []) for record in records)
    assert expected
    [linked] = empty_store.run(
        f"MATCH (d:Document)-[s:{link}]->(t:{label})-[:MEASURES]->(m:Metric) "
        "WHERE t.doc_id = d.id AND m.id = 'metric:' + coalesce(t.metric_id, t.metric) "
        "RETURN count(t) AS n, sum(size(keys(s))) AS link_properties"
    )
    assert linked == {"n": expected, "link_properties": 0}
    assert empty_store.run(f"MATCH (t:{label}) RETURN count(t) AS n") == [{"n": expected}]


def test_loads_rewrite_the_append_only_file_once_a_restart_would_replay_much(
    tmp_path: Path, sample_records: list
) -> None:
    """A server killed mid-ingest had to replay every write since its last rewrite, query by query (16 MB: 115 s
    answering nothing), and a batch ingest held rewrites back until it ended."""
    server = EmbeddedServer(tmp_path / "data")
    store = FalkorDBStore(server.start().client())
    store.replay_bound_mb = 0.01  # a few documents' writes
    try:
        while _rewriting(store):  # the rewrite that keeps the new graph's indexes
            time.sleep(0.05)
        before = store.client.connection.info("persistence")["aof_rewrites"]
        with store.bulk_loading():
            for record in sample_records:
                store.load([record])
            assert store.client.connection.info("persistence")["aof_rewrites"] > before
    finally:
        store.close()
        server.stop()


def test_a_new_graph_s_indexes_go_into_a_rewritten_file_at_once(tmp_path: Path) -> None:
    """Indexes created since the last rewrite are rebuilt only when a replay ends: until then each replayed MERGE
    scans every node of its label (10 MB of writes replayed for 231 s, bench/replay.py)."""
    server = EmbeddedServer(tmp_path / "data")
    store = FalkorDBStore(server.start().client())
    try:
        assert store.client.connection.info("persistence")["aof_rewrites"] + _rewriting(store) >= 1
    finally:
        store.close()
        server.stop()


def _rewriting(store: FalkorDBStore) -> int:
    info = store.client.connection.info("persistence")
    return int(info["aof_rewrite_in_progress"]) + int(info["aof_rewrite_scheduled"])


def test_a_server_that_takes_connections_but_does_not_answer_is_waited_for_not_replaced(tmp_path: Path) -> None:
    """While it replays its append-only file the server answers nothing for minutes (redis looks at its clients
    every 1,024 commands): policykg took it for dead after 20 s and killed it, every time."""
    server = EmbeddedServer(tmp_path / "data")
    server.start()
    pid = server.pid()
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)  # connections are still taken, nothing is answered
    resume = threading.Timer(8, os.kill, (pid, signal.SIGCONT))  # well past start's timeout of 2 s
    resume.start()
    heard: list[str] = []
    try:
        server.start(timeout=2, on_wait=heard.append)
        assert server.pid() == pid
        assert heard and "replaying its data" in heard[0]
    finally:
        resume.cancel()
        os.kill(pid, signal.SIGCONT)
        server.stop()


def test_store_start_says_why_it_cannot_start_without_a_traceback(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    (data_dir / "appendonlydir").mkdir(parents=True)
    (data_dir / "appendonlydir" / "appendonly.aof.manifest").write_text("not a manifest\n")
    result = subprocess.run(
        [POLICYKG, "store", "start", "--data-dir", str(data_dir)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert "cannot start the store" in result.stderr and "falkordb.log" in result.stderr
    assert "Traceback" not in result.stderr


def test_stopping_waits_for_a_rewrite_under_way_so_the_next_start_replays_nothing(
    tmp_path: Path, sample_records: list
) -> None:
    server = EmbeddedServer(tmp_path / "data")
    store = FalkorDBStore(server.start().client())
    with store.bulk_loading():  # ends by starting a rewrite of the append-only file
        store.load(sample_records)
    store.client.close()
    server.stop()  # at once, while that rewrite runs: a stop that killed it left every query to replay
    replay = sum(f.stat().st_size for f in (tmp_path / "data" / "appendonlydir").glob("*.incr.aof"))
    assert replay == 0
    store = FalkorDBStore(server.start().client())
    try:
        assert store.stats()["nodes"]["Document"] == len(sample_records)
    finally:
        store.close()
        server.stop()
