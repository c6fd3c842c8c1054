"""The Neo4j test server (tests/neo4j_server, started by tests/neo4j_launcher.py) is a real Neo4j 5 Community, reached
like any other with the official driver; and the launcher keeps its own promises (a cached build, a clear error when
the server cannot start, the bulk importer, a stop with the `with` block and with the Python process that started
it). What Neo4j does for policykg (transactions, read-only refusal, errors, the schema) is tested through the store:
tests/test_store_neo4j.py and tests/test_neo4j_schema.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError

from tests.neo4j_launcher import JAR, Neo4jLauncherError, Neo4jServer, build_server_jar, running_neo4j

# each server of its own takes half a minute to start
pytestmark = [pytest.mark.store, pytest.mark.neo4j, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent


def _alive(pid: int) -> bool:
    """Whether `pid` is still a running process (a zombie waiting for its new parent counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][:1]
    except OSError:
        return False
    return state != "Z"


def test_bolt_and_neo4j_uris_both_run_queries(neo4j_server: Neo4jServer) -> None:
    for uri in (neo4j_server.bolt_uri, neo4j_server.neo4j_uri):
        with GraphDatabase.driver(uri, auth=(neo4j_server.user, neo4j_server.password)) as drv:
            drv.verify_connectivity()
            records, _, _ = drv.execute_query("RETURN $x + 1 AS y", x=41)
            assert records[0]["y"] == 42, uri
    assert neo4j_server.uri == neo4j_server.bolt_uri


def test_neo4j_uri_gets_a_routing_table_naming_the_server(neo4j_server: Neo4jServer, neo4j_driver: Driver) -> None:
    records, _, _ = neo4j_driver.execute_query("CALL dbms.routing.getRoutingTable({}, 'neo4j')")
    roles = {entry["role"]: entry["addresses"] for entry in records[0]["servers"]}
    address = f"127.0.0.1:{neo4j_server.port}"
    assert roles == {"WRITE": [address], "READ": [address], "ROUTE": [address]}


def test_it_is_neo4j_5_community(neo4j_driver: Driver) -> None:
    records, _, _ = neo4j_driver.execute_query("CALL dbms.components() YIELD name, versions, edition")
    assert records[0]["name"] == "Neo4j Kernel"
    assert records[0]["versions"][0].startswith("5.26.")
    assert records[0]["edition"] == "community"


def test_a_wrong_password_is_refused(neo4j_server: Neo4jServer) -> None:
    with (
        GraphDatabase.driver(neo4j_server.bolt_uri, auth=(neo4j_server.user, "not-the-password")) as drv,
        pytest.raises(AuthError),
    ):
        drv.verify_connectivity()


def test_the_password_needs_no_change(neo4j_server: Neo4jServer, neo4j_driver: Driver) -> None:
    records, _, _ = neo4j_driver.execute_query(
        "SHOW CURRENT USER YIELD user, passwordChangeRequired", database_="system"
    )
    assert records[0]["user"] == neo4j_server.user
    assert records[0]["passwordChangeRequired"] is False


def test_the_jar_is_built_once(neo4j_server: Neo4jServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The session's server built it (if needed); asking again neither runs Maven nor touches the jar. With no
    `mvn` or `java` on PATH a build would fail, so the jar coming back proves none ran (no clock involved)."""
    before = JAR.stat().st_mtime_ns
    monkeypatch.setenv("PATH", "")
    assert build_server_jar() == JAR
    assert JAR.stat().st_mtime_ns == before


def test_a_server_that_cannot_start_says_why(tmp_path: Path) -> None:
    with pytest.raises(Neo4jLauncherError) as caught, running_neo4j(page_cache="lots", tmp_root=tmp_path):
        pass
    assert "exited with 1 before it was ready" in str(caught.value)
    assert "'lots' is not a valid size" in str(caught.value)  # Neo4j's own words, from the server's stderr
    assert list(tmp_path.iterdir()) == []  # its folder is gone too
    # The JVM reports a bad flag of its own on stdout, and exits before the server's code runs.
    with pytest.raises(Neo4jLauncherError) as caught, running_neo4j(jvm_flags=["-XX:+UseSerialGC"], tmp_root=tmp_path):
        pass
    assert "Multiple garbage collectors selected" in str(caught.value)


def test_csv_import_then_serve_then_stop_and_clean_up(tmp_path: Path) -> None:
    """neo4j-admin's bulk import from the Maven artifacts fills the database the server then opens; after the
    block the server has stopped (waited for) and its folder is gone."""
    (tmp_path / "orgs.csv").write_text("id:ID,name\no1,中国科学院福建物质结构研究所\no2,福建省发展和改革委员会\n")
    (tmp_path / "docs.csv").write_text("id:ID,title,:LABEL\nd1,关于促进科技创新的若干措施,Document\n")
    (tmp_path / "links.csv").write_text(":START_ID,:END_ID,:TYPE\nd1,o1,MENTIONS\nd1,o2,ISSUED_BY\n")
    with running_neo4j(
        page_cache="32m",
        heap="256m",
        tmp_root=tmp_path,
        nodes=[f"Org={tmp_path / 'orgs.csv'}", tmp_path / "docs.csv"],
        relationships=[tmp_path / "links.csv"],
    ) as srv:
        assert _alive(srv.pid)
        with GraphDatabase.driver(srv.uri, auth=(srv.user, srv.password)) as drv:
            records, _, _ = drv.execute_query(
                "MATCH (d:Document)-[r]->(o:Org) RETURN d.title AS d, type(r) AS r, o.name AS o ORDER BY r"
            )
        assert [tuple(r.values()) for r in records] == [
            ("关于促进科技创新的若干措施", "ISSUED_BY", "福建省发展和改革委员会"),
            ("关于促进科技创新的若干措施", "MENTIONS", "中国科学院福建物质结构研究所"),
        ]
    assert not _alive(srv.pid)
    assert not srv.workdir.exists()


def test_the_server_stops_when_the_python_process_that_started_it_is_killed(tmp_path: Path) -> None:
    """SIGKILL leaves no teardown to run: the kernel closes the stdin pipe, and the server's end of file stops it."""
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from tests.neo4j_launcher import running_neo4j
        with running_neo4j(page_cache="32m", heap="256m", tmp_root=__import__("pathlib").Path({str(tmp_path)!r})) as s:
            print(s.pid, s.workdir, flush=True)
            time.sleep(600)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line, "the child exited before its server was ready"
        pid = int(line.split()[0])
        assert _alive(pid)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        deadline = time.monotonic() + 60
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(pid):  # don't leave it behind whatever the verdict
            os.kill(pid, signal.SIGKILL)
            pytest.fail("the server outlived the Python process that started it by 60 s")
        stderr = Path(line.split(maxsplit=1)[1].strip()) / "server.stderr"
        assert "stdin closed, shutting down" in stderr.read_text()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
