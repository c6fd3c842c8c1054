"""Uploads are extracted in a worker process with the batch ingest's time limit: a hostile document answers 4xx
with a clear message, never 5xx, and a client that leaves takes its extraction with it (issue #19)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from policykg.api.app import create_app
from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.settings import EXTRACT_TIMEOUT_S, ApiSettings
from tests.conftest import SAMPLES, LiveServer
from tests.test_api_security import TOKEN, assert_no_leak, upload

pytestmark = pytest.mark.slow  # each upload spawns a worker process: a second or two


def serving(store: FalkorDBStore, **settings: float) -> LiveServer:
    return LiveServer(create_app(store, ApiSettings(api_token=TOKEN, **settings)))  # type: ignore[arg-type]


@pytest.fixture
def api(empty_store: FalkorDBStore) -> Iterator[httpx.Client]:
    with serving(empty_store) as server, httpx.Client(base_url=server.url, timeout=120) as client:
        yield client


def test_uploads_have_the_batch_ingests_time_limit() -> None:
    assert ApiSettings().extract_timeout_s == EXTRACT_TIMEOUT_S


def test_html_nested_too_deeply_is_a_422_naming_the_reason(api: httpx.Client) -> None:
    html = "<html><body>" + "<div>" * 1200 + "三明市与中国科学院合作</body></html>"
    response = upload(api, "deep.html", html.encode(), "text/html")
    assert response.status_code == 422, response.text
    assert "nested too deeply" in response.json()["detail"]
    assert_no_leak(response)


def test_an_85_character_chinese_file_name_is_a_400_naming_the_limit(api: httpx.Client) -> None:
    name = "三明市科学技术局关于印发" * 7 + "通知.txt"  # 86 characters, 258 bytes in UTF-8
    response = upload(api, name, Path(SAMPLES[0]).read_bytes())
    assert response.status_code == 400, response.text
    assert "255" in response.json()["detail"]
    assert api.get("/api/documents").json() == []


def test_an_upload_still_loads_with_its_worker(api: httpx.Client) -> None:
    response = upload(api, "三明.txt", Path(SAMPLES[0]).read_bytes())
    assert response.status_code == 201, response.text
    assert response.json()["city"] == "三明市"


def test_an_extraction_over_the_time_limit_is_stopped_with_a_422(empty_store: FalkorDBStore) -> None:
    # No worker starts in a millisecond, so any document is over it.
    with serving(empty_store, extract_timeout_s=0.001) as server, httpx.Client(base_url=server.url) as client:
        response = upload(client, "三明.txt", Path(SAMPLES[0]).read_bytes())
        assert response.status_code == 422, response.text
        assert "stopped" in response.json()["detail"]
        assert client.get("/api/documents").json() == []
    assert multiprocessing.active_children() == []


def test_a_client_that_leaves_takes_its_extraction_with_it(empty_store: FalkorDBStore) -> None:
    # The client gives up long before a worker could even start.
    with (
        serving(empty_store) as server,
        httpx.Client(base_url=server.url, timeout=httpx.Timeout(30, read=0.2)) as leaving,
        pytest.raises(httpx.ReadTimeout),
    ):
        upload(leaving, "三明.txt", SAMPLE)
    # The server has stopped, after the requests in flight: the abandoned one neither ran on nor loaded.
    assert multiprocessing.active_children() == []
    assert empty_store.run("MATCH (d:Document) RETURN count(d) AS n") == [{"n": 0}]


SAMPLE = Path(SAMPLES[0]).read_bytes()
