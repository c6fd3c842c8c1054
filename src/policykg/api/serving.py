"""`policykg serve --workers N`: N uvicorn processes, each with its own listening socket on the same port.

uvicorn's own multi-process mode shares one listening socket, and whichever worker wakes first accepts
every pending connection: 64 clients connecting at once all landed on one of two workers, which then
served them alone. Here each worker listens with SO_REUSEPORT, so the kernel spreads connections over
them. Each worker is handed the command's Settings as a process argument and builds its own app from it.
Where SO_REUSEPORT is missing (Windows), the command serves one process instead (`can_share_port`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import multiprocessing
import socket
from multiprocessing.connection import wait

import uvicorn
from fastapi import FastAPI

from policykg.api.app import app_of_worker
from policykg.api.cypher_gate import CypherGate
from policykg.settings import Settings

BACKLOG = 2048  # uvicorn's default
# Seconds a stopping server (SIGTERM, Ctrl+C) gives the requests in flight to finish; past them it stops anyway.
# uvicorn's default is to wait for ever, and a request waiting on a busy or hung store kept `serve` running.
SHUTDOWN_GRACE_S = 10


def server_config(app: FastAPI, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False, timeout_graceful_shutdown=SHUTDOWN_GRACE_S
    )


def run_until_stopped(server: uvicorn.Server, sockets: list[socket.socket] | None = None) -> None:
    """uvicorn's `Server.run`, except at the end: asyncio.run would wait for every task still pending, and a
    request whose thread waits on the store never ends while the store does not answer. Those are left behind
    (the store's closing, which comes next, ends their wait)."""
    make_loop = server.config.get_loop_factory() or asyncio.new_event_loop
    loop = make_loop()
    asyncio.set_event_loop(loop)
    loop.run_until_complete(server.serve(sockets=sockets))


def listening_socket(host: str, port: int, share: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if share:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def answering_to(settings: Settings, host: str) -> Settings:
    """`settings` with the address the server listens on among the Host names it answers to: a user who
    started it on 192.168.1.5 reaches it by that address."""
    hosts = settings.api.allowed_hosts
    if host in hosts:
        return settings
    return dataclasses.replace(settings, api=dataclasses.replace(settings.api, allowed_hosts=(*hosts, host)))


def can_share_port() -> bool:
    """Whether this platform lets several processes listen on one port (not Windows)."""
    return hasattr(socket, "SO_REUSEPORT")


def _worker(host: str, port: int, settings: Settings, cypher_gate: CypherGate) -> None:
    sock = listening_socket(host, port, share=True)
    sock.listen(BACKLOG)
    run_until_stopped(uvicorn.Server(server_config(app_of_worker(settings, cypher_gate), host, port)), sockets=[sock])


def serve_workers(host: str, port: int, workers: int, settings: Settings) -> None:
    """Run `workers` server processes until this process is stopped (Ctrl+C, SIGTERM) or one of them exits.
    Each opens the store `settings` name (spawn pickles them into the process); needs `can_share_port()`."""
    # A port already in use fails here, as with uvicorn; and since this bind does not share, a second `serve`
    # on a port the workers hold fails too, instead of quietly taking half of the connections.
    try:
        listening_socket(host, port, share=False).close()
    except OSError as error:
        raise SystemExit(f"cannot listen on {host}:{port}: {error.strerror}") from error
    spawn = multiprocessing.get_context("spawn")
    gate = CypherGate(settings.api.cypher_concurrency, settings.api.cypher_per_client)  # one for all the processes
    processes = [
        spawn.Process(target=_worker, args=(host, port, settings, gate), name=f"policykg-api-{n}")
        for n in range(workers)
    ]
    try:
        for process in processes:
            process.start()
        wait([process.sentinel for process in processes])
        raise SystemExit("a server process exited; stopping the others")
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
