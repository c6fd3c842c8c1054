"""The shortest-paths curated query on FalkorDB, answered by the bounded bidirectional search (graph/paths.py):
the same answers as networkx on random graphs, known answers on the samples, no path, and the search's bounds."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

import httpx
import networkx as nx
import pytest

from policykg.api.app import create_app
from policykg.graph import paths
from policykg.graph.paths import MAX_HOPS, PATH_TYPES, Bounds, PathSearchTooLarge, shortest_paths
from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.graph.stores.neo4j_store import Neo4jStore
from policykg.graph.stores.protocol import Row, Store
from policykg.queries import load_queries
from policykg.queries.dialects import run_curated
from policykg.settings import ApiSettings
from tests.conftest import LiveServer

Edge = tuple[str, str, str]  # (from id, to id, relationship type)


def curated_paths(store: Store, source: str, target: str, limit: int = 1_000_000) -> list[Row]:
    query = load_queries()["shortest-paths"]
    return run_curated(store, query.name, query.cypher, {"source": source, "target": target, "limit": limit})


def create_graph(store: Store, ids: list[str], edges: list[Edge]) -> None:
    store.run("UNWIND $ids AS id CREATE (:Entity {id: id, name: 'name of ' + id})", {"ids": ids}, read_only=False)
    for kind in {kind for _, _, kind in edges}:
        pairs = [[a, b] for a, b, k in edges if k == kind]
        store.run(
            f"UNWIND $pairs AS p MATCH (a:Entity {{id: p[0]}}), (b:Entity {{id: p[1]}}) CREATE (a)-[:{kind}]->(b)",
            {"pairs": pairs},
            read_only=False,
        )


def expected_paths(edges: list[Edge], source: str, target: str) -> set[tuple[tuple[str, ...], tuple[str, ...]]]:
    """networkx's answer: every shortest node sequence, once per choice of relationship type at each hop."""
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from([source, target])
    kinds: dict[frozenset[str], set[str]] = {}
    for a, b, kind in edges:
        if kind in PATH_TYPES and a != b:
            graph.add_edge(a, b)
            kinds.setdefault(frozenset((a, b)), set()).add(kind)
    if not nx.has_path(graph, source, target) or nx.shortest_path_length(graph, source, target) > MAX_HOPS:
        return set()
    found = set()
    for nodes in nx.all_shortest_paths(graph, source, target):
        hops = [sorted(kinds[frozenset(pair)]) for pair in itertools.pairwise(nodes)]
        found |= {(tuple(nodes), types) for types in itertools.product(*hops)}
    return found


def random_graph(rng: random.Random, size: int, edge_count: int) -> tuple[list[str], list[Edge]]:
    ids = [f"n{i}" for i in range(size)]
    kinds = [*PATH_TYPES, "MENTIONS"]  # MENTIONS is not a path relationship: the search must not follow it
    edges = [(rng.choice(ids), rng.choice(ids), rng.choice(kinds)) for _ in range(edge_count)]
    return ids, edges


@pytest.mark.parametrize("seed", range(4))
def test_the_paths_are_networkx_all_shortest_paths(empty_store: FalkorDBStore, seed: int) -> None:
    rng = random.Random(seed)
    ids, edges = random_graph(rng, size=40, edge_count=[45, 60, 80, 120][seed])
    create_graph(empty_store, ids, edges)
    for source, target in [(rng.choice(ids), rng.choice(ids)) for _ in range(60)]:
        rows = curated_paths(empty_store, source, target)
        found = [(tuple(row["ids"]), tuple(row["types"])) for row in rows]
        if source == target:
            assert found == [((source,), ())]
            continue
        assert len(found) == len(set(found))
        assert set(found) == expected_paths(edges, source, target), (seed, source, target)
        assert all(
            row["hops"] == len(row["types"]) and row["names"] == [f"name of {i}" for i in row["ids"]] for row in rows
        )
        assert curated_paths(empty_store, source, target, limit=2) == rows[:2]


def test_a_path_longer_than_six_hops_is_no_path(empty_store: FalkorDBStore) -> None:
    chain = [f"c{i}" for i in range(8)]
    create_graph(empty_store, [*chain, "alone"], [(a, b, "PART_OF") for a, b in itertools.pairwise(chain)])
    [six] = curated_paths(empty_store, "c0", "c6")
    assert six["ids"] == chain[:7] and six["hops"] == 6
    assert curated_paths(empty_store, "c0", "c7") == []
    assert curated_paths(empty_store, "c0", "alone") == []
    assert curated_paths(empty_store, "c0", "nobody") == []


