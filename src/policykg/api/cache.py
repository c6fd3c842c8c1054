"""Results of whole-graph curated queries, kept until the graph changes.

Rankings and the cooperation matrix read every cooperation fact (seconds on a graph of millions of
relationships), and a hub's queries read tens of thousands, yet their answer changes only when a
document is loaded or deleted. The store keeps a version that every write bumps (`store.version()`);
a cached response body (JSON, ready to send) is served while the version it was computed at is still
the store's. Each API worker process has its own cache; the version lives in the store, so a write
through any process or the CLI invalidates them all. One request computes a missing result while the
others asking for it wait; the note of a computation in flight is dropped when its last waiter is done, so
the cache keeps no state for a request once answered (a 404 included): in flight at most as many keys as
requests being served.

Consistency (api/fastpath.py's VersionReader): an answer is computed at, or checked against, a version
read at most POLICYKG_CACHE_VERSION_MS (default 20) before the request, re-read in the background under
load so that no request waits for the store. So a load or delete through another server process or the
CLI shows in answers within that time; one through the same process at once. With 0, every request
waits for a version read begun after it arrived (the requests arriving together share it), and sees
every write finished before it was sent; under load that costs a store round trip in each request's path.

Each answer of at least 1 KB is kept twice, as is and gzip-compressed (api/compression.py), both counted in
the cache's bytes: the compressed copy is made once, when the answer is stored, not for every request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import NamedTuple

from policykg.api.compression import gzip_copy

Compute = Callable[[], bytes]


class Body(NamedTuple):
    """A cached answer: its bytes, and their gzip copy (None for a body too small to compress)."""

    plain: bytes
    gzipped: bytes | None

    @property
    def size(self) -> int:
        return len(self.plain) + len(self.gzipped or b"")


class _InFlight:
    """One key being computed: its lock, and how many requests hold or wait for it (the note goes at zero)."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.users = 0


class ResultCache:
    """Bodies up to `max_bytes` in all (both copies), the least recently used dropped first. Bounded in bytes, not
    entries: answers range from a few hundred bytes to a megabyte, and a page's working set is hundreds of them."""

    def __init__(self, max_bytes: int = 256 * 2**20) -> None:
        self.max_bytes = max_bytes
        self._bytes = 0
        self._entries: OrderedDict[Hashable, tuple[int, Body]] = OrderedDict()  # key → (version, body)
        self._lock = threading.Lock()
        self._computing: dict[Hashable, _InFlight] = {}  # only keys some request is computing or waiting for

    def get(self, key: Hashable, version: int, compute: Compute) -> Body:
        """The body for `key` at `version`: from the cache, or computed (and compressed) once and kept."""
        found = self.lookup(key, version)
        if found is not None:
            return found
        flight = self._join(key)
        try:
            with flight.lock:  # concurrent misses on one key run the query once
                found = self.lookup(key, version)
                if found is not None:
                    return found
                plain = compute()
                body = Body(plain, gzip_copy(plain))
                self._keep(key, version, body)
                return body
        finally:
            self._leave(key, flight)

    def in_flight(self) -> int:
        """How many keys are being computed now (0 once every request is answered)."""
        with self._lock:
            return len(self._computing)

    def _join(self, key: Hashable) -> _InFlight:
        with self._lock:
            flight = self._computing.setdefault(key, _InFlight())
            flight.users += 1
            return flight

    def _leave(self, key: Hashable, flight: _InFlight) -> None:
        with self._lock:
            flight.users -= 1
            if flight.users == 0:
                del self._computing[key]

    def lookup(self, key: Hashable, version: int) -> Body | None:
        """The body kept for `key` if it was computed at `version`."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != version:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def _keep(self, key: Hashable, version: int, body: Body) -> None:
        with self._lock:
            replaced = self._entries.pop(key, None)
            self._bytes -= replaced[1].size if replaced else 0
            self._entries[key] = (version, body)
            self._bytes += body.size
            while self._bytes > self.max_bytes and len(self._entries) > 1:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped.size
