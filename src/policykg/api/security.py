"""Headers that keep a browser from misusing the page and the API, and the Host names the server answers.

Every answer (the page, the API's JSON, cached answers sent by the fast path, static files, errors) carries
a Content-Security-Policy that allows scripts from this server only (the page has no inline script or
handler), `frame-ancestors 'none'` (no other site may frame the page to trick clicks), and `nosniff` (a
document's text is never run as a script). Inline styles are allowed: Cytoscape, Swagger UI and Redoc write
their own style elements, and a style cannot run code. A request whose Host header is not an allowed name
is refused (400) before any route runs, so that a DNS-rebinding page cannot talk to a server on the user's
machine under another name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from policykg.api.fastpath import INTERNAL, ASGIApp, Message, Receive, Scope, Send

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
ANY_HOST = "*"


_HEADERS = [
    (b"content-security-policy", POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),  # frame-ancestors for browsers older than CSP 2
    (b"referrer-policy", b"same-origin"),
]
_REPLACED = frozenset(name for name, _ in _HEADERS)


def host_name(header: str) -> str:
    """The name in a Host header, without its port: `127.0.0.1:8000` → `127.0.0.1`, `[::1]:8000` → `::1`."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].partition("]")[0]
    return header.rpartition(":")[0] if header.count(":") == 1 else header


class SecurityHeaders:
    """The ASGI middleware, outside all others so that no answer leaves without the headers."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str]) -> None:
        self.app = app
        self.allowed = frozenset(host_name(host) if host != ANY_HOST else host for host in allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _REPLACED]
                message["headers"] = kept + _HEADERS
            await send(message)

        if not self._allowed(scope):
            return await _refuse_host(with_headers)
        await self.app(scope, receive, with_headers)

    def _allowed(self, scope: Scope) -> bool:
        if ANY_HOST in self.allowed or scope.get(INTERNAL):
            return True
        hosts = [value.decode("latin-1") for name, value in scope["headers"] if name == b"host"]
        return len(hosts) == 1 and host_name(hosts[0]) in self.allowed


async def _refuse_host(send: Send) -> None:
    body = json.dumps(
        {"detail": "this server does not answer to that host name; POLICYKG_ALLOWED_HOSTS lists the names it does"}
    ).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 400, "headers": headers})
    await send({"type": "http.response.body", "body": body})
