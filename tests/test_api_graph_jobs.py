"""Whole-graph exports and analytics (api/graph_jobs.py) on a real embedded store, as `serve` runs them: computed in
a worker process that opens the store itself, once per graph version, within a time limit, and streamed.

Issue #19: `GET /api/export?format=ttl` took over 300 s and 6.4 GB kept by the server, centrality 200 s, computed
again for every request by anyone."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, MutableMapping
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from policykg.api.app import create_app
from policykg.api.graph_jobs import CHUNK_BYTES, GraphJobs, SettingsOpener
from policykg.graph.stores.opening import open_store
from policykg.graph.stores.protocol import Store
from policykg.settings import ApiSettings, StoreSettings

pytestmark = pytest.mark.store  # starts an embedded FalkorDB of its own


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory, sample_records: list) -> Iterator[tuple[Store, StoreSettings]]:
    """The samples in an embedded store of its own data folder: the worker reopens it from these settings."""
    settings = StoreSettings(data_dir=tmp_path_factory.mktemp("graph-jobs"))
    opened = open_store(settings)
    try:
        opened.store.load(sample_records)
        yield opened.store, settings
    finally:
        opened.close()


def _client(embedded: tuple[Store, StoreSettings], **api: Any) -> tuple[TestClient, FastAPI]:
    store, settings = embedded
    app = create_app(store, ApiSettings(cache_warm=False, **api), SettingsOpener(settings))
    return TestClient(app, base_url="http://localhost"), app


def _jobs(app: FastAPI) -> GraphJobs:
    jobs: GraphJobs = app.state.graph_jobs
    return jobs


def test_a_whole_graph_answer_is_computed_once_per_graph_version(
    embedded: tuple[Store, StoreSettings], sample_records: list
) -> None:
    store, _ = embedded
    client, app = _client(embedded)
    first = client.get("/api/export", params={"format": "ttl"})
    assert first.status_code == 200 and first.headers["content-type"].startswith("text/turtle")
    assert 'filename="policykg.ttl"' in first.headers["content-disposition"]
    ranked = client.get("/api/analytics/centrality", params={"top": 5})
    assert ranked.status_code == 200 and ranked.json()
    assert _jobs(app).computed == 2

    assert client.get("/api/export", params={"format": "ttl"}).content == first.content  # no write: kept
    assert client.get("/api/analytics/centrality", params={"top": 5}).json() == ranked.json()
    assert _jobs(app).computed == 2

    removed = sample_records[0]
    assert store.delete_document(removed["doc_id"])  # a write bumps the graph version
    try:
        again = client.get("/api/export", params={"format": "ttl"})
        assert _jobs(app).computed == 3
        assert again.status_code == 200 and len(again.content) < len(first.content)
        assert len(list(_jobs(app).folder.iterdir())) == 1  # the older version's answers are gone
    finally:
        store.load([removed])


def test_over_its_time_limit_a_whole_graph_answer_is_503(embedded: tuple[Store, StoreSettings]) -> None:
    client, app = _client(embedded, graph_timeout_s=0.01)  # less than a worker process takes to start
    for path, params in (("/api/export", {"format": "graphml"}), ("/api/analytics/communities", {})):
        response = client.get(path, params=params)
        assert response.status_code == 503
        assert "limit of 0.01 s (POLICYKG_GRAPH_TIMEOUT_S)" in response.json()["detail"]
    assert not list(_jobs(app).folder.iterdir())  # nothing half-written is kept


def test_failures_in_the_worker_keep_their_status(embedded: tuple[Store, StoreSettings]) -> None:
    client, _ = _client(embedded)
    response = client.get("/api/analytics/path", params={"from": "三明市", "to": "没有这个机构"})
    assert response.status_code == 404  # resolved before any worker starts
    found = client.get("/api/analytics/path", params={"from": "三明市", "to": "中国科学院"})
    assert found.status_code == 200 and found.json()["nodes"][0]["name"] == "三明市"


def _body_pieces(app: FastAPI, path: str, query: bytes) -> list[int]:
    """The sizes of the body messages the app sends for a GET, seen at the ASGI level where a client's buffering
    cannot hide them."""
    pieces: list[int] = []
    asked = False

    async def receive() -> dict[str, Any]:
        nonlocal asked
        if asked:  # the client stays connected: later calls wait (the server cancels them when it is done)
            await asyncio.Event().wait()
        asked = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.body" and message.get("body"):
            pieces.append(len(message["body"]))

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"localhost")],
        "client": ("127.0.0.1", 1),
        "server": ("localhost", 80),
    }
    asyncio.run(app(scope, receive, send))
    return pieces


def test_the_export_is_streamed_a_chunk_at_a_time(embedded: tuple[Store, StoreSettings]) -> None:
    """The server holds one chunk of an export at a time, never the export: the body goes out in pieces, when
    computed and when kept."""
    _, app = _client(embedded)
    for _ in range(2):
        pieces = _body_pieces(app, "/api/export", b"format=ttl")
        size = next(_jobs(app).folder.iterdir()).stat().st_size
        assert size > CHUNK_BYTES, "the samples' export should span several chunks"
        assert len(pieces) > 1 and max(pieces) <= CHUNK_BYTES and sum(pieces) == size
    assert _jobs(app).computed == 1
