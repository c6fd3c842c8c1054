"""The store interface: every store speaks Cypher and loads records with the same semantics.

Everything a caller may use is declared here, so callers never probe a store for attributes or reach into its
insides.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from policykg.graph.stores.texts import DocumentBody
from policykg.ingest.record import Record

Row = dict[str, Any]
# The Cypher a store understands, for the curated queries that differ (queries/dialects.py). FalkorDB's Bolt
# endpoint is FalkorDB's engine behind Neo4j's protocol, so it speaks FALKORDB too.
Dialect = Literal["neo4j", "falkordb"]
NEO4J: Dialect = "neo4j"
FALKORDB: Dialect = "falkordb"
VersionRead = Callable[[], Awaitable[int]]  # the graph version, read without blocking an event loop
# The node a store that keeps its graph version in the graph (Neo4j) keeps it on: not data, so statistics and
# exports leave it out.
VERSION_LABEL = "GraphVersion"


class StoreError(RuntimeError):
    """A store refused or failed a request; the message is safe to show a user."""


class StoreUnavailable(StoreError):
    """The store stopped answering (its server died, the connection was lost): not the request's fault,
    and nothing more can be written until it is back."""


class ReadOnlyViolation(StoreError):
    """A read-only request tried to write."""


@dataclass
class LoadReport:
    loaded: int = 0
    unchanged: int = 0
    replaced: int = 0
    nodes: int = 0
    relationships: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, other: LoadReport) -> None:
        self.loaded += other.loaded
        self.unchanged += other.unchanged
        self.replaced += other.replaced
        self.nodes += other.nodes
        self.relationships += other.relationships
        self.failures += other.failures


def cypher_stats(store_name: str, run: Callable[[str], list[Row]]) -> dict[str, Any]:
    """Nodes per label and relationships per type, counted in Cypher: the same on every store."""
    labels = run(f"MATCH (n) WHERE NOT n:{VERSION_LABEL} UNWIND labels(n) AS label RETURN label, count(*) AS count")
    types = run("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS count")
    return {
        "store": store_name,
        "nodes": {row["label"]: row["count"] for row in labels},
        "relationships": {row["type"]: row["count"] for row in types},
    }


def body_in_graph(run: Callable[[str, dict[str, Any]], list[Row]], doc_id: str) -> DocumentBody | None:
    """A document's text and outline where the store keeps them as Document properties (Neo4j; FalkorDB
    without an archive of texts)."""
    rows = run("MATCH (d:Document {id: $id}) RETURN d.text AS text, d.sections AS sections", {"id": doc_id})
    return DocumentBody(rows[0]["text"], rows[0]["sections"]) if rows else None


class Store(Protocol):
    @property
    def name(self) -> str:
        """The engine, as the API's health check names it."""
        ...

    @property
    def dialect(self) -> Dialect: ...

    def load(self, records: Iterable[Record]) -> LoadReport: ...

    def delete_document(self, doc_id: str) -> bool: ...

    def bulk_loading(self) -> AbstractContextManager[None]:
        """A context for many loads in a row (a batch ingest), for what a store does once around them."""
        ...

    def run(
        self, cypher: str, params: dict[str, Any] | None = None, read_only: bool = True, timeout_ms: int | None = None
    ) -> list[Row]: ...

    def search_entities(self, text: str, limit: int) -> list[Row]:
        """Entities whose name or an alias matches `text` (words or a fragment of Chinese), best first:
        [{id, name, type, aliases, score}]."""
        ...

    def document_body(self, doc_id: str) -> DocumentBody | None:
        """The document's full text and outline (JSON); None when the store has no such document."""
        ...

    def version(self) -> int:
        """The graph's version, bumped by every write (load, delete, write query): the API's cached answers are
        kept for one version (api/cache.py)."""
        ...

    def version_reader(self) -> VersionRead:
        """`version` for an event loop (the API's fast path, api/fastpath.py)."""
        ...

    def stats(self) -> dict[str, Any]: ...

    def close(self) -> None: ...
