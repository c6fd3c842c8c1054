"""The embedded default store: FalkorDB through its native client."""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext, suppress
from typing import Any

from falkordb import Edge, FalkorDB, Node, Path
from falkordb.query_result import QueryResult
from redis import asyncio as redis_asyncio
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from policykg.graph.aggregates import SUMMARY_KEYS
from policykg.graph.build import DOCUMENT_LABEL, ENTITY_LABEL, METRIC_LABEL, TARGET_LABEL
from policykg.graph.loading import INTERNED_PROPERTIES, CypherLoader
from policykg.graph.search import BACKFILL_SEARCH_TEXT, SEARCH_PROPERTY, full_text_cypher, search_entities
from policykg.graph.stores.protocol import (
    FALKORDB,
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
from policykg.graph.stores.texts import DocumentBody, DocumentTexts
from policykg.graph.stores.writer_lock import WriterLock
from policykg.ingest.record import Record

GRAPH_NAME = "policykg"
# What a restart may have to replay: a restart replays every write since the append-only file was last rewritten,
# query by query (bench/replay.py: seconds per MB), while a rewritten file loads as a snapshot.
REPLAY_BOUND_MB = 8
_CHECK_EVERY = 2**20  # characters of loading statements between looks at what a restart would replay
_REWRITE_SHARE = 4  # a rewrite (a fork serialising the whole graph) at most a quarter of the time
INDEXED = (
    (ENTITY_LABEL, "id"),
    (ENTITY_LABEL, "name"),
    (DOCUMENT_LABEL, "id"),
    (DOCUMENT_LABEL, "source"),
    (DOCUMENT_LABEL, "city"),
    (METRIC_LABEL, "id"),
    *SUMMARY_KEYS,
)
# Indexes older versions made, dropped when a store opens (a quarter of the store at national scale):
# targets are created with their document, never looked up by id; a city's facts are read whole.
RETIRED_INDEXES = {
    (TARGET_LABEL, "id"): f"DROP INDEX FOR (n:{TARGET_LABEL}) ON (n.id)",
    ("COOPERATES_WITH", "doc_id"): "DROP INDEX FOR ()-[r:COOPERATES_WITH]-() ON (r.doc_id)",
}
# The 'Chinese' language splits unspaced Chinese into words; the default language does not.
FULL_TEXT_INDEX = (
    f"CALL db.idx.fulltext.createNodeIndex({{label: '{ENTITY_LABEL}', language: 'Chinese'}}, '{SEARCH_PROPERTY}')"
)
FULL_TEXT_QUERY = full_text_cypher(f"CALL db.idx.fulltext.queryNodes('{ENTITY_LABEL}', $query)")
LIST_INDEXES = "CALL db.indexes() YIELD label, types RETURN label, types"  # types: {field: [RANGE, FULLTEXT…]}


def range_index_cypher(label: str, field: str) -> str:
    """FalkorDB's index syntax (it has no IF NOT EXISTS), for clients without create_node_range_index."""
    return f"CREATE INDEX FOR (n:{label}) ON (n.{field})"


_WORD = re.compile(r"\w+")
# JSON escapes FalkorDB's string literals do not read the same way (it reads \n \t \" \\ alike).
_UNSURE_ESCAPES = ("\\u", "\\b", "\\f", "\\r")


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _map_keys(value: Any, keys: set[Any]) -> None:
    """Every key of every map inside `value`, looking only into maps and lists. A batch holds hundreds of
    thousands of values, nearly all scalars: the types of a map's or list's members are checked in one C
    pass (set of types), and only members that hold containers are looked into."""
    level = [value]
    while level:
        inner: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                keys.update(item)
                members: Iterable[Any] = item.values()
            elif isinstance(item, list):
                members = item
            else:
                continue
            if not _SCALARS.issuperset(map(type, members)):
                inner.extend(member for member in members if isinstance(member, dict | list))
        level = inner


def params_header(params: dict[str, Any]) -> str | None:
    """The `CYPHER name=value …` header FalkorDB takes parameters in, encoded by the C JSON encoder with
    map keys in backticks: the client's own pure-Python encoder took a third of the load time. None when
    the JSON holds something FalkorDB would read differently (then the client's encoder is used)."""
    parts = []
    for name, value in params.items():
        keys: set[Any] = set()
        _map_keys(value, keys)
        if not all(isinstance(key, str) and _WORD.fullmatch(key) for key in keys):
            return None
        try:
            text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError):
            return None
        if any(escape in text for escape in _UNSURE_ESCAPES):
            return None
        for key in keys:  # in JSON a quoted word followed by a colon is always a key, never inside a string
            text = text.replace(f'"{key}":', f"`{key}`:")
        parts.append(f"{name}={text}")
    return "CYPHER " + " ".join(parts) + " "


