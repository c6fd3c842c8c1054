"""Whole-graph answers (the exports, the network analytics): computed at most once per graph version, into a file
that is streamed to every client asking, with a time limit.

Such an answer read the whole graph on every request: a Turtle export of 1,005 documents took over 300 s and
6.4 GB that the server kept, centrality 200 s, and anyone could ask for them again and again (issue #19). Now:

- the answer is written to a file named by the graph's version and the request's parameters; later requests at
  the same version are sent that file, in chunks, without recomputing (a load or delete bumps the version, and
  the files of older versions are deleted when a newer one is written);
- the computation runs in a worker process (api/workers.py) that opens the store itself: killed past
  POLICYKG_GRAPH_TIMEOUT_S (the request answers 503), and its memory goes with it. An app created without a
  way to reopen its store (`create_app` without `reopen`, as in most tests) computes in the request's thread
  instead, without the time limit;
- one computation per answer at a time: requests asking for one being computed wait for it.

On a store without a version (Neo4j) nothing is kept: each request computes into a file of its own, deleted
once sent.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from fastapi import HTTPException
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import StreamingResponse

from policykg.api.workers import ClientGone, WorkerFailed, WorkerTimeout, run_in_worker
from policykg.graph import analytics
from policykg.graph.stores.protocol import Store
from policykg.settings import StoreSettings

log = logging.getLogger("policykg.api")
Params = dict[str, Any]
StoreOpener = Callable[[], AbstractContextManager[Store]]  # picklable: it travels to the worker process
CHUNK_BYTES = 256 * 1024
KEPT_FILES = 64  # answers kept at one version (analytics' parameters vary; exports are few)


@dataclass(frozen=True)
class SettingsOpener:
    """Opens the store from its settings in a worker process, as `serve` opened it, and leaves the embedded
    server running when done (the serving process holds it)."""

    settings: StoreSettings

    @contextmanager
    def __call__(self) -> Iterator[Store]:
        from policykg.graph.stores.opening import open_store

        opened = open_store(self.settings)
        try:
            yield opened.store
        finally:
            opened.close(keep_server=True)


class JobFailed(Exception):
    """The computation failed for a reason the client gave: `status` is the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# ---------------------------------------------------------------- the computations: (store, params) → bytes


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _export(store: Store, params: Params, out: BinaryIO) -> None:
    from policykg.export.formats import write_export

    write_export(store, params["format"], out, params.get("doc"))


def _centrality(store: Store, params: Params) -> bytes:
    graph = analytics.entity_graph(store)
    return _json(analytics.centrality(graph, params["types"], params["top"]))


def _projection(store: Store, params: Params) -> bytes:
    return _json(analytics.city_partner_projection(analytics.entity_graph(store), params["top"]))


def _communities(store: Store, params: Params) -> bytes:
    return _json(analytics.communities(analytics.entity_graph(store), params["min_size"]))


def _measures(store: Store, params: Params) -> bytes:
    return _json(analytics.node_measures(analytics.entity_graph(store)))


def _path(store: Store, params: Params) -> bytes:
    return _json(analytics.shortest_path(analytics.entity_graph(store), params["source"], params["target"]))


# Answers written to their file as they are made (RDF exports stream their triples).
STREAMED_JOBS: dict[str, Callable[[Store, Params, BinaryIO], None]] = {"export": _export}
JOBS: dict[str, Callable[[Store, Params], bytes]] = {
    "centrality": _centrality,
    "projection": _projection,
    "communities": _communities,
    "measures": _measures,
    "path": _path,
}


def compute(store: Store, kind: str, params: Params, output: str) -> None:
    """Job `kind`'s answer written to `output`."""
    if kind in STREAMED_JOBS:
        with Path(output).open("wb") as out:
            STREAMED_JOBS[kind](store, params, out)
        return
    Path(output).write_bytes(JOBS[kind](store, params))


def _compute_here(store: Store, kind: str, params: Params, output: str) -> None:
    """`compute` in this process, its failure told as a worker's is (one way to report both)."""
    try:
        compute(store, kind, params, output)
    except Exception as error:
        raise WorkerFailed(type(error).__name__, str(error)) from error


def compute_in_worker(opener: StoreOpener, kind: str, params: Params, output: str) -> None:
    """`compute` in a worker process, on a connection of its own (api/workers.py runs it)."""
    with opener() as store:
        compute(store, kind, params, output)


# ---------------------------------------------------------------- the files and their computation


