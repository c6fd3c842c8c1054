"""The loading semantics and entity search, the same on every store: the embedded FalkorDB through its
native client, and the Neo4j store through the official driver over FalkorDB's Bolt endpoint."""

from __future__ import annotations

import copy

import pytest
from neo4j import Driver

from policykg.graph.stores.neo4j_store import Neo4jStore
from policykg.graph.stores.protocol import Store
from policykg.ingest.record import Entity, Record, Relation

pytestmark = [pytest.mark.store, pytest.mark.parametrize("store", ["falkordb", "neo4j"], indirect=True)]


def empty_neo4j_store(driver: Driver) -> Neo4jStore:
    """The Neo4j store on the session's driver (never closed here), its graph emptied."""
    store = Neo4jStore(driver)
    store.run("MATCH (n) DETACH DELETE n", read_only=False)
    return store


@pytest.fixture
def store(request: pytest.FixtureRequest) -> Store:
    if request.param == "neo4j":
        return empty_neo4j_store(request.getfixturevalue("neo4j_driver"))
    return request.getfixturevalue("empty_store")


def record(
    doc_id: str, source: str, cooperations: list[tuple[str, str]], aliases: dict[str, list[str]] | None = None
) -> Record:
    """A small extraction record: each (city, institution) pair is a cooperation stated by one sentence."""
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
        "targets": [],
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
