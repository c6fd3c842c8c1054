"""The Neo4j-only Cypher (graph/stores/neo4j_schema.py) on a real Neo4j 5: opening a store creates every constraint
and index, again without harm; they hold and the queries use them; the `cjk` full-text index finds fragments of
Chinese names and aliases."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from neo4j import Driver

from policykg.graph.aggregates import CITY_SUMMARY, INSTITUTION_SUMMARY, PARTNER_SUMMARY
from policykg.graph.build import DOCUMENT_LABEL, ENTITY_LABEL, METRIC_LABEL, RESULT_LABEL, TARGET_LABEL
from policykg.graph.search import SEARCH_PROPERTY
from policykg.graph.stores.neo4j_schema import FULL_TEXT_INDEX_NAME, NEO4J_SCHEMA
from policykg.graph.stores.neo4j_store import Neo4jStore
from policykg.graph.stores.protocol import VERSION_LABEL, Row, StoreError
from tests.neo4j_launcher import Neo4jServer
from tests.test_store_semantics import record

UNIQUE = {
    (ENTITY_LABEL, "id"),
    (DOCUMENT_LABEL, "id"),
    (TARGET_LABEL, "id"),
    (RESULT_LABEL, "id"),
    (METRIC_LABEL, "id"),
    (PARTNER_SUMMARY, "key"),
    (CITY_SUMMARY, "city_id"),
    (INSTITUTION_SUMMARY, "institution_id"),
    (VERSION_LABEL, "id"),
}
RANGE = {
    (ENTITY_LABEL, "name"),
    (DOCUMENT_LABEL, "source"),
    (DOCUMENT_LABEL, "city"),
    (PARTNER_SUMMARY, "city_id"),
    (PARTNER_SUMMARY, "partner_id"),
}


def schema(store: Neo4jStore) -> tuple[set[tuple[str, str]], list[Row]]:
    constraints = store.run("SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties")
    assert {row["type"] for row in constraints} == {"UNIQUENESS"}
    indexes = store.run(
        "SHOW INDEXES YIELD name, type, state, labelsOrTypes, properties, options, owningConstraint "
        "WHERE type <> 'LOOKUP' AND owningConstraint IS NULL RETURN * ORDER BY name"
    )
    return {(row["labelsOrTypes"][0], row["properties"][0]) for row in constraints}, indexes


def test_opening_creates_every_constraint_and_index_and_reopening_changes_nothing(
    neo4j_store: Neo4jStore, neo4j_server: Neo4jServer
) -> None:
    constraints, indexes = schema(neo4j_store)
    assert constraints == UNIQUE
    assert {(row["labelsOrTypes"][0], row["properties"][0]) for row in indexes if row["type"] == "RANGE"} == RANGE
    assert all(row["state"] == "ONLINE" for row in indexes)  # the store waits for them when it opens
    [full_text] = [row for row in indexes if row["type"] == "FULLTEXT"]
    assert (full_text["name"], full_text["labelsOrTypes"], full_text["properties"]) == (
        FULL_TEXT_INDEX_NAME,
        [ENTITY_LABEL],
        ["name", SEARCH_PROPERTY],
    )
    assert full_text["options"]["indexConfig"]["fulltext.analyzer"] == "cjk"
    assert len(constraints) + len(indexes) == len(NEO4J_SCHEMA)  # every statement made one, no more
    again = Neo4jStore.connect(neo4j_server.uri, neo4j_server.user, neo4j_server.password)
    try:
        assert schema(again) == (constraints, indexes)
    finally:
        again.close()


def test_the_constraints_hold(neo4j_store: Neo4jStore) -> None:
    neo4j_store.run("CREATE (:Document {id: 'doc:x'})", read_only=False)
    with pytest.raises(StoreError, match="already exists with label `Document` and property `id` = 'doc:x'"):
        neo4j_store.run("CREATE (:Document {id: 'doc:x'})", read_only=False)


def operators(plan: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Each operator of a query plan with its details, e.g. ('NodeIndexSeek', 'RANGE INDEX d:Document(source) …')."""
    yield plan["operatorType"], str(plan["args"].get("Details", ""))
    for child in plan["children"]:
        yield from operators(child)


@pytest.mark.parametrize(
    ("label", "key"),
    [(DOCUMENT_LABEL, "source"), (ENTITY_LABEL, "name"), (ENTITY_LABEL, "id"), (PARTNER_SUMMARY, "city_id")],
)
def test_lookups_use_the_indexes(neo4j_driver: Driver, neo4j_store: Neo4jStore, label: str, key: str) -> None:
    plan = neo4j_driver.execute_query(f"EXPLAIN MATCH (n:{label} {{{key}: $v}}) RETURN n", v="x").summary.plan
    assert plan is not None
    assert any("IndexSeek" in kind and f"n:{label}({key})" in details for kind, details in operators(plan)), plan


def found(store: Neo4jStore, text: str) -> list[str]:
    """Names the full-text index itself found (score ≥ 1; the substring scan's hits score 0)."""
    return [row["name"] for row in store.search_entities(text, 10) if row["score"] >= 1]


def test_the_cjk_full_text_index_finds_fragments_of_chinese_names_and_aliases(neo4j_store: Neo4jStore) -> None:
    neo4j_store.load(
        [
            record(
                "doc:a",
                "a.txt",
                [("三明市", "中国科学院"), ("福州市", "中国科学院福建物质结构研究所"), ("福州市", "福州大学")],
                aliases={"中国科学院": ["中科院"], "中国科学院福建物质结构研究所": ["福建物构所"]},
            )
        ]
    )
    deadline = time.monotonic() + 30  # full-text indexes take committed changes asynchronously
    while not found(neo4j_store, "中科院") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert found(neo4j_store, "中科院") == ["中国科学院"]  # an alias
    assert found(neo4j_store, "物构") == ["中国科学院福建物质结构研究所"]  # a fragment of an alias
    assert found(neo4j_store, "物质结构") == ["中国科学院福建物质结构研究所"]  # a fragment of a name
    assert set(found(neo4j_store, "科学")) == {"中国科学院", "中国科学院福建物质结构研究所"}
    assert set(found(neo4j_store, "福州")) == {"福州市", "福州大学"}
    assert found(neo4j_store, "厦门") == []
