"""The one place where curated queries differ between stores.

Every query file holds text that runs on Neo4j 5 (and pastes into Neo4j Browser). FalkorDB lacks a few
Neo4j forms; a query that needs one is answered on FalkorDB by Python code here, keyed by query name.
Today only shortest-paths differs: FalkorDB allows shortestPath() only in WITH/RETURN and only directed,
and its algo.SPpaths can run for minutes and block the server, so the paths come from a bounded
bidirectional search (graph/paths.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from policykg.graph.paths import BOUNDS, shortest_paths
from policykg.graph.stores.protocol import FALKORDB, Row, Store

# (store, parameters, timeout_ms for each query it sends) → rows
Answer = Callable[[Store, dict[str, Any], int | None], list[Row]]


def _shortest_paths(store: Store, params: dict[str, Any], timeout_ms: int | None) -> list[Row]:
    def run(cypher: str, values: dict[str, Any], step_timeout_ms: int) -> list[Row]:
        return store.run(cypher, values, read_only=True, timeout_ms=step_timeout_ms)

    bounds = None if timeout_ms is None else replace(BOUNDS, step_timeout_ms=timeout_ms)
    return shortest_paths(run, params["source"], params["target"], params["limit"], bounds)


_FALKORDB_ANSWERS: dict[str, Answer] = {"shortest-paths": _shortest_paths}


def run_curated(
    store: Store, name: str, portable_text: str, params: dict[str, Any], timeout_ms: int | None = None
) -> list[Row]:
    """Curated query `name` answered by `store` in its dialect: its portable text, or the store's own answer.
    Raises StoreError, or PathSearchTooLarge (graph/paths.py) for paths too far apart to search."""
    answer = _FALKORDB_ANSWERS.get(name) if store.dialect == FALKORDB else None
    if answer is not None:
        return answer(store, params, timeout_ms)
    return store.run(portable_text, params, read_only=True, timeout_ms=timeout_ms)
