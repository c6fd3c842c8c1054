"""Ingest thousands of documents: extraction in worker processes, loading in batches as records arrive.

The parent hands one document at a time to each worker over a pipe and watches the clock: a worker
that exceeds the per-document limit (or dies) is killed and replaced, and only its document is
reported as failed. Records stream through a bounded queue to a loader thread that writes them to
the store in batches, so memory stays flat however large the corpus. Documents already `loaded`
with the same content are recognised in the worker by their content hash and never extracted again.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from policykg.graph.build import DOCUMENT_LABEL
from policykg.graph.stores.protocol import Store, StoreUnavailable
from policykg.ingest.files import DocumentFile, SkippedEntry, as_document_file
from policykg.ingest.ids import document_id
from policykg.ingest.pipeline import Failure, extract_file, extract_text
from policykg.ingest.readers import ReadError, read_document
from policykg.ingest.record import Record
from policykg.settings import EXTRACT_TIMEOUT_S

Extract = Callable[[Path], Record]
_READY = "ready"
_END = object()
# Spawned, not forked: the parent holds a store connection and a loader thread, which a fork would copy.
_CONTEXT = multiprocessing.get_context("spawn")


@dataclass(frozen=True)
class Skipped:
    """A document already loaded with this very content: nothing to do."""

    file: str
    doc_id: str


Outcome = Record | Skipped | Failure


def warm_up_extractor() -> None:
    """Build the extractor's per-process state (gazetteers, automata) before the first timed document."""
    extract_text("2024年某市科技工作要点\n一、主要目标\n与中国科学院合作。", "warm-up")


@dataclass(frozen=True)
class BatchOptions:
    workers: int = os.cpu_count() or 1
    document_timeout: float = EXTRACT_TIMEOUT_S  # seconds one document may take to extract (uploads too)
    startup_timeout: float = 300.0  # seconds a worker may take to import and build its extractor state
    batch_documents: int = 200  # records per store load: one existence check and a few UNWINDs each
    extract: Extract = extract_file  # must be a module-level function: workers are spawned
    warm_up: Callable[[], None] | None = warm_up_extractor  # run once per worker before its first document, untimed


@dataclass
class BatchSummary:
    documents: int = 0
    loaded: int = 0
    skipped: int = 0  # already loaded with this content: recognised by hash, never extracted
    unchanged: int = 0  # found unchanged by the store at load time (e.g. a duplicate within the batch)
    replaced: int = 0
    entities: int = 0
    relationships: int = 0
    targets: int = 0
    results: int = 0
    node_rows: int = 0
    relationship_rows: int = 0
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    passed_over: list[SkippedEntry] = field(default_factory=list)  # the walk's: entries that are no document file

    def lines(self) -> list[str]:
        rate = self.documents / self.seconds if self.seconds else 0.0
        lines = [
            f"{self.documents} documents in {self.seconds:.1f} s ({rate:.1f}/s): {self.loaded} loaded, "
            f"{self.skipped + self.unchanged} unchanged, {self.replaced} replaced, {len(self.failures)} failed"
            + (f", {len(self.passed_over)} entries skipped" if self.passed_over else ""),
            f"extracted {self.entities} entities, {self.relationships} relationships, {self.targets} targets, "
            f"{self.results} results; "
            f"wrote {self.node_rows} node rows and {self.relationship_rows} relationship rows",
        ]
        lines += [f"failed {failure.file}: {failure.reason}" for failure in self.failures]
        lines += [f"skipped {entry.path}: {entry.reason}" for entry in self.passed_over]
        return lines


def loaded_document_ids(store: Store) -> frozenset[str]:
    rows = store.run(f"MATCH (d:{DOCUMENT_LABEL}) WHERE d.status = 'loaded' RETURN d.id AS id")
    return frozenset(row["id"] for row in rows)


# ---- in the worker process ----


