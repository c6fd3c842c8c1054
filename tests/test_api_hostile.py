"""Issue #19's hostile inputs over real HTTP against a real FalkorDB: each is a 4xx with a clear message, never a 5xx,
and never reaches the store in a form that could keep it busy or take its memory."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from policykg.api.app import create_app
from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.settings import ApiSettings
from tests.conftest import LiveServer


def cypher(http: httpx.Client, query: str, params: dict[str, Any] | None = None) -> httpx.Response:
    return http.post("/api/cypher", json={"query": query, "params": params or {}})


def nested(depth: int, opening: str, closing: str, inner: str = "1") -> str:
    return "RETURN " + opening * depth + inner + closing * depth + " AS x"


@pytest.mark.parametrize(
    ("query", "says"),
    [
        (nested(23, "(", ")"), "nested"),
        (nested(20, "[", "]"), "nested"),
        (nested(20, "{a: ", "}"), "nested"),
        (nested(20, "abs(", ")"), "nested"),
        ("RETURN " + "NOT " * 20 + "true AS x", "nested"),
        ("RETURN " + "- " * 20 + "1 AS x", "nested"),
        ("RETURN " + "CASE WHEN true THEN " * 20 + "1" + " END" * 20 + " AS x", "nested"),
        ("RETURN " + "[x IN " * 20 + "[1]" + " | x]" * 20 + " AS x", "nested"),
        # many expressions each just under the depth limit: their parse time adds up
        (
            "RETURN " + ", ".join(nested(12, "(", ")", str(i))[7:].replace(" AS x", f" AS x{i}") for i in range(300)),
            "nested",
        ),
    ],
)
def test_queries_whose_parsing_alone_takes_seconds_are_refused(http: httpx.Client, query: str, says: str) -> None:
    response = cypher(http, query)
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert says in response.json()["detail"]


def test_ordinary_nesting_still_runs(http: httpx.Client) -> None:
    queries = [
        nested(8, "(", ")"),
        "MATCH (c:City) WHERE NOT (c.name IN ['a', 'b'] OR NOT c.name STARTS WITH '三') AND NOT c.id = 'x' "
        "RETURN [x IN collect(DISTINCT {name: toLower(trim(c.name)), n: size([y IN [1, 2] WHERE y > -(-1)])}) "
        "| x.name] AS names",
        "RETURN CASE WHEN 1 > 0 THEN CASE WHEN 2 > 1 THEN 'a' ELSE 'b' END ELSE 'c' END AS x",
        "UNWIND range(1, 100) AS i RETURN sum(i) AS total",
        "UNWIND range(0, $n, 2) AS i RETURN count(i) AS c",
        "UNWIND range(-5, -1) AS i RETURN sum(i) AS total",
    ]
    for query in queries:
        response = cypher(http, query, {"n": 100})
        assert response.status_code == 200, (query, response.text[:300])


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("RETURN size(range(1, 150000000)) AS n", "range"),
        ("UNWIND range(1, 30000000) AS x RETURN count(x) AS n", "range"),
        ("UNWIND range(-100000000, 0) AS x RETURN count(x) AS n", "range"),
        ("UNWIND range(1, toInteger('30000000')) AS x RETURN count(x) AS n", "range"),
        ("UNWIND range(1, 10^8) AS x RETURN count(x) AS n", "range"),
        ("WITH 150000000 AS n RETURN size(range(1, n)) AS size", "range"),
        ("MATCH (a:City) WITH collect(a) AS xs RETURN range(0, size(xs) - 1) AS x", "range"),
        ("RETURN range(1, $n) AS x", "range"),
    ],
)
def test_ranges_are_bounded_before_the_store_builds_them(http: httpx.Client, query: str, says: str) -> None:
    """The store builds a range whole before it checks its memory limit (150 million numbers from a variable: 3.4 GB,
    20 s that no time limit interrupted), and keeps a range of constants with the query's plan in its cache (three
    queries held 1.5 GB until others evicted them)."""
    response = cypher(http, query, {"n": 30_000_000})
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert says in response.json()["detail"]


def test_a_list_grown_step_by_step_meets_the_store_memory_limit(http: httpx.Client) -> None:
    # 400 ranges of 100,000 numbers pass 512 MB in about 2 s, before the 5 s time limit
    response = cypher(http, "UNWIND range(1, 400) AS x WITH collect(range(1, 100000)) AS big RETURN size(big) AS n")
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert "memory" in response.json()["detail"]


@pytest.mark.parametrize(
    "procedure",
    [
        "CALL algo.SPpaths({sourceNode: a, targetNode: b}) YIELD path RETURN path",
        "CALL algo.SSpaths({sourceNode: a}) YIELD path RETURN path",
        "CALL algo.labelPropagation({}) YIELD node RETURN node",
        "CALL algo.pageRank(NULL, NULL) YIELD node RETURN node",
        "CALL algo.betweenness({}) YIELD node RETURN node",
        "CALL algo.WCC(NULL) YIELD node RETURN node",
        "CALL algo.BFS(a, 10, NULL) YIELD nodes RETURN nodes",
    ],
)
def test_procedures_that_ignore_the_time_limit_are_refused(http: httpx.Client, procedure: str) -> None:
    response = cypher(http, "MATCH (a:City), (b:Institution) WITH a, b LIMIT 1 " + procedure)
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert "algo." in response.json()["detail"] and "time limit" in response.json()["detail"]


def test_read_procedures_that_respect_it_stay(http: httpx.Client) -> None:
    for query in (
        "CALL db.labels() YIELD label RETURN label",
        "CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType",
        "CALL db.idx.fulltext.queryNodes('Entity', '三明') YIELD node RETURN node.name AS name",
    ):
        assert cypher(http, query).status_code == 200, query


def deep_list(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"p": {"": 1}}, "key"),
        ({"p": {"a`b": 1}}, "key"),
        ({"p": [{"ok": {"": 1}}]}, "key"),
        ({"p": deep_list(500)}, "nested"),
        ({"p": 2**64}, "integer"),
        ({"p": [-(2**63) - 1]}, "integer"),
    ],
)
def test_parameters_the_store_cannot_take_are_refused(http: httpx.Client, params: dict[str, Any], says: str) -> None:
    response = cypher(http, "RETURN $p AS p", params)
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert says in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        b'{"query": "RETURN $p AS p", "params": {"p": "\\ud800"}}',
        b'{"query": "RETURN $p AS p", "params": {"p": {"\\udfff": 1}}}',
        b'{"query": "RETURN \'\\ud800\' AS p"}',
    ],
)
def test_lone_surrogates_are_refused(http: httpx.Client, body: bytes) -> None:
    response = http.post("/api/cypher", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert "surrogate" in response.json()["detail"]


def test_integer_literals_beyond_64_bits_are_refused_not_clamped(http: httpx.Client) -> None:
    response = cypher(http, "RETURN 99999999999999999999 AS n")
    assert response.status_code == 400 and "integer" in response.json()["detail"], response.text
    assert cypher(http, "RETURN 9223372036854775807 AS n").json()["rows"] == [{"n": 2**63 - 1}]


@pytest.mark.parametrize("limit", ["-1", str(2**63), "1e3", "abc"])
def test_curated_query_parameters_out_of_range_are_refused(http: httpx.Client, limit: str) -> None:
    response = http.get("/api/queries/city-partners", params={"city": "三明市", "limit": limit})
    assert response.status_code == 422, (response.status_code, response.text[:300])  # declared in the OpenAPI spec
    assert [problem["loc"] for problem in response.json()["detail"]] == [["query", "limit"]]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/entity", {"id": "City:三明市", "year_from": str(2**64)}),
        ("/api/entity", {"id": "City:三明市", "year_to": str(-(2**64))}),
    ],
)
def test_route_integers_beyond_64_bits_are_4xx(http: httpx.Client, path: str, params: dict[str, str]) -> None:
    response = http.get(path, params=params)
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])


@pytest.fixture
def tight_api(sample_store: FalkorDBStore) -> Iterator[str]:
    settings = ApiSettings(cypher_timeout_ms=3000, cypher_concurrency=2, cypher_per_client=1)
    with LiveServer(create_app(sample_store, settings)) as server:
        yield server.url


SLOW = "UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y RETURN count(*) AS n"


def _slow_in_background(
    url: str, answers: list[int], started: threading.Event, address: str = "127.0.0.1"
) -> threading.Thread:
    """SLOW sent from `address` (another loopback address is another client to the server)."""

    def send() -> None:
        transport = httpx.HTTPTransport(local_address=address)
        with httpx.Client(base_url=url, timeout=60, transport=transport) as client:
            started.set()
            answers.append(client.post("/api/cypher", json={"query": SLOW}).status_code)

    thread = threading.Thread(target=send)
    thread.start()
    return thread


def test_one_client_runs_one_cypher_query_at_a_time(tight_api: str) -> None:
    answers: list[int] = []
    started = threading.Event()
    first = _slow_in_background(tight_api, answers, started)
    started.wait()
    with httpx.Client(base_url=tight_api, timeout=60) as client:
        for _ in range(100):  # until the first one is running in the store
            second = client.post("/api/cypher", json={"query": SLOW + " // second"})
            if second.status_code == 429:
                break
        health = client.get("/api/health")
    first.join()
    assert second.status_code == 429, second.text
    assert "Retry-After" in second.headers and "at a time" in second.json()["detail"]
    assert health.status_code == 200
    assert answers == [400]  # the first ran into the time limit


def test_cypher_requests_in_all_are_capped(tight_api: str) -> None:
    """Two slow queries from other clients fill the two places; a third client is told to come back, while health
    and curated queries are answered as usual."""
    answers: list[int] = []
    threads = []
    for client_address in ("127.0.0.2", "127.0.0.3"):
        started = threading.Event()
        threads.append(_slow_in_background(tight_api, answers, started, client_address))
        started.wait()
    with httpx.Client(base_url=tight_api, timeout=60) as client:
        for _ in range(100):
            third = client.post("/api/cypher", json={"query": "RETURN 1 AS one"})
            if third.status_code == 429:
                break
        health = client.get("/api/health")
        curated = client.get("/api/queries/city-partners", params={"city": "三明市", "limit": 7})
    for thread in threads:
        thread.join()
    assert third.status_code == 429 and "in all" in third.json()["detail"], third.text
    assert health.status_code == 200 and curated.status_code == 200
    assert answers == [400, 400]
