"""Network analytics from networkx over the entity graph (graph/analytics.py), as typed JSON."""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from policykg.api.deps import StoreDep, graph_version
from policykg.api.resolve import resolve_entity
from policykg.graph import analytics
from policykg.graph.stores.protocol import Store

router = APIRouter(tags=["analytics"])


class EntityRef(BaseModel):
    id: str
    name: str | None
    type: str | None


class Centrality(EntityRef):
    degree: int = Field(description="distinct neighbours")
    betweenness: float


class SharedPartners(BaseModel):
    city_a: str
    city_b: str
    shared: list[str] = Field(description="institutions both cities cooperate with")
    weight: int


class Community(BaseModel):
    community: int
    size: int
    members: list[EntityRef]


class PathEdge(BaseModel):
    source: str
    target: str
    types: list[str]
    documents: list[str]


class Path(BaseModel):
    nodes: list[EntityRef]
    edges: list[PathEdge]


@router.get(
    "/api/analytics/centrality", response_model=list[Centrality], summary="Entities ranked by betweenness, then degree"
)
def centrality(
    store: StoreDep,
    types: Annotated[str, Query(description="comma-separated entity types")] = "Institution,City",
    top: Annotated[int, Query(ge=1, le=500, description="how many to return")] = 20,
) -> list[Centrality]:
    wanted = [t.strip() for t in types.split(",") if t.strip()]
    return [Centrality(**row) for row in analytics.centrality(analytics.entity_graph(store), wanted, top)]


@router.get(
    "/api/analytics/projection",
    response_model=list[SharedPartners],
    summary="Pairs of cities that cooperate with the same institutions (the bipartite projection)",
)
def projection(
    store: StoreDep,
    top: Annotated[int, Query(ge=1, le=1000, description="how many pairs to return")] = 50,
) -> list[SharedPartners]:
    return [SharedPartners(**row) for row in analytics.city_partner_projection(analytics.entity_graph(store), top)]


@router.get(
    "/api/analytics/communities",
    response_model=list[Community],
    summary="Louvain communities of the entity graph, largest first",
)
def communities(
    store: StoreDep,
    min_size: Annotated[int, Query(ge=1, le=10_000, description="the smallest community to list")] = 2,
) -> list[Community]:
    return [Community(**row) for row in analytics.communities(analytics.entity_graph(store), min_size)]


class NodesRequest(BaseModel):
    ids: list[str] = Field(max_length=5000, description="entity ids, e.g. the nodes of a neighbourhood")


class NodeMeasures(BaseModel):
    id: str
    degree: int = Field(description="distinct neighbours in the whole graph")
    betweenness: float = Field(description="betweenness centrality in the whole graph (estimated above 2,000 nodes)")
    community: int | None = Field(description="its Louvain community (index into communities), null if alone")


class CommunityInfo(BaseModel):
    community: int
    size: int
    label: str | None = Field(description="the name of its member with the most neighbours")


class NodesAnalytics(BaseModel):
    nodes: list[NodeMeasures]
    communities: list[CommunityInfo] = Field(description="the communities these nodes belong to, largest first")


_measured: dict[int, tuple[int | None, dict[str, Any]]] = {}  # id(store) → (graph version, measures)
_measuring = threading.Lock()


def _measures(store: Store) -> dict[str, Any]:
    """analytics.node_measures of the whole graph, computed once per graph version (on a store without a
    version, once per request)."""
    version = graph_version(store)
    with _measuring:
        known = _measured.get(id(store))
        if known is not None and version is not None and known[0] == version:
            return known[1]
        measures = analytics.node_measures(analytics.entity_graph(store))
        _measured[id(store)] = (version, measures)
        return measures


@router.post(
    "/api/analytics/nodes",
    response_model=NodesAnalytics,
    summary="Centrality and community of given entities, measured on the whole graph (the graph view's sizes "
    "and colours)",
    description="Computed once per graph version and kept by the server process; the first call after a change "
    "reads the whole graph (seconds on a national corpus).",
)
def nodes(body: NodesRequest, store: StoreDep) -> NodesAnalytics:
    measures = _measures(store)
    found = [
        NodeMeasures(
            id=node,
            degree=measures["degree"].get(node, 0),
            betweenness=round(measures["betweenness"].get(node, 0.0), 6),
            community=measures["community"].get(node),
        )
        for node in body.ids
    ]
    used = {node.community for node in found if node.community is not None}
    return NodesAnalytics(
        nodes=found, communities=[CommunityInfo(**c) for c in measures["communities"] if c["community"] in used]
    )


@router.get(
    "/api/analytics/path",
    response_model=Path | None,
    summary="The fewest-hops path between two entities (ids, names or aliases); null when unconnected",
)
def path(
    store: StoreDep,
    source: Annotated[str, Query(alias="from", description="an entity's id, name or alias", examples=["City:三明市"])],
    target: Annotated[str, Query(alias="to", description="an entity's id, name or alias", examples=["天津大学"])],
) -> Path | None:
    ends = resolve_entity(store, source).id, resolve_entity(store, target).id
    try:
        found = analytics.shortest_path(analytics.entity_graph(store), *ends)
    except ValueError as error:
        raise HTTPException(404, str(error)) from error
    return Path(**found) if found else None
