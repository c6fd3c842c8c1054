"""The embedded store keeps documents' text and outline outside the graph, in the data folder."""

from __future__ import annotations

from pathlib import Path

from policykg.graph.stores.embedded_server import EmbeddedServer
from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.graph.stores.texts import DocumentBody, DocumentTexts
from tests.conftest import graph_store


def test_a_body_survives_the_round_trip_and_a_delete_removes_it(tmp_path: Path) -> None:
    texts = DocumentTexts(tmp_path)
    body = DocumentBody("三明市与中国科学院合作。\n第二行", '[{"level": 1}]')
    texts.put("doc:x", body)
    assert texts.get("doc:x") == body
    assert not list(tmp_path.rglob("*.partial"))
    texts.delete("doc:x")
    assert texts.get("doc:x") is None


def test_loaded_text_lives_in_the_archive_not_the_graph(falkordb_server: EmbeddedServer, sample_records: list) -> None:
    record = sample_records[0]
    with graph_store(falkordb_server, "texts_outside") as store:
        store.load([record])
        in_graph = store.run(
            "MATCH (d:Document {id: $id}) RETURN d.text AS text, d.sections AS sections", {"id": record["doc_id"]}
        )
        assert in_graph == [{"text": None, "sections": None}]
        body = store.document_body(record["doc_id"])
        assert body is not None and body.text == record["text"] and body.sections
        assert store.delete_document(record["doc_id"])
        assert store.document_body(record["doc_id"]) is None


def test_a_store_without_an_archive_keeps_the_text_on_the_document(
    falkordb_server: EmbeddedServer, sample_records: list
) -> None:
    record = sample_records[1]
    address = falkordb_server.address()
    assert address is not None
    store = FalkorDBStore(address.client(), graph_name="texts_inside")
    try:
        store.load([record])
        assert store.run("MATCH (d:Document) RETURN d.text AS text") == [{"text": record["text"]}]
        body = store.document_body(record["doc_id"])
        assert body is not None and body.text == record["text"]
    finally:
        store.graph.delete()
        store.close()
