"""The Neo4j store with the official driver against a real Neo4j 5 (tests/neo4j_launcher.py): what Neo4j does that
the embedded store does not (transactions, server-side read-only refusal, error codes, time limits, a version node),
and, last, the little that FalkorDB's Bolt endpoint still needs of its own."""

from __future__ import annotations

import threading

import httpx
import pytest
from neo4j import READ_ACCESS, Driver
from neo4j.exceptions import ClientError

from policykg.api.app import create_app
from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.graph.stores.neo4j_store import FALKORDB_BOLT, Neo4jStore
from policykg.graph.stores.opening import open_store
from policykg.graph.stores.protocol import NEO4J, VERSION_LABEL, ReadOnlyViolation, StoreError, StoreUnavailable
from policykg.ingest.pipeline import extract_file
from policykg.settings import ApiSettings, StoreSettings
from tests.conftest import SAMPLES, LiveServer
from tests.neo4j_launcher import Neo4jServer
from tests.test_store_semantics import record

GRAPH = (
    "CREATE (a:Entity:City {id: 'c', name: '三明市', aliases: ['明']})"
    "-[:COOPERATES_WITH {doc_id: 'd', year: 2024}]->(b:Entity:Institution {id: 'i', name: '中国科学院'})"
)
SHAPES = "MATCH p = (a:City)-[r]->(b) RETURN a, r, p, [a.name, b.name] AS names, {year: r.year} AS m"
# Runs for many seconds unless something ends it.
RUNAWAY = "UNWIND range(1, 1000000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x) AS n"
# The API refuses a range() over 100,000 numbers before any store sees it (api/cypher_limits.py): its runaway is
# two such ranges crossed, ten billion rows.
API_RUNAWAY = (
    "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b WITH a, b WHERE (a + b) % 7 = 3 RETURN count(*) AS n"
)
TWO_CITIES = record("doc:two", "two.txt", [("三明市", "中国科学院"), ("厦门市", "厦门大学")])


def without_ids(value: object) -> object:
    """Graph values with their server-specific element ids left out."""
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k not in ("element_id", "start", "end")}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def count(store: Neo4jStore, label: str) -> int:
    rows = store.run(f"MATCH (n:{label}) RETURN count(n) AS n")
    return int(rows[0]["n"])


def test_graph_values_come_back_in_the_embedded_store_shape(
    neo4j_store: Neo4jStore, empty_store: FalkorDBStore
) -> None:
    neo4j_store.run(GRAPH, read_only=False)
    empty_store.run(GRAPH, read_only=False)
    [over_bolt] = neo4j_store.run(SHAPES)
    [native] = empty_store.run(SHAPES)
    assert without_ids(over_bolt) == without_ids(native)
    assert over_bolt["a"]["properties"] == {"id": "c", "name": "三明市", "aliases": ["明"]}
    assert over_bolt["r"]["type"] == "COOPERATES_WITH"
    assert over_bolt["r"]["start"] == over_bolt["a"]["element_id"] == over_bolt["p"]["nodes"][0]["element_id"]
    assert over_bolt["m"] == {"year": 2024}


def test_policykgs_guard_refuses_writes_before_neo4j_sees_them(neo4j_store: Neo4jStore) -> None:
    for cypher in ("CREATE (:X)", "MATCH (n) RETURN n; CREATE (:X)", "CALL db.createLabel('X')"):
        with pytest.raises(ReadOnlyViolation) as refused:
            neo4j_store.run(cypher)
        assert refused.value.__cause__ is None, cypher  # no server error behind it: never sent
    assert count(neo4j_store, "X") == 0


@pytest.mark.parametrize("uri_kind", ["bolt", "neo4j"])
def test_neo4j_itself_refuses_writes_in_a_read_transaction(neo4j_server: Neo4jServer, uri_kind: str) -> None:
    """Past the guard (which would refuse first), a write in the store's READ transaction is refused by the server,
    with either URI scheme, and reaches the caller as the same ReadOnlyViolation."""
    uri = neo4j_server.bolt_uri if uri_kind == "bolt" else neo4j_server.neo4j_uri
    store = Neo4jStore.connect(uri, neo4j_server.user, neo4j_server.password)
    try:
        with pytest.raises(ReadOnlyViolation) as refused:
            store._transaction("CREATE (:X {id: 'sneaked-in'})", READ_ACCESS)
        assert isinstance(refused.value.__cause__, ClientError)
        assert refused.value.__cause__.code == "Neo.ClientError.Statement.AccessMode"
        assert count(store, "X") == 0
    finally:
        store.close()


