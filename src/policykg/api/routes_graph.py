"""The graph around an entity, the evidence for an edge, the map and exports."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from policykg.api.deps import CacheDep, StoreDep, cached_answer, read
from policykg.api.graph_jobs import respond
from policykg.api.models import Evidence, GraphEdge, GraphNode, MapArea, MapData, MapLink, Neighbourhood
from policykg.api.resolve import resolve_entity
from policykg.graph.stores.protocol import Store

router = APIRouter(tags=["graph"])
AREA_TYPES = ("Province", "City", "County")
_HIDDEN_PROPERTIES = {"search_text"}

# One hop out of a set of entities: facts between two entities grouped per node pair and type.
_HOP = """
MATCH (a:Entity)-[r]-(b:Entity)
WHERE a.id IN $ids AND ($all_types OR b.type IN $types)
  AND coalesce(r.year, $year_from) >= $year_from AND coalesce(r.year, $year_to) <= $year_to
WITH startNode(r) AS s, endNode(r) AS t, type(r) AS type, r
RETURN s.id AS source, t.id AS target, type, count(DISTINCT r.doc_id) AS documents,
       collect(DISTINCT r.year) AS years
ORDER BY documents DESC
LIMIT $max_edges
"""
_NODES = "MATCH (e:Entity) WHERE e.id IN $ids RETURN e.id AS id, properties(e) AS props"
# An organisation's parts, one PART_OF level at a time (institutes of 中国科学院, their labs…); areas are not parts.
_PARTS = """
UNWIND $ids AS id
MATCH (part:Entity)-[:PART_OF]->(whole:Entity {id: id})
WHERE NOT part.type IN $area_types
RETURN DISTINCT part.id AS source, whole.id AS target
"""
_PART_LEVELS = 3  # as deep as the summaries roll up (graph/aggregates.py)
# Cities cooperating with the parts: what makes them the organisation's partners too.
_PART_CITIES = """
UNWIND $ids AS id
MATCH (c:City)-[r:COOPERATES_WITH]->(part:Entity {id: id})
WHERE coalesce(r.year, $year_from) >= $year_from AND coalesce(r.year, $year_to) <= $year_to
RETURN c.id AS source, part.id AS target, 'COOPERATES_WITH' AS type, count(DISTINCT r.doc_id) AS documents,
       collect(DISTINCT r.year) AS years
ORDER BY documents DESC
LIMIT $max_edges
"""
_EVIDENCE = """
MATCH (a:Entity {id: $source})-[r]-(b:Entity {id: $target})
WHERE $type = '' OR type(r) = $type
OPTIONAL MATCH (d:Document {id: r.doc_id})
RETURN r.doc_id AS doc_id, d.title AS title, d.city AS city, coalesce(r.year, d.year) AS year,
       d.doc_number AS doc_number, type(r) AS type, r.sentence AS sentence, r.start AS `start`, r.end AS end,
       r.extractor AS extractor, r.confidence AS confidence
ORDER BY year, doc_id, `start`
"""
_AREAS = """
MATCH (e:Entity) WHERE e.type IN $area_types
RETURN e.id AS id, e.name AS name, e.type AS type, e.lon AS lon, e.lat AS lat
"""
_PLACED_PARTNERS = """
MATCH (:City)-[:COOPERATES_WITH]->(p:Entity) WHERE NOT p.type IN $area_types
OPTIONAL MATCH (p)-[:LOCATED_IN]->(a:Entity)
WITH p, collect(DISTINCT a) AS places
WITH p, [x IN places WHERE x.lon IS NOT NULL] AS located
RETURN p.id AS id, p.name AS name, p.type AS type,
       CASE WHEN size(located) > 0 THEN located[0].lon END AS lon,
       CASE WHEN size(located) > 0 THEN located[0].lat END AS lat
