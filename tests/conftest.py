"""Shared fixtures: one real FalkorDB server and one real Neo4j 5 server for the whole test session, never left
behind."""

from __future__ import annotations

import os
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from neo4j import Driver, GraphDatabase

from policykg import SAMPLES_DIR
from policykg.graph.stores.embedded_server import EmbeddedServer, free_bolt_port, free_port
from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.graph.stores.neo4j_store import Neo4jStore
from policykg.graph.stores.protocol import Store
from policykg.graph.stores.texts import DocumentTexts
from policykg.ingest.pipeline import extract_file
from tests.neo4j_launcher import Neo4jServer, running_neo4j

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(SAMPLES_DIR.glob("*.txt"))
SHARED = ROOT.parent / "shared"


STORE_FIXTURES = frozenset({"falkordb_server", "bolt_server", "neo4j_server"})
# A fixture's params for a test on each store in turn; the Neo4j one is marked (make test-neo4j selects it).
BOTH_STORES = ["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--fail-on-skip", action="store_true", help="a skipped test fails the run (make test-neo4j)")


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that uses a store server, directly or through another fixture, is marked `store`, and `neo4j`
    too when that is the Neo4j server; tests that start one themselves are marked in their module."""
    for item in items:
        uses = set(item.fixturenames) if isinstance(item, pytest.Function) else set()
        if "neo4j_server" in uses:
            item.add_marker(pytest.mark.neo4j)
        if STORE_FIXTURES & uses or item.get_closest_marker("neo4j"):
            item.add_marker(pytest.mark.store)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """With --fail-on-skip, a run that skipped any test fails (exit status 1) even if nothing else did."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if session.config.getoption("--fail-on-skip") and skipped and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    skipped = terminalreporter.stats.get("skipped", [])
    if config.getoption("--fail-on-skip") and skipped:
        terminalreporter.write_line(f"--fail-on-skip: {len(skipped)} skipped, so the run fails", red=True)


def _redis_servers_under(folder: Path) -> list[int]:
    """Live redis-server processes whose data folder lies under `folder`. redis-server rewrites its command
    line (the socket or the port only) but works in its data folder, so its current directory tells."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            title = (proc / "cmdline").read_bytes()
            state = (proc / "stat").read_text().rsplit(") ", 1)[-1][:1]
            cwd = Path(os.readlink(proc / "cwd"))
        except OSError:
            continue
        if state != "Z" and b"redis-server" in title and cwd.is_relative_to(folder):
            found.append(int(proc.name))
    return found


@pytest.fixture(scope="session", autouse=True)
def no_store_server_left_behind(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Set up first, so torn down last: fails the session if a FalkorDB it started (its data folder is in this
    session's temporary folder) is still running, after killing it."""
    yield
    survivors = _redis_servers_under(tmp_path_factory.getbasetemp().resolve())
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    assert not survivors, f"the tests left FalkorDB servers running (pids {survivors}); they were killed"


@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    server = EmbeddedServer(tmp_path_factory.mktemp("falkordb"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def bolt_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """FalkorDB answering Bolt, for the Neo4j store's tests: yields its bolt:// URI."""
    port = free_bolt_port()
    server = EmbeddedServer(tmp_path_factory.mktemp("falkordb-bolt"), bolt_port=port)
    server.start()
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    yield f"bolt://127.0.0.1:{port}"
    server.stop(timeout=2)  # with Bolt on, the process lingers after saving and saying bye: killed after 2 s


@pytest.fixture(scope="session")
def bolt_driver(bolt_server: str) -> Iterator[Driver]:
    """One driver for the session: reopening drivers leaves the Bolt endpoint's connections unserved."""
    driver = GraphDatabase.driver(bolt_server, auth=None)
    yield driver
    driver.close()


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jServer]:
    """A real Neo4j 5 Community server for the session (tests/neo4j_launcher.py: built once with Maven, about
    half a minute to start), stopped with the session or with this process."""
    with running_neo4j(tmp_root=tmp_path_factory.mktemp("neo4j")) as server:
        yield server


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_server: Neo4jServer) -> Iterator[Driver]:
    with GraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password)) as driver:
        yield driver


def empty_neo4j(driver: Driver) -> None:
    """Every node and relationship deleted, in transactions of 10,000 nodes (one transaction for a large graph
    would need its whole size in heap); the schema stays."""
    with driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


@contextmanager
def emptied_neo4j_store(server: Neo4jServer, driver: Driver) -> Iterator[Neo4jStore]:
    """The Neo4j store, opened as `policykg --store bolt://…` opens it, on an emptied database."""
    empty_neo4j(driver)
    store = Neo4jStore.connect(server.uri, server.user, server.password)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def neo4j_store(neo4j_server: Neo4jServer, neo4j_driver: Driver) -> Iterator[Neo4jStore]:
    with emptied_neo4j_store(neo4j_server, neo4j_driver) as store:
        yield store


@contextmanager
def curated_store(request: pytest.FixtureRequest, graph_name: str) -> Iterator[Store]:
    """The curated graph (tests/curated_graph.py) loaded into the store `request.param` names: the session's
    Neo4j server, emptied first, or a graph of its own on the session's FalkorDB."""
    from tests.curated_graph import curated_records

    if request.param == "neo4j":
        server, driver = request.getfixturevalue("neo4j_server"), request.getfixturevalue("neo4j_driver")
        with emptied_neo4j_store(server, driver) as neo4j_store:
            neo4j_store.load(curated_records())
            yield neo4j_store
        return
    falkordb_server: EmbeddedServer = request.getfixturevalue("falkordb_server")
    address = falkordb_server.address()
    assert address is not None
    opened = FalkorDBStore(address.client(), graph_name=graph_name)
    opened.load(curated_records())
    yield opened
    opened.graph.delete()
    opened.close()


@contextmanager
def graph_store(server: EmbeddedServer, name: str) -> Iterator[FalkorDBStore]:
    """A store on graph `name` of the session's server, deleted afterwards."""
    address = server.address()
    assert address is not None
    with tempfile.TemporaryDirectory(prefix="policykg-texts-") as texts:  # texts outside the graph, as embedded
        store = FalkorDBStore(address.client(), graph_name=name, texts=DocumentTexts(texts))
        try:
            yield store
        finally:
            store.graph.delete()
            store.close()


@pytest.fixture
def empty_store(falkordb_server: EmbeddedServer, request: pytest.FixtureRequest) -> Iterator[FalkorDBStore]:
    """A store on its own graph, so tests do not see each other's data."""
    with graph_store(falkordb_server, "test_" + request.node.name.replace("[", "_").replace("]", "_")) as store:
        yield store


@pytest.fixture(scope="session")
def sample_records() -> list:
    return [extract_file(path) for path in SAMPLES]


@pytest.fixture(scope="session")
def sample_store(falkordb_server: EmbeddedServer, sample_records: list) -> Iterator[FalkorDBStore]:
    """The five samples loaded once, for read-only tests."""
    with graph_store(falkordb_server, "samples") as store:
        store.load(sample_records)
        yield store


class LiveServer:
    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the API server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_api(sample_store: FalkorDBStore) -> Iterator[LiveServer]:
    """The real app over HTTP on loopback, backed by the samples in a real FalkorDB."""
    from policykg.api.app import create_app

    with LiveServer(create_app(sample_store)) as server:
        yield server


@pytest.fixture
def http(live_api: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_api.url, timeout=30) as client:
        yield client
