"""networkx analytics over the entity graph read from any store: centrality, the city–institution
projection, communities, shortest paths.

The entity graph is undirected; an edge joins two entities related by any fact, with `weight` the
number of distinct documents asserting a fact between them and `types` the relationship types.
Read it once with `entity_graph(store)` and pass it to the functions below.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations, pairwise
from typing import Any

import networkx as nx

from policykg.graph.build import ENTITY_LABEL
from policykg.graph.stores.protocol import Store

Row = dict[str, Any]
CENTRAL_TYPES = ("Institution", "City")
_NODES = f"MATCH (e:{ENTITY_LABEL}) RETURN e.id AS id, e.name AS name, e.type AS type"
_EDGES = (
    f"MATCH (a:{ENTITY_LABEL})-[r]->(b:{ENTITY_LABEL}) WHERE a.id <> b.id "
    "RETURN a.id AS source, b.id AS target, type(r) AS type, collect(DISTINCT r.doc_id) AS documents"
)
# Above this many connected entities betweenness is estimated from a sample of sources drawn with a fixed seed
# (exact is O(n·m): on 1,000 real documents, 2,000 sources over every entity took over 120 s; issue #19 item 5).
EXACT_BETWEENNESS_NODES = 2000
BETWEENNESS_SOURCES = 500


def entity_graph(store: Store) -> nx.Graph[str]:
    """The store's entities and the facts between them as an undirected weighted graph."""
    graph: nx.Graph[str] = nx.Graph()
    for row in store.run(_NODES):
        graph.add_node(row["id"], name=row["name"], type=row["type"])
    for row in store.run(_EDGES):
        source, target = row["source"], row["target"]
        if graph.has_edge(source, target):
            edge = graph.edges[source, target]
            edge["documents"] |= set(row["documents"])
            edge["types"].add(row["type"])
        else:
            graph.add_edge(source, target, documents=set(row["documents"]), types={row["type"]})
    for _, _, edge in graph.edges(data=True):
        edge["weight"] = len(edge["documents"])
    return graph


def _entity(graph: nx.Graph[str], node: str) -> Row:
    return {"id": node, "name": graph.nodes[node].get("name"), "type": graph.nodes[node].get("type")}


def _connected_part(graph: nx.Graph[str]) -> nx.Graph[str]:
    """The entities with a neighbour, in id order (so that a seeded sample depends on the graph alone, not on the
    order the store returned it), with their edges: isolated entities lie on no path."""
    part: nx.Graph[str] = nx.Graph()
    part.add_nodes_from(sorted(node for node in graph if graph.degree(node)))
    part.add_edges_from(sorted((min(a, b), max(a, b)) for a, b in graph.edges()))
    return part


def betweenness(graph: nx.Graph[str]) -> dict[str, float]:
    """Every entity's betweenness, normalised over the whole graph as networkx does: exact when at most
    EXACT_BETWEENNESS_NODES entities have a neighbour, else estimated from BETWEENNESS_SOURCES sources drawn with
    seed 0 (the same graph always gives the same values). Isolated entities (0) are left out of the computation,
    which costs time per entity and per source."""
    total = graph.number_of_nodes()
    if total <= 2:
        return dict.fromkeys(graph, 0.0)
    part = _connected_part(graph)
    sources = None if part.number_of_nodes() <= EXACT_BETWEENNESS_NODES else BETWEENNESS_SOURCES
    raw = nx.betweenness_centrality(part, k=sources, normalized=False, seed=0)  # halved: undirected
    scale = 2 / ((total - 1) * (total - 2))
    return {node: raw.get(node, 0.0) * scale for node in graph}


def centrality(graph: nx.Graph[str], types: Iterable[str] = CENTRAL_TYPES, top: int = 20) -> list[Row]:
    """The `top` entities of the given types by betweenness (see `betweenness`: estimated on large graphs),
    then degree: [{id, name, type, degree, betweenness}]; degree counts distinct neighbours."""
    scores = betweenness(graph)
    wanted = set(types)
    rows = [
        dict(_entity(graph, node), degree=graph.degree(node), betweenness=round(scores[node], 6))
        for node in graph
        if graph.nodes[node].get("type") in wanted
    ]
    rows.sort(key=lambda row: (-row["betweenness"], -row["degree"], row["name"] or ""))
    return rows[:top]


