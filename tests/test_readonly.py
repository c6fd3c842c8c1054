"""The policykg-side read-only guard, on its own and in the embedded store."""

from __future__ import annotations

import pytest

from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.graph.stores.protocol import ReadOnlyViolation
from policykg.graph.stores.readonly import ensure_read_only, write_reason

READS = [
    "MATCH (n:Entity) RETURN n.name AS name LIMIT 5",
    "match (c:City)-[r:COOPERATES_WITH]->(i) where c.name = $city return i.name, r.sentence;",
    "MATCH (n) WHERE n.name CONTAINS 'CREATE (x)' RETURN n // DELETE n",
    "MATCH (n) /* SET n.x = 1 */ RETURN n.set AS set_value, n.`create` AS c",
    "MATCH (n:Create)-[:DELETE]->(m) RETURN {merge: 1, set: n.x} AS m, $remove AS p",
    "RETURN 'it\\'s fine' AS quoted",
    "CALL db.idx.fulltext.queryNodes('Entity', $query) YIELD node, score RETURN node.id",
    "CALL db.index.fulltext.queryNodes('entity_search', $query) YIELD node RETURN node",
    "CALL db.labels() YIELD label RETURN label",
    "MATCH (n) CALL { WITH n MATCH (n)--(m) RETURN count(m) AS degree } RETURN n, degree",
    "EXPLAIN MATCH (n) RETURN n",
    "MATCH ()-[r]->() RETURN r.start AS start, r.end AS end, 1 AS set",
    "MATCH p = (a {name: '三明市'})-[*1..3]-(b) RETURN p",
]

WRITES = {
    "CREATE (n:X)": "CREATE",
    "match (n) detach delete n": "DETACH",
    "MATCH (n) SeT n.x = 1": "SET",
    "MATCH (n) REMOVE n.x": "REMOVE",
    "MERGE (n:X {id: 1})": "MERGE",
    "MATCH (n) RETURN n; CREATE (m)": "more than one statement",
    "MATCH (n) RETURN n; MATCH (m) RETURN m": "more than one statement",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row": "LOAD",
    "MATCH p = (a)-->(b) FOREACH (n IN nodes(p) | SET n.seen = true)": "FOREACH",
    "CALL db.idx.fulltext.createNodeIndex('Entity', 'name')": "CALL db.idx.fulltext.createnodeindex",
    "CALL db.index.fulltext.drop('x')": "CALL db.index.fulltext.drop",
    "CALL `dbms`.`security`.createUser('x', 'y', false)": "CALL dbms.security.createuser",
    "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DELETE n', {})": "CALL apoc.periodic.iterate",
    "DROP INDEX entity_search": "DROP",
    "STOP DATABASE neo4j": "STOP",
    "CREATE CONSTRAINT c FOR (n:X) REQUIRE n.id IS UNIQUE": "CREATE",
    "MATCH (n) RETURN n /* comment */ CREATE (m)": "CREATE",
    "MATCH (n) RETURN n //\nCREATE (m)": "CREATE",
    "MATCH (n) CALL { CREATE (m) } RETURN n": "CREATE",
    # A server reading backslashes literally would end the string before CREATE: refuse either way.
    "RETURN 'a\\' CREATE (n) //'": "CREATE",
    "MATCH (n) RETURN 'unclosed CREATE (m)": "CREATE",
}


@pytest.mark.parametrize("cypher", READS)
def test_reads_pass(cypher: str) -> None:
    assert write_reason(cypher) is None
    ensure_read_only(cypher)


@pytest.mark.parametrize(("cypher", "reason"), WRITES.items())
def test_writes_are_refused_with_the_reason(cypher: str, reason: str) -> None:
    assert write_reason(cypher) == reason
    with pytest.raises(ReadOnlyViolation, match="could write"):
        ensure_read_only(cypher)


def test_the_embedded_store_refuses_writes_before_the_server_sees_them(empty_store: FalkorDBStore) -> None:
    with pytest.raises(ReadOnlyViolation):
        empty_store.run("MATCH (n) RETURN n; CREATE (:X)")
    with pytest.raises(ReadOnlyViolation):
        empty_store.run("CALL db.idx.fulltext.createNodeIndex('X', 'name')")
    assert empty_store.run("MATCH (x:X) RETURN count(x) AS n") == [{"n": 0}]