def hubs(store: Store, leaves: int) -> None:
    """Two hubs of `leaves` leaves each, not linked to each other."""
    ids = ["hub:a", "hub:b"] + [f"{hub}:{i}" for hub in ("a", "b") for i in range(leaves)]
    create_graph(store, ids, [(f"{hub}:{i}", f"hub:{hub}", "PART_OF") for hub in ("a", "b") for i in range(leaves)])


def run_on(store: Store) -> paths.Run:
    return lambda cypher, params, timeout_ms: store.run(cypher, params, read_only=True, timeout_ms=timeout_ms)


def test_the_search_stops_at_its_bounds_on_hubs(empty_store: FalkorDBStore) -> None:
    hubs(empty_store, 2000)
    assert shortest_paths(run_on(empty_store), "a:1", "b:1", 10) == []  # within the default bounds: no path
    with pytest.raises(PathSearchTooLarge, match="visited more than 1000 entities"):
        shortest_paths(run_on(empty_store), "a:1", "b:1", 10, Bounds(max_visited=1000))
    with pytest.raises(PathSearchTooLarge, match="more than 500 relationships"):
        shortest_paths(run_on(empty_store), "a:1", "b:1", 10, Bounds(max_rows=500))
    [through_hub] = shortest_paths(run_on(empty_store), "a:1", "a:2", 10, Bounds(max_visited=1000))
    assert through_hub["ids"] == ["a:1", "hub:a", "a:2"]


@pytest.fixture
def hub_api(empty_store: FalkorDBStore, monkeypatch: pytest.MonkeyPatch) -> Iterator[httpx.Client]:
    """The app over HTTP on the hub graph, with the search bounded to 1,000 visited entities."""
    hubs(empty_store, 2000)
    monkeypatch.setattr(paths, "BOUNDS", Bounds(max_visited=1000))
    with (
        LiveServer(create_app(empty_store, ApiSettings())) as server,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        yield client


def test_the_api_answers_a_search_too_large_with_422(hub_api: httpx.Client) -> None:
    response = hub_api.get("/api/queries/shortest-paths", params={"source": "a:1", "target": "b:1"})
    assert response.status_code == 422
    assert "visited more than 1000 entities" in response.json()["detail"]
    near = hub_api.get("/api/queries/shortest-paths", params={"source": "a:1", "target": "a:2"}).json()
    assert [row["ids"] for row in near["rows"]] == [["a:1", "hub:a", "a:2"]]
    assert near["columns"] == ["ids", "names", "types", "hops"]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("City:三明市@350400", "Institution:厦门大学"),
        ("City:丹东市@210600", "City:扬州市@321000"),
        ("City:六安市@341500", "Institution:合肥工业大学"),
    ],
)
def test_sample_partners_are_one_hop_apart(http: httpx.Client, source: str, target: str) -> None:
    response = http.get("/api/queries/shortest-paths", params={"source": source, "target": target})
    assert response.status_code == 200, response.text
    assert [(row["ids"], row["types"], row["hops"]) for row in response.json()["rows"]] == [
        ([source, target], ["COOPERATES_WITH"], 1)
    ]


def test_neo4j_gives_the_same_paths(neo4j_store: Neo4jStore, empty_store: FalkorDBStore) -> None:
    """Neo4j runs the query's portable text (shortestPath), FalkorDB the bounded search: the same paths."""
    edges = [
        ("x", "y", "COOPERATES_WITH"),
        ("y", "z", "PART_OF"),
        ("x", "w", "LOCATED_IN"),
        ("w", "z", "BUILDS"),
        ("y", "z", "LOCATED_IN"),
    ]
    for store in (neo4j_store, empty_store):
        create_graph(store, ["x", "y", "z", "w"], edges)
    on_neo4j = curated_paths(neo4j_store, "x", "z")
    assert {(tuple(r["ids"]), tuple(r["types"])) for r in on_neo4j} == expected_paths(edges, "x", "z")
    assert sorted(map(str, on_neo4j)) == sorted(map(str, curated_paths(empty_store, "x", "z")))
