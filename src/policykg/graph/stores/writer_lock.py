"""One writer at a time per data folder.

A load reads what the store holds (which documents are loaded, which summaries exist) and then writes what is
missing; two loads side by side both saw the same documents missing and both wrote them (targets and cooperations
twice over, summaries counted twice). Every load and delete of the embedded store therefore holds an exclusive lock
on a file in its data folder, whichever process (ingest, load, delete, an upload to `serve`) and thread it runs in:
a second writer waits for the first one's batch, then finds its documents loaded. The kernel releases the lock of a
process that dies (kill -9), so a crash never leaves the folder locked.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

LOCK_FILE = "writer.lock"
_log = logging.getLogger(__name__)


def _log_wait(message: str) -> None:
    _log.warning(message)


class WriterLock:
    """The exclusive writer's lock of `data_dir`; `on_wait` hears once why a writer waits (the holder's pid and
    command), so that a second `policykg ingest` says what it waits for instead of seeming to hang."""

    def __init__(self, data_dir: Path, on_wait: Callable[[str], None] | None = None) -> None:
        self.path = Path(data_dir) / LOCK_FILE
        self.on_wait = on_wait or _log_wait

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # A file opened per use: flock excludes every other open file, in other threads of this process too.
        with open(self.path, "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self.on_wait(
                    f"another writer ({_holder(handle)}) is loading into {self.path.parent}; "
                    "waiting for it to finish its batch"
                )
                fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                _note_holder(handle)
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _note_holder(handle: IO[str]) -> None:
    """Who holds the lock, for the message of those who wait (the file is never deleted: unlinking a lock file
    lets two processes each lock a different file)."""
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps({"pid": os.getpid(), "command": " ".join(sys.argv)[:200]}))
    handle.flush()


def _holder(handle: IO[str]) -> str:
    try:
        handle.seek(0)
        holder = json.loads(handle.read() or "{}")
        return f"pid {holder['pid']}: {holder['command']}"
    except (OSError, ValueError, KeyError):
        return "another process"