def test_a_failed_statement_is_rolled_back_whole_and_bumps_no_version(neo4j_store: Neo4jStore) -> None:
    neo4j_store.run("CREATE (:Entity:City {id: 'taken', name: 'x'})", read_only=False)
    version = neo4j_store.version()
    with pytest.raises(StoreError, match="already exists with label `Entity` and property `id` = 'taken'"):
        neo4j_store.run("UNWIND ['a', 'b', 'taken'] AS id CREATE (:Entity:City {id: id, name: id})", read_only=False)
    assert count(neo4j_store, "City") == 1  # neither 'a' nor 'b', written before the failing row
    assert neo4j_store.version() == version


def test_a_failed_batch_of_a_load_is_rolled_back_and_the_next_load_finishes_the_document(
    neo4j_store: Neo4jStore,
) -> None:
    """A load stopped by a failing batch keeps none of that batch, leaves its document marked as loading, and the
    next load of the same record cleans that up and loads it whole."""
    neo4j_store.run("CREATE (:Entity:Institution {id: 'City:厦门市', name: '冒名'})", read_only=False)
    with pytest.raises(StoreError, match=r"Neo4j: .*already exists"):
        neo4j_store.load([TWO_CITIES])
    assert count(neo4j_store, "City") == 0  # 三明市 was in the same batch as the clashing 厦门市
    assert neo4j_store.run("MATCH (d:Document) RETURN d.id AS id, d.status AS status") == [
        {"id": "doc:two", "status": "loading"}
    ]
    neo4j_store.run("MATCH (n:Institution {id: 'City:厦门市'}) DELETE n", read_only=False)
    report = neo4j_store.load([TWO_CITIES])
    assert (report.loaded, report.unchanged) == (1, 0)
    assert neo4j_store.run("MATCH (c:City) RETURN c.name AS name ORDER BY name") == [
        {"name": "三明市"},
        {"name": "厦门市"},
    ]
    assert neo4j_store.run("MATCH (d:Document) RETURN d.status AS status") == [{"status": "loaded"}]


def test_neo4js_error_messages_and_codes_reach_the_caller(neo4j_store: Neo4jStore) -> None:
    with pytest.raises(StoreError, match=r"^Neo4j: Invalid input") as error:
        neo4j_store.run("MATCH (n RETURN n")
    assert isinstance(error.value.__cause__, ClientError)
    assert error.value.__cause__.code == "Neo.ClientError.Statement.SyntaxError"
    with pytest.raises(StoreError, match=r"Neo4j: Expected parameter\(s\): missing"):
        neo4j_store.run("RETURN $missing AS x")
    with pytest.raises(StoreError, match=r"Neo4j: There is no procedure with the name `db\.idx\.fulltext"):
        neo4j_store.run("CALL db.idx.fulltext.queryNodes('Entity', 'x')")  # FalkorDB's, not Neo4j's


def test_the_api_answers_with_neo4js_own_words(neo4j_store: Neo4jStore) -> None:
    app = create_app(neo4j_store, ApiSettings(cypher_timeout_ms=300))
    with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=60) as client:
        for query, words in (
            ("MATCH (n RETURN n", "the query failed: Neo4j: Invalid input 'RETURN': expected a graph pattern"),
            (API_RUNAWAY, "the query ran past the time limit of 0.3 s"),  # Neo4j ended it: "…has been terminated"
            ("CREATE (:X)", "read-only: only read queries are allowed here"),
        ):
            response = client.post("/api/cypher", json={"query": query})
            assert response.status_code == 400, response.text
            assert response.json()["detail"].startswith(words), response.json()


def test_neo4j_ends_a_query_at_its_time_limit(neo4j_store: Neo4jStore) -> None:
    with pytest.raises(StoreError, match="terminated") as error:
        neo4j_store.run(RUNAWAY, timeout_ms=300)
    assert isinstance(error.value.__cause__, ClientError)
    assert error.value.__cause__.code.startswith("Neo.ClientError.Transaction.TransactionTimedOut")
    assert neo4j_store.run("RETURN 1 AS alive") == [{"alive": 1}]


def test_whole_documents_of_any_size_load(neo4j_store: Neo4jStore) -> None:
    """Sample 004 holds a row of 18,792 bytes and more (over FalkorDB's Bolt endpoint's 4 KB), and a 5 MB text
    goes in one statement: Neo4j takes both whole."""
    samples = [extract_file(path) for path in SAMPLES]
    huge = record("doc:huge", "huge.txt", [("三明市", "中国科学院")])
    huge["text"] = ("科技创新政策文件" * 250_000)[:1_750_000]  # 3 bytes a character: 5.25 MB
    assert neo4j_store.load([*samples, huge]).loaded == 6
    for loaded in [*samples, huge]:
        body = neo4j_store.document_body(loaded["doc_id"])
        assert body is not None and body.text == loaded["text"]


