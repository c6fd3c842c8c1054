"""The Neo4j store with the official driver against a live Bolt server: FalkorDB's Bolt endpoint here,
a real Neo4j when NEO4J_URI is set (then the assertions FalkorDB's endpoint cannot honour run too)."""

from __future__ import annotations

import os

import pytest
from fastapi.testclient import TestClient
from neo4j import READ_ACCESS, Driver
from neo4j.exceptions import ClientError

from policykg.api.app import create_app
from policykg.api.fastpath import FastPath
from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.graph.stores.neo4j_store import FALKORDB_BOLT, Neo4jStore
from policykg.graph.stores.opening import open_store
from policykg.graph.stores.protocol import NEO4J, ReadOnlyViolation, StoreError
from policykg.settings import ApiSettings, StoreSettings
from tests.test_store_semantics import empty_neo4j_store, record

REAL_NEO4J = bool(os.environ.get("NEO4J_URI"))
needs_real_neo4j = pytest.mark.skipif(
    not REAL_NEO4J,
    reason="FalkorDB's Bolt endpoint does not do this; "
    "set NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD) to a disposable Neo4j 5",
)
GRAPH = (
    "CREATE (a:Entity:City {id: 'c', name: '三明市', aliases: ['明']})"
    "-[:COOPERATES_WITH {doc_id: 'd', year: 2024}]->(b:Entity:Institution {id: 'i', name: '中国科学院'})"
)
SHAPES = "MATCH p = (a:City)-[r]->(b) RETURN a, r, p, [a.name, b.name] AS names, {year: r.year} AS m"


@pytest.fixture
def store(neo4j_driver: Driver) -> Neo4jStore:
    return empty_neo4j_store(neo4j_driver)


def without_ids(value: object) -> object:
    """Graph values with their server-specific element ids left out."""
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k not in ("element_id", "start", "end")}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def test_graph_values_come_back_in_the_embedded_store_shape(store: Neo4jStore, empty_store: FalkorDBStore) -> None:
    store.run(GRAPH, read_only=False)
    empty_store.run(GRAPH, read_only=False)
    [over_bolt] = store.run(SHAPES)
    [native] = empty_store.run(SHAPES)
    assert without_ids(over_bolt) == without_ids(native)
    assert over_bolt["a"]["properties"] == {"id": "c", "name": "三明市", "aliases": ["明"]}
    assert over_bolt["r"]["type"] == "COOPERATES_WITH"
    assert over_bolt["r"]["start"] == over_bolt["a"]["element_id"] == over_bolt["p"]["nodes"][0]["element_id"]
    assert over_bolt["m"] == {"year": 2024}


def test_the_store_refuses_writes_in_read_only_mode_itself(store: Neo4jStore) -> None:
    for cypher in ("CREATE (:X)", "MATCH (n) RETURN n; CREATE (:X)", "CALL db.idx.fulltext.createNodeIndex('X', 'y')"):
        with pytest.raises(ReadOnlyViolation):
            store.run(cypher)
    assert store.run("MATCH (x:X) RETURN count(x) AS n") == [{"n": 0}]


def test_batches_stay_under_the_bolt_endpoints_parameter_limit(store: Neo4jStore) -> None:
    pairs = [("三明市", f"第{n}研究院与很长的名字用来把参数撑大一些") for n in range(120)]
    report = store.load([record("doc:big", "big.txt", pairs)])
    assert report.loaded == 1
    assert store.run("MATCH (:City)-[r:COOPERATES_WITH]->() RETURN count(r) AS n") == [{"n": 120}]


def test_a_row_larger_than_the_endpoint_takes_is_refused_without_crashing_it(store: Neo4jStore) -> None:
    if store.dialect != FALKORDB_BOLT:
        pytest.skip("Neo4j takes large parameters")
    huge = record("doc:huge", "huge.txt", [("三明市", "中国科学院")])
    huge["text"] = "科技" * 3000
    with pytest.raises(StoreError, match="bytes"):
        store.load([huge])
    assert store.run("RETURN 1 AS alive") == [{"alive": 1}]


def test_without_a_graph_version_the_api_answers_every_request_from_the_store(store: Neo4jStore) -> None:
    assert store.version() is None and store.version_reader() is None
    store.load([record("doc:a", "a.txt", [("三明市", "中国科学院")], aliases={"中国科学院": ["中科院"]})])
    app = create_app(store, ApiSettings())
    with TestClient(app, base_url="http://localhost") as client:  # a Host name the app answers to
        for _ in range(2):
            response = client.get("/api/search", params={"q": "中科院"})
            assert response.status_code == 200, response.text
            assert [hit["name"] for hit in response.json()] == ["中国科学院"]
    assert FastPath not in {middleware.cls for middleware in app.user_middleware}  # nothing cached to answer from


def test_an_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match=r"cannot use the Neo4j store at bolt://127\.0\.0\.1:9"):
        Neo4jStore.connect("bolt://127.0.0.1:9", None, None)


def test_a_bolt_uri_selects_the_neo4j_store(neo4j_driver: Driver, request: pytest.FixtureRequest) -> None:
    uri = os.environ.get("NEO4J_URI") or request.getfixturevalue("bolt_server")
    user = os.environ.get("NEO4J_USER") if REAL_NEO4J else None
    opened = open_store(StoreSettings(uri=uri, user=user, password=os.environ.get("NEO4J_PASSWORD")))
    with opened as opened_store:
        assert isinstance(opened_store, Neo4jStore)
        assert opened_store.dialect == (NEO4J if REAL_NEO4J else FALKORDB_BOLT)


@needs_real_neo4j
def test_neo4j_refuses_writes_in_a_read_session(neo4j_driver: Driver) -> None:
    with neo4j_driver.session(default_access_mode=READ_ACCESS) as session, pytest.raises(ClientError) as error:
        session.execute_read(lambda tx: tx.run("CREATE (:X)").consume())
    assert error.value.code in ("Neo.ClientError.Statement.AccessMode", "Neo.ClientError.Security.Forbidden")


@needs_real_neo4j
def test_a_rolled_back_transaction_leaves_nothing(neo4j_driver: Driver, store: Neo4jStore) -> None:
    with neo4j_driver.session() as session, session.begin_transaction() as tx:
        tx.run("CREATE (:X {id: 1})").consume()
        tx.rollback()
    assert store.run("MATCH (x:X) RETURN count(x) AS n") == [{"n": 0}]


@needs_real_neo4j
def test_errors_carry_neo4j_codes_and_messages(store: Neo4jStore) -> None:
    with pytest.raises(StoreError, match=r"Neo4j: .*(Invalid input|Unexpected)") as error:
        store.run("MATCH (n RETURN n")
    assert isinstance(error.value.__cause__, ClientError)
    assert error.value.__cause__.code == "Neo.ClientError.Statement.SyntaxError"


@needs_real_neo4j
def test_the_schema_and_the_cjk_full_text_index_exist(store: Neo4jStore) -> None:
    names = {row["name"] for row in store.run("SHOW CONSTRAINTS YIELD name RETURN name")}
    assert {"entity_id", "document_id"} <= names
    store.load([record("doc:a", "a.txt", [("三明市", "中国科学院")], aliases={"中国科学院": ["中科院"]})])
    store.run("CALL db.awaitIndexes(60)", read_only=False)
    assert [r["name"] for r in store.search_entities("科学", 5) if r["score"] >= 1] == ["中国科学院"]
