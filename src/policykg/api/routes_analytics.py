"""Network analytics from networkx over the entity graph (graph/analytics.py), as typed JSON."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from policykg.api.deps import StoreDep
from policykg.graph import analytics

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


@router.get(
    "/api/analytics/path",
    response_model=Path | None,
    summary="The fewest-hops path between two entities (ids or exact names); null when unconnected",
)
def path(
    store: StoreDep,
    source: Annotated[str, Query(alias="from", description="an entity id or exact name")],
    target: Annotated[str, Query(alias="to", description="an entity id or exact name")],
) -> Path | None:
    try:
        found = analytics.shortest_path(analytics.entity_graph(store), source, target)
    except ValueError as error:
        raise HTTPException(404, str(error)) from error
    return Path(**found) if found else None
