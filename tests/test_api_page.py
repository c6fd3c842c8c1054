"""The API as the page and its users call it: entities by any name, an organisation with its parts, the schema,
Cypher errors that say what to fix, metrics by concept, what an upload found, no server paths in answers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from policykg.api.app import create_app
from policykg.graph.stores.protocol import VERSION_LABEL, Store
from policykg.settings import ApiSettings
from tests.conftest import BOTH_STORES, SAMPLES, LiveServer, curated_store

TOKEN = "page-token"
pytestmark = pytest.mark.store  # on both stores' servers, requested by name in `store`


@pytest.fixture(scope="module", params=BOTH_STORES)
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    with curated_store(request, "api_page") as opened:
        yield opened


@pytest.fixture(scope="module")
def api(store: Store) -> Iterator[httpx.Client]:
    settings = ApiSettings(api_token=TOKEN, cypher_timeout_ms=200)
    with LiveServer(create_app(store, settings)) as server, httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


def test_an_entity_is_found_by_short_id_name_and_alias(http: httpx.Client) -> None:
    """The samples' cities carry their area code in their id; people write the city without it."""
    for asked in ("City:三明市@350400", "City:三明市", "三明市", "三明"):
        answer = http.get("/api/entity", params={"id": asked})
        assert answer.status_code == 200, asked
        assert answer.json()["center"] == "City:三明市@350400", asked
    example = {"source": "City:三明市", "target": "中科院", "type": "COOPERATES_WITH"}
    evidence = http.get("/api/evidence", params=example)
    assert evidence.status_code == 200 and evidence.json(), "the OpenAPI example answers with sentences"


def test_an_unknown_entity_is_a_404_with_suggestions_never_an_empty_200(http: httpx.Client) -> None:
    for path, params in (
        ("/api/entity", {"id": "City:三明县"}),
        ("/api/entity", {"id": "City:无此市"}),
        ("/api/evidence", {"source": "City:无此市", "target": "中国科学院"}),
        ("/api/analytics/path", {"from": "无此机构", "to": "三明市"}),
    ):
        answer = http.get(path, params=params)
        assert answer.status_code == 404, (path, params, answer.text)
        assert answer.json()["detail"]
    near = http.get("/api/entity", params={"id": "丹东"})  # an alias: found
    assert near.json()["center"].startswith("City:丹东市")
    guessed = http.get("/api/entity", params={"id": "Institution:中国科学院某所"})
    assert guessed.status_code == 404
    assert "did you mean: 中国科学院 (Institution:中国科学院)" in guessed.json()["detail"]


def test_an_organisation_with_its_parts_and_their_cities(api: httpx.Client) -> None:
    plain = api.get("/api/entity", params={"id": "中国科学院"}).json()
    with_parts = api.get("/api/entity", params={"id": "中国科学院", "parts": "true"}).json()

    def cities(graph: dict) -> set[str]:
        cooperating = (e["source"] for e in graph["edges"] if e["type"] == "COOPERATES_WITH")
        return {source for source in cooperating if source.startswith("City:")}

    assert cities(plain) == {"City:三明市"}
    assert cities(with_parts) == {"City:三明市", "City:六安市"}
    edges = {(e["source"], e["type"], e["target"]) for e in with_parts["edges"]}
    # the path: 六安市 → 中国科学院合肥物质科学研究院 → 中国科学院
    assert ("City:六安市", "COOPERATES_WITH", "Institution:中国科学院合肥物质科学研究院") in edges
    assert ("Institution:中国科学院合肥物质科学研究院", "PART_OF", "Institution:中国科学院") in edges
    area = api.get("/api/entity", params={"id": "三明市", "parts": "true"}).json()
    assert area == api.get("/api/entity", params={"id": "三明市"}).json(), "an area has no parts to add"


