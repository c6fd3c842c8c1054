"""A real Neo4j 5 Community server for the tests, built from Maven Central and started per test session.

tests/neo4j_server is a small Maven project: Neo4j embedded with its Bolt connector (see its TestServer.java).
`build_server_jar()` builds it when needed; `running_neo4j()` starts it on a free loopback port with a fresh data
folder and stops it again. Standard library only, so that any test module or script can use it.

    with running_neo4j() as server:
        driver = neo4j.GraphDatabase.driver(server.uri, auth=(server.user, server.password))
"""

from __future__ import annotations

import fcntl
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

PROJECT = Path(__file__).resolve().parent / "neo4j_server"
JAR = PROJECT / "target" / "neo4j-test-server.jar"

# The JVM flags Neo4j 5's own launcher passes by default (its neo4j.conf server.jvm.additional): Neo4j's page
# cache and Netty reach into java.nio and sun.nio.ch for direct buffers, and fall back to slower paths without.
JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dio.netty.tryReflectionSetAccessible=true",
)
READY_PREFIX = "READY "
START_TIMEOUT = 120.0  # seconds; a cold JVM on a busy 2-core CI machine takes 10 to 20
STOP_TIMEOUT = 60.0  # a clean stop checkpoints both databases: a few seconds


class Neo4jLauncherError(RuntimeError):
    """The test server could not be built or started; the message says why."""


@dataclass(frozen=True)
class Neo4jServer:
    """Where a running test server answers. `uri` is the plain Bolt one; `neo4j_uri` makes the driver route."""

    port: int
    user: str
    password: str
    pid: int  # the java process and its folder (data, logs/debug.log, stderr), for tests of the stop itself
    workdir: Path

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def neo4j_uri(self) -> str:
        return f"neo4j://127.0.0.1:{self.port}"

    @property
    def uri(self) -> str:
        return self.bolt_uri


def _newest_source_mtime() -> float:
    """The build's inputs: the pom and every source file. A jar older than any of them is stale."""
    sources = [PROJECT / "pom.xml", *(p for p in (PROJECT / "src").rglob("*") if p.is_file())]
    return max(p.stat().st_mtime for p in sources)


def _require_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise Neo4jLauncherError(
            f"`{name}` is not on PATH: the Neo4j test server is built with Maven and runs on Java 17+ "
            "(apt-get install maven openjdk-17-jdk-headless)"
        )
    return found


def _jar_is_fresh() -> bool:
    """The jar exists, is newer than the pom and sources, and every jar its manifest names is in target/lib."""
    if not JAR.exists() or JAR.stat().st_mtime < _newest_source_mtime():
        return False
    with zipfile.ZipFile(JAR) as jar:
        manifest = jar.read("META-INF/MANIFEST.MF").decode()
    # Manifest lines wrap at 72 bytes with a leading space on the continuation.
    fields = manifest.replace("\r\n", "\n").replace("\n ", "")
    classpath = next((line.split(":", 1)[1] for line in fields.splitlines() if line.startswith("Class-Path:")), "")
    return all((JAR.parent / entry).exists() for entry in classpath.split())


def build_server_jar() -> Path:
    """The runnable jar, built with `mvn -q -B package` only when missing or older than its sources."""
    if _jar_is_fresh():
        return JAR
    mvn = _require_tool("mvn")
    _require_tool("java")
    # Two test processes may both find the jar stale; one builds, the other waits and then finds it fresh.
    lock_path = JAR.parent / ".build.lock"
    lock_path.parent.mkdir(exist_ok=True)
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _jar_is_fresh():
            _run_maven(mvn)
    return JAR


def _run_maven(mvn: str) -> None:
    result = subprocess.run([mvn, "-q", "-B", "package"], cwd=PROJECT, capture_output=True, text=True)
    if result.returncode != 0:
        raise Neo4jLauncherError(
            f"building {PROJECT} failed (mvn exit {result.returncode}):\n{result.stdout[-4000:]}{result.stderr[-4000:]}"
        )
    if not JAR.exists():
        raise Neo4jLauncherError(f"mvn package succeeded but left no {JAR}")
    # Maven leaves the jar's time alone when nothing changed in it; touch it so the next call sees it fresh.
    JAR.touch()


def server_command(
    jar: Path, data: Path, password: str, page_cache: str, heap: str, port: int = 0, jvm_flags: Sequence[str] = ()
) -> list[str]:
    """The java command line; also what to run by hand (`--ignore-stdin` there, so a terminal can't stop it)."""
    java = _require_tool("java")
    return [
        java,
        f"-Xmx{heap}",
        *JVM_FLAGS,
        *jvm_flags,
        "-jar",
        str(jar),
        "--data",
        str(data),
        "--password",
        password,
        "--port",
        str(port),
        "--page-cache",
        page_cache,
    ]


def import_command(
    home: Path,
    nodes: Sequence[str | Path],
    relationships: Sequence[str | Path],
    heap: str,
    options: Sequence[str] = (),
) -> list[str]:
    """`neo4j-admin database import full` without a Neo4j install: its classes (org.neo4j:neo4j-import-tool and
    the admin tool of neo4j-command-line) are among the jar's dependencies. Each file may be `Label=path` or
    `TYPE=path` as with neo4j-admin; `options` are more of its options (--multiline-fields=true…); the report
    goes into `home`, not the current folder."""
    java = _require_tool("java")
    return [
        java,
        f"-Xmx{heap}",
        *JVM_FLAGS,
        "-cp",
        f"{JAR}{os.pathsep}{JAR.parent / 'lib' / '*'}",
        "org.neo4j.cli.AdminTool",
        "database",
        "import",
        "full",
        "neo4j",  # the default database, which the server opens
        *(f"--nodes={spec}" for spec in nodes),
        *(f"--relationships={spec}" for spec in relationships),
        f"--report-file={home / 'import.report'}",
        "--max-off-heap-memory=256m",
        *options,
    ]


