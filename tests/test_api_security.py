"""The API's edges over real HTTP: oversized and mistyped uploads, path tricks in file names, the write token on
every write route, CORS off by default, and error bodies that never show a stack trace or a server path."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from policykg.api.app import create_app
from policykg.api.serving import answering_to
from policykg.graph.stores.embedded_server import EmbeddedServer
from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.settings import LOCAL_HOSTS, ApiSettings, Settings
from tests.conftest import SAMPLES, LiveServer

TOKEN = "t0ken-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
LIMIT = 200_000
# POST only to carry a body (a query; a neighbourhood's ids, too many for a URL); neither writes
READ_ONLY_POSTS = {("post", "/api/cypher"), ("post", "/api/analytics/nodes")}
# What a leaked stack trace or server-side path looks like in a response body.
LEAKS = re.compile(r"Traceback|File \"|\.py\b|/tmp/|/work/|/home/|/usr/|site-packages|falkordb\.sock")


def assert_no_leak(response: httpx.Response) -> None:
    assert not LEAKS.search(response.text), (response.status_code, response.text[:300])


@pytest.fixture
def write_api(empty_store: FalkorDBStore) -> Iterator[httpx.Client]:
    settings = ApiSettings(api_token=TOKEN, max_upload_bytes=LIMIT)
    with (
        LiveServer(create_app(empty_store, settings)) as server,
        httpx.Client(base_url=server.url, timeout=60) as client,
    ):
        yield client


def upload(client: httpx.Client, name: str, content: bytes, content_type: str = "text/plain") -> httpx.Response:
    return client.post("/api/documents", headers=AUTH, files={"file": (name, content, content_type)})


def test_an_upload_over_the_limit_is_413_and_the_store_is_unchanged(write_api: httpx.Client) -> None:
    sample = Path(SAMPLES[0]).read_bytes()
    response = upload(write_api, "big.txt", sample * (LIMIT // len(sample) + 2))
    assert response.status_code == 413, response.text
    assert "big.txt" in response.json()["detail"] or "limit" in response.json()["detail"]
    assert write_api.get("/api/documents").json() == []


def _raw_request(url: str, head: str, body: bytes = b"") -> str:
    """Send a request by hand (to declare a size no client would send) and return the status line."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=20) as connection:
        connection.sendall(head.encode() + b"\r\n" + body)
        return connection.recv(4096).decode(errors="replace").split("\r\n", 1)[0]


def test_a_declared_huge_upload_is_refused_before_its_body_is_read(write_api: httpx.Client) -> None:
    """Without a check before parsing, the server would spool all 10 GB to disk first: here it would wait for
    a body that never comes, and the read below would time out."""
    head = (
        f"POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 10000000000\r\n"
    )
    assert " 413 " in _raw_request(str(write_api.base_url).rstrip("/"), head)


def test_a_chunked_upload_over_the_limit_is_413(write_api: httpx.Client) -> None:
    def body() -> Iterator[bytes]:
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="c.txt"\r\n\r\n'
        for _ in range(3 * LIMIT // 10_000):
            yield "三明".encode() * 1666
        yield b"\r\n--b--\r\n"

    response = write_api.post(
        "/api/documents", headers={**AUTH, "Content-Type": "multipart/form-data; boundary=b"}, content=body()
    )
    assert response.status_code == 413, response.text


@pytest.mark.parametrize(
    ("content_type", "content"),
    [
        ("application/json", b'{"file": "x.txt"}'),
        ("text/plain", "三明市".encode()),
        ("application/x-www-form-urlencoded", b"file=x.txt"),
        ("multipart/form-data", b"no boundary"),
    ],
)
def test_an_upload_that_is_not_multipart_is_a_clear_4xx(
    write_api: httpx.Client, content_type: str, content: bytes
) -> None:
    response = write_api.post("/api/documents", headers={**AUTH, "Content-Type": content_type}, content=content)
    assert 400 <= response.status_code < 500, response.text
    assert_no_leak(response)


def test_cypher_needs_a_json_body(write_api: httpx.Client) -> None:
    for content_type, content in (("text/plain", b"MATCH (n) RETURN n"), ("application/json", b"{not json")):
        response = write_api.post("/api/cypher", headers={"Content-Type": content_type}, content=content)
        assert response.status_code == 422, response.text
        assert_no_leak(response)


def test_a_file_whose_content_is_not_its_type_is_refused_by_what_it_holds(write_api: httpx.Client) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(64)
    response = upload(write_api, "notice.txt", png, "text/plain")
    assert response.status_code == 400 and "PNG" in response.json()["detail"]
    response = upload(write_api, "notice.docx", Path(SAMPLES[0]).read_bytes(), "application/msword")
    assert response.status_code == 400 and "docx" in response.json()["detail"]


def raw_multipart_upload(client: httpx.Client, name: bytes, content: bytes) -> httpx.Response:
    """An upload whose file name reaches the server byte for byte (httpx would percent-escape NUL and newlines)."""
    body = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="' + name + b'"\r\n'
        b"Content-Type: text/plain\r\n\r\n" + content + b"\r\n--b--\r\n"
    )
    return client.post(
        "/api/documents", headers={**AUTH, "Content-Type": "multipart/form-data; boundary=b"}, content=body
    )


