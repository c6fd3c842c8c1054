"""Batch ingest over worker processes into the real FalkorDB: same graph as a sequential load, resumable,
and one bad, slow or crashing document never stops the others."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.corpus import generate
from policykg.app.batch import BatchOptions, ingest_batch
from policykg.graph.stores.embedded_server import EmbeddedServer
from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.ingest.files import document_paths
from policykg.ingest.pipeline import extract_file
from policykg.ingest.record import Record

DOCUMENTS = 16


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    out = tmp_path_factory.mktemp("corpus")
    generate(out, DOCUMENTS, seed=8, formats=("txt", "gbk"))
    return document_paths([out])


@pytest.fixture
def other_store(falkordb_server: EmbeddedServer, request: pytest.FixtureRequest) -> Iterator[FalkorDBStore]:
    address = falkordb_server.address()
    assert address is not None
    store = FalkorDBStore(address.client(), graph_name="other_" + request.node.name)
    yield store
    store.graph.delete()
    store.close()


def graph_contents(store: FalkorDBStore) -> tuple[set, set]:
    nodes = {(row["id"], row["status"]) for row in store.run("MATCH (n) RETURN n.id AS id, n.status AS status")}
    edges = {(row["type"], row["key"]) for row in store.run("MATCH ()-[r]->() RETURN type(r) AS type, r.key AS key")}
    return nodes, edges


def slow_or_crashing_extract(path: Path) -> Record:
    """A real extractor, except on files named to hang or to kill their process."""
    if "hangs" in Path(path).name:
        time.sleep(600)
    if "crashes" in Path(path).name:
        os._exit(3)
    return extract_file(path)


def test_parallel_ingest_equals_a_sequential_load(
    corpus: list[str], empty_store: FalkorDBStore, other_store: FalkorDBStore
) -> None:
    summary = ingest_batch(corpus, empty_store, BatchOptions(workers=2, batch_documents=5))
    other_store.load(extract_file(path) for path in corpus)

    assert summary.failures == []
    assert summary.loaded == DOCUMENTS
    assert summary.relationships > 0
    assert graph_contents(empty_store) == graph_contents(other_store)


def test_a_rerun_skips_every_loaded_document(corpus: list[str], empty_store: FalkorDBStore) -> None:
    ingest_batch(corpus, empty_store, BatchOptions(workers=2))
    before = graph_contents(empty_store)

    rerun = ingest_batch(corpus, empty_store, BatchOptions(workers=2))

    assert (rerun.skipped, rerun.loaded, rerun.entities) == (DOCUMENTS, 0, 0)
    assert graph_contents(empty_store) == before


def test_a_bad_file_is_reported_and_the_rest_load(
    corpus: list[str], empty_store: FalkorDBStore, tmp_path: Path
) -> None:
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\xff\xfe\x00\x81 not text")

    summary = ingest_batch([*corpus[:5], str(bad), *corpus[5:]], empty_store, BatchOptions(workers=2))

    assert [f.file for f in summary.failures] == [str(bad)]
    assert summary.failures[0].reason  # the reader's words: why this file is not a document
    assert summary.loaded == DOCUMENTS
    loaded = empty_store.run("MATCH (d:Document {status: 'loaded'}) RETURN count(d) AS n")[0]["n"]
    assert loaded == DOCUMENTS


def test_a_hanging_or_crashing_document_fails_alone(
    corpus: list[str], empty_store: FalkorDBStore, tmp_path: Path
) -> None:
    hangs, crashes = tmp_path / "hangs.txt", tmp_path / "crashes.txt"
    hangs.write_text("2024年某市科技工作要点", encoding="utf-8")
    crashes.write_text("2024年另一市科技工作要点", encoding="utf-8")
    options = BatchOptions(workers=2, document_timeout=3, extract=slow_or_crashing_extract)

    summary = ingest_batch([str(hangs), *corpus[:4], str(crashes), *corpus[4:8]], empty_store, options)

    reasons = {f.file: f.reason for f in summary.failures}
    assert reasons == {
        str(hangs): "took longer than 3 s to extract",
        str(crashes): "the extracting process died (exit code 3)",
    }
    assert summary.loaded == 8


def test_folders_expand_to_their_documents_without_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "2024").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("2024/b.txt", "a.html", ".DS_Store", ".git/config"):
        (tmp_path / name).write_text("x", encoding="utf-8")

    assert document_paths([tmp_path, tmp_path / ".DS_Store"]) == [
        str(tmp_path / "2024/b.txt"),
        str(tmp_path / "a.html"),
        str(tmp_path / ".DS_Store"),
    ]