def city_partner_projection(graph: nx.Graph[str], top: int = 50) -> list[Row]:
    """Pairs of cities that cooperate with the same institutions, most shared first:
    [{city_a, city_b, shared: [institution names], weight: len(shared)}]."""
    partners: dict[str, set[str]] = {}
    for source, target, edge in graph.edges(data=True):
        if "COOPERATES_WITH" not in edge["types"]:
            continue
        kinds = {graph.nodes[source].get("type"): source, graph.nodes[target].get("type"): target}
        if "City" in kinds and "Institution" in kinds:
            partners.setdefault(kinds["City"], set()).add(kinds["Institution"])
    pairs = []
    for city_a, city_b in combinations(sorted(partners), 2):
        shared = partners[city_a] & partners[city_b]
        if shared:
            names = sorted(graph.nodes[i]["name"] for i in shared)
            pairs.append(
                {
                    "city_a": graph.nodes[city_a]["name"],
                    "city_b": graph.nodes[city_b]["name"],
                    "shared": names,
                    "weight": len(names),
                }
            )
    pairs.sort(key=lambda pair: (-pair["weight"], pair["city_a"], pair["city_b"]))
    return pairs[:top]


def communities(graph: nx.Graph[str], min_size: int = 2) -> list[Row]:
    """Louvain communities (weighted, seeded so runs agree), largest first:
    [{community, size, members: [{id, name, type}]}]."""
    if graph.number_of_edges() == 0:
        return []
    found = nx.community.louvain_communities(graph, weight="weight", seed=0)
    groups = sorted((sorted(group) for group in found if len(group) >= min_size), key=lambda g: (-len(g), g[0]))
    return [
        {"community": index, "size": len(group), "members": [_entity(graph, node) for node in group]}
        for index, group in enumerate(groups)
    ]


def node_measures(graph: nx.Graph[str]) -> Row:
    """Every entity's degree, betweenness and community at once, for drawing a graph by them:
    {degree: {id: n}, betweenness: {id: x}, community: {id: index}, communities: [{community, size, label}]},
    a community's label being its best-connected member's name."""
    groups = communities(graph, min_size=2)
    return {
        "degree": dict(graph.degree()),
        "betweenness": betweenness(graph),
        "community": {member["id"]: group["community"] for group in groups for member in group["members"]},
        "communities": [
            {
                "community": group["community"],
                "size": group["size"],
                "label": max(group["members"], key=lambda m: (graph.degree(m["id"]), m["name"] or ""))["name"],
            }
            for group in groups
        ],
    }


def resolve(graph: nx.Graph[str], key: str) -> str:
    """An entity's id from its id or its exact name; ValueError when neither is known or a name is ambiguous."""
    if key in graph:
        return key
    matches = [node for node, data in graph.nodes(data=True) if data.get("name") == key]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ValueError(f"{key!r} names {len(matches)} entities ({', '.join(sorted(matches))}): give an id")
    raise ValueError(f"no entity {key!r} in the graph")


def shortest_path(graph: nx.Graph[str], source: str, target: str) -> Row | None:
    """The fewest-hops path between two entities (ids or exact names), or None when they are not connected:
    {nodes: [{id, name, type}], edges: [{source, target, types, documents}]}."""
    start, end = resolve(graph, source), resolve(graph, target)
    try:
        nodes = nx.shortest_path(graph, start, end)
    except nx.NetworkXNoPath:
        return None
    edges = [
        {
            "source": a,
            "target": b,
            "types": sorted(graph.edges[a, b]["types"]),
            "documents": sorted(graph.edges[a, b]["documents"]),
        }
        for a, b in pairwise(nodes)
    ]
    return {"nodes": [_entity(graph, node) for node in nodes], "edges": edges}


def summary(graph: nx.Graph[str], top: int = 20) -> Row:
    """Everything `policykg analyze` prints."""
    return {
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "central": centrality(graph, top=top),
        "cities_sharing_partners": city_partner_projection(graph, top),
        "communities": communities(graph)[:top],
    }
