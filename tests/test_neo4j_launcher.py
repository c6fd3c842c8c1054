"""The Neo4j test server (tests/neo4j_server, started by tests/neo4j_launcher.py) is a real Neo4j 5: checked here
with the official driver for what the store's tests will lean on, and for the launcher's own promises (it stops
with the `with` block, and with the Python process that started it)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError, ClientError, ConstraintError, CypherSyntaxError

from tests.neo4j_launcher import JAR, Neo4jLauncherError, Neo4jServer, build_server_jar, running_neo4j

pytestmark = [pytest.mark.store, pytest.mark.slow]  # the shared server alone takes half a minute to start

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jServer]:
    with running_neo4j(password="s3cret-test", tmp_root=tmp_path_factory.mktemp("neo4j")) as srv:
        yield srv


@pytest.fixture(scope="module")
def driver(server: Neo4jServer) -> Iterator[Driver]:
    with GraphDatabase.driver(server.bolt_uri, auth=(server.user, server.password)) as drv:
        yield drv


@pytest.fixture(autouse=True)
def empty_graph(request: pytest.FixtureRequest) -> None:
    """Each test starts from an empty graph without indexes or constraints (the server is shared)."""
    if "driver" not in request.fixturenames:
        return
    drv: Driver = request.getfixturevalue("driver")
    drv.execute_query("MATCH (n) DETACH DELETE n")
    for kind, kinds in (("CONSTRAINT", "CONSTRAINTS"), ("INDEX", "INDEXES")):  # constraints own their indexes
        records, _, _ = drv.execute_query(f"SHOW {kinds} YIELD name, type")
        for record in records:
            if record["type"] != "LOOKUP":  # the token lookup indexes come with the database
                drv.execute_query(f"DROP {kind} `{record['name']}`")


def _alive(pid: int) -> bool:
    """Whether `pid` is still a running process (a zombie waiting for its new parent counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][:1]
    except OSError:
        return False
    return state != "Z"


def test_bolt_and_neo4j_uris_both_run_queries(server: Neo4jServer) -> None:
    for uri in (server.bolt_uri, server.neo4j_uri):
        with GraphDatabase.driver(uri, auth=(server.user, server.password)) as drv:
            drv.verify_connectivity()
            records, _, _ = drv.execute_query("RETURN $x + 1 AS y", x=41)
            assert records[0]["y"] == 42, uri
    assert server.uri == server.bolt_uri


def test_neo4j_uri_gets_a_routing_table_naming_the_server(server: Neo4jServer, driver: Driver) -> None:
    records, _, _ = driver.execute_query("CALL dbms.routing.getRoutingTable({}, 'neo4j')")
    roles = {entry["role"]: entry["addresses"] for entry in records[0]["servers"]}
    address = f"127.0.0.1:{server.port}"
    assert roles == {"WRITE": [address], "READ": [address], "ROUTE": [address]}


def test_it_is_neo4j_5_community(driver: Driver) -> None:
    records, _, _ = driver.execute_query("CALL dbms.components() YIELD name, versions, edition")
    assert records[0]["name"] == "Neo4j Kernel"
    assert records[0]["versions"][0].startswith("5.26.")
    assert records[0]["edition"] == "community"


def test_a_wrong_password_is_refused(server: Neo4jServer) -> None:
    with (
        GraphDatabase.driver(server.bolt_uri, auth=(server.user, "not-the-password")) as drv,
        pytest.raises(AuthError),
    ):
        drv.verify_connectivity()


def test_the_password_needs_no_change(server: Neo4jServer, driver: Driver) -> None:
    records, _, _ = driver.execute_query("SHOW CURRENT USER YIELD user, passwordChangeRequired", database_="system")
    assert records[0]["user"] == server.user
    assert records[0]["passwordChangeRequired"] is False


def test_constraints_and_range_indexes(driver: Driver) -> None:
    driver.execute_query("CREATE CONSTRAINT org_id IF NOT EXISTS FOR (o:Org) REQUIRE o.id IS UNIQUE")
    driver.execute_query("CREATE RANGE INDEX org_year IF NOT EXISTS FOR (o:Org) ON (o.year)")
    driver.execute_query("CALL db.awaitIndexes(60)")
    indexes, _, _ = driver.execute_query("SHOW INDEXES YIELD name, type, state WHERE name = 'org_year'")
    assert (indexes[0]["type"], indexes[0]["state"]) == ("RANGE", "ONLINE")
    driver.execute_query("CREATE (:Org {id: 'a', year: 2020})")
    with pytest.raises(ConstraintError) as caught:
        driver.execute_query("CREATE (:Org {id: 'a', year: 2021})")
    assert caught.value.code == "Neo.ClientError.Schema.ConstraintValidationFailed"
    plan = driver.execute_query("EXPLAIN MATCH (o:Org) WHERE o.year > 2000 RETURN o").summary.plan
    assert "NodeIndexSeekByRange" in str(plan)


