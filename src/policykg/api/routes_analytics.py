"""Network analytics from networkx over the entity graph (graph/analytics.py), as typed JSON: whole-graph
computations, run and kept as api/graph_jobs.py says."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from policykg.api.deps import StoreDep, graph_version
from policykg.api.graph_jobs import respond
from policykg.api.resolve import resolve_entity
from policykg.graph.analytics import BETWEENNESS_SOURCES, EXACT_BETWEENNESS_NODES
from policykg.graph.stores.protocol import Store

router = APIRouter(tags=["analytics"])


class EntityRef(BaseModel):
    id: str
    name: str | None
    type: str | None


BETWEENNESS = (
    f"betweenness centrality in the whole graph, normalised: exact when at most {EXACT_BETWEENNESS_NODES:,} "
    f"entities have a neighbour, else estimated from {BETWEENNESS_SOURCES} source entities drawn with a fixed "
    "seed (the same graph gives the same values)"
)


class Centrality(EntityRef):
    degree: int = Field(description="distinct neighbours")
    betweenness: float = Field(description=BETWEENNESS)


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


WHOLE_GRAPH = (
    "Computed from the whole graph once per graph version, in a worker process with a time limit "
    "(POLICYKG_GRAPH_TIMEOUT_S; past it 503); later requests are sent the kept answer until a load or delete."
)


@router.get(
    "/api/analytics/centrality",
    response_model=list[Centrality],
    summary="Entities ranked by betweenness, then degree",
    description=WHOLE_GRAPH + " Betweenness is " + BETWEENNESS.removeprefix("betweenness centrality ") + ".",
)
async def centrality(
    request: Request,
    types: Annotated[str, Query(description="comma-separated entity types")] = "Institution,City",
    top: Annotated[int, Query(ge=1, le=500, description="how many to return")] = 20,
) -> Response:
    wanted = [t.strip() for t in types.split(",") if t.strip()]
    return await respond(request, "centrality", {"types": wanted, "top": top})


@router.get(
    "/api/analytics/projection",
    response_model=list[SharedPartners],
    summary="Pairs of cities that cooperate with the same institutions (the bipartite projection)",
    description=WHOLE_GRAPH,
)
async def projection(
    request: Request,
    top: Annotated[int, Query(ge=1, le=1000, description="how many pairs to return")] = 50,
) -> Response:
    return await respond(request, "projection", {"top": top})


@router.get(
    "/api/analytics/communities",
    response_model=list[Community],
    summary="Louvain communities of the entity graph, largest first",
    description=WHOLE_GRAPH,
)
async def communities(
    request: Request,
    min_size: Annotated[int, Query(ge=1, le=10_000, description="the smallest community to list")] = 2,
) -> Response:
    return await respond(request, "communities", {"min_size": min_size})


class NodesRequest(BaseModel):
    ids: list[str] = Field(max_length=5000, description="entity ids, e.g. the nodes of a neighbourhood")


class NodeMeasures(BaseModel):
    id: str
    degree: int = Field(description="distinct neighbours in the whole graph")
    betweenness: float = Field(description=BETWEENNESS)
    community: int | None = Field(description="its Louvain community (index into communities), null if alone")


class CommunityInfo(BaseModel):
    community: int
    size: int
    label: str | None = Field(description="the name of its member with the most neighbours")


class NodesAnalytics(BaseModel):
    nodes: list[NodeMeasures]
    communities: list[CommunityInfo] = Field(description="the communities these nodes belong to, largest first")


async def _measures(request: Request, store: Store) -> dict[str, Any]:
    """analytics.node_measures of the whole graph: a whole-graph job (api/graph_jobs.py), read once per graph
    version into this process (the page asks for a few nodes' measures at a time)."""
    version = await run_in_threadpool(graph_version, store)
    known: tuple[int, dict[str, Any]] | None = getattr(request.app.state, "measured", None)
    if known is not None and version is not None and known[0] == version:
        return known[1]
    response = await respond(request, "measures", {})
    measures: dict[str, Any] = json.loads(b"".join([chunk async for chunk in _body(response)]))
    if version is not None:
        request.app.state.measured = (version, measures)
    return measures


async def _body(response: StreamingResponse) -> AsyncIterator[bytes]:
    async for chunk in response.body_iterator:
        yield chunk if isinstance(chunk, bytes) else str(chunk).encode()


@router.post(
    "/api/analytics/nodes",
    response_model=NodesAnalytics,
    summary="Centrality and community of given entities, measured on the whole graph (the graph view's sizes "
    "and colours)",
    description="Computed once per graph version (as the other analytics, with their time limit) and kept by the "
    "server process; the first call after a change reads the whole graph (seconds on a national corpus).",
)
async def nodes(body: NodesRequest, request: Request, store: StoreDep) -> NodesAnalytics:
    measures = await _measures(request, store)
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
    description=WHOLE_GRAPH,
)
async def path(
    request: Request,
    store: StoreDep,
    source: Annotated[str, Query(alias="from", description="an entity's id, name or alias", examples=["City:三明市"])],
    target: Annotated[str, Query(alias="to", description="an entity's id, name or alias", examples=["天津大学"])],
) -> Response:
    ends = await run_in_threadpool(lambda: (resolve_entity(store, source).id, resolve_entity(store, target).id))
    return await respond(request, "path", {"source": ends[0], "target": ends[1]})