# python-multipart itself cuts an old-IE full path ("C:\\dir\\a.txt") down to "a.txt": that one arrives harmless.
@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "../../etc/passwd.txt",
        "/etc/passwd.txt",
        "..\\..\\boot.txt",
        "D:notes.txt",
        "a\x00.txt",
        "notes.txt\x00.exe",
        "..",
        "sub/dir/a.txt",
        ".hidden.txt",
        "a\tb.txt",
        "a\x1bb.txt",
    ],
)
def test_path_tricks_in_the_file_name_are_refused(write_api: httpx.Client, name: str) -> None:
    response = raw_multipart_upload(write_api, name.encode(), Path(SAMPLES[0]).read_bytes())
    assert response.status_code == 400, (name, response.status_code, response.text)
    assert_no_leak(response)
    assert write_api.get("/api/documents").json() == []


def test_a_plain_chinese_name_with_spaces_is_accepted(write_api: httpx.Client) -> None:
    response = upload(write_api, "三明市 2023 科技工作要点.txt", Path(SAMPLES[0]).read_bytes())
    assert response.status_code == 201, response.text


def _write_operations(client: httpx.Client) -> list[tuple[str, str]]:
    paths = client.get("/openapi.json").json()["paths"]
    return [
        (method, path)
        for path, operations in paths.items()
        for method in operations
        if method in ("post", "put", "patch", "delete") and (method, path) not in READ_ONLY_POSTS
    ]


def test_every_write_route_needs_the_token(write_api: httpx.Client, http: httpx.Client) -> None:
    operations = _write_operations(write_api)
    assert ("post", "/api/documents") in operations and ("delete", "/api/document") in operations
    files = {"file": ("a.txt", Path(SAMPLES[0]).read_bytes(), "text/plain")}
    for method, path in operations:
        extra = {"files": files} if method == "post" else {"params": {"id": "doc:x"}}
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"bearer {TOKEN}x"}):
            response = write_api.request(method.upper(), path, headers=headers, **extra)
            assert response.status_code == 401, (method, path, headers, response.status_code)
            assert_no_leak(response)
        off = http.request(method.upper(), path, headers=AUTH, **extra)  # the sample API has no token configured
        assert off.status_code == 403, (method, path, off.status_code)
    assert write_api.get("/api/documents").json() == []