def test_institution_cities_and_the_matrix_count_parts_with_a_path(api: httpx.Client) -> None:
    rows = api.get("/api/queries/institution-cities", params={"institution": "中科院"}).json()["rows"]
    found = {row["city"]: row for row in rows}
    assert set(found) == {"三明市", "六安市"}
    assert found["三明市"]["documents"] == 3  # sm2023, sm2023b directly, sm2022 through 福建物构所
    assert found["六安市"]["paths"] == ["六安市 → 中国科学院合肥物质科学研究院 → 中国科学院"]
    direct = api.get("/api/queries/institution-cities", params={"institution": "中国科学院", "parts": "false"}).json()
    assert [(row["city"], row["documents"]) for row in direct["rows"]] == [("三明市", 2)]

    cells = api.get("/api/queries/cooperation-matrix", params={"parts": "true"}).json()["rows"]
    by_pair = {(row["city"], row["partner"]): row for row in cells}
    assert by_pair["六安市", "中国科学院"]["documents"] == 1
    assert by_pair["六安市", "中国科学院"]["via"] == ["中国科学院合肥物质科学研究院"]
    assert by_pair["三明市", "中国科学院"]["documents"] == 3
    assert not {partner for _, partner in by_pair} & {"中国科学院合肥物质科学研究院", "中国科学院福建物质结构研究所"}
    early = api.get("/api/queries/cooperation-matrix", params={"parts": "true", "year_to": 2022}).json()["rows"]
    assert {(row["city"], row["partner"], row["documents"]) for row in early} >= {("三明市", "中国科学院", 1)}
    own = api.get("/api/queries/cooperation-matrix").json()["rows"]
    assert ("三明市", "中国科学院福建物质结构研究所") in {(row["city"], row["partner"]) for row in own}


def test_schema_lists_labels_types_properties_and_marks_summaries(api: httpx.Client) -> None:
    schema = api.get("/api/schema").json()
    labels = {label["label"]: label for label in schema["labels"]}
    assert labels["City"]["count"] == 4 and not labels["City"]["internal"]  # 三明, 丹东, 扬州, 六安
    assert {"id", "name"} <= set(labels["City"]["properties"])
    assert labels["PartnerSummary"]["internal"] and labels["Summary"]["internal"]
    assert labels.get(VERSION_LABEL, {"internal": True})["internal"]  # Neo4j's version node
    types = {rel["type"]: rel for rel in schema["relationships"]}
    assert "(City)-[:COOPERATES_WITH]->(Institution)" in types["COOPERATES_WITH"]["patterns"]
    assert {"doc_id", "sentence"} <= set(types["COOPERATES_WITH"]["properties"])


def test_cypher_errors_name_the_missing_parameter_and_the_time_limit(api: httpx.Client) -> None:
    query = "MATCH (c:City {name: $city}) RETURN c LIMIT $n"
    missing = api.post("/api/cypher", json={"query": query, "params": {"n": 1}})
    assert missing.status_code == 400 and "$city" in missing.json()["detail"] and "$n" not in missing.json()["detail"]
    quoted = api.post("/api/cypher", json={"query": "RETURN '$not_a_parameter' AS x"})
    assert quoted.status_code == 200
    slow = api.post(  # ten billion rows: each range() stays under the API's bound, their product does not
        "/api/cypher",
        json={
            "query": "UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y "
            "WITH x WHERE (x + y) % 7 = 3 RETURN count(x)"
        },
    )
    assert slow.status_code == 400 and "0.2 s" in slow.json()["detail"] and "time limit" in slow.json()["detail"]


def test_cypher_answers_carry_no_server_path(api: httpx.Client) -> None:
    rows = api.post("/api/cypher", json={"query": "MATCH (d:Document) RETURN d.source AS source, d"}).json()["rows"]
    assert rows and all(row["source"].endswith(".txt") and "/" not in row["source"] for row in rows)
    assert all("/" not in row["d"]["properties"]["source"] for row in rows)


def test_metrics_carry_their_concept_to_search_by(http: httpx.Client) -> None:
    metrics = {metric["metric"]: metric for metric in http.get("/api/metrics").json()}
    high_tech = metrics["高新技术企业数量"]
    assert high_tech["concept"] == "high-tech-enterprises" and "高企" in high_tech["labels"]
    assert high_tech["label_en"] == "number of high-tech enterprises" and high_tech["targets"] >= 5


