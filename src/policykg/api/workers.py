"""Work that can take minutes and gigabytes (an upload's extraction, a whole-graph export or analysis) runs in a
worker process of its own, with a time limit.

A thread cannot be stopped: a hostile upload kept a core busy and 3.5 GB after its client had left, and the
server ignored SIGTERM (issue #19). A process is killed when its time is up, when the client that asked goes
away, or when the server stops (the request's task is cancelled), and its memory goes with it. The worker also
sets itself an alarm a little past the limit, so that it ends even if the server was killed without a word.
Workers are spawned, not forked: the server's threads hold locks a fork would copy mid-use.
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import signal
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from starlette.requests import Request

_CONTEXT = multiprocessing.get_context("spawn")
_POLL_S = 0.05  # how often the waiting request looks at its worker and its client
_ALARM_MARGIN_S = 5  # the worker's own deadline, past the server's: a last resort


class WorkerTimeout(Exception):
    """The work took longer than its limit; the worker was killed."""


class WorkerFailed(Exception):
    """The work raised: `kind` is the exception's class name, `message` its text (the trace stays in the worker)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message


class ClientGone(Exception):
    """The client that asked disconnected: nobody waits for the answer any more."""


def _work(conn: Connection, target: Callable[..., Any], args: tuple[Any, ...], limit_s: float) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the server's to handle: it stops us
    signal.alarm(math.ceil(limit_s) + _ALARM_MARGIN_S)
    try:
        result: tuple[str, ...] | tuple[str, Any] = ("ok", target(*args))
    except BaseException as error:
        result = ("error", type(error).__name__, str(error)[:2000])
    conn.send(result)
    conn.close()


async def run_in_worker(
    target: Callable[..., Any], args: tuple[Any, ...], limit_s: float, request: Request | None = None
) -> Any:
    """`target(*args)` in a new process, its result once it returns. WorkerTimeout past `limit_s`, ClientGone
    when `request`'s client disconnects first, WorkerFailed when it raises; the process is killed in all
    three cases and when the waiting task is cancelled. `target` must be a module-level function."""
    receiving, sending = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(target=_work, args=(sending, target, args, limit_s), daemon=True)
    process.start()
    sending.close()
    deadline = time.monotonic() + limit_s
    try:
        while not receiving.poll():
            if not process.is_alive() and not receiving.poll():
                raise WorkerFailed("WorkerDied", f"the worker process ended with exit code {process.exitcode}")
            if time.monotonic() > deadline:
                raise WorkerTimeout(f"the work took longer than its limit of {limit_s:.0f} s")
            if request is not None and await request.is_disconnected():
                raise ClientGone("the client disconnected")
            await asyncio.sleep(_POLL_S)
        outcome = receiving.recv()
    finally:
        receiving.close()
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
    if outcome[0] == "error":
        raise WorkerFailed(outcome[1], outcome[2])
    return outcome[1]