def to_plain(value: Any) -> Any:
    """FalkorDB's graph values as JSON-ready dicts, the same shape the Neo4j store returns."""
    if isinstance(value, Node):
        return {"element_id": str(value.id), "labels": sorted(value.labels or []), "properties": dict(value.properties)}
    if isinstance(value, Edge):
        return {
            "element_id": str(value.id),
            "type": value.relation,
            "start": str(value.src_node),
            "end": str(value.dest_node),
            "properties": dict(value.properties),
        }
    if isinstance(value, Path):
        return {"nodes": [to_plain(n) for n in value.nodes()], "relationships": [to_plain(e) for e in value.edges()]}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value


class _NotScalar(Exception):
    """A compact value _plain leaves to the client's parser."""


def _plain(value: list[Any]) -> Any:
    """A compact reply's [type, value] as a plain value: null, string, integer, boolean, double, list, map."""
    kind, raw = value
    if kind in (2, 3):  # strings and integers arrive ready
        return raw
    if kind == 1:
        return None
    if kind == 6:
        return [_plain(item) for item in raw]
    if kind == 10:  # a map: key, value, key, value…
        return {raw[i]: _plain(raw[i + 1]) for i in range(0, len(raw), 2)}
    if kind == 5:
        return float(raw)
    if kind == 4:
        return raw == "true"
    raise _NotScalar(kind)


class RedisCounter:
    """A Redis counter read with redis' asyncio client, one client per event loop."""

    def __init__(self, connection: dict[str, Any], key: str) -> None:
        where = (
            {"unix_socket_path": connection["path"]}
            if connection.get("path")
            else {"host": connection.get("host", "localhost"), "port": connection.get("port", 6379)}
        )
        self._options = {
            **where,
            "db": connection.get("db", 0),
            "username": connection.get("username"),
            "password": connection.get("password"),
        }
        self._key = key
        self._client: tuple[asyncio.AbstractEventLoop, redis_asyncio.Redis] | None = None

    async def __call__(self) -> int:
        loop = asyncio.get_running_loop()
        if self._client is None or self._client[0] is not loop:
            self._client = (loop, redis_asyncio.Redis(**self._options))
        try:
            return int(await self._client[1].get(self._key) or 0)
        except RedisError as error:
            raise StoreUnavailable(f"FalkorDB stopped answering: {error}") from error


