"""The loading semantics and entity search, the same on every store: the embedded FalkorDB through its
native client, and a real Neo4j 5 through the official driver."""

from __future__ import annotations

import copy

import pytest

from policykg.graph.stores.protocol import Store
from policykg.ingest.record import Entity, Record, Relation, Target
from tests.conftest import BOTH_STORES

pytestmark = [pytest.mark.store, pytest.mark.parametrize("store", BOTH_STORES, indirect=True)]


@pytest.fixture
def store(request: pytest.FixtureRequest) -> Store:
    store: Store = request.getfixturevalue("neo4j_store" if request.param == "neo4j" else "empty_store")
    return store


def figure(metric: str, value: float, unit: str, kind: str, year: int, start: int) -> Target:
    """A target or a result (the same shape) stated at `start`."""
    text = f"{metric}{value:g}{unit}"
    return {
        "metric": metric,
        "value": value,
        "value_max": None,
        "unit": unit,
        "comparator": "=",
        "kind": kind,
        "year": year,
        "text": text,
        "start": start,
        "end": start + len(text),
        "extractor": "test",
        "part": "plan" if year == 2024 else "review",
    }


def record(
    doc_id: str, source: str, cooperations: list[tuple[str, str]], aliases: dict[str, list[str]] | None = None
) -> Record:
    """A small extraction record: each (city, institution) pair is a cooperation stated by one sentence; one
    target for its year and one result for the year before, of the same metric."""
    aliases = aliases or {}
    entities: dict[tuple[str, str], Entity] = {}
    relations: list[Relation] = []
    for offset, (city, institution) in enumerate(cooperations):
        for kind, name in (("City", city), ("Institution", institution)):
            entities[(kind, name)] = {
                "type": kind,
                "name": name,
                "aliases": aliases.get(name, []),
                "mentions": [{"start": offset * 10, "end": offset * 10 + len(name)}],
            }
        relations.append(
            {
                "type": "COOPERATES_WITH",
                "source": {"type": "City", "name": city},
                "target": {"type": "Institution", "name": institution},
                "evidence": {"start": offset * 10, "end": offset * 10 + 9, "text": f"{city}与{institution}合作"},
                "extractor": "test",
                "confidence": 0.9,
            }
        )
    return {
        "file": source,
        "source": source,
        "doc_id": doc_id,
        "document": {
            "title": f"{source} 科技工作要点",
            "city": cooperations[0][0] if cooperations else None,
            "province": None,
            "year": 2024,
            "issuer": None,
            "doc_number": None,
            "published": None,
        },
        "entities": list(entities.values()),
        "relations": relations,
        "targets": [figure("高新技术企业数量", 100, "家", "stock", 2024, 100)],
        "results": [
            figure("高新技术企业数量", 80, "家", "stock", 2023, 50),
            figure("技术合同成交额", 5, "亿元", "flow", 2023, 70),
        ],
    }


A = record(
    "doc:a",
    "a.txt",
    [("三明市", "中国科学院"), ("三明市", "福建省人工智能产业研究院")],
    aliases={"中国科学院": ["中科院"]},
)
B = record("doc:b", "b.txt", [("厦门市", "中国科学院"), ("厦门市", "厦门大学")])


def cooperations(store: Store) -> list[tuple[str, str, str]]:
    rows = store.run(
        "MATCH (c:City)-[r:COOPERATES_WITH]->(i:Institution) "
        "RETURN c.name AS city, i.name AS institution, r.doc_id AS doc ORDER BY city, institution"
    )
    return [(row["city"], row["institution"], row["doc"]) for row in rows]


def figures(store: Store) -> list[tuple[str, str, str, float, str, int, str, int, int, str, str]]:
    """Every target and result with its document link, metric and provenance, in one sorted list."""
    rows = store.run(
        "MATCH (d:Document)-[s:SETS_TARGET|REPORTS_RESULT]->(t)-[:MEASURES]->(m:Metric) "
        "RETURN d.id AS doc, type(s) AS link, m.name AS metric, t.value AS value, t.kind AS kind, t.year AS year, "
        "t.doc_id AS doc_id, t.start AS start, t.end AS end, t.text AS text, t.part AS part"
    )
    return sorted(
        (
            r["doc"],
            r["link"],
            r["metric"],
            r["value"],
            r["kind"],
            r["year"],
            r["doc_id"],
            r["start"],
            r["end"],
            r["text"],
            r["part"],
        )
        for r in rows
    )