def _failure(error: WorkerFailed) -> JobFailed:
    """The client's mistakes raised in a worker keep their meaning; anything else is the server's."""
    if error.kind == "DocumentNotFound":
        return JobFailed(404, error.message)
    if error.kind == "ValueError":  # an unknown format, an entity the graph lacks
        return JobFailed(404 if error.message.startswith("no entity") else 400, error.message)
    if error.kind in ("StoreError", "StoreUnavailable"):
        return JobFailed(503, f"the store failed: {error.message}")
    log.error("a whole-graph computation failed: %s: %s", error.kind, error.message)
    return JobFailed(503, f"the computation failed ({error.kind}); the server log has the details")


class _InFlight:
    """A key being computed: its lock and how many requests hold or wait for it (the note goes at zero)."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


class GraphJobs:
    """The files of whole-graph answers in one folder of their own, deleted with it when the app goes."""

    def __init__(self, limit_s: float, reopen: StoreOpener | None = None) -> None:
        self.limit_s = limit_s
        self.reopen = reopen
        self._folder = tempfile.TemporaryDirectory(prefix="policykg-answers-")
        self.folder = Path(self._folder.name)
        self.computed = 0  # computations run, for tests and the curious: a cached answer adds none
        self._computing: dict[str, _InFlight] = {}
        self._once = itertools.count()

    async def answer(self, store: Store, kind: str, params: Params, request: Request | None = None) -> BinaryIO:
        """Job `kind`'s answer for `params`, opened for reading: an open file stays readable when a newer version's
        answer deletes it. JobFailed for a failure to report."""
        version = await run_in_threadpool(store.version)
        name = f"{kind}-{_digest(params)}"
        if version is None:
            path = self.folder / f"once-{name}-{next(self._once)}"
            await self._compute(store, kind, params, path, request)
            opened = path.open("rb")
            path.unlink()  # nobody else will ask for it; the open file lives until sent
            return opened
        path = self.folder / f"v{version}-{name}"
        flight = self._computing.setdefault(name, _InFlight())
        flight.users += 1
        try:
            async with flight.lock:  # concurrent requests for one answer compute it once
                if not path.exists():
                    await self._compute(store, kind, params, path, request)
                    self._prune(version)
                return path.open("rb")
        finally:
            flight.users -= 1
            if flight.users == 0:
                del self._computing[name]

    async def _compute(self, store: Store, kind: str, params: Params, path: Path, request: Request | None) -> None:
        """The answer written beside `path` and renamed into place, so no request ever reads half of one."""
        partial = path.with_name(path.name + ".partial")
        self.computed += 1
        try:
            if self.reopen is None:
                await run_in_threadpool(_compute_here, store, kind, params, str(partial))
            else:
                args = (self.reopen, kind, params, str(partial))
                await run_in_worker(compute_in_worker, args, self.limit_s, request)
            partial.replace(path)
        except WorkerTimeout as error:
            raise JobFailed(
                503,
                f"{kind} took longer than its limit of {self.limit_s:g} s (POLICYKG_GRAPH_TIMEOUT_S) and was stopped",
            ) from error
        except WorkerFailed as error:
            raise _failure(error) from error
        except ClientGone as error:
            raise JobFailed(499, "the client disconnected") from error
        finally:
            partial.unlink(missing_ok=True)

    def _prune(self, version: int) -> None:
        """Files of older versions go (the version only grows); at one version, the least recently written past
        KEPT_FILES."""
        current = f"v{version}-"
        kept = []
        for file in self.folder.iterdir():
            if file.name.startswith("v") and not file.name.startswith(current):
                file.unlink(missing_ok=True)
            elif file.name.startswith(current):
                kept.append(file)
        kept.sort(key=lambda file: file.stat().st_mtime)
        for file in kept[:-KEPT_FILES]:
            file.unlink(missing_ok=True)


async def respond(
    request: Request, kind: str, params: Params, media_type: str = "application/json", file_name: str | None = None
) -> StreamingResponse:
    """The app's answer to job `kind` for `params`, streamed in chunks; HTTPException for a failure."""
    jobs: GraphJobs = request.app.state.graph_jobs
    try:
        opened = await jobs.answer(request.app.state.store, kind, params, request)
    except JobFailed as error:
        raise HTTPException(error.status, error.message) from error
    headers = {"Content-Length": str(os.fstat(opened.fileno()).st_size)}
    if file_name:
        headers["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return StreamingResponse(_chunks(opened), media_type=media_type, headers=headers)


def _chunks(opened: BinaryIO) -> Iterator[bytes]:
    """The file a chunk at a time, so that the server holds one chunk of a gigabyte export, not the export."""
    with opened:
        while chunk := opened.read(CHUNK_BYTES):
            yield chunk


def _digest(params: Params) -> str:
    """A file name's worth of the parameters (any text may be in them)."""
    return hashlib.sha256(_json(sorted(params.items()))).hexdigest()[:32]