def test_cors_is_off_by_default_even_for_preflights(http: httpx.Client) -> None:
    origin = {"Origin": "http://evil.example"}
    preflight = http.options(
        "/api/cypher",
        headers={**origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
    )
    simple = http.post("/api/cypher", headers=origin, json={"query": "RETURN 1 AS one"})
    for response in (preflight, simple, http.get("/api/documents", headers=origin)):
        assert not any(key.lower().startswith("access-control-") for key in response.headers), response.headers


def test_cors_allows_only_the_configured_origins(sample_store: FalkorDBStore) -> None:
    settings = ApiSettings(cors_origins=("https://ok.example",))
    with LiveServer(create_app(sample_store, settings)) as server, httpx.Client(base_url=server.url) as client:
        allowed = client.get("/api/health", headers={"Origin": "https://ok.example"})
        other = client.get("/api/health", headers={"Origin": "http://evil.example"})
    assert allowed.headers.get("access-control-allow-origin") == "https://ok.example"
    assert "access-control-allow-origin" not in other.headers


def test_error_bodies_never_show_a_trace_or_a_path(http: httpx.Client) -> None:
    responses = [
        http.get("/api/nope"),
        http.post("/api/health"),
        http.get("/api/document"),
        http.get("/api/document", params={"id": "doc:" + "x" * 5000}),
        http.get("/api/entity", params={"id": "'); MATCH (n) DETACH DELETE n //"}),
        http.post("/api/cypher", json={"query": "MATCH (n RETURN n"}),
        http.post("/api/cypher", json={"query": "CALL dbms.procedures()"}),
        http.post("/api/cypher", json={"query": "RETURN 1", "params": {"x": {"nested": [1, {"a": None}]}}}),
        http.post("/api/cypher", json={"query": 42}),
        http.get("/static/../../../etc/passwd"),
        http.get("/static/%2e%2e/%2e%2e/etc/passwd"),
    ]
    for response in responses:
        assert response.status_code < 500, (response.request.url, response.status_code, response.text[:300])
        assert_no_leak(response)
        assert "root:" not in response.text


@pytest.mark.store
def test_a_store_that_is_down_is_a_503_without_its_socket_path(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "down")
    store = FalkorDBStore(server.start().client())
    server.stop()
    try:
        with LiveServer(create_app(store)) as api, httpx.Client(base_url=api.url, timeout=30) as client:
            responses = [
                client.get("/api/health"),
                client.get("/api/documents"),
                client.post("/api/cypher", json={"query": "RETURN 1 AS one"}),
            ]
    finally:
        store.close()
    for response in responses:
        assert_no_leak(response)
    # /api/cypher answers any store error with 400 (routes_cypher.py), even this outage
    assert [r.status_code for r in responses[:2]] == [503, 503], [r.text for r in responses]


def assert_security_headers(response: httpx.Response) -> None:
    policy = response.headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in policy, (response.url, policy)
    script = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert response.headers.get("x-content-type-options") == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/static/js/main.js",
        "/docs",
        "/redoc",
        "/api/health",
        "/api/queries/city-ranking",  # the second time from the fast path, which skips the routes
        "/api/queries/city-ranking",
        "/api/entity?id=没有这个机构",
        "/api/no-such-route",
        "/openapi.json",
    ],
)
def test_every_answer_carries_the_security_headers(http: httpx.Client, path: str) -> None:
    assert_security_headers(http.get(path))


def test_the_page_has_no_inline_script_or_handler(http: httpx.Client) -> None:
    """The page's policy allows no inline script: any there would not run."""
    for path in ("/", "/docs", "/redoc"):
        html = http.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\son[a-z]+\s*=", html), path


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1.evil.example", ""])
def test_a_host_name_not_allowed_is_refused(http: httpx.Client, host: str) -> None:
    response = http.get("/api/health", headers={"Host": host})
    assert response.status_code == 400
    assert "POLICYKG_ALLOWED_HOSTS" in response.json()["detail"]
    assert_security_headers(response)


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST:8000", "127.0.0.1:1", "[::1]:8000"])
def test_the_local_names_are_allowed_by_default(http: httpx.Client, host: str) -> None:
    assert http.get("/api/health", headers={"Host": host}).status_code == 200


def test_the_allowed_hosts_are_configurable(sample_store: FalkorDBStore) -> None:
    settings = ApiSettings(allowed_hosts=("policy.example.org",))
    with LiveServer(create_app(sample_store, settings)) as server, httpx.Client(base_url=server.url) as client:
        assert client.get("/api/health").status_code == 400  # 127.0.0.1 is no longer among them
        assert client.get("/api/health", headers={"Host": "policy.example.org:8000"}).status_code == 200
    with LiveServer(create_app(sample_store, ApiSettings(allowed_hosts=("*",)))) as server:
        assert httpx.get(f"{server.url}/api/health", headers={"Host": "any.example"}).status_code == 200


def test_serve_answers_to_the_address_it_listens_on() -> None:
    settings = answering_to(Settings(), "192.168.1.5")
    assert settings.api.allowed_hosts == (*LOCAL_HOSTS, "192.168.1.5")
    assert answering_to(Settings(), "127.0.0.1") == Settings()
