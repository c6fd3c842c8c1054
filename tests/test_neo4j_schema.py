"""The Neo4j-only Cypher (graph/neo4j_schema.py) is the syntax the Neo4j 5 Cypher manual documents.

FalkorDB's Bolt endpoint, the only Bolt server these tests can start, lacks this Cypher (shown
below), so here it is checked against the documented grammar; it runs for real when NEO4J_URI
names a Neo4j server (tests/test_store_neo4j.py).
"""

from __future__ import annotations

import re

import pytest

from policykg.graph.aggregates import CITY_SUMMARY, INSTITUTION_SUMMARY, PARTNER_SUMMARY
from policykg.graph.build import DOCUMENT_LABEL, ENTITY_LABEL, METRIC_LABEL, RESULT_LABEL, TARGET_LABEL
from policykg.graph.search import SEARCH_PROPERTY
from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.graph.stores.neo4j_schema import (
    FULL_TEXT_INDEX_NAME,
    NEO4J_AWAIT_INDEXES,
    NEO4J_FULL_TEXT_QUERY,
    NEO4J_SCHEMA,
)
from policykg.graph.stores.protocol import StoreError
from policykg.graph.stores.readonly import write_reason

# Neo4j 5 Cypher manual, "Constraints > Syntax": CREATE CONSTRAINT [name] [IF NOT EXISTS]
# FOR (n:LabelName) REQUIRE n.propertyName IS [NODE] UNIQUE
UNIQUE = re.compile(
    r"CREATE CONSTRAINT (?P<name>\w+) IF NOT EXISTS FOR \((?P<v>\w+):(?P<label>\w+)\) "
    r"REQUIRE (?P=v)\.(?P<prop>\w+) IS UNIQUE"
)
# "Indexes > Syntax": CREATE [RANGE] INDEX [name] [IF NOT EXISTS] FOR (n:LabelName) ON (n.propertyName)
RANGE = re.compile(
    r"CREATE INDEX (?P<name>\w+) IF NOT EXISTS FOR \((?P<v>\w+):(?P<label>\w+)\) "
    r"ON \((?P=v)\.(?P<prop>\w+)\)"
)
# … and on a relationship property: FOR ()-[r:TYPE_NAME]-() ON (r.propertyName)
RELATIONSHIP_RANGE = re.compile(
    r"CREATE INDEX (?P<name>\w+) IF NOT EXISTS FOR \(\)-\[(?P<v>\w+):(?P<type>\w+)\]-\(\) "
    r"ON \((?P=v)\.(?P<prop>\w+)\)"
)
# "Full-text indexes": CREATE FULLTEXT INDEX [name] [IF NOT EXISTS] FOR (n:Label) ON EACH [n.p1, n.p2]
# [OPTIONS {indexConfig: {`fulltext.analyzer`: '…'}}]; 'cjk' is one of Neo4j's listed analyzers.
FULL_TEXT = re.compile(
    r"CREATE FULLTEXT INDEX (?P<name>\w+) IF NOT EXISTS FOR \((?P<v>\w+):(?P<label>\w+)\) "
    r"ON EACH \[(?P<props>(?P=v)\.\w+(?:, (?P=v)\.\w+)*)\] "
    r"OPTIONS \{indexConfig: \{`fulltext\.analyzer`: 'cjk'\}\}"
)
# "Full-text indexes > Query": CALL db.index.fulltext.queryNodes(indexName, queryString) YIELD node, score
QUERY = re.compile(r"CALL db\.index\.fulltext\.queryNodes\('(?P<name>\w+)', \$query\) YIELD node, score ")


def test_every_statement_is_documented_neo4j_5_syntax() -> None:
    names = []
    unique_labels = set()
    for statement in NEO4J_SCHEMA:
        match = (
            UNIQUE.fullmatch(statement)
            or RANGE.fullmatch(statement)
            or FULL_TEXT.fullmatch(statement)
            or RELATIONSHIP_RANGE.fullmatch(statement)
        )
        assert match, f"not Neo4j 5 syntax: {statement}"
        names.append(match["name"])
        if match.re is UNIQUE:
            unique_labels.add((match["label"], match["prop"]))
    assert len(names) == len(set(names)), "index and constraint names must be unique"
    assert unique_labels == {
        (ENTITY_LABEL, "id"),
        (DOCUMENT_LABEL, "id"),
        (TARGET_LABEL, "id"),
        (RESULT_LABEL, "id"),
        (METRIC_LABEL, "id"),
        (PARTNER_SUMMARY, "key"),
        (CITY_SUMMARY, "city_id"),
        (INSTITUTION_SUMMARY, "institution_id"),
    }
    assert re.fullmatch(r"CALL db\.awaitIndexes\(\d+\)", NEO4J_AWAIT_INDEXES)


def test_the_full_text_index_covers_names_and_aliases_and_is_the_one_queried() -> None:
    full_text = [FULL_TEXT.fullmatch(s) for s in NEO4J_SCHEMA if s.startswith("CREATE FULLTEXT")]
    assert len(full_text) == 1 and full_text[0] is not None
    index = full_text[0]
    assert index["label"] == ENTITY_LABEL and index["name"] == FULL_TEXT_INDEX_NAME
    assert index["props"] == f"n.name, n.{SEARCH_PROPERTY}"
    query = QUERY.match(NEO4J_FULL_TEXT_QUERY)
    assert query and query["name"] == FULL_TEXT_INDEX_NAME
    assert write_reason(NEO4J_FULL_TEXT_QUERY) is None  # a read, allowed in read-only sessions
    assert all(write_reason(statement) for statement in NEO4J_SCHEMA)


@pytest.mark.parametrize("statement", [*NEO4J_SCHEMA, NEO4J_AWAIT_INDEXES])
def test_falkordb_lacks_it_which_is_why_the_bolt_tests_skip_it(empty_store: FalkorDBStore, statement: str) -> None:
    with pytest.raises(StoreError):
        empty_store.run(statement, read_only=False)
