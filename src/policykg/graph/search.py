"""Entity search shared by every store: the store's full-text index first, a substring scan to fill up.

A full-text index splits unspaced Chinese into words, so it finds 人工智能 inside
福建省人工智能产业研究院 but not every fragment (科学院 inside 中国科学院 is one word to it).
The substring scan over `search_text` (name and aliases, see graph/loading.py) catches those.
Ranking: an exact name or alias first, then by score: a full-text hit scores 1 + the index's own score
(FalkorDB's can be 0 after deletions), a substring-only hit 0.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from policykg.graph.build import ENTITY_LABEL

Row = dict[str, Any]
Query = Callable[[str, dict[str, Any]], list[Row]]

SEARCH_PROPERTY = "search_text"
_ENTITY_FIELDS = "e.id AS id, e.name AS name, e.type AS type, coalesce(e.aliases, []) AS aliases"
SUBSTRING_SEARCH = (
    f"MATCH (e:{ENTITY_LABEL}) WHERE e.{SEARCH_PROPERTY} CONTAINS $text "
    f"RETURN {_ENTITY_FIELDS}, 0.0 AS score ORDER BY size(e.name), e.name LIMIT $limit"
)
# Entities written before search_text existed get it here, so opening a store indexes them too.
BACKFILL_SEARCH_TEXT = (
    f"MATCH (e:{ENTITY_LABEL}) WHERE e.{SEARCH_PROPERTY} IS NULL "
    f"SET e.{SEARCH_PROPERTY} = reduce(s = e.name, a IN coalesce(e.aliases, []) | s + ' ' + a)"
)


def search_terms(text: str) -> list[str]:
    """The words of a user's text, stripped of every character a full-text query syntax would read."""
    return [word.lower() for word in re.findall(r"\w+", text)]


def search_entities(text: str, limit: int, query: Query, full_text_query: str) -> list[Row]:
    """Entities whose name or an alias matches `text`: [{id, name, type, aliases, score}], best first."""
    terms = search_terms(text)
    if not terms or limit <= 0:
        return []
    hits: dict[str, Row] = {}
    for row in query(full_text_query, {"query": " ".join(terms), "limit": limit}):
        hits.setdefault(row["id"], dict(row, score=1.0 + float(row["score"] or 0)))
    if len(hits) < limit:
        for row in query(SUBSTRING_SEARCH, {"text": text.strip(), "limit": limit}):
            hits.setdefault(row["id"], row)
    wanted = text.strip()
    ranked = sorted(hits.values(), key=lambda r: (r["name"] != wanted and wanted not in r["aliases"], -r["score"]))
    return ranked[:limit]


def full_text_cypher(call: str) -> str:
    """A full-text procedure call (yielding node, score) completed into the search's row shape."""
    return (
        f"{call} YIELD node, score WITH node AS e, score "
        f"RETURN {_ENTITY_FIELDS}, score ORDER BY score DESC LIMIT $limit"
    )
