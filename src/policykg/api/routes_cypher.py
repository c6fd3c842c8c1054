"""Read-only Cypher for researchers: one statement, a time limit, a row cap, clear 400s."""

from __future__ import annotations

import json
import re

from fastapi import APIRouter, HTTPException

from policykg.api.deps import SettingsDep, StoreDep
from policykg.api.models import CypherRequest, CypherResult
from policykg.graph.stores.protocol import ReadOnlyViolation, StoreError, StoreUnavailable

router = APIRouter(tags=["cypher"])
_MAX_MESSAGE = 300
# Both stores take plain identifiers as parameter names; anything else cannot be sent safely.
_PARAMETER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _clear(message: str) -> str:
    """The store's first line, bounded: enough to fix the query, nothing of the server's insides."""
    first = (message.strip().splitlines() or ["the query failed"])[0]
    return first[:_MAX_MESSAGE]


@router.post(
    "/api/cypher",
    response_model=CypherResult,
    summary="Run one read-only Cypher statement, with parameters, a time limit and a row cap",
    responses={400: {"description": "the query writes, is malformed, too long or too slow"}},
)
def cypher(body: CypherRequest, store: StoreDep, settings: SettingsDep) -> CypherResult:
    if not body.query.strip():
        raise HTTPException(400, "the query is empty")
    if len(body.query) > settings.cypher_max_chars:
        raise HTTPException(400, f"the query is longer than {settings.cypher_max_chars} characters")
    if "\x00" in body.query or "\\u0000" in json.dumps(body.params):
        raise HTTPException(400, "the query and its parameters cannot contain NUL characters")
    bad_names = [name for name in body.params if not _PARAMETER_NAME.fullmatch(name)]
    if bad_names:
        raise HTTPException(400, f"parameter names must be identifiers (letters, digits, _): {bad_names[0]!r}")
    try:
        rows = store.run(body.query, body.params, read_only=True, timeout_ms=settings.cypher_timeout_ms)
    except ReadOnlyViolation as error:
        raise HTTPException(400, f"read-only: {_clear(str(error))}") from error
    except StoreUnavailable as error:
        raise HTTPException(503, "the store is not answering; try again shortly") from error
    except StoreError as error:
        raise HTTPException(400, f"the query failed: {_clear(str(error))}") from error
    truncated = len(rows) > settings.cypher_row_cap
    rows = rows[: settings.cypher_row_cap]
    return CypherResult(columns=list(rows[0]) if rows else [], rows=rows, truncated=truncated)
