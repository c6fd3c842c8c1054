"""The API over HTTP against a real FalkorDB and a real Neo4j: graph routes, documents, read-only Cypher, the write
token."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from policykg.api.app import create_app
from policykg.graph.stores.protocol import Store
from policykg.settings import ApiSettings
from tests.conftest import BOTH_STORES, SAMPLES, LiveServer, curated_store

TOKEN = "s3cret-token"
pytestmark = pytest.mark.store  # every test runs on both stores' servers (requested by name in the fixtures)


@pytest.fixture(scope="module", params=BOTH_STORES)
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    with curated_store(request, "api_routes") as opened:
        yield opened


@pytest.fixture(scope="module")
def api(store: Store) -> Iterator[httpx.Client]:
    settings = ApiSettings(cypher_row_cap=5, cypher_timeout_ms=200)
    with LiveServer(create_app(store, settings)) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def graph_state(store: Store) -> tuple:
    nodes = store.run("MATCH (n) RETURN count(n) AS n, collect(DISTINCT labels(n)) AS labels")[0]
    props = store.run("MATCH (n) RETURN count(n.hacked) AS hacked")[0]["hacked"]
    rels = store.run("MATCH ()-[r]->() RETURN count(r) AS n, collect(DISTINCT type(r)) AS types")[0]
    names = store.run("MATCH (n:Entity) RETURN n.name AS name ORDER BY name")
    return nodes["n"], sorted(map(str, nodes["labels"])), props, rels["n"], sorted(rels["types"]), names


def test_json_keeps_chinese_readable(api: httpx.Client) -> None:
    raw = api.get("/api/search", params={"q": "三明"}).content.decode("utf-8")
    assert "三明市" in raw and "\\u" not in raw


def test_search_by_alias(api: httpx.Client) -> None:
    hits = api.get("/api/search", params={"q": "中科院", "limit": 5}).json()
    assert hits[0]["id"] == "Institution:中国科学院" and "中科院" in hits[0]["aliases"]
    assert api.get("/api/search", params={"q": ""}).status_code == 422


def test_entity_neighbourhood_aggregates_facts_per_pair(api: httpx.Client) -> None:
    graph = api.get("/api/entity", params={"id": "City:三明市"}).json()
    assert graph["center"] == "City:三明市"
    edge = next(e for e in graph["edges"] if e["target"] == "Institution:中国科学院")
    assert (edge["source"], edge["type"], edge["documents"], edge["years"]) == (
        "City:三明市",
        "COOPERATES_WITH",
        2,
        [2023],
    )
    assert {n["id"] for n in graph["nodes"]} >= {"City:三明市", "Institution:天津大学"}
    assert all(n["name"] for n in graph["nodes"])


def test_entity_depth_types_years_and_limit(api: httpx.Client) -> None:
    deep = api.get("/api/entity", params={"id": "City:三明市", "depth": 3, "types": "Institution,City"}).json()
    assert "City:六安市" in {n["id"] for n in deep["nodes"]}  # 三明市 → 中科院 ← 合肥物质院 ← 六安市
    early = api.get("/api/entity", params={"id": "City:三明市", "year_to": 2022}).json()
    assert {e["target"] for e in early["edges"]} == {"Institution:中国科学院福建物质结构研究所"}
    small = api.get("/api/entity", params={"id": "City:三明市", "depth": 2, "limit": 2}).json()
    assert len(small["nodes"]) == 2 and small["truncated"] is True
    assert api.get("/api/entity", params={"id": "City:无此市"}).status_code == 404


def test_evidence_either_direction(api: httpx.Client) -> None:
    rows = api.get(
        "/api/evidence", params={"source": "Institution:中国科学院", "target": "City:三明市", "type": "COOPERATES_WITH"}
    ).json()
    assert {r["doc_id"] for r in rows} == {"doc:sm2023", "doc:sm2023b"}
    assert all(r["sentence"] and "中" in r["sentence"] and r["title"] for r in rows)


def test_documents_and_one_document(api: httpx.Client) -> None:
    listed = {d["id"]: d for d in api.get("/api/documents").json()}
    assert listed["doc:dd2020"]["city"] == "丹东市" and listed["doc:dd2020"]["year"] == 2020
    doc = api.get("/api/document", params={"id": "doc:sm2023"}).json()
    text = doc["text"]
    assert doc["title"] == "三明市2023年科技工作要点"
    assert {text[s["start"] : s["end"]] for s in doc["spans"]} >= {"中科院", "天津大学"}
    assert {(t["metric"], t["kind"]) for t in doc["targets"]} == {
        ("研发经费投入", "flow"),
        ("高新技术企业数量", "stock"),
    }
    [result] = doc["results"]
    assert (result["metric"], result["value"], result["year"], result["part"]) == (
        "高新技术企业数量",
        85,
        2022,
        "review",
    )
    assert text[result["start"] : result["end"]] == result["text"] == "85家"
    assert {r["target_name"] for r in doc["relations"]} == {"中国科学院", "天津大学"}
    assert api.get("/api/document", params={"id": "doc:none"}).status_code == 404


def test_metrics_and_map(api: httpx.Client) -> None:
    metrics = {m["metric"]: (m["targets"], m["results"]) for m in api.get("/api/metrics").json()}
    assert metrics["高新技术企业数量"] == (3, 1)
    data = api.get("/api/map").json()
    areas = {a["id"]: a for a in data["areas"]}
    assert {"City:三明市", "City:扬州市", "Institution:天津大学"} <= set(areas)
    assert {"lon", "lat"} <= set(areas["City:三明市"])
    link = next(x for x in data["links"] if x["target"] == "Institution:中国科学院")
    assert (link["source"], link["documents"]) == ("City:三明市", 2)


def test_export_downloads(api: httpx.Client) -> None:
    graphml = api.get("/api/export", params={"format": "graphml", "doc": "doc:dd2020"})
    assert graphml.status_code == 200 and "attachment" in graphml.headers["content-disposition"]
    assert "扬州市" in graphml.content.decode("utf-8")
    assert api.get("/api/export", params={"format": "xls"}).status_code == 422


def test_openapi_describes_every_route_and_parameter(api: httpx.Client) -> None:
    spec = api.get("/openapi.json").json()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            assert operation.get("summary"), (method, path)
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), (method, path, parameter["name"])


def test_cypher_reads_with_params_and_a_row_cap(api: httpx.Client) -> None:
    answer = api.post(
        "/api/cypher", json={"query": "MATCH (c:City {name: $name}) RETURN c.id AS id", "params": {"name": "丹东市"}}
    ).json()
    assert answer == {"columns": ["id"], "rows": [{"id": "City:丹东市"}], "truncated": False}
    capped = api.post("/api/cypher", json={"query": "UNWIND range(1, 20) AS x RETURN x"}).json()
    assert len(capped["rows"]) == 5 and capped["truncated"] is True


@pytest.mark.slow  # the runaway query runs until its time limit
def test_cypher_errors_are_clear_400s(api: httpx.Client) -> None:
    for query in (
        "MATCH (n RETURN n",
        "",
        "RETURN $missing",
        "x" * 30000,
        "UNWIND range(1, 100000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x)",
    ):
        response = api.post("/api/cypher", json={"query": query})
        assert response.status_code == 400, (query[:40], response.text)
        assert "Traceback" not in response.text and 'File "' not in response.text
    assert api.post("/api/cypher", json={"params": {}}).status_code == 422


WRITES = [
    "CREATE (n:X) RETURN n",
    "create (:X)",
    "CrEaTe (:X)",
    "  \n\tCREATE (:X)",
    "MERGE (n:X {id: 1})",
    "merge (n:Entity {id: 'City:三明市'}) on match set n.hacked = 1",
    "MATCH (n) SET n.hacked = 1",
    "MATCH (n:Entity) SET n:Hacked",
    "MATCH (n:Document) SET n += {hacked: 1}",
    "MATCH (n:Document) SET n = {}",
    "MATCH ()-[r]->() SET r.hacked = 1",
    "MATCH (n) DELETE n",
    "MATCH (n) DETACH DELETE n",
    "match (n) detach delete n",
    "MATCH ()-[r]->() DELETE r",
    "MATCH (n) REMOVE n.name",
    "MATCH (n:Entity) REMOVE n:Entity",
    "MATCH (n) WITH n LIMIT 1 CREATE (:X)",
    "UNWIND range(1, 3) AS i CREATE (:X {i: i})",
    "OPTIONAL MATCH (n) MERGE (m:X)",
    "MATCH (a:Entity), (b:Entity) WITH a, b LIMIT 1 CREATE (a)-[:HACKED]->(b)",
    "MATCH (a:City)-[r]->(b) WITH r LIMIT 1 DELETE r",
    "FOREACH (x IN [1, 2] | CREATE (:X))",
    "MATCH (n:Entity) FOREACH (x IN [1] | SET n.hacked = true)",
    "CALL db.idx.fulltext.createNodeIndex('Entity', 'hacked')",
    "CALL db.idx.fulltext.drop('Entity')",
    "CALL db.idx.fulltext.createNodeIndex({label: 'X', language: 'Chinese'}, 'name')",
    "CREATE INDEX FOR (n:Entity) ON (n.hacked)",
    "CREATE INDEX ON :Entity(hacked)",
    "DROP INDEX ON :Entity(id)",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "LOAD CSV WITH HEADERS FROM 'http://127.0.0.1:9/x.csv' AS row CREATE (:X {v: row.v})",
    "/* read */ CREATE (:X)",
    "// read only\nCREATE (:X)",
    "MATCH (n) RETURN n LIMIT 1; CREATE (:X)",
    "RETURN 1; MATCH (n) DETACH DELETE n",
    "MATCH (n) WHERE n.name = 'CREATE' CREATE (:X)",
    "RETURN 1 AS x UNION CREATE (:X) RETURN 2 AS x",
    "CALL { CREATE (:X) } RETURN 1",
    "WITH 1 AS x " * 500 + "CREATE (:X)",
    "MATCH (n) RETURN n " + " " * 25000 + "CREATE (:X)",
    "ＣＲＥＡＴＥ (:X)",
    "MATCH (n:Entity) SET n.name = toUpper(n.name) RETURN n",
]


def test_cypher_refuses_every_write_and_the_graph_is_unchanged(api: httpx.Client, store: Store) -> None:
    assert len(WRITES) >= 40
    before = graph_state(store)
    for query in WRITES:
        response = api.post("/api/cypher", json={"query": query})
        assert response.status_code == 400, (query[:60], response.text)
        assert "Traceback" not in response.text
    assert graph_state(store) == before


@pytest.fixture(params=BOTH_STORES)
def write_api(request: pytest.FixtureRequest) -> Iterator[httpx.Client]:
    store: Store = request.getfixturevalue("neo4j_store" if request.param == "neo4j" else "empty_store")
    with (
        LiveServer(create_app(store, ApiSettings(api_token=TOKEN, max_upload_bytes=200_000))) as server,
        httpx.Client(base_url=server.url, timeout=60) as client,
    ):
        yield client


def test_writes_are_off_without_a_configured_token(api: httpx.Client) -> None:
    files = {"file": ("a.txt", "三明市与中国科学院合作。".encode(), "text/plain")}
    assert api.post("/api/documents", files=files).status_code == 403
    assert (
        api.delete("/api/document", params={"id": "doc:sm2023"}, headers={"Authorization": "Bearer x"}).status_code
        == 403
    )


def test_writes_need_the_right_token(write_api: httpx.Client) -> None:
    sample = Path(SAMPLES[0])
    files = {"file": (sample.name, sample.read_bytes(), "text/plain")}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}, {"Authorization": "Basic x"}):
        assert write_api.post("/api/documents", files=files, headers=headers).status_code == 401
        assert write_api.delete("/api/document", params={"id": "doc:x"}, headers=headers).status_code == 401
    assert write_api.get("/api/documents").json() == []


def test_upload_then_delete_with_the_token(write_api: httpx.Client) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    sample = Path(SAMPLES[0])
    created = write_api.post(
        "/api/documents", headers=auth, files={"file": (sample.name, sample.read_bytes(), "text/plain")}
    )
    assert created.status_code == 201, created.text
    doc_id = created.json()["doc_id"]
    assert [d["id"] for d in write_api.get("/api/documents").json()] == [doc_id]
    assert "中国科学院" in {
        r["institution"] for r in write_api.get("/api/queries/city-partners", params={"city": "三明市"}).json()["rows"]
    }
    assert write_api.delete("/api/document", params={"id": doc_id}, headers=auth).json() == {
        "id": doc_id,
        "deleted": True,
    }
    assert write_api.get("/api/documents").json() == []
    assert write_api.delete("/api/document", params={"id": doc_id}, headers=auth).status_code == 404


def test_upload_refuses_bad_files_clearly(write_api: httpx.Client) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    exe = write_api.post("/api/documents", headers=auth, files={"file": ("x.exe", b"MZ", "application/octet-stream")})
    assert exe.status_code == 400 and "x.exe" in exe.json()["detail"]
    big = write_api.post("/api/documents", headers=auth, files={"file": ("big.txt", b"a" * 300_000, "text/plain")})
    assert big.status_code == 413
    broken = write_api.post(
        "/api/documents", headers=auth, files={"file": ("bad.pdf", b"not a pdf", "application/pdf")}
    )
    assert broken.status_code == 400 and "bad.pdf" in broken.json()["detail"]


def test_no_cors_headers_by_default(api: httpx.Client) -> None:
    response = api.get("/api/health", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in response.headers
