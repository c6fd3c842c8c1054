"""The FastAPI application: curated queries, the graph, documents, read-only Cypher, and the web page.

Routes live in one module per area (routes_*.py); response shapes in models.py. Every error
answers with a JSON `detail` message and never a stack trace; JSON keeps Chinese as is.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from urllib.parse import unquote_plus

from fastapi import FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from policykg import __version__
from policykg.api import docs_pages, routes_analytics, routes_cypher, routes_documents, routes_graph, routes_queries
from policykg.api.cache import ResultCache
from policykg.api.compression import GZipWhereAccepted
from policykg.api.csv_export import CsvFormat
from policykg.api.cypher_gate import CypherGate
from policykg.api.deps import StoreDep
from policykg.api.fastpath import ASGIApp, CacheFront, FastPath, Receive, Scope, Send, VersionReader, keep_warm
from policykg.api.graph_jobs import GraphJobs, SettingsOpener, StoreOpener
from policykg.api.models import Health
from policykg.api.resolve import UnknownEntity
from policykg.api.security import SecurityHeaders
from policykg.graph.stores.opening import open_store
from policykg.graph.stores.protocol import Store, StoreError
from policykg.queries import load_queries
from policykg.settings import ApiSettings, Settings

STATIC_DIR = Path(__file__).parent / "static"
log = logging.getLogger("policykg.api")


class RefuseNul:
    """A NUL character cannot travel in a Cypher parameter (FalkorDB's protocol ends text there). Pure ASGI, not
    @app.middleware: Starlette's BaseHTTPMiddleware hides a client's disconnect from the routes (api/workers.py
    stops an abandoned upload's extraction when it sees one)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and "\x00" in unquote_plus(scope["query_string"].decode("latin-1")):
            response = JSONResponse({"detail": "query parameters cannot contain NUL characters"}, status_code=400)
            return await response(scope, receive, send)
        await self.app(scope, receive, send)


# A server-side path (the store's socket, a data folder) in a message: the client has no use for it.
# Only at the start of a word, so that arithmetic such as 1/2/3 in a quoted query is left alone.
_SERVER_PATH = re.compile(r"(?<![\w)\]])(?:[A-Za-z]:)?[/\\][^\s'\"]*[/\\][^\s'\"]*[^\s'\".,;:)]")


def _without_paths(message: str) -> str:
    return _SERVER_PATH.sub("<path>", message)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StoreError)
    async def store_failed(_: Request, error: StoreError) -> JSONResponse:
        return JSONResponse({"detail": f"the store failed: {_without_paths(str(error))}"}, status_code=503)

    @app.exception_handler(UnknownEntity)
    async def unknown_entity(_: Request, error: UnknownEntity) -> JSONResponse:
        return JSONResponse(error.body(), status_code=404)  # the entities it may have meant, besides the message

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if isinstance(error.detail, str):  # a store failure can reach a 4xx too (a failed Cypher query is a 400)
            error = StarletteHTTPException(error.status_code, _without_paths(error.detail), error.headers)
        return await http_exception_handler(request, error)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)  # the trace stays in the log
        return JSONResponse({"detail": "internal error; the server log has the details"}, status_code=500)


