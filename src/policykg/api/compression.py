"""gzip for answers: made once per cached answer, on the fly for the rest, only where the request accepts it.

Browsers, httpx and requests send `Accept-Encoding: gzip`; a curated answer's JSON shrinks about tenfold,
and a megabyte answer sent 1,000 times a second costs more in copying bytes than anything else. The cache
(api/cache.py) keeps a gzip copy of each answer of at least MINIMUM_SIZE bytes, made when it is stored; the
fast path and the routes send it to requests that accept gzip. Other responses go through Starlette's gzip
responder with the same threshold, so an answer has one encoding whether it came from the cache or not.
"""

from __future__ import annotations

import gzip
from functools import lru_cache

from starlette.middleware.gzip import GZipResponder, IdentityResponder
from starlette.types import ASGIApp, Receive, Scope, Send

MINIMUM_SIZE = 1024  # smaller bodies gain little and cost a header; sent as they are, without Vary
LEVEL = 6  # zlib's default: 5 ms for a megabyte of JSON; level 9 takes six times as long for 7 % less
GZIP_HEADERS = [(b"vary", b"Accept-Encoding"), (b"content-encoding", b"gzip")]
PLAIN_HEADERS = [(b"vary", b"Accept-Encoding")]  # for a body that has a gzip copy, sent plain


def gzip_copy(body: bytes) -> bytes | None:
    """The body gzip-compressed (no timestamp: the same bytes every time), or None if it is too small."""
    return gzip.compress(body, LEVEL, mtime=0) if len(body) >= MINIMUM_SIZE else None


def accepts_gzip(scope: Scope) -> bool:
    """Does the request's Accept-Encoding list gzip with a quality above 0? `*` alone is answered plainly
    (identity is always acceptable unless refused, and so is not guessing)."""
    values = [value for name, value in scope["headers"] if name == b"accept-encoding"]
    return bool(values) and _lists_gzip(b",".join(values))


@lru_cache(maxsize=256)  # clients send few distinct values; this runs on every cached answer
def _lists_gzip(header: bytes) -> bool:
    for item in header.decode("latin-1").split(","):
        coding, *parameters = (part.strip() for part in item.split(";"))
        if coding.lower() == "gzip":
            return _quality(parameters) > 0
    return False


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value.strip())
            except ValueError:
                return 0.0  # a malformed quality: not a clear yes
    return 1.0


class GZipWhereAccepted:
    """Starlette's GZipMiddleware, deciding by `accepts_gzip` (Starlette's own test is a substring match, so
    `gzip;q=0` would get gzip): responses of at least MINIMUM_SIZE bytes are compressed for requests that
    accept gzip, and carry `Vary: Accept-Encoding` either way; a response already encoded (a cached answer's
    gzip copy) passes as it is."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        responder = (
            GZipResponder(self.app, MINIMUM_SIZE, compresslevel=LEVEL)
            if accepts_gzip(scope)
            else IdentityResponder(self.app, MINIMUM_SIZE)
        )
        await responder(scope, receive, send)
