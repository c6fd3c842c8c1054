"""Results of whole-graph curated queries, kept until the graph changes.

Rankings and the cooperation matrix read every cooperation fact (seconds on a graph of millions of
relationships), and a hub's queries read tens of thousands, yet their answer changes only when a
document is loaded or deleted. The store keeps a version that every write bumps (`store.version()`);
a cached response body (JSON, ready to send) is served while the version it was computed at is still
the store's. Each API worker process has its own cache; the version lives in the store, so a write
through any process or the CLI invalidates them all. One request computes a missing result while the
others asking for it wait.

Consistency (api/fastpath.py's VersionReader): an answer is computed at, or checked against, a version
read at most POLICYKG_CACHE_VERSION_MS (default 20) before the request, re-read in the background under
load so that no request waits for the store. So a load or delete through another server process or the
CLI shows in answers within that time; one through the same process at once. With 0, every request
waits for a version read begun after it arrived (the requests arriving together share it), and sees
every write finished before it was sent; under load that costs a store round trip in each request's path.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

Compute = Callable[[], bytes]


class ResultCache:
    """Bodies up to `max_bytes` in all, the least recently used dropped first. Bounded in bytes, not entries:
    answers range from a few hundred bytes to a megabyte, and a page's working set is hundreds of them."""

    def __init__(self, max_bytes: int = 256 * 2**20) -> None:
        self.max_bytes = max_bytes
        self._bytes = 0
        self._entries: OrderedDict[Hashable, tuple[int, bytes]] = OrderedDict()  # key → (version, body)
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, version: int, compute: Compute) -> bytes:
        """The body for `key` at `version`: from the cache, or computed once and kept."""
        found = self.lookup(key, version)
        if found is not None:
            return found
        with self._lock:
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:  # concurrent misses on one key run the query once
            found = self.lookup(key, version)
            if found is not None:
                return found
            body = compute()
            self._keep(key, version, body)
            return body

    def lookup(self, key: Hashable, version: int) -> bytes | None:
        """The body kept for `key` if it was computed at `version`."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != version:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def _keep(self, key: Hashable, version: int, body: bytes) -> None:
        with self._lock:
            replaced = self._entries.pop(key, None)
            self._bytes -= len(replaced[1]) if replaced else 0
            self._entries[key] = (version, body)
            self._bytes += len(body)
            while self._bytes > self.max_bytes and len(self._entries) > 1:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= len(dropped)
