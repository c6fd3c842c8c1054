"""The fast path for cached answers (api/fastpath.py), over HTTP against a real FalkorDB and a real Neo4j: the same
bytes as the route, the same errors, the same encoding (gzip where accepted), every write seen by every server
process, and the warmer filling the cache."""

from __future__ import annotations

import gzip
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from falkordb import FalkorDB
from fastapi import FastAPI

from policykg.api.app import create_app, warm_paths
from policykg.api.compression import MINIMUM_SIZE
from policykg.api.serving import listening_socket
from policykg.graph.stores.embedded_server import EmbeddedServer, _pid_alive, free_port
from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.graph.stores.neo4j_store import Neo4jStore
from policykg.graph.stores.protocol import Store
from policykg.settings import ApiSettings
from tests.conftest import BOTH_STORES, LiveServer, graph_store
from tests.curated_graph import curated_records
from tests.neo4j_launcher import Neo4jServer

POLICYKG = str(Path(sys.executable).parent / "policykg")
TOKEN = "fast-path-token"
SANMING = quote("三明市")
CACHED_READS = (
    f"/api/queries/city-partners?city={SANMING}&limit=50",
    "/api/queries/city-ranking",
    f"/api/entity?id=City:{SANMING}&depth=2",
    "/api/map",
    f"/api/search?q={quote('中科院')}",
    f"/api/queries/shortest-paths?source=City:{SANMING}&target=City:{quote('六安市')}",
)
PLAIN_ACCEPTS = ("identity", None, "gzip;q=0", "br, GZIP ; q=0.0, deflate", "*", "x-gzip;q=0")
pytestmark = pytest.mark.store  # on both stores' servers, requested by name in `store`
Worker = Callable[..., AbstractContextManager[tuple[FastAPI, httpx.Client]]]  # (warm=False, version_ms=0)


@pytest.fixture(params=BOTH_STORES)
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    if request.param == "neo4j":
        neo4j_store: Neo4jStore = request.getfixturevalue("neo4j_store")
        neo4j_store.load(curated_records())
        yield neo4j_store
        return
    with graph_store(request.getfixturevalue("falkordb_server"), "api_fast_path") as store:
        store.load(curated_records())
        yield store


def own_connection(store: Store, request: pytest.FixtureRequest) -> Store:
    """Another connection to the store's graph, as another server process opens."""
    if isinstance(store, Neo4jStore):
        server: Neo4jServer = request.getfixturevalue("neo4j_server")
        return Neo4jStore.connect(server.uri, server.user, server.password)
    assert isinstance(store, FalkorDBStore)
    socket = store.client.connection.connection_pool.connection_kwargs["path"]
    return FalkorDBStore(FalkorDB(unix_socket_path=socket), graph_name=store.graph.name)


@pytest.fixture
def worker(store: Store, request: pytest.FixtureRequest) -> Worker:
    return lambda warm=False, version_ms=0: serving(own_connection(store, request), warm, version_ms)


@contextmanager
def serving(own: Store, warm: bool, version_ms: int) -> Iterator[tuple[FastAPI, httpx.Client]]:
    """One server process's app (own store connection, own cache) on the test's graph, and a client for it."""
    app = create_app(own, ApiSettings(api_token=TOKEN, cache_warm=warm, cache_version_ms=version_ms))
    try:
        with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=60) as client:
            yield app, client
    finally:
        own.close()


def remembered(app: FastAPI, url: str) -> bool:
    path, _, query = url.partition("?")
    return (path, query.encode()) in app.state.cache_front.aliases


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not {what} after {seconds:.0f} s")
        time.sleep(0.2)


def without_date(headers: httpx.Headers) -> list[tuple[str, str]]:
    return [(k, v) for k, v in headers.multi_items() if k != "date"]


def test_a_remembered_answer_is_the_routes_answer_byte_for_byte(worker: Worker) -> None:
    with worker() as (app, client):
        for url in CACHED_READS:
            first = client.get(url)  # through FastAPI: computed, cached and remembered
            assert first.status_code == 200, first.text
            assert remembered(app, url)
            again = client.get(url)  # from the cache's bytes, the route not involved
            assert again.content == first.content
            assert without_date(again.headers) == without_date(first.headers)
            assert again.headers["content-type"] == "application/json"


