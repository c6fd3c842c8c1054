"""Each curated query over HTTP against the app on a real FalkorDB: known answers on a hand-written
corpus (tests/curated_graph.py) and on the bundled samples."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from policykg.api.app import create_app
from policykg.graph.stores.embedded_server import EmbeddedServer
from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.queries import load_queries
from policykg.settings import ApiSettings
from tests.conftest import LiveServer
from tests.curated_graph import curated_records


@pytest.fixture(scope="module")
def curated(falkordb_server: EmbeddedServer) -> Iterator[httpx.Client]:
    address = falkordb_server.address()
    assert address is not None
    store = FalkorDBStore(address.client(), graph_name="curated_queries")
    store.load(curated_records())
    with (
        LiveServer(create_app(store, ApiSettings())) as server,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        yield client
    store.graph.delete()
    store.close()


def rows(client: httpx.Client, name: str, **params: str | int) -> list[dict[str, Any]]:
    response = client.get(f"/api/queries/{name}", params=params)
    assert response.status_code == 200, response.text
    return response.json()["rows"]


def test_the_catalogue_lists_every_contract_query(curated: httpx.Client) -> None:
    names = {q["name"] for q in curated.get("/api/queries").json()}
    assert names >= {
        "city-partners",
        "institution-cities",
        "cooperation-matrix",
        "institution-ranking",
        "city-ranking",
        "city-city",
        "city-platforms",
        "metric-targets",
        "programme-cities",
        "city-timeline",
        "document-facts",
        "shortest-paths",
        "search",
    }


def test_every_query_answers_its_example_on_the_samples(http: httpx.Client) -> None:
    """The catalogue's examples (and so the OpenAPI page's) are the demo's questions: each answers with rows."""
    for query in load_queries().values():
        params = dict(pair.split("=", 1) for pair in query.example.split("&") if pair)
        response = http.get(f"/api/queries/{query.name}", params=params)
        assert response.status_code == 200, (query.name, response.text)
        assert response.json()["rows"], (query.name, params)


def test_entity_parameters_take_aliases_and_refuse_unknown_names(curated: httpx.Client) -> None:
    assert rows(curated, "city-partners", city="三明") == rows(curated, "city-partners", city="三明市")
    unknown = curated.get("/api/queries/city-partners", params={"city": "无此市"})
    assert unknown.status_code == 404 and "无此市" in unknown.json()["detail"]
    assert isinstance(unknown.json()["suggestions"], list)
    missing = curated.get("/api/queries/document-facts", params={"doc": "doc:0000000000"})
    assert missing.status_code == 404
    path = curated.get("/api/queries/shortest-paths", params={"source": "三明", "target": "中科院"}).json()
    assert path["parameters"]["source"] == "City:三明市" and path["rows"]


def test_city_partners_counts_distinct_documents(curated: httpx.Client) -> None:
    by_name = {r["institution"]: r for r in rows(curated, "city-partners", city="三明市")}
    assert by_name["中国科学院"]["documents"] == 2
    assert {e["document"] for e in by_name["中国科学院"]["evidence"]} == {"doc:sm2023", "doc:sm2023b"}
    assert by_name["天津大学"]["documents"] == 1 and by_name["天津大学"]["years"] == [2023]


def test_institution_cities_rolls_up_institutes_and_accepts_an_alias(curated: httpx.Client) -> None:
    for name in ("中国科学院", "中科院"):
        by_city = {r["city"]: r for r in rows(curated, "institution-cities", institution=name)}
        assert set(by_city) == {"三明市", "六安市"}
        assert by_city["三明市"]["documents"] == 3  # two naming CAS itself, one naming its Fujian institute
        assert "中国科学院合肥物质科学研究院" in by_city["六安市"]["via"]


def test_cooperation_matrix_filters_by_year_and_type(curated: httpx.Client) -> None:
    cells = rows(curated, "cooperation-matrix", year_from=2023, year_to=2023)
    assert {(c["city"], c["partner"]) for c in cells} == {("三明市", "中国科学院"), ("三明市", "天津大学")}
    cities = rows(curated, "cooperation-matrix", type="City")
    assert [(c["city"], c["partner"], c["documents"]) for c in cities] == [("丹东市", "扬州市", 1)]


def test_rankings(curated: httpx.Client) -> None:
    institutions = rows(curated, "institution-ranking")
    assert institutions[0]["institution"] == "中国科学院" and institutions[0]["cities"] == 2
    cities = rows(curated, "city-ranking")
    assert cities[0]["city"] == "三明市" and cities[0]["partners"] == 3


def test_city_city_cooperation_and_its_kind(curated: httpx.Client) -> None:
    pairs = rows(curated, "city-city", city="扬州市")
    assert [(p["city"], p["partner"], p["kinds"]) for p in pairs] == [("丹东市", "扬州市", ["对口合作"])]


def test_city_platforms_with_type_level_and_builder(curated: httpx.Client) -> None:
    [platform] = rows(curated, "city-platforms", city="三明市")
    assert (platform["platform"], platform["platform_type"], platform["level"]) == (
        "三明海西研究院",
        "新型研发机构",
        "市级",
    )
    assert platform["institutions"] == ["中国科学院福建物质结构研究所"]


