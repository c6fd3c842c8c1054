"""Shortest paths between two entities by a bounded bidirectional breadth-first search driven from Python.

FalkorDB's algo.SPpaths enumerates paths inside the server: between two entities far apart through hubs it
runs for minutes, ignores the query timeout and blocks the single-threaded server. Here each step is one
read-only query that expands the smaller frontier by one hop, over the same relationship types in either
direction; the search stops at the first level where the two sides meet, after at most MAX_HOPS hops, and
gives up (PathSearchTooLarge) once it has visited more than `max_visited` entities or one step would return
more than `max_rows` relationships, so that no step is unbounded. The shortest paths are then rebuilt in
Python from the parents each side recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from policykg.graph.stores.protocol import Row

MAX_HOPS = 6
PATH_TYPES = ("COOPERATES_WITH", "PART_OF", "LOCATED_IN", "BUILDS", "OPERATED_BY")


@dataclass(frozen=True)
class Bounds:
    """How far one search may go: entities visited by both sides, relationships one step may return, and the
    time limit of each query it sends."""

    max_visited: int = 200_000
    max_rows: int = 400_000
    step_timeout_ms: int = 5_000


BOUNDS = Bounds()  # read at each search, so a test can lower them for the whole app

# DISTINCT: parallel relationships of one type between two entities (one per document) are one hop.
EXPAND = f"""\
UNWIND $frontier AS id
MATCH (n:Entity {{id: id}})-[r:{"|".join(PATH_TYPES)}]-(m:Entity)
RETURN DISTINCT n.id AS source, type(r) AS type, m.id AS target
LIMIT $rows"""
NAMES = "UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN n.id AS id, n.name AS name"

# run(cypher, params, timeout_ms) → rows: a read-only query on the store
Run = Callable[[str, dict[str, Any], int], list[Row]]
Hop = tuple[str, str]  # (the neighbouring entity's id, the relationship's type)


class PathSearchTooLarge(ValueError):
    """The search reached its bound before the two entities met; the message is safe to show a user."""


@dataclass
class _Side:
    """One side of the search: each entity reached, its distance, and the hops it was first reached by."""

    start: str
    depth: int = field(default=0, init=False)
    frontier: list[str] = field(init=False)
    distance: dict[str, int] = field(init=False)
    parents: dict[str, list[Hop]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.frontier = [self.start]
        self.distance = {self.start: 0}

    def advance(self, edges: list[Row]) -> list[str]:
        """Take one level's relationships: the entities first reached now, each with all its parents."""
        self.depth += 1
        reached: list[str] = []
        for edge in edges:
            node = edge["target"]
            seen = self.distance.get(node)
            if seen is None:
                self.distance[node] = self.depth
                self.parents[node] = []
                reached.append(node)
            elif seen != self.depth:
                continue
            self.parents[node].append((edge["source"], edge["type"]))
        self.frontier = reached
        return reached

    def chains(self, node: str) -> Iterator[list[Hop]]:
        """Each shortest chain from `node` back to the start, as hops leaving `node`, in sorted order."""
        if node == self.start:
            yield []
            return
        for parent, kind in sorted(set(self.parents[node])):
            for rest in self.chains(parent):
                yield [(parent, kind), *rest]


def shortest_paths(run: Run, source: str, target: str, limit: int, bounds: Bounds | None = None) -> list[Row]:
    """Up to `limit` distinct shortest paths (at most MAX_HOPS hops, either direction) between two entities,
    as rows {ids, names, types, hops} in a stable order; [] when either is missing or no path that short
    exists. Raises PathSearchTooLarge when the search reaches its bounds (default BOUNDS) first."""
    bounds = bounds or BOUNDS
    timeout_ms = bounds.step_timeout_ms
    if limit < 1 or not _exists(run, [source, target], timeout_ms):
        return []
    if source == target:
        return _named(run, [(source, [])], timeout_ms)
    forward, backward = _Side(source), _Side(target)
    meeting: list[str] = []
    while not meeting and forward.depth + backward.depth < MAX_HOPS and forward.frontier and backward.frontier:
        side, other = (forward, backward) if len(forward.frontier) <= len(backward.frontier) else (backward, forward)
        reached = side.advance(_expand(run, side.frontier, bounds.max_rows, timeout_ms))
        meeting = sorted(node for node in reached if node in other.distance)
        if len(forward.distance) + len(backward.distance) > bounds.max_visited and not meeting:
            raise PathSearchTooLarge(
                f"the search for paths between {source} and {target} visited more than {bounds.max_visited} entities "
                f"within {forward.depth + backward.depth} hops without finding one: choose entities closer together"
            )
    return _named(run, list(_paths(forward, backward, meeting, limit)), timeout_ms)


def _expand(run: Run, frontier: list[str], max_rows: int, timeout_ms: int) -> list[Row]:
    edges = run(EXPAND, {"frontier": frontier, "rows": max_rows + 1}, timeout_ms)
    if len(edges) > max_rows:
        raise PathSearchTooLarge(
            f"one step of the path search met more than {max_rows} relationships: choose entities closer together"
        )
    return edges


def _exists(run: Run, ids: list[str], timeout_ms: int) -> bool:
    return len({row["id"] for row in run(NAMES, {"ids": ids}, timeout_ms)}) == len(set(ids))


def _paths(forward: _Side, backward: _Side, meeting: list[str], limit: int) -> Iterator[tuple[str, list[Hop]]]:
    """(source, hops) for up to `limit` shortest paths: the forward chains to a meeting entity, then the backward
    chains from it. The meeting entities all lie at the same distance from each end, so each path passes one."""
    count = 0
    for middle in meeting:
        for back in forward.chains(middle):
            head = _reverse(middle, back)
            for ahead in backward.chains(middle):
                yield forward.start, head + ahead
                count += 1
                if count == limit:
                    return


def _reverse(end: str, chain: list[Hop]) -> list[Hop]:
    """Hops leaving `end` towards the start, turned into hops from the start towards `end`."""
    nodes = [end] + [node for node, _ in chain]
    return [(nodes[i], chain[i][1]) for i in range(len(chain) - 1, -1, -1)]


def _named(run: Run, paths: list[tuple[str, list[Hop]]], timeout_ms: int) -> list[Row]:
    rows = []
    for start, hops in paths:
        rows.append({"ids": [start, *(node for node, _ in hops)], "types": [kind for _, kind in hops]})
    ids = sorted({node for row in rows for node in row["ids"]})
    names = {row["id"]: row["name"] for row in run(NAMES, {"ids": ids}, timeout_ms)} if ids else {}
    return [
        {
            "ids": row["ids"],
            "names": [names.get(node) for node in row["ids"]],
            "types": row["types"],
            "hops": len(row["types"]),
        }
        for row in rows
    ]
