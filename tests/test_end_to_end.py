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


def test_a_bad_parameter_is_a_clear_422(http: httpx.Client) -> None:
    """A value of the wrong type or out of its range is the request's fault: `limit=-1` reached the store as a
    negative LIMIT and answered 503 "the store failed" (issue #19)."""
    for limit in ("x", "-1", "0", str(2**63)):
        response = http.get("/api/queries/city-partners", params={"limit": limit, "city": "三明市"})
        assert response.status_code == 422, limit
        assert response.json()["detail"][0]["loc"] == ["query", "limit"]
    response = http.get("/api/queries/cooperation-matrix", params={"type": "Nothing"})
    assert response.status_code == 422 and "Institution" in response.json()["detail"][0]["msg"]
    assert http.get("/api/queries/document-facts").status_code == 422  # its doc is required


def test_unknown_query_is_404(http: httpx.Client) -> None:
    assert http.get("/api/queries/no-such-query").status_code == 404