def test_every_write_bumps_the_version_in_its_own_transaction(neo4j_store: Neo4jStore) -> None:
    first = neo4j_store.version()
    neo4j_store.run("CREATE (:X)", read_only=False)
    assert neo4j_store.version() == first + 1
    neo4j_store.run("MATCH (x:X) RETURN x")
    assert neo4j_store.version() == first + 1  # reads leave it
    neo4j_store.load([TWO_CITIES])
    loaded = neo4j_store.version()
    assert loaded > first + 1
    assert neo4j_store.delete_document("doc:two")
    assert neo4j_store.version() > loaded
    assert count(neo4j_store, VERSION_LABEL) == 1
    assert VERSION_LABEL not in neo4j_store.stats()["nodes"]  # not data


def test_an_emptied_graph_does_not_count_up_through_its_old_versions(neo4j_store: Neo4jStore) -> None:
    """Its version node goes with everything else; the next write starts the count at a random value, so a cached
    answer from before cannot match the new graph's version by chance of counting."""
    neo4j_store.run("CREATE (:X)", read_only=False)
    before = neo4j_store.version()
    neo4j_store.run("MATCH (n) DETACH DELETE n", read_only=False)
    assert neo4j_store.version() not in (before, before + 1, 0)


def test_wrong_credentials_and_an_unreachable_server_are_clear_errors(neo4j_server: Neo4jServer) -> None:
    with pytest.raises(StoreError, match=r"refused user 'neo4j': check --user and --password"):
        Neo4jStore.connect(neo4j_server.uri, "neo4j", "not-the-password")
    with pytest.raises(StoreError, match=r"cannot use the Neo4j store at bolt://127\.0\.0\.1:9"):
        Neo4jStore.connect("bolt://127.0.0.1:9", None, None)


@pytest.mark.parametrize("uri_kind", ["bolt", "neo4j"])
def test_a_bolt_or_neo4j_uri_opens_the_neo4j_store(neo4j_server: Neo4jServer, uri_kind: str) -> None:
    uri = neo4j_server.bolt_uri if uri_kind == "bolt" else neo4j_server.neo4j_uri
    with open_store(StoreSettings(uri=uri, user=neo4j_server.user, password=neo4j_server.password)) as opened:
        assert isinstance(opened, Neo4jStore)
        assert opened.dialect == NEO4J
        assert opened.run("RETURN 1 AS one") == [{"one": 1}]


# FalkorDB's Bolt endpoint: only what it needs that Neo4j does not.


@pytest.fixture
def bolt_store(bolt_driver: Driver) -> Neo4jStore:
    store = Neo4jStore(bolt_driver)
    store.run("MATCH (n) DETACH DELETE n", read_only=False)
    return store


def test_on_falkordbs_bolt_endpoint_the_store_speaks_falkordbs_cypher(bolt_store: Neo4jStore) -> None:
    assert bolt_store.dialect == FALKORDB_BOLT
    bolt_store.load([record("doc:a", "a.txt", [("三明市", "中国科学院")], aliases={"中国科学院": ["中科院"]})])
    assert [hit["name"] for hit in bolt_store.search_entities("中科院", 5)] == ["中国科学院"]  # its full-text index


def test_statements_stay_under_the_bolt_endpoints_parameter_limit(bolt_store: Neo4jStore) -> None:
    pairs = [("三明市", f"第{n}研究院与很长的名字用来把参数撑大一些") for n in range(120)]
    assert bolt_store.load([record("doc:big", "big.txt", pairs)]).loaded == 1
    assert bolt_store.run("MATCH (:City)-[r:COOPERATES_WITH]->() RETURN count(r) AS n") == [{"n": 120}]


def test_a_row_larger_than_the_bolt_endpoint_takes_is_refused_without_crashing_it(bolt_store: Neo4jStore) -> None:
    huge = record("doc:huge", "huge.txt", [("三明市", "中国科学院")])
    huge["text"] = "科技" * 3000
    with pytest.raises(StoreError, match="bytes"):
        bolt_store.load([huge])
    assert bolt_store.run("RETURN 1 AS alive") == [{"alive": 1}]


def test_closing_waits_for_a_query_another_thread_is_running(neo4j_server: Neo4jServer) -> None:
    """The API's cache warmer may still be reading when `serve` stops: closing the driver under it broke the
    connection's buffer (BufferError in CI). Close waits for it, and nothing starts after."""
    store = Neo4jStore.connect(neo4j_server.uri, neo4j_server.user, neo4j_server.password)
    answers: list[object] = []
    started = threading.Event()

    def slow_count() -> None:
        started.set()
        try:
            answers.append(store.run("UNWIND range(1, 100000) AS a UNWIND range(1, 30) AS b RETURN count(*) AS n"))
        except Exception as error:  # the test reports what the thread met
            answers.append(error)

    reader = threading.Thread(target=slow_count)
    reader.start()
    started.wait()
    store.close()
    reader.join()
    assert answers == [[{"n": 3_000_000}]]
    with pytest.raises(StoreUnavailable):
        store.run("RETURN 1 AS n")
