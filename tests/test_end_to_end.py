"""The walking skeleton end to end: samples → records → FalkorDB → API over HTTP."""

from __future__ import annotations

import httpx


def test_city_partners_over_http(http: httpx.Client) -> None:
    response = http.get("/api/queries/city-partners", params={"city": "三明市"})
    assert response.status_code == 200
    rows = response.json()["rows"]
    cas = [row for row in rows if row["institution"] == "中国科学院"]
    assert cas, rows
    assert "中国科学院" in cas[0]["sentence"]
    assert "合作" in cas[0]["sentence"]
    assert cas[0]["title"].startswith("三明市")


def test_health_and_catalogue(http: httpx.Client) -> None:
    assert http.get("/api/health").json()["status"] == "ok"
    names = [q["name"] for q in http.get("/api/queries").json()]
    assert "city-partners" in names


def test_page_is_served_with_its_script(http: httpx.Client) -> None:
    page = http.get("/")
    assert page.status_code == 200 and "cytoscape" in page.text
    assert http.get("/static/js/main.js").status_code == 200
    assert http.get("/static/vendor/cytoscape.min.js").status_code == 200


def test_missing_parameter_is_a_clear_400(http: httpx.Client) -> None:
    response = http.get("/api/queries/city-partners", params={"limit": "x", "city": "三明市"})
    assert response.status_code == 400
    assert "limit" in response.json()["detail"]


def test_unknown_query_is_404(http: httpx.Client) -> None:
    assert http.get("/api/queries/no-such-query").status_code == 404