def import_csv(
    home: Path,
    nodes: Sequence[str | Path],
    relationships: Sequence[str | Path] = (),
    heap: str = "512m",
    options: Sequence[str] = (),
) -> str:
    """Bulk-loads CSV files (neo4j-admin's header format) into a new `neo4j` database under `home`, the folder
    later given to the server as --data. Returns the tool's output; raises with it if the import failed."""
    home.mkdir(parents=True, exist_ok=True)
    # The admin tool finds its folders through these, as the neo4j-admin script sets them.
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    command = import_command(home, nodes, relationships, heap, options)
    result = subprocess.run(command, cwd=home, env=env, capture_output=True, text=True)
    output = result.stdout + result.stderr
    if result.returncode != 0:
        raise Neo4jLauncherError(f"the CSV import failed (exit {result.returncode}):\n{output[-6000:]}")
    return output


def _pump_lines(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    """Reads the server's stdout on a thread, so the wait for READY can time out and the pipe never fills."""
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put(None)  # end of file: the server exited


def _tail(path: Path, limit: int = 6000) -> str:
    try:
        return path.read_text(errors="replace")[-limit:]
    except OSError:
        return ""


def _wait_ready(proc: subprocess.Popen[str], lines: queue.Queue[str | None], stderr: Path, timeout: float) -> int:
    """The port from the server's `READY bolt://127.0.0.1:PORT` line; its output in the error if none comes."""
    deadline = time.monotonic() + timeout
    # Whatever else reaches stdout is kept for the error: the JVM itself reports a bad flag there, not on stderr.
    other: list[str] = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Neo4jLauncherError(f"Neo4j did not report READY within {timeout:.0f} s; {_output(other, stderr)}")
        try:
            line = lines.get(timeout=min(remaining, 1.0))
        except queue.Empty:
            continue
        if line is None:
            code = proc.wait()
            raise Neo4jLauncherError(f"Neo4j exited with {code} before it was ready; {_output(other, stderr)}")
        if line.startswith(READY_PREFIX):
            return int(line.rsplit(":", 1)[1])
        other.append(line)


def _output(stdout: list[str], stderr: Path) -> str:
    printed = "".join(f"{line}\n" for line in stdout[-50:])
    return f"stdout:\n{printed}stderr:\n{_tail(stderr)}" if printed else f"stderr:\n{_tail(stderr)}"


def _stop(proc: subprocess.Popen[str], timeout: float) -> None:
    """Closing stdin is the stop signal (the server shuts Neo4j down cleanly); kill only if it hangs."""
    if proc.stdin is not None and not proc.stdin.closed:
        proc.stdin.close()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def running_neo4j(
    password: str = "test-password",
    page_cache: str = "256m",
    heap: str = "512m",
    start_timeout: float = START_TIMEOUT,
    tmp_root: Path | None = None,
    nodes: Sequence[str | Path] = (),
    relationships: Sequence[str | Path] = (),
    import_options: Sequence[str] = (),
    jvm_flags: Sequence[str] = (),
    workdir: Path | None = None,
) -> Iterator[Neo4jServer]:
    """A fresh Neo4j on a free loopback port for the `with` block; stopped and its data folder removed after.

    The server reads its stdin until end of file, and this keeps a pipe to it that nobody writes: if this
    Python process dies, even by SIGKILL, the kernel closes the pipe and the server shuts itself down.
    `tmp_root` is where its folder goes (the system's temporary folder by default); a `workdir` given instead is
    kept after the block, so that another server started on it opens the same database (bench/stores.py restarts
    Neo4j so). With `nodes` (and `relationships`) CSV files, the database is bulk-imported from them first, with
    `import_options` (see import_csv). `jvm_flags` go after the usual ones: e.g. -XX:TieredStopAtLevel=1 starts
    with about a third less CPU, at the cost of slower queries later.
    """
    jar = build_server_jar()
    kept = workdir is not None
    workdir = workdir or Path(tempfile.mkdtemp(prefix="policykg-neo4j-", dir=tmp_root))
    workdir.mkdir(parents=True, exist_ok=True)
    stderr_path = workdir / "server.stderr"
    proc: subprocess.Popen[str] | None = None
    try:
        if nodes or relationships:
            import_csv(workdir / "home", nodes, relationships, heap, import_options)
        with stderr_path.open("w") as stderr:
            proc = subprocess.Popen(
                server_command(jar, workdir / "home", password, page_cache, heap, jvm_flags=jvm_flags),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                # Its own session: a Ctrl-C at the terminal reaches pytest, whose teardown then stops the
                # server in order, instead of the server vanishing under a test.
                start_new_session=True,
            )
        assert proc.stdout is not None
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_pump_lines, args=(proc.stdout, lines), daemon=True, name="neo4j-stdout").start()
        port = _wait_ready(proc, lines, stderr_path, start_timeout)
        yield Neo4jServer(port=port, user="neo4j", password=password, pid=proc.pid, workdir=workdir)
    finally:
        if proc is not None:
            _stop(proc, STOP_TIMEOUT)
        if not kept:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    # `python -m tests.neo4j_launcher`: build, start, print the URIs, and run until Ctrl-C or end of stdin.
    with running_neo4j() as srv:
        print(f"{srv.bolt_uri} {srv.neo4j_uri} user={srv.user} password={srv.password}", flush=True)
        try:
            while os.read(0, 1024):
                pass
        except KeyboardInterrupt:
            pass
