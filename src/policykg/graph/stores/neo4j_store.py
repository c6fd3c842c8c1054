"""The production store: Neo4j 5 (Community or Aura) through the official `neo4j` driver.

Loading goes through graph/loading.py's CypherLoader, one managed write transaction per batch
(`execute_write` retries transient errors); queries run in managed read transactions on READ
sessions, after policykg's own read-only check (graph/stores/readonly.py), because not every Bolt
server enforces read access. The same class speaks to FalkorDB's Bolt endpoint, where the tests
run it: there it uses FalkorDB's index Cypher and small batches (the endpoint crashes on large
parameters), see DESIGN.md and the README.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from neo4j import READ_ACCESS, WRITE_ACCESS, Driver, GraphDatabase, ManagedTransaction, Session, unit_of_work
from neo4j.exceptions import (
    AuthError,
    ClientError,
    DatabaseError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)
from neo4j.graph import Node, Path, Relationship

from policykg.graph.build import ENTITY_LABEL
from policykg.graph.loading import CypherLoader
from policykg.graph.search import BACKFILL_SEARCH_TEXT, SEARCH_PROPERTY, search_entities
from policykg.graph.stores import falkordb_store
from policykg.graph.stores.neo4j_schema import NEO4J_AWAIT_INDEXES, NEO4J_FULL_TEXT_QUERY, NEO4J_PROBE, NEO4J_SCHEMA
from policykg.graph.stores.protocol import (
    FALKORDB,
    NEO4J,
    Dialect,
    LoadReport,
    ReadOnlyViolation,
    Row,
    StoreError,
    StoreUnavailable,
    VersionRead,
    body_in_graph,
    cypher_stats,
)
from policykg.graph.stores.readonly import ensure_read_only
from policykg.graph.stores.texts import DocumentBody
from policykg.ingest.record import Record

FALKORDB_BOLT = FALKORDB  # FalkorDB's Bolt endpoint: FalkorDB's engine, so its Cypher
DEFAULT_BATCH_ROWS = 1000
# FalkorDB's Bolt endpoint segfaults when one statement's parameters pass about 4 KB.
FALKORDB_BOLT_BATCH_ROWS = 40
FALKORDB_BOLT_BATCH_BYTES = 3000
_READ_ONLY_CODES = ("Neo.ClientError.Statement.AccessMode", "Neo.ClientError.Security.Forbidden")


def to_plain(value: Any) -> Any:
    """Driver values as JSON-ready dicts, the same shape falkordb_store.to_plain returns."""
    if isinstance(value, Node):
        return {"element_id": value.element_id, "labels": sorted(value.labels), "properties": dict(value)}
    if isinstance(value, Relationship):
        start, end = value.start_node, value.end_node
        return {
            "element_id": value.element_id,
            "type": value.type,
            "start": start.element_id if start else None,
            "end": end.element_id if end else None,
            "properties": dict(value),
        }
    if isinstance(value, Path):
        return {
            "nodes": [to_plain(n) for n in value.nodes],
            "relationships": [to_plain(r) for r in value.relationships],
        }
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):  # neo4j.time dates, times and durations
        return value.iso_format()
    return value


def _reading(cypher: str, params: dict[str, Any]) -> Callable[[ManagedTransaction], list[Row]]:
    def work(tx: ManagedTransaction) -> list[Row]:
        return [
            {key: to_plain(value) for key, value in zip(record.keys(), record.values(), strict=True)}
            for record in tx.run(cypher, params)
        ]

    return work


class Neo4jStore:
    name = "neo4j"

    def __init__(
        self,
        driver: Driver,
        database: str | None = None,
        batch_rows: int | None = None,
        dialect: Dialect | None = None,
    ) -> None:
        self.driver = driver
        self.database = database
        self.dialect = dialect or self._detect_dialect()
        on_falkordb = self.dialect == FALKORDB_BOLT
        self.loader = CypherLoader(
            self._write,
            self._read,
            batch_rows=batch_rows or (FALKORDB_BOLT_BATCH_ROWS if on_falkordb else DEFAULT_BATCH_ROWS),
            batch_bytes=FALKORDB_BOLT_BATCH_BYTES if on_falkordb else None,
        )
        self._full_text_query = falkordb_store.FULL_TEXT_QUERY if on_falkordb else NEO4J_FULL_TEXT_QUERY
        self._ensure_schema()

    @classmethod
    def connect(
        cls,
        uri: str,
        user: str | None,
        password: str | None,
        database: str | None = None,
        batch_rows: int | None = None,
    ) -> Neo4jStore:
        """Open a driver and check it reaches the server; `database` None: the server's default one,
        `batch_rows` None: the rows per write transaction that suit the server."""
        driver = GraphDatabase.driver(uri, auth=(user, password or "") if user else None)
        try:
            driver.verify_connectivity()
            return cls(driver, database=database, batch_rows=batch_rows)
        except AuthError as error:
            driver.close()
            raise StoreError(f"{uri} refused user {user!r}: check --user and --password") from error
        except (DriverError, Neo4jError, StoreError) as error:
            driver.close()
            raise StoreError(f"cannot use the Neo4j store at {uri}: {error}") from error

    def _session(self, read_only: bool) -> Session:
        return self.driver.session(
            database=self.database, default_access_mode=READ_ACCESS if read_only else WRITE_ACCESS
        )

    def _detect_dialect(self) -> Dialect:
        try:
            with self._session(read_only=True) as session:
                session.run(NEO4J_PROBE).consume()
        except DatabaseError:  # FalkorDB answers every error with DatabaseError.General.UnknownError
            return FALKORDB_BOLT
        return NEO4J

    def _ensure_schema(self) -> None:
        if self.dialect == NEO4J:
            for statement in (*NEO4J_SCHEMA, NEO4J_AWAIT_INDEXES):
                self.run(statement, read_only=False)
        else:
            self._ensure_falkordb_indexes()
        self.run(BACKFILL_SEARCH_TEXT, read_only=False)
        self.loader.summaries.ensure()

    def _ensure_falkordb_indexes(self) -> None:
        existing = {
            (row["label"], field, kind)
            for row in self.run(falkordb_store.LIST_INDEXES)
            for field, kinds in row["types"].items()
            for kind in kinds
        }
        for label, field in falkordb_store.INDEXED:
            if (label, field, "RANGE") not in existing:
                self.run(falkordb_store.range_index_cypher(label, field), read_only=False)
        for label, field in {(label, field) for label, field, _ in existing} & falkordb_store.RETIRED_INDEXES.keys():
            self.run(falkordb_store.RETIRED_INDEXES[(label, field)], read_only=False)
        if (ENTITY_LABEL, SEARCH_PROPERTY, "FULLTEXT") not in existing:
            self.run(falkordb_store.FULL_TEXT_INDEX, read_only=False)

    def _write(self, cypher: str, params: dict[str, Any]) -> None:
        self.run(cypher, params, read_only=False)

    def _read(self, cypher: str, params: dict[str, Any]) -> list[Row]:
        return self.run(cypher, params)

    def run(
        self, cypher: str, params: dict[str, Any] | None = None, read_only: bool = True, timeout_ms: int | None = None
    ) -> list[Row]:
        if read_only:
            ensure_read_only(cypher)
        work = _reading(cypher, params or {})
        if timeout_ms is not None:
            work = unit_of_work(timeout=timeout_ms / 1000)(work)
        try:
            with self._session(read_only) as session:
                return session.execute_read(work) if read_only else session.execute_write(work)
        except ClientError as error:
            if error.code in _READ_ONLY_CODES:
                raise ReadOnlyViolation("the query writes, and only read queries are allowed here") from error
            raise StoreError(f"Neo4j: {error.message or error.code}") from error
        except Neo4jError as error:
            raise StoreError(f"Neo4j: {error.message or error.code}") from error
        except (ServiceUnavailable, SessionExpired) as error:
            raise StoreUnavailable(f"Neo4j stopped answering: {error}") from error
        except DriverError as error:
            raise StoreError(f"Neo4j unreachable: {error}") from error

    def load(self, records: Iterable[Record]) -> LoadReport:
        return self.loader.load(records)

    def delete_document(self, doc_id: str) -> bool:
        return self.loader.delete_document(doc_id)

    def bulk_loading(self) -> AbstractContextManager[None]:
        """Many loads in a row: nothing to prepare on Neo4j."""
        return nullcontext()

    def search_entities(self, text: str, limit: int = 20) -> list[Row]:
        return search_entities(text, limit, self.run, self._full_text_query)

    def document_body(self, doc_id: str) -> DocumentBody | None:
        return body_in_graph(self.run, doc_id)  # Neo4j keeps text on disk, so it stays in the graph

    def version(self) -> int | None:
        """No graph version on Neo4j yet, so the API caches nothing from it and runs every request."""
        return None

    def version_reader(self) -> VersionRead | None:
        return None

    def stats(self) -> dict[str, Any]:
        return cypher_stats(self.name, self.run)

    def close(self) -> None:
        self.driver.close()