def routed_app() -> FastAPI:
    """The routes and the page without a store behind them: what the API offers, and its OpenAPI description
    (the fuzz tests read it before any store runs). `create_app` puts a store and the middleware around them."""
    app = FastAPI(
        title="policykg",
        version=__version__,
        description="A knowledge graph of Chinese municipal science-and-technology policy: "
        "curated queries, the graph around an entity with its evidence, documents, "
        "read-only Cypher and the web page. Wherever an entity's id is asked for, its name or an alias "
        "will do (City:三明市@350400, City:三明市, 三明市 and 三明 are the same city); an unknown one is a 404 "
        "whose `suggestions` list what it may have meant. Every GET answer is also CSV with `format=csv`.",
        docs_url=None,  # /docs and /redoc from the page's own copies of Swagger UI and Redoc (api/docs_pages.py)
        redoc_url=None,
    )

    @app.get("/api/health", response_model=Health, tags=["meta"], summary="Is the store answering?")
    def health(store: StoreDep) -> Health:
        try:
            store.run("RETURN 1 AS ok")
        except StoreError as error:
            raise HTTPException(503, f"store unavailable: {error}") from error
        return Health(status="ok", store=store.name, version=__version__)

    for module in (routes_queries, routes_graph, routes_analytics, routes_documents, routes_cypher, docs_pages):
        app.include_router(module.router)

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def create_app(
    store: Store,
    settings: ApiSettings | None = None,
    reopen: StoreOpener | None = None,
    cypher_gate: CypherGate | None = None,
) -> FastAPI:
    """The app over `store`; `settings` None: the defaults (the command line passes what it read, policykg.settings).
    `reopen` opens the same store in another process: whole-graph answers are computed there, with a time limit
    (api/graph_jobs.py); without it, in the request's thread. `cypher_gate`: the places for Cypher queries shared
    with other server processes (`serve --workers`); None: this app's own."""
    app = routed_app()
    app.state.store = store
    app.state.settings = settings or ApiSettings()
    app.state.graph_jobs = GraphJobs(app.state.settings.graph_timeout_s, reopen)
    app.state.cypher_gate = cypher_gate or CypherGate(
        app.state.settings.cypher_concurrency, app.state.settings.cypher_per_client
    )
    app.state.cache = ResultCache(app.state.settings.cache_mb * 2**20)
    _add_error_handlers(app)
    # Inside the fast path (which sends a cached answer's own gzip copy) and inside refuse_nul, whose call_next
    # streams every body: gzip must see a route's body whole to leave a small one as it is.
    app.add_middleware(GZipWhereAccepted)
    app.add_middleware(RefuseNul)
    _add_fast_path(app, store, app.state.settings)  # outside the rest: a cached answer skips it all but CORS
    app.add_middleware(CsvFormat)  # outside the fast path: format=csv asks it for the JSON answer, cached or not
    if app.state.settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(app.state.settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
        )
    app.add_middleware(SecurityHeaders, allowed_hosts=app.state.settings.allowed_hosts)  # outermost: every answer
    return app


def warm_paths() -> list[str]:
    """The cached answers that need no parameters (the rankings, the matrix, the map, default pages): their
    first read on a big graph takes seconds, so the server computes them before anyone asks."""
    return [
        *(
            f"/api/queries/{query.name}"
            for query in load_queries().values()
            if query.cached and not any(parameter.required for parameter in query.parameters)
        ),
        "/api/map",
    ]


def _add_fast_path(app: FastAPI, store: Store, settings: ApiSettings) -> None:
    """Cached answers straight from the cache's bytes (api/fastpath.py), and the warmer."""
    versions = VersionReader(store.version_reader(), settings.cache_version_ms / 1000)
    app.state.cache_front = CacheFront(app.state.cache, versions)
    app.add_middleware(FastPath, front=app.state.cache_front)
    if not settings.cache_warm:
        return

    @asynccontextmanager
    async def warm_while_serving(_: FastAPI) -> AsyncIterator[None]:
        warming = asyncio.create_task(keep_warm(app, versions, warm_paths()))
        try:
            yield
        finally:
            warming.cancel()
            with suppress(asyncio.CancelledError):
                await warming

    app.router.lifespan_context = warm_while_serving


def app_of_worker(settings: Settings, cypher_gate: CypherGate) -> FastAPI:
    """The app of one server process of `policykg serve --workers N` (api/serving.py): its own store connection,
    opened from `settings` and closed when the process stops (the embedded server is left running), and the Cypher
    places all the processes share."""
    opened = open_store(settings.store)
    app = create_app(opened.store, settings.api, SettingsOpener(settings.store), cypher_gate)
    serving = app.router.lifespan_context

    @asynccontextmanager
    async def close_store_on_exit(served: FastAPI) -> AsyncIterator[None]:
        async with serving(served):
            yield
        opened.close(keep_server=True)

    app.router.lifespan_context = close_store_on_exit
    return app
