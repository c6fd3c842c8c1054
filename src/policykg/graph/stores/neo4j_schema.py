"""Every piece of Neo4j-only Cypher policykg runs, in one place: constraints, indexes, full-text search.

Neo4j 5 syntax (Community, Enterprise and Aura), run when a store opens (tests/test_neo4j_schema.py checks it on
a real Neo4j 5). FalkorDB's Bolt endpoint lacks all of it (`CREATE CONSTRAINT … REQUIRE`, `IF NOT EXISTS`,
`CREATE FULLTEXT INDEX`, `db.index.fulltext.queryNodes`), so there the store uses FalkorDB's own index Cypher
from graph/falkordb_store.py instead.
"""

from __future__ import annotations

from policykg.graph.aggregates import CITY_SUMMARY, INSTITUTION_SUMMARY, PARTNER_SUMMARY
from policykg.graph.build import DOCUMENT_LABEL, ENTITY_LABEL, METRIC_LABEL, RESULT_LABEL, TARGET_LABEL
from policykg.graph.search import SEARCH_PROPERTY, full_text_cypher
from policykg.graph.stores.protocol import VERSION_LABEL

FULL_TEXT_INDEX_NAME = "entity_search"
_UNIQUE_IDS = (ENTITY_LABEL, DOCUMENT_LABEL, TARGET_LABEL, RESULT_LABEL, METRIC_LABEL)

# A uniqueness constraint is backed by a range index, so the ids need no index of their own.
NEO4J_SCHEMA: tuple[str, ...] = (
    *(
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in _UNIQUE_IDS
    ),
    f"CREATE INDEX entity_name IF NOT EXISTS FOR (n:{ENTITY_LABEL}) ON (n.name)",
    f"CREATE INDEX document_source IF NOT EXISTS FOR (n:{DOCUMENT_LABEL}) ON (n.source)",
    f"CREATE INDEX document_city IF NOT EXISTS FOR (n:{DOCUMENT_LABEL}) ON (n.city)",  # the per-city queries
    # The derived summaries (graph/aggregates.py), merged by their keys and read by city and partner.
    f"CREATE CONSTRAINT partner_summary_key IF NOT EXISTS FOR (n:{PARTNER_SUMMARY}) REQUIRE n.key IS UNIQUE",
    f"CREATE CONSTRAINT city_summary_id IF NOT EXISTS FOR (n:{CITY_SUMMARY}) REQUIRE n.city_id IS UNIQUE",
    f"CREATE CONSTRAINT institution_summary_id IF NOT EXISTS FOR (n:{INSTITUTION_SUMMARY}) "
    "REQUIRE n.institution_id IS UNIQUE",
    f"CREATE INDEX partner_summary_city IF NOT EXISTS FOR (n:{PARTNER_SUMMARY}) ON (n.city_id)",
    f"CREATE INDEX partner_summary_partner IF NOT EXISTS FOR (n:{PARTNER_SUMMARY}) ON (n.partner_id)",
    # One version node (graph/stores/neo4j_store.py): the constraint makes concurrent first writes MERGE one.
    f"CREATE CONSTRAINT graph_version_id IF NOT EXISTS FOR (n:{VERSION_LABEL}) REQUIRE n.id IS UNIQUE",
    # The CJK analyzer indexes overlapping character pairs, so any two-character fragment is found.
    f"CREATE FULLTEXT INDEX {FULL_TEXT_INDEX_NAME} IF NOT EXISTS FOR (n:{ENTITY_LABEL}) "
    f"ON EACH [n.name, n.{SEARCH_PROPERTY}] OPTIONS {{indexConfig: {{`fulltext.analyzer`: 'cjk'}}}}",
)
# Wait until the indexes are online, so a search right after the first load sees everything.
NEO4J_AWAIT_INDEXES = "CALL db.awaitIndexes(300)"
NEO4J_FULL_TEXT_QUERY = full_text_cypher(f"CALL db.index.fulltext.queryNodes('{FULL_TEXT_INDEX_NAME}', $query)")
# Answers on Neo4j, fails on FalkorDB's Bolt endpoint: how the store tells the two apart.
NEO4J_PROBE = "CALL dbms.components() YIELD name RETURN name"