Raw = tuple[bytes, list[tuple[str, str]]]


def fetch_raw(client: httpx.Client, url: str, accept_encoding: str | None) -> Raw:
    """The body as sent (not decoded) and the headers but the date, for a request with that Accept-Encoding
    (None: no such header)."""
    request = client.build_request("GET", url)
    if accept_encoding is None:
        del request.headers["accept-encoding"]
    else:
        request.headers["accept-encoding"] = accept_encoding
    response = client.send(request, stream=True)
    try:
        body = b"".join(response.iter_raw())
    finally:
        response.close()
    assert response.status_code == 200, body
    return body, sorted(without_date(response.headers))


def test_gzip_where_accepted_the_same_from_the_route_and_from_the_cache(worker: Worker) -> None:
    sizes = []
    with worker() as (app, gzipping), worker() as (_, plain):
        for url in CACHED_READS:
            zipped_miss = fetch_raw(gzipping, url, "gzip, deflate, br")  # the route: computed and cached
            assert remembered(app, url)
            assert fetch_raw(gzipping, url, "deflate, gzip;q=0.5") == zipped_miss  # the front
            plain_miss = fetch_raw(plain, url, "identity")  # another process: the route again, plainly
            for accept in PLAIN_ACCEPTS:  # the front, whichever encoding the answer was cached for first
                assert fetch_raw(gzipping, url, accept) == fetch_raw(plain, url, accept) == plain_miss, accept
            body, headers = plain_miss
            sizes.append(len(body))
            if len(body) < MINIMUM_SIZE:  # too small to compress: one encoding, so no Vary
                assert zipped_miss == plain_miss
                assert not {"vary", "content-encoding"} & {name for name, _ in headers}
                continue
            assert gzip.decompress(zipped_miss[0]) == body
            assert ("content-encoding", "gzip") in zipped_miss[1] and ("vary", "Accept-Encoding") in zipped_miss[1]
            assert ("vary", "Accept-Encoding") in headers and "content-encoding" not in dict(headers)
            assert ("content-length", str(len(zipped_miss[0]))) in zipped_miss[1]
    assert min(sizes) < MINIMUM_SIZE <= max(sizes)  # both kinds covered


def test_answers_not_cached_are_gzipped_by_the_same_rules(worker: Worker) -> None:
    with worker() as (_, client):
        body, headers = fetch_raw(client, "/api/queries", None)  # the catalogue, not cached
        assert len(body) >= MINIMUM_SIZE and ("vary", "Accept-Encoding") in headers
        for accept in PLAIN_ACCEPTS:
            assert fetch_raw(client, "/api/queries", accept) == (body, headers), accept
        zipped, zipped_headers = fetch_raw(client, "/api/queries", "gzip")
        assert gzip.decompress(zipped) == body and ("content-encoding", "gzip") in zipped_headers


def test_bad_parameters_are_refused_as_before(worker: Worker) -> None:
    bad = {
        f"/api/queries/city-partners?city={SANMING}&limit=abc": 422,  # curated parameters are declared (422)
        "/api/queries/search": 422,
        "/api/queries/no-such-query": 404,
        "/api/entity?id=City:nowhere": 404,
        "/api/entity?id=x&depth=9": 422,
        "/api/queries/city-ranking?x=%00": 400,
    }
    with worker() as (app, client):
        client.get(f"/api/queries/city-partners?city={SANMING}")  # a good request first: the cache is in use
        for url, status in bad.items():
            answers = [client.get(url) for _ in range(2)]
            assert [a.status_code for a in answers] == [status, status], (url, answers[0].text)
            assert answers[0].json() == answers[1].json()
            assert not remembered(app, url)


def ranked_cities(client: httpx.Client) -> dict[str, int]:
    response = client.get("/api/queries/city-ranking")
    assert response.status_code == 200, response.text
    return {row["city"]: row["partners"] for row in response.json()["rows"]}


def neighbours(client: httpx.Client) -> set[str]:
    response = client.get(f"/api/entity?id=City:{SANMING}")
    assert response.status_code == 200, response.text
    return {node["id"] for node in response.json()["nodes"]}


