"""A pure-ASGI front for cached answers, and the warmer that computes the whole-graph ones ahead of users.

A cached answer (a `// cached: true` curated query, a neighbourhood, the map) served through FastAPI
costs routing, validation, dependency injection and a threadpool hop, about ten times the cost of
sending its bytes. The front remembers, per raw path and query string, which cache entry the route
answered from; the next identical GET checks the graph's version and sends that entry's bytes, with
the headers the route sent. Anything else falls through to FastAPI: a first request, another version
(the route recomputes and refills the cache), a bad parameter (never remembered, so it gets the same
400). The front adds no cache of its own: bodies live in the ResultCache (api/cache.py). A request that accepts
gzip gets the entry's gzip copy, as the route would send it (api/compression.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Hashable, MutableMapping
from contextlib import suppress
from typing import Any

from policykg.api.cache import ResultCache
from policykg.api.compression import GZIP_HEADERS, PLAIN_HEADERS, accepts_gzip
from policykg.graph.stores.protocol import VersionRead

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

INTERNAL = "policykg.internal"  # marks a request the server sends itself (the warmer's): it has no Host header
CACHE_KEY = "policykg.cache_key"  # where a route leaves the ResultCache key it answered from (api/deps.py)
MAX_ALIASES = 100_000  # remembered raw requests; the oldest are forgotten first
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PER_REQUEST_HEADERS = frozenset({b"content-length", b"content-encoding", b"vary"})  # set by the front for each answer
log = logging.getLogger("policykg.api")


class VersionReader:
    """The store's graph version for many concurrent requests, read once for all of them.

    With `max_age_s` = 0 a request waits for a read that starts after it arrived, so it sees every write
    finished before it arrived, through any process (read-your-writes, as with one read per request);
    the requests arriving while a read is in flight share the next one. With `max_age_s` > 0 a request
    is answered at a version read less than that long before, and the version is re-read in the background
    once half that age has passed, so under load no request waits for the store; for that long after a
    write through another process, answers may be the previous version's (a write through this process
    is seen at once: it forgets the version read)."""

    def __init__(self, read: VersionRead, max_age_s: float = 0.0) -> None:
        self._read = read
        self.max_age_s = max_age_s
        self._loop: asyncio.AbstractEventLoop | None = None
        self._next: asyncio.Future[int] | None = None  # the read the requests waiting now will share
        self._reader: asyncio.Task[None] | None = None  # the task reading, while it runs
        self._last: tuple[int, float] | None = None  # the latest version read and when its read began
        self._forgotten_at = 0.0  # reads begun before this (a write through this process) are not reused
        self.changed = asyncio.Event()  # set when a read finds a version other than the one before

    async def current(self) -> int:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new server (tests run several): futures belong to one loop
            self._loop, self._next, self._reader, self.changed = loop, None, None, asyncio.Event()
        if self._last is not None and self.max_age_s:
            age = time.monotonic() - self._last[1]
            if age < self.max_age_s:
                if age > self.max_age_s / 2:
                    self._start_reading(loop)
                return self._last[0]
        if self._next is None:
            self._next = loop.create_future()
            self._start_reading(loop)
        return await asyncio.shield(self._next)

    def forget(self) -> None:
        """A write through this process: the next request reads the version anew."""
        self._last, self._forgotten_at = None, time.monotonic()

    def _start_reading(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._reader is None:
            self._reader = loop.create_task(self._read_while_waited())

    async def _read_while_waited(self) -> None:
        try:
            while True:
                waiting, self._next = self._next, None  # None: a read ahead, nobody waiting
                began = time.monotonic()
                try:
                    version = await self._read()
                except Exception as error:  # waiters fall through to FastAPI, which reports it; a read ahead is
                    if waiting is not None:  # retried by the next request
                        waiting.set_exception(error)
                else:
                    if self._last is not None and self._last[0] != version:
                        self.changed.set()
                    if began > self._forgotten_at:
                        self._last = (version, began)
                    if waiting is not None:
                        waiting.set_result(version)
                if self._next is None:
                    return
        finally:
            self._reader = None


class CacheFront:
    """What the front shares across requests: the cache, the version reader, the remembered requests."""

    def __init__(self, cache: ResultCache, versions: VersionReader) -> None:
        self.cache = cache
        self.versions = versions
        self.aliases: dict[tuple[str, bytes], tuple[Hashable, list[tuple[bytes, bytes]]]] = {}

    def remember(self, request: tuple[str, bytes], key: Hashable, headers: list[tuple[bytes, bytes]]) -> None:
        if request not in self.aliases and len(self.aliases) >= MAX_ALIASES:
            del self.aliases[next(iter(self.aliases))]
        self.aliases[request] = (key, [(k, v) for k, v in headers if k.lower() not in PER_REQUEST_HEADERS])


class FastPath:
    """The ASGI middleware: cached GETs answered from the cache's bytes, everything else passed to `app`."""

    def __init__(self, app: ASGIApp, front: CacheFront) -> None:
        self.app = app
        self.front = front

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        method = scope["method"]
        if method in WRITE_METHODS:
            return await self._pass_a_write(scope, receive, send)
        if method != "GET":
            return await self.app(scope, receive, send)
        request = (scope["path"], scope["query_string"])
        alias = self.front.aliases.get(request)
        if alias is not None and await self._send_cached(alias, scope, send):
            return
        await self._pass_and_remember(request, scope, receive, send)

    async def _pass_a_write(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A write's answer starts once the write is done: from then on this process reads the version anew,
        before the client can send its next request."""

        answered = False

        async def forget_first(message: Message) -> None:
            nonlocal answered
            if message["type"] == "http.response.start":
                self.front.versions.forget()
                answered = True
            await send(message)

        try:
            await self.app(scope, receive, forget_first)
        finally:
            if not answered:  # cut short (forgetting later could drop a version read after the answer)
                self.front.versions.forget()

    async def _send_cached(self, alias: tuple[Hashable, list[tuple[bytes, bytes]]], scope: Scope, send: Send) -> bool:
        key, headers = alias
        try:
            version = await self.front.versions.current()
        except Exception:  # the route reads the version again and answers the failure as usual (503)
            return False
        entry = self.front.cache.lookup(key, version)
        if entry is None:
            return False
        body, encoding = entry.plain, list[tuple[bytes, bytes]]()
        if entry.gzipped is not None:
            body, encoding = (entry.gzipped, GZIP_HEADERS) if accepts_gzip(scope) else (body, PLAIN_HEADERS)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-length", str(len(body)).encode()), *headers, *encoding],
            }
        )
        await send({"type": "http.response.body", "body": body})
        return True

    async def _pass_and_remember(self, request: tuple[str, bytes], scope: Scope, receive: Receive, send: Send) -> None:
        started: Message = {}

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif not message.get("more_body") and started.get("status") == 200 and CACHE_KEY in scope:
                self.front.remember(request, scope[CACHE_KEY], list(started.get("headers", [])))
            await send(message)

        await self.app(scope, receive, watch)


async def keep_warm(
    app: ASGIApp, versions: VersionReader, paths: list[str], poll_s: float = 5.0, settle_s: float = 2.0
) -> None:
    """GET each of `paths` through `app` when the server starts and whenever the graph's version changes
    (seen by a request, or by this loop every `poll_s`), so that no user waits for a whole-graph query.
    After a change it waits until the version has stayed the same for `settle_s`: an ingest bumps it
    batch after batch, and recomputing everything after each would compete with the ingest."""
    warmed: int | None = None
    while True:
        version = await _version_or_none(versions)
        new = version is not None and version != warmed
        if version is not None and new and (warmed is None or await _settled(versions, version, settle_s)):
            for path in paths:
                await _get(app, path)
            warmed = version
        versions.changed.clear()
        with suppress(TimeoutError):
            await asyncio.wait_for(versions.changed.wait(), poll_s)


async def _version_or_none(versions: VersionReader) -> int | None:
    try:
        return await versions.current()
    except Exception as error:
        log.warning("cache warmer: cannot read the graph version: %s", error)
        return None


async def _settled(versions: VersionReader, version: int, settle_s: float) -> bool:
    await asyncio.sleep(settle_s)
    return await _version_or_none(versions) == version


async def _get(app: ASGIApp, path: str) -> None:
    """One GET through the whole app in this process, its answer dropped (the cache keeps it)."""
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [],
        "client": None,
        "server": None,
        "state": {},
        INTERNAL: True,
    }
    messages = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> Message:
        return messages.pop() if messages else {"type": "http.disconnect"}

    async def send(_: Message) -> None:
        pass

    try:
        await app(scope, receive, send)
    except Exception:
        log.exception("cache warmer: GET %s failed", path)
