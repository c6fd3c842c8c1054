"""Places for /api/cypher queries: at most so many running at once in all, and so many from one client.

A query holds its place until the store has answered it, even when its client has gone: a query the store cannot
interrupt keeps its place, not another one's. A request finding no place is answered 429 at once instead of
waiting, so hostile queries never occupy more of the store's threads (embedded_server.py keeps spare ones) or of
the API's than their places. The counts live in shared memory created by the serving process, so that
`serve --workers N` counts the queries of all its processes together; a client is its address (behind a
reverse proxy, the proxy's). Clients are counted in a fixed table of buckets by a hash of their address: two
clients sharing a bucket share its places, and the table never grows.
"""

from __future__ import annotations

import multiprocessing
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.sharedctypes import Synchronized, SynchronizedArray

BUCKETS = 4096


class NoPlace(RuntimeError):
    """Every place is taken; the message says which limit was met."""


class CypherGate:
    def __init__(self, total: int, per_client: int) -> None:
        context = multiprocessing.get_context("spawn")  # shared with spawned `serve --workers` processes
        self.total = total
        self.per_client = per_client
        self._running: Synchronized[int] = context.Value("i", 0)  # its lock guards the table too
        self._clients: SynchronizedArray[int] = context.Array("i", BUCKETS, lock=False)

    @contextmanager
    def place(self, client: str) -> Iterator[None]:
        """Hold a place for one query from `client` while the block runs; NoPlace when none is free."""
        bucket = zlib.crc32(client.encode("utf-8", "replace")) % BUCKETS
        with self._running.get_lock():
            if self._clients[bucket] >= self.per_client:
                raise NoPlace(
                    f"this client already runs {self.per_client} Cypher quer{'y' if self.per_client == 1 else 'ies'} "
                    "at a time, the most allowed (POLICYKG_CYPHER_PER_CLIENT): send the next one when it has answered"
                )
            if self._running.value >= self.total:
                raise NoPlace(
                    f"{self.total} Cypher queries are running in all, the most allowed (POLICYKG_CYPHER_CONCURRENCY): "
                    "try again in a moment"
                )
            self._running.value += 1
            self._clients[bucket] += 1
        try:
            yield
        finally:
            with self._running.get_lock():
                self._running.value -= 1
                self._clients[bucket] -= 1
