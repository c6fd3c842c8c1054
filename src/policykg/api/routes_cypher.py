"""Read-only Cypher for researchers: one statement, a time limit, a row cap, bounds on what reaches the store
(api/cypher_limits.py), a few queries at a time (api/cypher_gate.py), clear 400s, and the schema to write it against."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from policykg.api.cypher_gate import CypherGate, NoPlace
from policykg.api.cypher_limits import QueryRefused, check_parameters, check_query
from policykg.api.deps import CacheDep, SettingsDep, StoreDep, cached_answer, read
from policykg.api.models import CypherRequest, CypherResult, Schema, SchemaLabel, SchemaRelationship
from policykg.graph.aggregates import SUMMARY_LABELS
from policykg.graph.stores.protocol import VERSION_LABEL, ReadOnlyViolation, Store, StoreError, StoreUnavailable

router = APIRouter(tags=["cypher"])
_MAX_MESSAGE = 300
_OUT_OF_MEMORY = "mem consumption exceeded capacity"  # FalkorDB's QUERY_MEM_CAPACITY error
# Both stores take plain identifiers as parameter names; anything else cannot be sent safely.
_PARAMETER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


# String literals and comments, blanked before looking for $parameters (a '$' inside a string is not one).
_NOT_CODE = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.DOTALL)
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_TIMED_OUT = re.compile(r"timed? ?out|timeout|terminated", re.IGNORECASE)


# A server path in an answer (Document.source, read by a query): only the file name leaves the server.
_SERVER_PATH = re.compile(r"^(?:[A-Za-z]:)?[/\\][^\s]*[/\\]([^/\\\s]+)$")
Value = Any


def without_paths(value: Value) -> Value:
    """`value` with every string that is a whole server path cut to its file name, inside lists and maps too."""
    if isinstance(value, str):
        found = _SERVER_PATH.match(value)
        return found.group(1) if found else value
    if isinstance(value, list):
        return [without_paths(item) for item in value]
    if isinstance(value, dict):
        return {key: without_paths(item) for key, item in value.items()}
    return value


def missing_parameters(query: str, given: dict[str, object]) -> list[str]:
    """The $parameters the query uses that `given` lacks, in order of first use."""
    used = _PARAMETER.findall(_NOT_CODE.sub(" ", query))
    return [name for name in dict.fromkeys(used) if name not in given]


def _clear(message: str) -> str:
    """The store's first line, bounded: enough to fix the query, nothing of the server's insides."""
    first = (message.strip().splitlines() or ["the query failed"])[0]
    return first[:_MAX_MESSAGE]


@router.post(
    "/api/cypher",
    response_model=CypherResult,
    summary="Run one read-only Cypher statement, with parameters, a time limit and a row cap",
    responses={
        400: {
            "description": "the query writes, is malformed, too long, too deeply nested, too large, uses a $parameter "
            "not given (named in the message), or ran past the time limit (given in the message)"
        },
        429: {"description": "too many Cypher queries are running (from this client, or in all): try again shortly"},
    },
)
def cypher(body: CypherRequest, request: Request, store: StoreDep, settings: SettingsDep) -> CypherResult:
    if not body.query.strip():
        raise HTTPException(400, "the query is empty")
    if len(body.query) > settings.cypher_max_chars:
        raise HTTPException(400, f"the query is longer than {settings.cypher_max_chars} characters")
    bad_names = [name for name in body.params if not _PARAMETER_NAME.fullmatch(name)]
    if bad_names:
        raise HTTPException(400, f"parameter names must be identifiers (letters, digits, _): {bad_names[0]!r}")
    missing = missing_parameters(body.query, body.params)
    if missing:
        example = json.dumps({name: "…" for name in missing}, ensure_ascii=False)
        raise HTTPException(
            400,
            f"missing parameter{'s' if len(missing) > 1 else ''} {', '.join('$' + m for m in missing)}: "
            f"give {'them' if len(missing) > 1 else 'it'} in params, e.g. {example}",
        )
    try:
        check_parameters(body.params)
        check_query(body.query, body.params)
    except QueryRefused as error:
        raise HTTPException(400, str(error)) from error
    if "\x00" in body.query or "\\u0000" in json.dumps(body.params):
        raise HTTPException(400, "the query and its parameters cannot contain NUL characters")
    gate: CypherGate = request.app.state.cypher_gate
    try:
        with gate.place(request.client.host if request.client else "unknown"):
            rows = store.run(body.query, body.params, read_only=True, timeout_ms=settings.cypher_timeout_ms)
    except NoPlace as error:
        raise HTTPException(429, str(error), headers={"Retry-After": "1"}) from error
    except ReadOnlyViolation as error:
        raise HTTPException(400, f"read-only: {_clear(str(error))}") from error
    except StoreUnavailable as error:
        raise HTTPException(503, "the store is not answering; try again shortly") from error
    except StoreError as error:
        if _TIMED_OUT.search(str(error)):
            limit = settings.cypher_timeout_ms
            raise HTTPException(
                400,
                f"the query ran past the time limit of {limit / 1000:g} s ({limit} ms, POLICYKG_CYPHER_TIMEOUT_MS): "
                "narrow it (a label, a property to match, a LIMIT)",
            ) from error
        if _OUT_OF_MEMORY in str(error):
            raise HTTPException(
                400, "the query needs more memory than the store gives one query (POLICYKG_QUERY_MEMORY_MB): narrow it"
            ) from error
        raise HTTPException(400, f"the query failed: {_clear(str(error))}") from error
    truncated = len(rows) > settings.cypher_row_cap
    rows = rows[: settings.cypher_row_cap]
    rows = [without_paths(row) for row in rows]
    return CypherResult(columns=list(rows[0]) if rows else [], rows=rows, truncated=truncated)


_SAMPLE = 200  # nodes or relationships of each label or type read for its property names
_INTERNAL = {
    **{
        label: "a summary the loader derives from the facts (graph/aggregates.py), for fast rankings and the matrix; "
        "not data from documents"
        for label in SUMMARY_LABELS
    },
    VERSION_LABEL: "the graph's version on Neo4j, bumped by every write policykg makes so that the API's cached "
    "answers follow the graph; not data from documents",
}


@router.get(
    "/api/schema",
    response_model=Schema,
    summary="Labels, relationship types, their properties and counts: what Cypher can ask about",
    description="Property names come from a sample of each label's nodes and each type's relationships; `internal` "
    "labels are the loader's derived summaries, not data from documents. Answered from the per-process cache "
    "until the graph changes.",
)
def schema(store: StoreDep, cache: CacheDep) -> Schema | Response:
    return cached_answer(cache, store, ("schema",), lambda: _schema(store))


def _schema(store: Store) -> Schema:
    labels = [row["label"] for row in read(store, "CALL db.labels() YIELD label RETURN label")]
    types = [
        row["type"]
        for row in read(store, "CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType AS type")
    ]
    found_labels = []
    for label in sorted(labels):
        quoted = _quoted(label)
        count = read(store, f"MATCH (n:{quoted}) RETURN count(n) AS n")[0]["n"]
        keys = read(store, f"MATCH (n:{quoted}) WITH n LIMIT {_SAMPLE} UNWIND keys(n) AS key RETURN DISTINCT key")
        found_labels.append(
            SchemaLabel(
                label=label,
                count=count,
                properties=sorted(row["key"] for row in keys),
                internal=label in _INTERNAL,
                note=_INTERNAL.get(label),
            )
        )
    found_types = []
    for rel_type in sorted(types):
        quoted = _quoted(rel_type)
        count = read(store, f"MATCH ()-[r:{quoted}]->() RETURN count(r) AS n")[0]["n"]
        sample = read(
            store,
            f"MATCH (a)-[r:{quoted}]->(b) WITH a, r, b LIMIT {_SAMPLE} "
            "RETURN keys(r) AS keys, labels(a) AS source, labels(b) AS target",
        )
        patterns = sorted({f"({_main(row['source'])})-[:{rel_type}]->({_main(row['target'])})" for row in sample})
        found_types.append(
            SchemaRelationship(
                type=rel_type,
                count=count,
                properties=sorted({key for row in sample for key in row["keys"]}),
                patterns=patterns,
            )
        )
    return Schema(labels=found_labels, relationships=found_types)


def _quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _main(labels: list[str]) -> str:
    """A node's most telling label: its type rather than Entity."""
    specific = sorted(label for label in labels if label not in ("Entity", "Summary"))
    return specific[0] if specific else (labels[0] if labels else "")
