"""The curated queries' catalogue, running one, and entity search."""

from __future__ import annotations

import inspect
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response

from policykg.api.deps import CacheDep, StoreDep, cached_answer, curated, run_curated
from policykg.api.models import ParameterInfo, QueryInfo, QueryResult, SearchHit
from policykg.api.resolve import resolve_parameters
from policykg.graph.stores.protocol import Store, StoreError
from policykg.queries import PARAM_TYPES, CuratedQuery, Parameter, load_queries

router = APIRouter(tags=["queries"])


def describe(query: CuratedQuery) -> QueryInfo:
    return QueryInfo(
        name=query.name,
        title_zh=query.title_zh,
        title_en=query.title_en,
        summary_zh=query.summary_zh,
        summary_en=query.summary_en,
        description=query.description,
        parameters=[
            ParameterInfo(
                name=p.name,
                type=p.type,
                default=p.default,
                required=p.required,
                description=p.description,
                label_zh=p.label_zh,
                label_en=p.label_en,
                entity=p.entity,
            )
            for p in query.parameters
        ],
        example=query.example,
        cypher=query.cypher,
        cached=query.cached,
    )


@router.get("/api/queries", response_model=list[QueryInfo], summary="The catalogue of curated queries")
def catalogue() -> list[QueryInfo]:
    return [describe(q) for q in load_queries().values()]


RUN_DESCRIPTION = (
    "Queries marked `cached` in the catalogue (whole-graph rankings and matrix, per-city and "
    "per-institution roll-ups, paths between two entities) are answered from a per-process cache "
    "keyed by their parameters and the graph's version, which every load and delete bumps: the "
    "first read after a change "
    "runs the query (those needing no parameters are computed by the server in the background "
    "at start and after each change), later ones send the cached bytes. An answer reflects every "
    "write made through the same server process before it was asked, and writes through other "
    "processes or the CLI after at most POLICYKG_CACHE_VERSION_MS (20 ms; 0: at once). Stores "
    "without a version (Neo4j) run every request. Answers of 1 KB or more are sent "
    "gzip-compressed to requests that accept gzip (compressed once, when cached). On FalkorDB, "
    "shortest-paths between entities whose search grows too large answers 422 with the reason. "
    "A parameter naming an entity (its `entity` in the catalogue) takes a name, an alias or an id "
    "(city=丹东 runs as city=丹东市); one that names nothing is a 404 with `suggestions`. A value of the wrong "
    "type or outside its range (limits 1..100000, years 0..9999, other integers 0..2^63-1) or choices is a 422."
)


def _run(query: CuratedQuery, raw: dict[str, Any], store: Store, cache: CacheDep) -> QueryResult | Response:
    try:
        params = query.bind(raw)
    except ValueError as error:
        raise HTTPException(422, str(error)) from error
    if not query.cached:
        return answer(query, params, store)
    return cached_answer(
        cache, store, ("query", query.name, tuple(sorted(params.items()))), lambda: answer(query, params, store)
    )


def _declared(parameter: Parameter) -> inspect.Parameter:
    """A curated query's parameter as FastAPI declares a query parameter: its type, range and choices go into the
    OpenAPI spec (so schemathesis and clients see them) and are checked before the query runs."""
    kind: Any = Literal[parameter.choices] if parameter.choices else PARAM_TYPES[parameter.type]
    bounds = parameter.bounds or (None, None)
    declared = Query(
        description=parameter.description,
        ge=bounds[0],
        le=bounds[1],
        allow_inf_nan=False if parameter.type == "number" else None,
    )
    default = inspect.Parameter.empty if parameter.required else parameter.default
    return inspect.Parameter(
        parameter.name, inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[kind, declared], default=default
    )


def _route(query: CuratedQuery) -> None:
    """`GET /api/queries/<name>` for one curated query, its parameters declared (the spec's description of them)."""

    def run(store: Store, cache: CacheDep, **values: Any) -> QueryResult | Response:
        return _run(query, {name: value for name, value in values.items() if value is not None}, store, cache)

    fixed = [
        inspect.Parameter("store", inspect.Parameter.KEYWORD_ONLY, annotation=StoreDep),
        inspect.Parameter("cache", inspect.Parameter.KEYWORD_ONLY, annotation=CacheDep),
    ]
    run.__signature__ = inspect.Signature([*fixed, *map(_declared, query.parameters)])  # type: ignore[attr-defined]
    router.add_api_route(
        f"/api/queries/{query.name}",
        run,
        methods=["GET"],
        response_model=QueryResult,
        summary=f"{query.title_en} ({query.name})",
        description=f"{query.summary_en or query.description}\n\n{RUN_DESCRIPTION}",
        operation_id=f"query_{query.name.replace('-', '_')}",
    )


for _query in load_queries().values():  # before the route for any name, which answers the names they lack: 404
    _route(_query)


@router.get(
    "/api/queries/{name}",
    response_model=QueryResult,
    summary="Run a curated query by name; each has a route of its own above, with its parameters",
    description=RUN_DESCRIPTION,
)
def run_query(
    name: Annotated[str, Path(description="the curated query's name, e.g. city-partners")],
    request: Request,
    store: StoreDep,
    cache: CacheDep,
) -> QueryResult | Response:
    return _run(curated(name), dict(request.query_params), store, cache)


def answer(query: CuratedQuery, params: dict[str, Any], store: Store) -> QueryResult:
    """The query's rows, its entity parameters made canonical first (inside the cached computation, so a cached
    answer costs no lookups)."""
    params = resolve_parameters(store, query, params)
    rows = run_curated(store, query, params)
    return QueryResult(query=query.name, parameters=params, columns=list(rows[0]) if rows else [], rows=rows)


@router.get(
    "/api/search",
    response_model=list[SearchHit],
    summary="Entities whose name or an alias matches the text (Chinese, partial names)",
    description="Answered from the per-process cache while the graph is unchanged, as cached queries are.",
)
def search(
    store: StoreDep,
    cache: CacheDep,
    q: Annotated[
        str, Query(min_length=1, max_length=100, description="the text to look for, e.g. 中科院", examples=["中科院"])
    ],
    limit: Annotated[int, Query(ge=1, le=200, description="the most hits to return")] = 20,
) -> list[SearchHit] | Response:
    return cached_answer(cache, store, ("search", q, limit), lambda: _search(store, q, limit))


def _search(store: Store, q: str, limit: int) -> list[SearchHit]:
    try:
        rows = store.search_entities(q, limit)
    except StoreError as error:
        raise HTTPException(503, f"the store failed: {error}") from error
    return [
        SearchHit(
            id=row["id"],
            name=row["name"],
            type=row.get("type"),
            score=row["score"],
            aliases=row.get("aliases") or [],
        )
        for row in rows
    ]
