"""The production store: Neo4j 5 (Community, Enterprise or Aura) through the official `neo4j` driver.

Loading goes through graph/loading.py's CypherLoader, one managed write transaction per statement
(`execute_write` retries transient errors), each also bumping the graph's version, a counter on one
`GraphVersion` node, in the same transaction: a write that commits has changed the version, one that fails
changed neither. Queries run in managed read transactions on READ sessions, where Neo4j refuses writes, after
policykg's own read-only check (graph/stores/readonly.py). The same class speaks to FalkorDB's Bolt endpoint:
there it uses FalkorDB's index Cypher and small statements (the endpoint crashes on large parameters).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    Driver,
    GraphDatabase,
    ManagedTransaction,
    NotificationMinimumSeverity,
    unit_of_work,
)
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
    VERSION_LABEL,
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
# How long `close` waits for transactions other threads are running (a request, the API's cache warmer) before
# it closes the driver under them: closing a connection another thread is writing to corrupts its buffer.
CLOSE_WAIT_S = 30.0
_READ_ONLY_CODES = ("Neo.ClientError.Statement.AccessMode", "Neo.ClientError.Security.Forbidden")
# The graph's version: one node, created on the first write at a random count, so that a graph emptied and
# written again (its node deleted with everything else) does not count up through versions it had before.
BUMP_VERSION = (
    f"MERGE (v:{VERSION_LABEL} {{id: 'graph'}}) ON CREATE SET v.count = toInteger(rand() * 1e15) "
    "SET v.count = v.count + 1"
)
READ_VERSION = f"MATCH (v:{VERSION_LABEL} {{id: 'graph'}}) RETURN v.count AS version"
Work = Callable[[ManagedTransaction], list[Row]]


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


def _rows(tx: ManagedTransaction, cypher: str, params: dict[str, Any]) -> list[Row]:
    return [
        {key: to_plain(value) for key, value in zip(record.keys(), record.values(), strict=True)}
        for record in tx.run(cypher, params)
    ]


def _reading(cypher: str, params: dict[str, Any]) -> Work:
    return lambda tx: _rows(tx, cypher, params)


def _writing(cypher: str, params: dict[str, Any]) -> Work:
    """The statement, then the version's bump: last, so the version node's lock is taken after every other and
    held only until the commit (it adds no lock-order cycle between two writers)."""

    def work(tx: ManagedTransaction) -> list[Row]:
        rows = _rows(tx, cypher, params)
        tx.run(BUMP_VERSION).consume()
        return rows

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
        self._in_flight = 0
        self._closing = False
        self._idle = threading.Condition()
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
        # Without notifications: Neo4j 5.26 warns of labels a first load has not written yet, and of the curated
        # queries' `CALL { WITH x … }`, which it deprecates for `CALL (x) { … }` (FalkorDB reads only the first);
        # the driver would log each on stderr.
        driver = GraphDatabase.driver(
            uri,
            auth=(user, password or "") if user else None,
            notifications_min_severity=NotificationMinimumSeverity.OFF,
        )
        try:
            driver.verify_connectivity()
            return cls(driver, database=database, batch_rows=batch_rows)
        except AuthError as error:
            driver.close()
            raise StoreError(f"{uri} refused user {user!r}: check --user and --password") from error
        except (DriverError, Neo4jError, StoreError) as error:
            driver.close()
            raise StoreError(f"cannot use the Neo4j store at {uri}: {error}") from error

    def _detect_dialect(self) -> Dialect:
        try:
            self._transaction(NEO4J_PROBE, READ_ACCESS)
        except StoreError as error:  # FalkorDB answers every error with DatabaseError.General.UnknownError
            if isinstance(error.__cause__, DatabaseError):
                return FALKORDB_BOLT
            raise
        return NEO4J

    def _ensure_schema(self) -> None:
        if self.dialect == NEO4J:
            # Schema statements cannot share a transaction with a data write, so they bump no version (answers
            # do not change with indexes).
            for statement in (*NEO4J_SCHEMA, NEO4J_AWAIT_INDEXES):
                self._transaction(statement, WRITE_ACCESS)
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
            return self._transaction(cypher, READ_ACCESS, params, timeout_ms)
        return self._transaction(cypher, WRITE_ACCESS, params, timeout_ms, _writing)

    def _transaction(
        self,
        cypher: str,
        access: str,
        params: dict[str, Any] | None = None,
        timeout_ms: int | None = None,
        make_work: Callable[[str, dict[str, Any]], Work] = _reading,
    ) -> list[Row]:
        """One managed transaction on a session of `access` mode, with Neo4j's errors as StoreErrors."""
        work = make_work(cypher, params or {})
        if timeout_ms is not None:  # Neo4j ends the transaction itself when it runs longer
            work = unit_of_work(timeout=timeout_ms / 1000)(work)
        try:
            with self._counted(), self.driver.session(database=self.database, default_access_mode=access) as session:
                return session.execute_read(work) if access == READ_ACCESS else session.execute_write(work)
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

    def version(self) -> int:
        """The graph's version: the count every write through policykg bumps in its own transaction (0 before
        the first). Writes made around policykg (Neo4j Browser, cypher-shell) do not bump it."""
        rows = self._transaction(READ_VERSION, READ_ACCESS)
        return int(rows[0]["version"]) if rows else 0

    def version_reader(self) -> VersionRead:
        """`version` for an event loop, on a worker thread through the same driver: one connection pool per
        process, and the API's fast path reads it in the background under load (api/fastpath.py)."""

        async def read() -> int:
            return await asyncio.to_thread(self.version)

        return read

    def stats(self) -> dict[str, Any]:
        return cypher_stats(self.name, self.run)

    @contextmanager
    def _counted(self) -> Iterator[None]:
        """One transaction in flight, so that `close` waits for it; none starts once the store is closing."""
        with self._idle:
            if self._closing:
                raise StoreUnavailable("the store is closed")
            self._in_flight += 1
        try:
            yield
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()

    def close(self) -> None:
        """Close the driver once the transactions other threads are running have ended (at most CLOSE_WAIT_S)."""
        with self._idle:
            self._closing = True
            self._idle.wait_for(lambda: self._in_flight == 0, timeout=CLOSE_WAIT_S)
        self.driver.close()