def process_document(file: DocumentFile, extract: Extract, loaded: frozenset[str]) -> Outcome:
    """Read, hash, and extract unless the store already holds this content; never raises. The record is
    known by the walk's name and origin for its file, whatever `extract` says (the server's paths stay out)."""
    try:
        doc_id = document_id(read_document(file.path).text)
        if doc_id in loaded:
            return Skipped(file.path, doc_id)
        record = extract(Path(file.path))
        record["source"], record["origin"] = file.name, file.origin
        return record
    except ReadError as error:
        return Failure(error.path, error.reason)
    except Exception as error:  # an extractor bug on one document must not stop the batch
        return Failure(file.path, f"extraction failed: {type(error).__name__}: {error}")


def _worker_main(
    conn: Connection, extract: Extract, warm_up: Callable[[], None] | None, loaded: frozenset[str]
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle: it stops us and saves the rest
    if warm_up is not None:
        warm_up()
    conn.send(_READY)
    while True:
        try:
            file = conn.recv()
        except EOFError:
            return
        if file is None:
            return
        conn.send(process_document(file, extract, loaded))


# ---- in the parent process ----


class _Worker:
    def __init__(self, options: BatchOptions, loaded: frozenset[str]) -> None:
        self.conn, child = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(
            target=_worker_main, args=(child, options.extract, options.warm_up, loaded), daemon=True
        )
        self.process.start()
        child.close()
        self.ready = False
        self.path: str | None = None
        self.deadline = time.monotonic() + options.startup_timeout

    def give(self, file: DocumentFile, limit: float) -> None:
        self.conn.send(file)
        self.path = file.path
        self.deadline = time.monotonic() + limit

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(timeout=5)
        self.kill()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


class WorkerStartError(RuntimeError):
    """A worker process could not even start: every document would fail the same way."""


class LoaderStopped(RuntimeError):
    """Loading stopped for good (the store died): the batch ends, and a rerun resumes where it was."""

    def __init__(self, cause: BaseException | None) -> None:
        super().__init__(f"loading stopped: {cause}")
        self.cause = cause


class _Loader(threading.Thread):
    """Writes records to the store in batches; a failed batch is retried one document at a time."""

    def __init__(
        self, store: Store, summary: BatchSummary, batch_documents: int, on_written: Callable[[int], None]
    ) -> None:
        super().__init__(name="policykg-loader", daemon=True)
        self.store = store
        self.summary = summary
        self.batch_documents = batch_documents
        self.on_written = on_written
        self.queue: queue.Queue[Any] = queue.Queue(maxsize=batch_documents)  # one batch waits while one is written
        self.error: BaseException | None = None

    def put(self, item: Any) -> None:
        if self.error is not None:
            raise LoaderStopped(self.error)
        while True:  # a loader that died must not leave the parent blocked on a full queue
            try:
                self.queue.put(item, timeout=1.0)
                return
            except queue.Full:
                if not self.is_alive():
                    raise LoaderStopped(self.error) from self.error

    def run(self) -> None:
        try:
            with self.store.bulk_loading():
                batch: list[Record] = []
                while (item := self.queue.get()) is not _END:
                    batch.append(item)
                    if len(batch) >= self.batch_documents:
                        self._load(batch)
                        batch = []
                if batch:
                    self._load(batch)
        except BaseException as error:
            self.error = error
            raise

    def _load(self, batch: list[Record]) -> None:
        try:
            self._count(self.store.load(batch))
        except StoreUnavailable:
            raise  # no document can be written now: the batch stops, and a rerun resumes
        except Exception:
            for record in batch:
                try:
                    self._count(self.store.load([record]))
                except StoreUnavailable:
                    raise
                except Exception as error:
                    self.summary.failures.append(
                        Failure(record.get("source") or record["file"], f"loading failed: {error}")
                    )
        self.on_written(len(batch))

    def _count(self, report: Any) -> None:
        self.summary.loaded += report.loaded
        self.summary.unchanged += report.unchanged
        self.summary.replaced += report.replaced
        self.summary.node_rows += report.nodes
        self.summary.relationship_rows += report.relationships


class _Pool:
    """Workers fed one document each; the parent kills and replaces any that overrun or die."""

    def __init__(self, options: BatchOptions, loaded: frozenset[str]) -> None:
        self.options = options
        self.loaded = loaded
        self.workers = [_Worker(options, loaded) for _ in range(max(1, options.workers))]

    def run(self, files: Sequence[DocumentFile], on_outcome: Callable[[Outcome], None]) -> None:
        pending = deque(files)
        while pending or any(w.path is not None for w in self.workers):
            for worker in self.workers:
                if worker.ready and worker.path is None and pending:
                    worker.give(pending.popleft(), self.options.document_timeout)
            timeout = min(w.deadline for w in self.workers) - time.monotonic()
            for conn in wait([w.conn for w in self.workers], timeout=min(max(timeout, 0.01), 1.0)):
                self._receive(self._owner(conn), on_outcome)
            self._enforce_deadlines(on_outcome)

    def _owner(self, conn: Any) -> _Worker:
        return next(w for w in self.workers if w.conn is conn)

    def _receive(self, worker: _Worker, on_outcome: Callable[[Outcome], None]) -> None:
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(timeout=5)  # reap it, so that its exit code is known
            self._replace(worker, on_outcome, f"the extracting process died (exit code {worker.process.exitcode})")
            return
        if message == _READY:
            worker.ready = True
            worker.deadline = float("inf")
            return
        worker.path = None
        worker.deadline = float("inf")
        on_outcome(message)

    def _enforce_deadlines(self, on_outcome: Callable[[Outcome], None]) -> None:
        now = time.monotonic()
        for worker in list(self.workers):
            if worker.deadline <= now and not worker.conn.poll():  # a finished result waiting is not late
                limit = self.options.document_timeout if worker.ready else self.options.startup_timeout
                self._replace(worker, on_outcome, f"took longer than {limit:g} s to extract")

    def _replace(self, worker: _Worker, on_outcome: Callable[[Outcome], None], reason: str) -> None:
        worker.kill()
        if not worker.ready:
            raise WorkerStartError(f"a worker process failed to start: {reason}")
        if worker.path is not None:
            on_outcome(Failure(worker.path, reason))
        self.workers[self.workers.index(worker)] = _Worker(self.options, self.loaded)

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()


def ingest_batch(
    paths: Sequence[DocumentFile | str],
    store: Store,
    options: BatchOptions | None = None,
    progress: Progress | None = None,
) -> BatchSummary:
    """Extract and load every file (a walk's, or paths named outright); failures are collected, never raised,
    and loaded data is never lost."""
    options = options or BatchOptions()
    files = [as_document_file(path) for path in paths]
    summary = BatchSummary(documents=len(paths))
    started = time.monotonic()
    task = progress.add_task("ingesting", total=len(paths)) if progress else None

    def advance(count: int = 1) -> None:
        if progress is not None and task is not None:
            progress.advance(task, count)

    loaded = loaded_document_ids(store)  # asked once, before anything starts: the store may be unreachable
    loader = _Loader(store, summary, options.batch_documents, advance)
    loader.start()

    def on_outcome(outcome: Outcome) -> None:
        if isinstance(outcome, Failure):
            summary.failures.append(outcome)
            advance()
        elif isinstance(outcome, Skipped):
            summary.skipped += 1
            advance()
        else:
            summary.entities += len(outcome["entities"])
            summary.relationships += len(outcome["relations"])
            summary.targets += len(outcome["targets"])
            summary.results += len(outcome.get("results") or [])
            loader.put(outcome)

    pool: _Pool | None = None
    try:
        pool = _Pool(options, loaded)
        pool.run(files, on_outcome)
    finally:
        if pool is not None:
            pool.close()
        if loader.is_alive():
            loader.put(_END)  # whatever was extracted is still written
            loader.join()
        summary.seconds = time.monotonic() - started
    if loader.error is not None:
        raise LoaderStopped(loader.error) from loader.error
    return summary


class RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        rate = task.completed / task.elapsed if task.elapsed else 0.0
        return Text(f"{rate:.1f} docs/s")


def progress_bar(**kwargs: Any) -> Progress:
    """Documents done of total, documents per second over the run so far, elapsed time and ETA."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        **kwargs,
    )
