"""Whole-graph curated queries come from the API's cache until a load or delete changes the graph, on both stores:
FalkorDB keeps its graph version in a key beside the graph, Neo4j on a node bumped in every write's transaction."""

from __future__ import annotations

import asyncio
import gzip
import threading
from collections.abc import Iterator

import httpx
import pytest

from policykg.api.app import create_app
from policykg.api.cache import ResultCache
from policykg.api.compression import gzip_copy
from policykg.graph.stores.protocol import Store
from policykg.settings import ApiSettings
from tests.conftest import BOTH_STORES, LiveServer, graph_store
from tests.curated_graph import curated_records


@pytest.fixture(params=BOTH_STORES)
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    if request.param == "neo4j":
        yield request.getfixturevalue("neo4j_store")
        return
    with graph_store(request.getfixturevalue("falkordb_server"), "api_cache") as store:
        yield store


def ranked_cities(client: httpx.Client) -> dict[str, int]:
    response = client.get("/api/queries/city-ranking")
    assert response.status_code == 200, response.text
    return {row["city"]: row["partners"] for row in response.json()["rows"]}


@pytest.mark.store  # both stores' servers, requested by name in `store`
def test_every_write_bumps_the_version(store: Store) -> None:
    records = curated_records()
    first = store.version()
    store.load(records[:1])
    assert store.version() > first
    loaded = store.version()
    store.delete_document(records[0]["doc_id"])
    assert store.version() > loaded


@pytest.mark.store  # both stores' servers, requested by name in `store`
def test_the_event_loops_reader_reads_the_same_version(store: Store) -> None:
    read = store.version_reader()
    store.load(curated_records()[:1])

    async def on_a_loop() -> int:
        return await read()

    assert asyncio.run(on_a_loop()) == store.version() > 0


@pytest.mark.store  # both stores' servers, requested by name in `store`
def test_a_cached_ranking_follows_loads_and_deletes(store: Store) -> None:
    records = curated_records()
    sanming = [r for r in records if r["document"].get("city") == "三明市"]
    store.load(sanming[:1])
    settings = ApiSettings(cache_version_ms=0)  # the loads below come from outside the server: seen at once
    with LiveServer(create_app(store, settings)) as server, httpx.Client(base_url=server.url) as client:
        before = ranked_cities(client)
        assert ranked_cities(client) == before  # served again, from the cache
        store.load(sanming[1:])
        grown = ranked_cities(client)
        assert grown["三明市"] > before["三明市"]
        for record in sanming[1:]:
            store.delete_document(record["doc_id"])
        assert ranked_cities(client) == before


def test_the_cache_drops_least_recently_used_bodies_beyond_its_byte_budget() -> None:
    cache = ResultCache(max_bytes=10)
    assert cache.get("a", 1, lambda: b"12345").plain == b"12345"
    assert cache.get("a", 1, lambda: b"other").plain == b"12345"  # kept
    cache.get("b", 1, lambda: b"67890")
    cache.get("c", 1, lambda: b"abc")  # over budget: "a", the least recently used, goes
    assert cache.get("a", 1, lambda: b"again").plain == b"again"
    assert cache.get("c", 2, lambda: b"newer").plain == b"newer"  # another graph version is another answer


def test_a_large_body_is_kept_with_its_gzip_copy_and_both_count_against_the_budget() -> None:
    large = ("三明市" * 1000).encode()
    gzipped = gzip_copy(large)
    assert gzipped is not None and gzip.decompress(gzipped) == large
    cache = ResultCache(max_bytes=len(large) + len(gzipped))
    assert cache.get("a", 1, lambda: large) == (large, gzipped)
    assert cache.get("small", 1, lambda: b"{}").gzipped is None  # too small to compress
    assert cache.lookup("a", 1) is None  # the two bytes more pushed it out: both copies are counted


def test_concurrent_misses_on_one_key_compute_once_and_leave_nothing_in_flight() -> None:
    cache = ResultCache()
    started, release = threading.Event(), threading.Event()
    calls = []

    def slow() -> bytes:
        calls.append(1)
        started.set()
        release.wait()
        return b"answer"

    threads = [threading.Thread(target=cache.get, args=("k", 1, slow)) for _ in range(8)]
    for thread in threads:
        thread.start()
    started.wait()
    assert cache.in_flight() == 1
    release.set()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert cache.in_flight() == 0


def test_a_failed_computation_leaves_nothing_in_flight() -> None:
    cache = ResultCache()

    def fails() -> bytes:
        raise LookupError("no such entity")

    for n in range(3000):
        with pytest.raises(LookupError):
            cache.get(("entity", n), 1, fails)
    assert cache.in_flight() == 0


@pytest.mark.store  # both stores' servers, requested by name in `store`
def test_thousands_of_distinct_requests_leave_no_state_in_the_cache(store: Store) -> None:
    """404s and answers alike: what stays is the bounded cache of answers, nothing per request."""
    store.load(curated_records()[:1])
    app = create_app(store, ApiSettings(cache_warm=False))
    with LiveServer(app) as server, httpx.Client(base_url=server.url) as client:
        statuses = {client.get("/api/entity", params={"id": f"没有这个机构{n}"}).status_code for n in range(1000)}
        statuses |= {client.get("/api/search", params={"q": f"机构{n}"}).status_code for n in range(200)}
    assert statuses == {200, 404}
    assert app.state.cache.in_flight() == 0
