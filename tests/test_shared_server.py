"""One embedded server shared by several real processes: none stops it under another, a server started with
`policykg store start` outlives them all, a killed process's lease does not keep it alive, and `serve`/`demo`
stop their server on SIGTERM and Ctrl+C."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from policykg.graph.stores.embedded_server import EmbeddedServer, _pid_alive, free_port

pytestmark = pytest.mark.store
POLICYKG = str(Path(sys.executable).parent / "policykg")
# Opens the store as every CLI command does, says so, and on each line from stdin runs a query and reports
# its answer; at end of input it closes the store.
HOLDER = """
import sys
from pathlib import Path
from policykg.graph.stores.opening import open_store
from policykg.settings import StoreSettings
opened = open_store(StoreSettings(data_dir=Path(sys.argv[1])))
print("open", flush=True)
for _ in sys.stdin:
    print(opened.store.run("RETURN 41 + 1 AS n")[0]["n"], flush=True)
opened.close()
print("closed", flush=True)
"""


class Holder:
    def __init__(self, data_dir: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(data_dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.answer() == "open", self.process.stderr.read() if self.process.stderr else ""

    def answer(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def query(self) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write("query\n")
        self.process.stdin.flush()
        return self.answer()

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        assert self.answer() == "closed"
        assert self.process.wait(timeout=60) == 0


@pytest.fixture
def server(tmp_path: Path) -> Iterator[EmbeddedServer]:
    server = EmbeddedServer(tmp_path / "data")
    yield server
    server.stop(timeout=10)  # whatever a failing test left running


def test_the_process_that_started_the_server_does_not_stop_it_under_another(server: EmbeddedServer) -> None:
    first = Holder(server.data_dir)  # starts the server
    pid = server.pid()
    second = Holder(server.data_dir)  # joins it
    assert server.pid() == pid
    first.close()
    assert _pid_alive(pid or -1), "the first process stopped the server the second one still uses"
    assert second.query() == "42"
    second.close()
    assert not _pid_alive(pid or -1), "the last process to leave stops the server it was started for"


def test_a_server_started_by_store_start_outlives_every_command(server: EmbeddedServer) -> None:
    subprocess.run([POLICYKG, "store", "start", "--data-dir", str(server.data_dir)], check=True, timeout=60)
    Holder(server.data_dir).close()
    assert server.is_running()
    subprocess.run([POLICYKG, "store", "stop", "--data-dir", str(server.data_dir)], check=True, timeout=60)
    assert not server.is_running()


def test_a_killed_process_lease_does_not_keep_the_server_alive(server: EmbeddedServer) -> None:
    killed = Holder(server.data_dir)
    pid = server.pid()
    killed.process.kill()
    killed.process.wait()
    assert _pid_alive(pid or -1)  # nobody gave the lease back yet
    Holder(server.data_dir).close()
    assert not _pid_alive(pid or -1)


def _serving(command: str, data_dir: Path, port: int | None = None) -> tuple[subprocess.Popen, int]:
    port = port or free_port()
    process = subprocess.Popen(
        [POLICYKG, command, "--data-dir", str(data_dir), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while True:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, f"{command} did not answer"
        time.sleep(0.2)
    server_pid = EmbeddedServer(data_dir).pid()
    assert server_pid is not None
    return process, server_pid


@pytest.mark.parametrize(("command", "stop_signal"), [("serve", signal.SIGTERM), ("demo", signal.SIGINT)])
def test_serve_and_demo_stop_their_server_on_a_signal(
    server: EmbeddedServer, command: str, stop_signal: signal.Signals
) -> None:
    process, server_pid = _serving(command, server.data_dir)
    process.send_signal(stop_signal)
    process.wait(timeout=60)
    assert not _pid_alive(server_pid), f"{command} left its FalkorDB running after {stop_signal.name}"


def test_serve_stopping_leaves_the_server_to_a_command_still_using_it(server: EmbeddedServer) -> None:
    holder = Holder(server.data_dir)
    process, server_pid = _serving("serve", server.data_dir)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    assert holder.query() == "42"
    holder.close()
    assert not _pid_alive(server_pid)


@pytest.mark.slow  # the grace period of 10 s, and a store that is stopped for it
def test_serve_stops_on_sigterm_while_a_request_waits_on_a_hung_store(server: EmbeddedServer) -> None:
    """The store stopped (SIGSTOP: as busy as it can be) with a request waiting on it: SIGTERM still stops the
    server after its grace period and gives its store back; it used to wait for that request for ever."""
    holder = Holder(server.data_dir)  # keeps the store up, so that serve's stopping does not wait to stop it
    port = free_port()
    process, server_pid = _serving("serve", server.data_dir, port)
    leases = server.data_dir / "leases"
    os.kill(server_pid, signal.SIGSTOP)
    try:
        waiting = threading.Thread(target=_ask, args=(port,), daemon=True)
        waiting.start()
        time.sleep(1)  # not a measurement: lets the request reach the route before the signal
        process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 120
        while any(lease.name.startswith(f"{process.pid}.") for lease in leases.iterdir()):
            assert time.monotonic() < deadline, "serve still holds the store 120 s after SIGTERM"
            time.sleep(0.2)
    finally:
        os.kill(server_pid, signal.SIGCONT)
    process.wait(timeout=60)
    holder.close()


def _ask(port: int) -> None:
    with contextlib.suppress(httpx.HTTPError):
        httpx.get(f"http://127.0.0.1:{port}/api/documents", timeout=None)