def test_a_write_through_any_process_is_seen_by_every_other(store: Store, worker: Worker) -> None:
    later = [r for r in curated_records() if r["document"].get("city") == "三明市"][1:]
    assert later
    with worker() as (_, one), worker() as (_, other):
        full_ranking, full_neighbours = ranked_cities(other), neighbours(other)
        assert ranked_cities(other) == full_ranking and neighbours(other) == full_neighbours  # now from the cache
        for record in later:  # deleted through the first server…
            response = one.delete(
                "/api/document", params={"id": record["doc_id"]}, headers={"Authorization": f"Bearer {TOKEN}"}
            )
            assert response.status_code == 200, response.text
        shrunk = ranked_cities(other)  # …seen at once by the second
        assert shrunk["三明市"] < full_ranking["三明市"]
        assert neighbours(other) < full_neighbours
        assert ranked_cities(one) == shrunk
        store.load(later)  # loaded by another process (the CLI): seen by both
        assert ranked_cities(one) == full_ranking == ranked_cities(other)
        assert neighbours(one) == full_neighbours == neighbours(other)


def test_with_a_version_age_a_write_is_seen_at_once_by_its_process_and_soon_by_the_others(
    store: Store, worker: Worker
) -> None:
    later = [r for r in curated_records() if r["document"].get("city") == "三明市"][1:]
    with worker(version_ms=60_000) as (_, one), worker(version_ms=200) as (_, other):
        full_ranking = ranked_cities(other)
        assert ranked_cities(one) == full_ranking == ranked_cities(other)
        for record in later:
            response = one.delete(
                "/api/document", params={"id": record["doc_id"]}, headers={"Authorization": f"Bearer {TOKEN}"}
            )
            assert response.status_code == 200, response.text
        shrunk = ranked_cities(one)  # its own writes: seen at once, though it may keep a version for a minute
        assert shrunk["三明市"] < full_ranking["三明市"]
        wait_for(lambda: ranked_cities(other) == shrunk, "seen by the other process")
        store.load(later)  # through neither: the one keeping a version for a minute still answers the one it read
        assert ranked_cities(one) == shrunk
        wait_for(lambda: ranked_cities(other) == full_ranking, "the load seen by the other process")


def test_the_warmer_computes_the_whole_graph_answers_at_start_and_after_a_change(store: Store, worker: Worker) -> None:
    paths = warm_paths()
    assert "/api/queries/city-ranking" in paths and "/api/queries/cooperation-matrix" in paths

    def all_warm() -> bool:
        front, version = app.state.cache_front, store.version()
        return all(
            remembered(app, path) and front.cache.lookup(front.aliases[(path, b"")][0], version) is not None
            for path in paths
        )

    with worker(warm=True) as (app, _):
        wait_for(all_warm, "warm at start")  # no request sent
        store.load(curated_records()[:1])  # a write from another process: a new graph version
        wait_for(all_warm, "warm again after a load")


@pytest.mark.store
def test_serve_with_two_workers_answers_refuses_a_second_serve_on_its_port_and_stops_on_sigterm(tmp_path: Path) -> None:
    data_dir, port = tmp_path / "data", free_port()
    serve = [POLICYKG, "serve", "--data-dir", str(data_dir), "--port", str(port), "--workers", "2"]
    process = subprocess.Popen(serve, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:

        def answering() -> bool:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            try:
                return httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=5).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(answering, "serving")
        for _ in range(8):  # new connections each, spread over both workers
            assert httpx.get(f"http://127.0.0.1:{port}/api/queries/city-ranking", timeout=60).status_code == 200
        second = subprocess.run(serve, capture_output=True, text=True, timeout=120)
        assert second.returncode != 0 and f"cannot listen on 127.0.0.1:{port}" in second.stderr
        server_pid = EmbeddedServer(data_dir).pid()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        listening_socket("127.0.0.1", port, share=False).close()  # the workers let go of the port
        assert server_pid is not None and not _pid_alive(server_pid)
    finally:
        if process.poll() is None:
            process.kill()
        EmbeddedServer(data_dir).stop(timeout=10)