def test_metric_targets_normalise_units(curated: httpx.Client) -> None:
    spending = {r["city"]: r for r in rows(curated, "metric-targets", metric="研发经费")}
    assert spending["丹东市"]["unit"] == "万元" and spending["丹东市"]["normalised_unit"] == "亿元"
    assert spending["丹东市"]["normalised_value"] == pytest.approx(0.5)
    assert spending["三明市"]["normalised_value"] == pytest.approx(5)
    firms = rows(curated, "metric-targets", metric="高新技术企业", city="三明市")
    assert [(r["year"], r["value"]) for r in firms if r["fact"] == "target"] == [(2022, 80), (2023, 100)]


def test_metric_targets_and_results_side_by_side(curated: httpx.Client) -> None:
    """What a city aimed for and what it reported, in one answer: each row says which, and its kind."""
    firms = rows(curated, "metric-targets", metric="高新技术企业", city="三明市")
    assert [(r["fact"], r["kind"], r["year"], r["value"], r["comparator"]) for r in firms] == [
        ("target", "stock", 2022, 80, ">="),
        ("result", "stock", 2022, 85, "="),
        ("target", "stock", 2023, 100, ">="),
    ]
    result = firms[1]
    assert (result["city"], result["document"], result["text"], result["part"]) == (
        "三明市",
        "doc:sm2023",
        "85家",
        "review",
    )
    everywhere = rows(curated, "metric-targets", metric="高新技术企业")
    assert {(r["city"], r["fact"]) for r in everywhere} == {
        ("三明市", "target"),
        ("三明市", "result"),
        ("丹东市", "target"),
    }
    assert {r["kind"] for r in rows(curated, "metric-targets", metric="研发经费")} == {"flow"}


def test_programme_cities_since(curated: httpx.Client) -> None:
    since = {r["city"]: r["since"] for r in rows(curated, "programme-cities", programme="科技特派员")}
    assert since == {"丹东市": 2020, "三明市": 2022}
    assert [r["city"] for r in rows(curated, "programme-cities", programme="揭榜挂帅")] == ["丹东市"]


def test_city_timeline(curated: httpx.Client) -> None:
    timeline = rows(curated, "city-timeline", city="三明市")
    assert [t["year"] for t in timeline] == [2022, 2023, 2023]
    assert {(x["metric"], x["value"]) for x in timeline[0]["targets"]} == {("高新技术企业数量", 80)}
    sm2023 = next(t for t in timeline if t["document"] == "doc:sm2023")
    assert [(x["metric"], x["kind"], x["value"], x["year"]) for x in sm2023["results"]] == [
        ("高新技术企业数量", "stock", 85, 2022)
    ]
    assert "天津大学" in timeline[1]["partners"] + timeline[2]["partners"]


def test_document_facts_carry_offsets_into_the_text(curated: httpx.Client) -> None:
    text = next(r for r in curated_records() if r["doc_id"] == "doc:sm2023")["text"]
    facts = rows(curated, "document-facts", doc="doc:sm2023")
    assert {f["kind"] for f in facts} == {"mention", "relation", "target", "result"}
    for fact in facts:
        if fact["kind"] == "mention":
            assert text[fact["start"] : fact["end"]] in ("中科院", "天津大学", "三明市")
    target = next(f for f in facts if f["kind"] == "target" and f["source"] == "研发经费投入")
    assert text[target["start"] : target["end"]] == "5亿元"
    result = next(f for f in facts if f["kind"] == "result")
    assert (result["type"], text[result["start"] : result["end"]]) == ("REPORTS_RESULT", "85家")


def test_shortest_paths_pass_through_the_parent_organisation(curated: httpx.Client) -> None:
    paths = rows(curated, "shortest-paths", source="City:三明市", target="City:六安市")
    assert paths and all(p["hops"] == 3 for p in paths)
    assert ["City:三明市", "Institution:中国科学院", "Institution:中国科学院合肥物质科学研究院", "City:六安市"] in [
        p["ids"] for p in paths
    ]


def test_search_finds_aliases_and_fragments(curated: httpx.Client) -> None:
    assert rows(curated, "search", q="中科院")[0]["name"] == "中国科学院"
    assert {r["name"] for r in rows(curated, "search", q="物质")} == {
        "中国科学院福建物质结构研究所",
        "中国科学院合肥物质科学研究院",
    }


# Known answers on the bundled samples, whatever the extractor's version.
def test_sample_sanming_cooperates_with_cas_tju_and_xmu(http: httpx.Client) -> None:
    partners = {r["institution"] for r in rows(http, "city-partners", city="三明市")}
    assert partners >= {"中国科学院", "天津大学", "厦门大学"}


def test_sample_cas_partners_include_sanming(http: httpx.Client) -> None:
    assert "三明市" in {r["city"] for r in rows(http, "institution-cities", institution="中国科学院")}


def test_sample_dandong_cooperates_with_yangzhou(http: httpx.Client) -> None:
    assert "扬州市" in {r["partner"] for r in rows(http, "city-city", city="丹东市")}


def test_sample_luan_cooperates_with_hfut(http: httpx.Client) -> None:
    assert "合肥工业大学" in {r["institution"] for r in rows(http, "city-partners", city="六安市")}


def test_sample_targets_for_high_tech_firms(http: httpx.Client) -> None:
    cities = {r["city"] for r in rows(http, "metric-targets", metric="高新技术企业")}
    assert {"六安市", "丹东市"} <= cities
