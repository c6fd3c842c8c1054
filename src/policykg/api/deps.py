"""What routes share: the store, the settings, the write token, and running curated queries."""

from __future__ import annotations

import hmac
from collections.abc import Callable, Hashable, MutableMapping
from typing import Annotated, Any

from fastapi import Depends, Header, HTTPException, Request, Response
from pydantic import BaseModel, TypeAdapter

from policykg.api.cache import Body, ResultCache
from policykg.api.compression import GZIP_HEADERS, accepts_gzip
from policykg.api.fastpath import CACHE_KEY
from policykg.graph.paths import PathSearchTooLarge
from policykg.graph.stores.protocol import Row, Store, StoreError
from policykg.queries import CuratedQuery, load_queries
from policykg.queries.dialects import run_curated as run_in_dialect
from policykg.settings import ApiSettings


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store  # set by create_app
    return store


def get_settings(request: Request) -> ApiSettings:
    settings: ApiSettings = request.app.state.settings
    return settings


class RequestCache:
    """The app's ResultCache for one request: an answer from it is noted in the request's ASGI scope, so that
    the fast path (api/fastpath.py) can answer the same request again from the cache without the route."""

    def __init__(self, cache: ResultCache, scope: MutableMapping[str, Any]) -> None:
        self.cache = cache
        self.scope = scope

    def get(self, key: Hashable, version: int, compute: Callable[[], bytes]) -> Body:
        body = self.cache.get(key, version, compute)
        self.scope[CACHE_KEY] = key
        return body


def get_cache(request: Request) -> RequestCache:
    return RequestCache(request.app.state.cache, request.scope)


StoreDep = Annotated[Store, Depends(get_store)]
CacheDep = Annotated[RequestCache, Depends(get_cache)]
SettingsDep = Annotated[ApiSettings, Depends(get_settings)]


def require_token(
    settings: SettingsDep,
    authorization: Annotated[str | None, Header(description="Bearer <POLICYKG_API_TOKEN>")] = None,
) -> None:
    """Writes need the configured token: none configured → 403 (writes off), a wrong or missing one → 401."""
    if not settings.api_token:
        raise HTTPException(403, "write operations are off: set POLICYKG_API_TOKEN to enable them")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), settings.api_token.encode()):
        raise HTTPException(
            401, "a valid 'Authorization: Bearer <token>' header is required", headers={"WWW-Authenticate": "Bearer"}
        )


def curated(name: str) -> CuratedQuery:
    query = load_queries().get(name)
    if query is None:
        raise HTTPException(404, f"no curated query named {name!r}")
    return query


def run_curated(store: Store, query: CuratedQuery, params: dict[str, Any]) -> list[Row]:
    """A curated query's rows; a path search too large to finish is the request's problem (422)."""
    try:
        return run_in_dialect(store, query.name, query.cypher, params)
    except PathSearchTooLarge as error:
        raise HTTPException(422, str(error)) from error
    except StoreError as error:
        raise HTTPException(503, f"the store failed: {error}") from error


def graph_version(store: Store) -> int:
    """The store's graph version, bumped by every write."""
    try:
        return store.version()
    except StoreError as error:
        raise HTTPException(503, f"the store failed: {error}") from error


Answer = BaseModel | list[Any]  # a model, or a list of models
_LIST_JSON = TypeAdapter(list[Any])  # each model in the list serialised as its own class says


def cached_answer(
    cache: RequestCache,
    store: Store,
    key: Hashable,
    build: Callable[[], Answer],
) -> Response:
    """`build()`'s answer, from `cache` while the graph's version is unchanged; its gzip copy to a request that
    accepts gzip, with the headers the fast path sends (api/fastpath.py)."""
    body = cache.get(key, graph_version(store), lambda: _json(build()))
    if body.gzipped is None or not accepts_gzip(cache.scope):
        return Response(body.plain, media_type="application/json")  # Vary added by GZipWhereAccepted if due
    response = Response(body.gzipped, media_type="application/json")
    response.raw_headers.extend(GZIP_HEADERS)  # already encoded: GZipWhereAccepted lets it pass
    return response


def _json(answer: Answer) -> bytes:
    return answer.model_dump_json().encode() if isinstance(answer, BaseModel) else _LIST_JSON.dump_json(answer)


def read(store: Store, cypher: str, params: dict[str, Any] | None = None) -> list[Row]:
    """A read for a route: a store failure is the server's problem (503), with the store's safe message."""
    try:
        return store.run(cypher, params or {}, read_only=True)
    except StoreError as error:
        raise HTTPException(503, f"the store failed: {error}") from error