def test_an_upload_says_what_was_found(api: httpx.Client, tmp_path: Path) -> None:
    text = (
        "六安市科学技术局关于印发《2025年全市科技工作要点》的通知\n"
        "一、深化与中国科学院合肥物质科学研究院合作，高新技术企业达到900家。\n"
    )
    upload = api.post(
        "/api/documents",
        headers={"Authorization": f"Bearer {TOKEN}"},
        files={"file": ("la2025.txt", text.encode("utf-8"), "text/plain")},
    )
    assert upload.status_code == 201, upload.text
    found = upload.json()
    assert (found["city"], found["year"]) == ("六安市", 2025)
    assert found["found"]["cooperations"] >= 1 and found["found"]["targets"] >= 1
    assert found["found"]["entities"] >= 2 and found["found"]["results"] == 0
    document = api.get("/api/document", params={"id": found["doc_id"]}).json()
    assert document["source"] == "upload:la2025.txt"
    api.request("DELETE", "/api/document", params={"id": found["doc_id"]}, headers={"Authorization": f"Bearer {TOKEN}"})


def test_documents_and_exports_carry_file_names_not_server_paths(http: httpx.Client) -> None:
    listed = http.get("/api/documents").json()
    detail = http.get("/api/document", params={"id": listed[0]["id"]}).json()
    assert detail["source"] in {path.name for path in SAMPLES}
    exported = http.get("/api/export", params={"format": "ttl", "doc": listed[0]["id"]}).text
    assert detail["source"] in exported and str(SAMPLES[0].parent) not in exported


def test_every_answer_is_also_csv(http: httpx.Client) -> None:
    table = http.get("/api/queries/city-partners", params={"city": "三明", "format": "csv"})
    assert table.status_code == 200 and table.headers["content-type"].startswith("text/csv")
    assert "attachment" in table.headers["content-disposition"]
    lines = table.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("city,institution,institution_id") and any("中国科学院" in line for line in lines)
    edges = http.get("/api/entity", params={"id": "三明市", "format": "csv"}).content.decode("utf-8-sig")
    assert edges.splitlines()[0] == "source,source_name,type,target,target_name,documents,years"
    assert "三明市,COOPERATES_WITH" in edges
    unknown = http.get("/api/entity", params={"id": "无此市", "format": "csv"})
    assert unknown.status_code == 404 and unknown.json()["detail"]  # an error stays JSON


def test_the_catalogue_speaks_to_users(http: httpx.Client) -> None:
    for query in http.get("/api/queries").json():
        assert query["summary_zh"] and query["summary_en"], query["name"]
        assert all(p["label_zh"] and p["label_en"] for p in query["parameters"]), query["name"]
    partners = next(q for q in http.get("/api/queries").json() if q["name"] == "city-partners")
    city = partners["parameters"][0]
    assert (city["name"], city["label_zh"], city["entity"]) == ("city", "城市", "City")


def test_openapi_examples_answer_on_the_samples(http: httpx.Client) -> None:
    """Every GET route whose parameters all have an example (or need none) answers them with 200."""
    spec = http.get("/openapi.json").json()
    tried = 0
    for path, methods in spec["paths"].items():
        operation = methods.get("get")
        if operation is None or "{" in path:
            continue
        params = {}
        for parameter in operation.get("parameters", []):
            example = parameter.get("example", (parameter.get("examples") or [None])[0])
            if isinstance(example, dict):
                example = example.get("value")
            if example is not None:
                params[parameter["name"]] = example
        if any(p["required"] and p["name"] not in params for p in operation.get("parameters", [])):
            continue
        answer = http.get(path, params=params)
        assert answer.status_code == 200, (path, params, answer.text[:200])
        tried += 1
    assert tried >= 8


def test_docs_and_redoc_are_served_from_the_page_not_a_cdn(http: httpx.Client) -> None:
    for path, script in (("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")):
        page = http.get(path)
        assert page.status_code == 200 and script in page.text
        sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert sources and all(source.startswith(("/static/", "data:")) for source in sources), sources
        assert "<script>" not in page.text
        assert "img-src 'self'" in page.headers["content-security-policy"]