class FalkorDBStore:
    name = "falkordb"
    dialect: Dialect = FALKORDB

    def __init__(
        self,
        client: FalkorDB,
        graph_name: str = GRAPH_NAME,
        batch_rows: int = 2000,
        texts: DocumentTexts | None = None,
        writer_lock: WriterLock | None = None,
    ) -> None:
        """`texts`: where documents' text is kept instead of the graph (the embedded store's data folder);
        without it the text is a Document property, as on Neo4j. `writer_lock`: held by every load and delete, so
        that writers in other processes take turns (the embedded store's data folder)."""
        self.client = client
        self.writer_lock = writer_lock
        self._rewritten = 0.0  # when this store last started a rewrite of the append-only file (time.monotonic)
        self.replay_bound_mb: float = REPLAY_BOUND_MB
        self._unchecked = 0  # characters of statements sent since the append-only file's size was last looked at
        self.graph = client.select_graph(graph_name)
        self.texts = texts
        self._version_key = f"{graph_name}:version"  # a plain Redis key beside the graph's: it never enters the graph
        self.loader = CypherLoader(
            self._write, self._read, batch_rows=batch_rows, interned=INTERNED_PROPERTIES, texts=texts
        )
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="falkordb-writer")
        self._loading = threading.local()  # each thread's write in flight: its error is that thread's to see
        self._ensure_indexes()

    def _ensure_indexes(self) -> None:
        existing = {(row[0], field) for row in self.graph.query(LIST_INDEXES).result_set for field in row[1]}
        for retired in existing & RETIRED_INDEXES.keys():
            self.graph.query(RETIRED_INDEXES[retired])
        for label, field in INDEXED:
            try:
                self.graph.create_node_range_index(label, field)
            except ResponseError as error:  # FalkorDB has no IF NOT EXISTS: an existing index is fine
                if "already indexed" not in str(error):
                    raise
        try:
            self.graph.query(FULL_TEXT_INDEX)
        except ResponseError as error:
            if "already indexed" not in str(error):
                raise
        self.graph.query(BACKFILL_SEARCH_TEXT)
        self.loader.summaries.ensure()
        if not set(INDEXED) <= existing:
            # Indexes made since the last rewrite come back only when a replay ends: until then each replayed
            # MERGE scans every node of its label (10 MB of an ingest's writes replayed for 231 s, against 2 s
            # once the indexes are in the rewritten file).
            with suppress(RedisError):
                self._rewrite()

    def _write(self, cypher: str, params: dict[str, Any]) -> None:
        """Send a loading statement while the previous one may still run: encoding this one overlaps the
        server's work on that one. Its error, if any, surfaces at the next write or read."""
        statement, leftover = self._statement(cypher, params)
        self._flush()
        self._loading.pending = self._writer.submit(self._send, statement, leftover)
        self._unchecked += len(statement)
        if self._unchecked >= _CHECK_EVERY:  # one load of 200 documents writes tens of MB: checked as it goes
            self._unchecked = 0
            self._keep_replay_short()

    def _send(self, statement: str, params: dict[str, Any] | None) -> None:
        try:
            self.graph.query(statement, params)
        except (RedisConnectionError, RedisTimeoutError) as error:
            raise StoreUnavailable(f"FalkorDB stopped answering: {error}") from error
        except RedisError as error:
            raise StoreError(str(error)) from error

    def _flush(self) -> None:
        pending: Future[None] | None = getattr(self._loading, "pending", None)
        self._loading.pending = None
        if pending is not None:
            pending.result()

    @staticmethod
    def _statement(cypher: str, params: dict[str, Any] | None) -> tuple[str, dict[str, Any] | None]:
        """The statement with its parameters encoded in front, or as they were when only the client can."""
        header = params_header(params) if params else None
        return (cypher, params) if header is None else (header + cypher, None)

    def _read(self, cypher: str, params: dict[str, Any]) -> list[Row]:
        return self.run(cypher, params)

    def run(
        self, cypher: str, params: dict[str, Any] | None = None, read_only: bool = True, timeout_ms: int | None = None
    ) -> list[Row]:
        if read_only:
            ensure_read_only(cypher)
        self._flush()
        statement, leftover = self._statement(cypher, params)
        try:
            if read_only and leftover is None:
                return self._read_compact(statement, timeout_ms)
            if read_only:
                result = self.graph.ro_query(statement, leftover, timeout=timeout_ms)
            else:
                result = self.graph.query(statement, leftover, timeout=timeout_ms)
        except ResponseError as error:
            if "read-only" in str(error):
                raise ReadOnlyViolation("the query writes, and only read queries are allowed here") from error
            raise StoreError(str(error)) from error
        except (RedisConnectionError, RedisTimeoutError) as error:
            raise StoreUnavailable(f"FalkorDB stopped answering: {error}") from error
        except RedisError as error:
            raise StoreError(f"FalkorDB: {error}") from error
        if not read_only:
            self._bump_version()
        columns = [column[1] if isinstance(column, list | tuple) else column for column in result.header]
        return [{str(c): to_plain(v) for c, v in zip(columns, row, strict=False)} for row in result.result_set]

    def _read_compact(self, statement: str, timeout_ms: int | None) -> list[Row]:
        """A read whose compact reply becomes plain values in one pass: the client's parser builds objects
        that to_plain then walks again, most of a large answer's time. A reply holding nodes, relationships
        or paths goes through the client's parser, which knows their labels."""
        command: list[Any] = ["GRAPH.RO_QUERY", self.graph.name, statement, "--compact"]
        if timeout_ms is not None:
            command += ["timeout", timeout_ms]
        reply = self.client.connection.execute_command(*command)
        if isinstance(reply[-1], ResponseError):  # an error met while running
            raise reply[-1]
        if len(reply) == 1:  # statistics only
            return []
        columns = [str(column[1]) for column in reply[0]]
        try:
            return [{c: _plain(v) for c, v in zip(columns, row, strict=False)} for row in reply[1]]
        except _NotScalar:
            result = QueryResult(self.graph, reply)
            return [{c: to_plain(v) for c, v in zip(columns, row, strict=False)} for row in result.result_set]

    def load(self, records: Iterable[Record]) -> LoadReport:
        with self._changing():
            return self.loader.load(records)

    def delete_document(self, doc_id: str) -> bool:
        with self._changing():
            return self.loader.delete_document(doc_id)

    @contextmanager
    def bulk_loading(self) -> Iterator[None]:
        """Many loads in a row, ended (or cut short) by a rewrite of the append-only file, so that the next start
        loads a snapshot. Meanwhile each load keeps what a restart would replay short (_keep_replay_short)."""
        try:
            yield
        finally:
            with suppress(RedisError):  # the rewrite only speeds up the next start
                self._rewrite()

    @contextmanager
    def _changing(self) -> Iterator[None]:
        """A write, finished or cut short, gives the graph a new version: results cached for the old one go stale.
        It runs alone among writers sharing the writer lock (writer_lock.py says why)."""
        with self.writer_lock.held() if self.writer_lock else nullcontext():
            try:
                yield
            finally:
                try:
                    self._flush()
                finally:
                    self._bump_version()
            self._keep_replay_short()

    def _keep_replay_short(self) -> None:
        """Rewrite the append-only file once the writes since its last rewrite pass REPLAY_BOUND_MB: a server killed
        mid-ingest replayed 16 MB of writes for 115 s, answering nothing, before it could serve again. The server
        never rewrites on its own (embedded_server.py): its rule (the file doubled since the last rewrite) lets
        what a restart replays grow with the graph. A rewrite forks the server, and the fork keeps copies of the
        pages written while it runs, so rewrites take at most 1/_REWRITE_SHARE of the time, one at a time."""
        try:
            info = self.client.connection.info("persistence")
            if not info.get("aof_enabled") or info.get("aof_rewrite_in_progress") or info.get("aof_rewrite_scheduled"):
                return
            grown = int(info.get("aof_current_size", 0)) - int(info.get("aof_base_size", 0))
            last = max(0, int(info.get("aof_last_rewrite_time_sec", 0)))
            if grown < self.replay_bound_mb * 2**20 or time.monotonic() - self._rewritten < _REWRITE_SHARE * last:
                return
            self._rewrite()
        except RedisError:  # the rewrite only shortens the next start: a write must not fail for it
            return

    def _rewrite(self) -> None:
        """Start rewriting the append-only file as a snapshot (when there is one, and no rewrite runs)."""
        connection = self.client.connection
        if connection.config_get("appendonly").get("appendonly") != "yes":
            return
        with suppress(ResponseError):  # a rewrite already under way does the same
            connection.bgrewriteaof()
        self._rewritten = time.monotonic()

    def document_body(self, doc_id: str) -> DocumentBody | None:
        kept = self.texts.get(doc_id) if self.texts is not None else None
        return kept if kept is not None else body_in_graph(self.run, doc_id)  # a store loaded with texts inside

    def version(self) -> int:
        """The graph's version: a counter next to the graph that every load, delete and write query bumps."""
        try:
            return int(self.client.connection.get(self._version_key) or 0)
        except RedisError as error:
            raise StoreUnavailable(f"FalkorDB stopped answering: {error}") from error

    def version_reader(self) -> VersionRead:
        """`version` read on the event loop itself with redis' asyncio client: a thread would wait for the
        interpreter lock while the loop is busy, which under load is up to its 5 ms switch interval."""
        return RedisCounter(self.client.connection.connection_pool.connection_kwargs, self._version_key)

    def _bump_version(self) -> None:
        try:
            self.client.connection.incr(self._version_key)
        except RedisError as error:
            raise StoreUnavailable(f"FalkorDB stopped answering: {error}") from error

    def search_entities(self, text: str, limit: int = 20) -> list[Row]:
        return search_entities(text, limit, self.run, FULL_TEXT_QUERY)

    def stats(self) -> dict[str, Any]:
        return cypher_stats(self.name, self.run)

    def close(self) -> None:
        self._writer.shutdown(wait=True)
        self.client.close()