def metric_names(store: Store) -> list[str]:
    return [row["name"] for row in store.run("MATCH (m:Metric) RETURN m.name AS name ORDER BY name")]


def entity_names(store: Store) -> list[str]:
    return [row["name"] for row in store.run("MATCH (e:Entity) RETURN e.name AS name ORDER BY name")]


def test_loading_the_same_documents_twice_changes_nothing(store: Store) -> None:
    store.load([A, B])
    before = store.stats()
    report = store.load([A, B])
    assert (report.loaded, report.unchanged) == (0, 2)
    assert store.stats() == before


def test_every_fact_keeps_its_provenance(store: Store) -> None:
    store.load([A])
    rows = store.run(
        "MATCH (:City {name: '三明市'})-[r:COOPERATES_WITH]->(:Institution {name: '中国科学院'}) "
        "RETURN r.doc_id AS doc, r.year AS year, r.sentence AS sentence, r.start AS start, "
        "r.end AS end, r.extractor AS extractor, r.confidence AS confidence"
    )
    assert rows == [
        {
            "doc": "doc:a",
            "year": 2024,
            "sentence": "三明市与中国科学院合作",
            "start": 0,
            "end": 9,
            "extractor": "test",
            "confidence": 0.9,
        }
    ]


def test_a_changed_document_replaces_only_its_own_facts(store: Store) -> None:
    store.load([A, B])
    changed = copy.deepcopy(A)
    changed["doc_id"] = "doc:a2"
    changed["relations"] = changed["relations"][:1]
    report = store.load([changed])
    assert report.replaced == 1
    assert cooperations(store) == [
        ("三明市", "中国科学院", "doc:a2"),
        ("厦门市", "中国科学院", "doc:b"),
        ("厦门市", "厦门大学", "doc:b"),
    ]


def test_delete_removes_the_facts_and_entities_only_that_document_supported(store: Store) -> None:
    store.load([A, B])
    assert store.delete_document("doc:a")
    assert not store.delete_document("doc:a")
    assert cooperations(store) == [("厦门市", "中国科学院", "doc:b"), ("厦门市", "厦门大学", "doc:b")]
    assert entity_names(store) == ["中国科学院", "厦门大学", "厦门市"]  # 中国科学院 is still supported by doc:b


def test_search_finds_names_aliases_and_fragments(store: Store) -> None:
    store.load([A, B])

    def found(text: str) -> list[str]:
        return [row["name"] for row in store.search_entities(text, 5)]

    assert found("人工智能") == ["福建省人工智能产业研究院"]  # a word inside an unspaced name
    assert found("中科院") == ["中国科学院"]  # an alias
    assert found("科学院") == ["中国科学院"]  # a fragment the word splitter keeps inside 中国科学院
    assert set(found("厦门")) == {"厦门市", "厦门大学"}
    assert found("(*") == [] and found("不存在的机构") == []
    hit = store.search_entities("中国科学院", 1)[0]
    assert set(hit) == {"id", "name", "type", "aliases", "score"}
    assert (hit["type"], hit["aliases"]) == ("Institution", ["中科院"])
    assert hit["score"] >= 1  # found by the full-text index


def test_targets_and_results_load_once_with_their_document_and_provenance(store: Store) -> None:
    store.load([A])
    expected = [
        (
            "doc:a",
            "REPORTS_RESULT",
            "技术合同成交额",
            5,
            "flow",
            2023,
            "doc:a",
            70,
            80,
            "技术合同成交额5亿元",
            "review",
        ),
        (
            "doc:a",
            "REPORTS_RESULT",
            "高新技术企业数量",
            80,
            "stock",
            2023,
            "doc:a",
            50,
            61,
            "高新技术企业数量80家",
            "review",
        ),
        (
            "doc:a",
            "SETS_TARGET",
            "高新技术企业数量",
            100,
            "stock",
            2024,
            "doc:a",
            100,
            112,
            "高新技术企业数量100家",
            "plan",
        ),
    ]
    assert figures(store) == expected
    store.load([A])  # again: nothing doubles
    assert figures(store) == expected
    assert store.stats()["nodes"]["Result"] == 2 and store.stats()["relationships"]["REPORTS_RESULT"] == 2


