"""Every GET answer of the API as CSV too: add `format=csv` to its URL (Datasette's habit, for spreadsheets).

A pure-ASGI wrapper: the request goes on without `format=csv` (and without asking for gzip), so routes, the cache
and its fast path answer it as ever; a JSON answer that comes back 200 is turned into a table. Which rows: a curated
query's rows under its columns, a neighbourhood's edges (with both ends' names), the map's links, a document's
targets and relations, any other list of objects as it is. Lists in cells are joined with '; ', maps written as JSON.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Table = tuple[list[str], list[dict[str, Any]]]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(_cell(item)) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(key for row in rows for key in row))


def table_of(answer: Any) -> Table:
    """The rows a JSON answer holds, with their columns."""
    if isinstance(answer, list):
        rows = [row if isinstance(row, dict) else {"value": row} for row in answer]
        return _columns(rows), rows
    if not isinstance(answer, dict):
        return ["value"], [{"value": answer}]
    if isinstance(answer.get("rows"), list) and isinstance(answer.get("columns"), list):
        return list(answer["columns"]), answer["rows"]
    if isinstance(answer.get("edges"), list) and isinstance(answer.get("nodes"), list):
        names = {node["id"]: node.get("name") for node in answer["nodes"]}
        rows = [
            {
                "source": edge["source"],
                "source_name": names.get(edge["source"]),
                "type": edge["type"],
                "target": edge["target"],
                "target_name": names.get(edge["target"]),
                "documents": edge.get("documents"),
                "years": edge.get("years"),
            }
            for edge in answer["edges"]
        ]
        return ["source", "source_name", "type", "target", "target_name", "documents", "years"], rows
    if isinstance(answer.get("links"), list) and isinstance(answer.get("areas"), list):
        return _columns(answer["links"]), answer["links"]
    if isinstance(answer.get("targets"), list) and isinstance(answer.get("relations"), list):
        rows = [{"fact": "target", **item} for item in answer["targets"]]
        rows += [{"fact": "relation", **item} for item in answer["relations"]]
        return _columns(rows), rows
    for value in answer.values():  # a wrapper around one list (analytics, schema…)
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            return _columns(value), value
    return list(answer), [answer]


def to_csv(answer: Any) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read the Chinese right."""
    columns, rows = table_of(answer)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: _cell(row.get(column)) for column in columns})
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _file_name(path: str) -> str:
    stem = path.strip("/").removeprefix("api/").replace("/", "-") or "policykg"
    return f"policykg-{stem}.csv"


class CsvFormat:
    """Answers `GET /api/…?format=csv` with the JSON answer's rows as CSV."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        if ("format", "csv") not in pairs or scope["path"] == "/api/export":  # export has formats of its own
            await self.app(scope, receive, send)
            return
        kept = urlencode([(key, value) for key, value in pairs if (key, value) != ("format", "csv")])
        headers = [(name, value) for name, value in scope["headers"] if name.lower() != b"accept-encoding"]
        inner = dict(scope, query_string=kept.encode("latin-1"), headers=headers)
        started: Message = {}
        body = bytearray()

        async def collect(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))

        await self.app(inner, receive, collect)
        status = started.get("status", 500)
        content_type = dict(started.get("headers", [])).get(b"content-type", b"")
        if status != 200 or not content_type.startswith(b"application/json"):
            await send(dict(started))
            await send({"type": "http.response.body", "body": bytes(body)})
            return
        content = to_csv(json.loads(bytes(body)))
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/csv; charset=utf-8"),
                    (b"content-length", str(len(content)).encode()),
                    (b"content-disposition", f'attachment; filename="{_file_name(scope["path"])}"'.encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": content})