"""
_LINKS = """
MATCH (c:City)-[r:COOPERATES_WITH]->(p:Entity)
RETURN c.id AS source, p.id AS target, 'COOPERATES_WITH' AS type, count(DISTINCT r.doc_id) AS documents
ORDER BY documents DESC
"""


def _node(entity_id: str, props: dict[str, Any]) -> GraphNode:
    shown = {k: v for k, v in props.items() if k not in _HIDDEN_PROPERTIES and k != "id"}
    shown["aliases"] = shown.get("aliases") or []
    return GraphNode(id=entity_id, **shown)


def _edge(row: dict[str, Any]) -> GraphEdge:
    return GraphEdge(
        id=f"{row['source']}|{row['type']}|{row['target']}",
        source=row["source"],
        target=row["target"],
        type=row["type"],
        documents=row["documents"],
        years=sorted(y for y in row["years"] if y is not None),
    )


@router.get(
    "/api/entity",
    response_model=Neighbourhood,
    summary="An entity with its neighbourhood, ready for Cytoscape: one edge per node pair and type",
    description="Answered from a per-process cache until a load or delete changes the graph (a hub such as "
    "中国科学院 has tens of thousands of facts to group).",
)
def entity(
    store: StoreDep,
    cache: CacheDep,
    id: Annotated[
        str,
        Query(
            description="the entity's id, or its id without the area code, its name or an alias: "
            "City:三明市@350400, City:三明市, 三明市 and 三明 find the same city",
            examples=["City:三明市"],
        ),
    ],
    depth: Annotated[int, Query(ge=1, le=3, description="how many hops out")] = 1,
    types: Annotated[str, Query(description="comma-separated neighbour types to keep; empty keeps all")] = "",
    year_from: Annotated[int, Query(ge=0, le=9999, description="ignore facts from documents before this year")] = 0,
    year_to: Annotated[int, Query(ge=0, le=9999, description="ignore facts from documents after this year")] = 9999,
    limit: Annotated[int, Query(ge=1, le=2000, description="the most nodes to return")] = 200,
    parts: Annotated[
        bool,
        Query(
            description="for an organisation, also its parts (PART_OF, up to 3 levels: the institutes of "
            "中国科学院) and the cities cooperating with them, so its cooperating cities include its parts'"
        ),
    ] = False,
) -> Neighbourhood | Response:
    wanted = [t.strip() for t in types.split(",") if t.strip()]
    return cached_answer(
        cache,
        store,
        ("entity", id, depth, tuple(wanted), year_from, year_to, limit, parts),
        lambda: _neighbourhood(store, id, depth, wanted, year_from, year_to, limit, parts),
    )


def _neighbourhood(
    store: Store, asked: str, depth: int, wanted: list[str], year_from: int, year_to: int, limit: int, parts: bool
) -> Neighbourhood:
    centre = resolve_entity(store, asked)
    id = centre.id
    nodes: list[str] = [id]
    edges: dict[str, GraphEdge] = {}
    frontier, truncated = [id], False
    for _ in range(depth):
        rows = read(
            store,
            _HOP,
            {
                "ids": frontier,
                "all_types": not wanted,
                "types": wanted,
                "year_from": year_from,
                "year_to": year_to,
                "max_edges": limit * 4,
            },
        )
        frontier, cut = _take(rows, nodes, edges, limit)
        truncated |= cut
        if not frontier:
            break
    if parts and centre.type not in AREA_TYPES:
        truncated |= _add_parts(store, id, nodes, edges, year_from, year_to, limit)
    props = {row["id"]: row["props"] for row in read(store, _NODES, {"ids": nodes})}
    if id not in props:
        raise HTTPException(404, f"no entity with id {id!r}")
    return Neighbourhood(
        center=id,
        nodes=[_node(n, props[n]) for n in nodes if n in props],
        edges=list(edges.values()),
        truncated=truncated,
    )


def _add_parts(
    store: Store, id: str, nodes: list[str], edges: dict[str, GraphEdge], year_from: int, year_to: int, limit: int
) -> bool:
    """Add the organisation's parts (with their PART_OF links) and the cities cooperating with them; True when
    the node limit left some out."""
    part_of: list[dict[str, Any]] = []
    level, seen = [id], {id}
    for _ in range(_PART_LEVELS):
        found = read(store, _PARTS, {"ids": level, "area_types": list(AREA_TYPES)})
        part_of += found
        level = sorted({row["source"] for row in found} - seen)
        seen |= set(level)
        if not level:
            break
    cities = read(
        store,
        _PART_CITIES,
        {"ids": sorted(seen - {id}), "year_from": year_from, "year_to": year_to, "max_edges": limit * 4},
    )
    links = [dict(row, type="PART_OF", documents=0, years=[]) for row in part_of] + cities
    return _take(links, nodes, edges, limit)[1]


def _take(
    rows: list[dict[str, Any]], nodes: list[str], edges: dict[str, GraphEdge], limit: int
) -> tuple[list[str], bool]:
    """Add the rows' ends to `nodes` while there are fewer than `limit`, and each row whose ends are both in as an
    edge; the ends added, and True when the limit left some out."""
    added, truncated = [], False
    for row in rows:
        for end in (row["source"], row["target"]):
            if end not in nodes:
                if len(nodes) >= limit:
                    truncated = True
                    continue
                nodes.append(end)
                added.append(end)
        if row["source"] in nodes and row["target"] in nodes:
            edge = _edge(row)
            edges.setdefault(edge.id, edge)
    return added, truncated


@router.get(
    "/api/evidence",
    response_model=list[Evidence],
    summary="The sentences, documents and years behind the facts between two entities",
)
def evidence(
    store: StoreDep,
    source: Annotated[
        str, Query(description="one entity's id, name or alias (as for /api/entity)", examples=["City:三明市"])
    ],
    target: Annotated[
        str,
        Query(description="the other entity (either direction matches)", examples=["Institution:中国科学院"]),
    ],
    type: Annotated[str, Query(description="the relationship type, e.g. COOPERATES_WITH; empty: all")] = "",
) -> list[Evidence]:
    """An unknown entity is a 404 with suggestions; two known entities with no fact between them, an empty list."""
    ends = {"source": resolve_entity(store, source).id, "target": resolve_entity(store, target).id}
    rows = read(store, _EVIDENCE, {**ends, "type": type})
    return [Evidence(**row) for row in rows if row["doc_id"]]


@router.get(
    "/api/map",
    response_model=MapData,
    summary="Areas with coordinates (null when unknown) and cooperation links; partners placed at their area",
    description="The whole graph's links: answered from a per-process cache until a load or delete changes it.",
)
def map_data(store: StoreDep, cache: CacheDep) -> MapData | Response:
    return cached_answer(cache, store, ("map",), lambda: _map(store))


def _map(store: Store) -> MapData:
    params = {"area_types": list(AREA_TYPES)}
    areas = read(store, _AREAS, params) + read(store, _PLACED_PARTNERS, params)
    return MapData(areas=[MapArea(**row) for row in areas], links=[MapLink(**row) for row in read(store, _LINKS)])


@router.get(
    "/api/export",
    summary="Download the graph (or one document's part of it) as ttl, jsonld, graphml or csv",
    description="The whole graph is exported once per graph version, in a worker process with a time limit "
    "(POLICYKG_GRAPH_TIMEOUT_S; past it 503), and the file is streamed to every request until a load or delete.",
    response_class=Response,
)
async def export(
    request: Request,
    store: StoreDep,
    format: Annotated[str, Query(pattern="^(ttl|jsonld|graphml|csv)$", description="ttl|jsonld|graphml|csv")],
    doc: Annotated[str | None, Query(description="only this document's facts, e.g. doc:…")] = None,
) -> Response:
    from policykg.export.formats import export_name

    media_type, file_name = export_name(format, doc or None)
    if not doc:
        return await respond(request, "export", {"format": format}, media_type, file_name)
    return await run_in_threadpool(_document_export, store, format, doc, file_name)


def _document_export(store: Store, format: str, doc: str, file_name: str) -> Response:
    """One document's part of the graph: small, made for each request in its thread."""
    from policykg.export.formats import export as export_graph
    from policykg.graph.snapshot import DocumentNotFound

    try:
        content, media_type, _ = export_graph(store, format, doc)
    except DocumentNotFound as error:
        raise HTTPException(404, str(error)) from error
    except ValueError as error:
        raise HTTPException(400, str(error)) from error
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{file_name}"'}
    )