def test_cjk_fulltext_index_finds_a_chinese_fragment(driver: Driver) -> None:
    driver.execute_query(
        "CREATE FULLTEXT INDEX org_names IF NOT EXISTS FOR (o:Org) ON EACH [o.name] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}"
    )
    driver.execute_query("CALL db.awaitIndexes(60)")
    driver.execute_query(
        "UNWIND $names AS name CREATE (:Org {name: name})",
        names=["中国科学院福建物质结构研究所", "福建省发展和改革委员会", "中国科学院上海有机化学研究所"],
    )
    # Full-text indexes take committed changes asynchronously: wait until the new nodes are searchable.
    deadline = time.monotonic() + 30
    while True:
        records, _, _ = driver.execute_query(
            "CALL db.index.fulltext.queryNodes('org_names', $q) YIELD node RETURN node.name AS name",
            q='"物质结构"',
        )
        if records or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert [r["name"] for r in records] == ["中国科学院福建物质结构研究所"]
    config, _, _ = driver.execute_query("SHOW FULLTEXT INDEXES YIELD name, options WHERE name = 'org_names'")
    assert config[0]["options"]["indexConfig"]["fulltext.analyzer"] == "cjk"


def test_a_failed_explicit_transaction_is_rolled_back(driver: Driver) -> None:
    driver.execute_query("CREATE CONSTRAINT org_id IF NOT EXISTS FOR (o:Org) REQUIRE o.id IS UNIQUE")
    driver.execute_query("CREATE (:Org {id: 'taken'})")
    with driver.session() as session:
        tx = session.begin_transaction()
        tx.run("CREATE (:Org {id: 'written-then-undone'})").consume()
        with pytest.raises(ConstraintError):
            tx.run("CREATE (:Org {id: 'taken'})").consume()
        tx.close()  # the failed transaction is rolled back, not committed
        # An explicit rollback after good work undoes it too.
        with session.begin_transaction() as tx2:
            tx2.run("CREATE (:Org {id: 'rolled-back'})").consume()
            tx2.rollback()
    records, _, _ = driver.execute_query("MATCH (o:Org) RETURN o.id AS id ORDER BY id")
    assert [r["id"] for r in records] == ["taken"]


@pytest.mark.parametrize("uri_kind", ["bolt", "neo4j"])
def test_a_write_in_a_read_session_is_refused_by_neo4j(server: Neo4jServer, uri_kind: str) -> None:
    uri = server.bolt_uri if uri_kind == "bolt" else server.neo4j_uri
    with (
        GraphDatabase.driver(uri, auth=(server.user, server.password)) as drv,
        drv.session(default_access_mode=neo4j.READ_ACCESS) as session,
        pytest.raises(ClientError) as caught,
    ):
        session.execute_read(lambda tx: tx.run("CREATE (:Org {id: 'sneaked-in'})").consume())
    assert caught.value.code == "Neo.ClientError.Statement.AccessMode"
    with GraphDatabase.driver(uri, auth=(server.user, server.password)) as drv:
        records, _, _ = drv.execute_query("MATCH (o:Org {id: 'sneaked-in'}) RETURN count(o) AS n")
    assert records[0]["n"] == 0


def test_a_syntax_error_carries_neo4js_code(driver: Driver) -> None:
    with pytest.raises(CypherSyntaxError) as caught:
        driver.execute_query("MATCH (n RETURN n")
    assert caught.value.code == "Neo.ClientError.Statement.SyntaxError"
    assert "Invalid input" in (caught.value.message or "")


def test_a_5_mb_string_parameter_round_trips(driver: Driver) -> None:
    text = ("政策文件" * 450_000)[:1_750_000]  # 3 bytes each in UTF-8: 5.25 MB on the wire
    assert len(text.encode()) > 5_000_000
    records, _, _ = driver.execute_query("CREATE (d:Doc {text: $text}) RETURN size(d.text) AS n", text=text)
    assert records[0]["n"] == len(text)
    records, _, _ = driver.execute_query("MATCH (d:Doc) RETURN d.text AS text")
    assert records[0]["text"] == text


def test_the_jar_is_built_once(server: Neo4jServer) -> None:
    """The module's server built it (if needed); asking again neither runs Maven nor touches the jar."""
    before = JAR.stat().st_mtime_ns
    started = time.monotonic()
    assert build_server_jar() == JAR
    assert time.monotonic() - started < 1
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
