"""Loading semantics on the real embedded store."""

from __future__ import annotations

import copy

from policykg.graph.embedded import EmbeddedServer
from policykg.graph.falkordb_store import FalkorDBStore


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