def test_a_changed_document_replaces_exactly_its_targets_and_results(store: Store) -> None:
    store.load([A, B])
    changed = copy.deepcopy(A)
    changed["doc_id"] = "doc:a2"
    changed["results"] = changed["results"][:1]
    changed["targets"][0]["value"] = 120
    store.load([changed])
    assert [(f[0], f[1], f[2], f[3]) for f in figures(store)] == [
        ("doc:a2", "REPORTS_RESULT", "高新技术企业数量", 80),
        ("doc:a2", "SETS_TARGET", "高新技术企业数量", 120),
        ("doc:b", "REPORTS_RESULT", "技术合同成交额", 5),
        ("doc:b", "REPORTS_RESULT", "高新技术企业数量", 80),
        ("doc:b", "SETS_TARGET", "高新技术企业数量", 100),
    ]


def test_delete_removes_a_documents_targets_results_and_the_metrics_only_they_measured(store: Store) -> None:
    store.load([A, B])
    only_a = copy.deepcopy(B)
    only_a["results"] = only_a["results"][:1]  # B no longer reports 技术合同成交额: only A measures it
    only_a["doc_id"] = "doc:b2"
    store.load([only_a])
    assert metric_names(store) == ["技术合同成交额", "高新技术企业数量"]
    assert store.delete_document("doc:a")
    assert {f[0] for f in figures(store)} == {"doc:b2"}
    assert metric_names(store) == ["高新技术企业数量"]
    stats = store.stats()
    assert (stats["nodes"]["Target"], stats["nodes"]["Result"]) == (1, 1)
    assert (stats["relationships"]["SETS_TARGET"], stats["relationships"]["REPORTS_RESULT"]) == (1, 1)
    assert stats["relationships"]["MEASURES"] == 2


def prioritising(doc_id: str, source: str, industries: list[str]) -> Record:
    """A small record whose document PRIORITIZES each industry (a concept node, not an Entity)."""
    found = record(doc_id, source, [("三明市", "中国科学院")])
    found["relations"] += [
        {
            "type": "PRIORITIZES",
            "source": {"type": "Document", "name": doc_id},
            "target": {"type": "Industry", "name": industry},
            "evidence": {"start": 40 + i, "end": 50 + i, "text": f"发展{industry}产业"},
            "extractor": "industry-vocabulary",
            "confidence": 0.6,
        }
        for i, industry in enumerate(industries)
    ]
    return found


def prioritised(store: Store) -> list[tuple[str, str]]:
    rows = store.run("MATCH (d:Document)-[:PRIORITIZES]->(i:Industry) RETURN d.id AS doc, i.name AS industry")
    return sorted((row["doc"], row["industry"]) for row in rows)


def industry_names(store: Store) -> list[str]:
    return sorted(row["name"] for row in store.run("MATCH (i:Industry) RETURN i.name AS name"))


def test_a_document_prioritises_its_industries(store: Store) -> None:
    """Industry nodes are concepts without the Entity label: the relationship must be written to them."""
    store.load([prioritising("doc:p", "p.txt", ["新材料", "生物医药"])])
    assert prioritised(store) == [("doc:p", "新材料"), ("doc:p", "生物医药")]
    assert not store.run("MATCH (i:Industry) WHERE NOT (i)<-[:PRIORITIZES]-() RETURN i.name AS name")


def test_an_industry_goes_with_the_last_document_that_prioritised_it(store: Store) -> None:
    store.load([prioritising("doc:p", "p.txt", ["新材料", "生物医药"]), prioritising("doc:q", "q.txt", ["新材料"])])
    assert store.delete_document("doc:p")
    assert (prioritised(store), industry_names(store)) == ([("doc:q", "新材料")], ["新材料"])
    assert store.delete_document("doc:q")
    assert industry_names(store) == []
