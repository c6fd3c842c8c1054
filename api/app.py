"""The FastAPI application: curated queries as JSON, and the web page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from policykg import __version__
from policykg.graph.store import Store, StoreError
from policykg.queries import CuratedQuery, load_queries
from pydantic import BaseModel, Field

STATIC_DIR = Path(__file__).parent / "static"


class Health(BaseModel):
    status: str = Field(description="'ok' when the store answers")
    store: str = Field(description="which store serves the graph")
    version: str


class ParameterInfo(BaseModel):
    name: str
    type: str
    default: Any = None
    required: bool
    description: str


class QueryInfo(BaseModel):
    name: str
    title_zh: str
    title_en: str
    description: str
    parameters: list[ParameterInfo]
    example: str
    cypher: str


class QueryResult(BaseModel):
    query: str
    parameters: dict[str, Any]
    columns: list[str]
    rows: list[dict[str, Any]]


def describe(query: CuratedQuery) -> QueryInfo:
    return QueryInfo(
        name=query.name, title_zh=query.title_zh, title_en=query.title_en, description=query.description,
        parameters=[ParameterInfo(name=p.name, type=p.type, default=p.default, required=p.required,
                                  description=p.description) for p in query.parameters],
        example=query.example, cypher=query.cypher)


def create_app(store: Store) -> FastAPI:
    app = FastAPI(title="policykg", version=__version__,
                  description="A knowledge graph of Chinese municipal science-and-technology policy: "
                              "curated queries, read-only Cypher and the web page.")
    app.state.store = store

    @app.get("/api/health", response_model=Health, tags=["meta"], summary="Is the store answering?")
    def health() -> Health:
        try:
            store.run("RETURN 1 AS ok")
        except StoreError as error:
            raise HTTPException(503, f"store unavailable: {error}") from error
        return Health(status="ok", store=store.name, version=__version__)

    @app.get("/api/queries", response_model=list[QueryInfo], tags=["queries"],
             summary="The catalogue of curated queries")
    def catalogue() -> list[QueryInfo]:
        return [describe(q) for q in load_queries().values()]

    @app.get("/api/queries/{name}", response_model=QueryResult, tags=["queries"],
             summary="Run a curated query; its parameters go in the query string")
    def run_query(name: str, request: Request) -> QueryResult:
        query = load_queries().get(name)
        if query is None:
            raise HTTPException(404, f"no curated query named {name!r}")
        try:
            params = query.bind(dict(request.query_params))
        except ValueError as error:
            raise HTTPException(400, str(error)) from error
        rows = store.run(query.cypher, params, read_only=True)
        columns = list(rows[0]) if rows else []
        return QueryResult(query=name, parameters=params, columns=columns, rows=rows)

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
