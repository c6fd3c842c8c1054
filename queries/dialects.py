"""The one place where curated queries differ between stores.

Every query file holds text that runs on Neo4j 5 (and pastes into Neo4j Browser). FalkorDB
lacks a few Neo4j forms (DESIGN.md lists them); for a query that needs one, this module holds
the FalkorDB text, keyed by query name. Today only shortest-paths differs: FalkorDB allows
shortestPath() only in WITH/RETURN and only directed, so it runs its algo.SPpaths procedure.
"""

from __future__ import annotations

NEO4J = "neo4j"
FALKORDB = "falkordb"

_FALKORDB_TEXT: dict[str, str] = {
    "shortest-paths": """\
MATCH (a:Entity {id: $source}), (b:Entity {id: $target})
CALL algo.SPpaths({sourceNode: a, targetNode: b, relDirection: 'both', maxLen: 6, pathCount: $limit,
                   relTypes: ['COOPERATES_WITH', 'PART_OF', 'LOCATED_IN', 'BUILDS', 'OPERATED_BY']}) YIELD path
WITH collect(path) AS paths
WITH paths, reduce(best = 99, p IN paths | CASE WHEN length(p) < best THEN length(p) ELSE best END) AS shortest
UNWIND paths AS p
WITH p WHERE length(p) = shortest
RETURN DISTINCT [n IN nodes(p) | n.id] AS ids, [n IN nodes(p) | n.name] AS names,
       [r IN relationships(p) | type(r)] AS types, length(p) AS hops""",
}


def dialect_of(store: object) -> str:
    """A store names its dialect (`dialect`), else its engine (`name`); Neo4j is the default."""
    return str(getattr(store, "dialect", None) or getattr(store, "name", NEO4J))


def cypher_for(name: str, portable_text: str, dialect: str) -> str:
    """The text of curated query `name` to send to a store speaking `dialect`."""
    if dialect == FALKORDB:
        return _FALKORDB_TEXT.get(name, portable_text)
    return portable_text
