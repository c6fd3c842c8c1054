"""The analytics routes over HTTP, on the samples in a real FalkorDB."""

from __future__ import annotations

import httpx


def test_centrality_ranks_cities_and_institutions(http: httpx.Client) -> None:
    rows = http.get("/api/analytics/centrality", params={"top": 5}).json()
    assert 0 < len(rows) <= 5
    assert {row["type"] for row in rows} <= {"City", "Institution"}
    assert rows == sorted(rows, key=lambda r: (-r["betweenness"], -r["degree"], r["name"]))


def test_projection_and_communities_have_their_shapes(http: httpx.Client) -> None:
    for pair in http.get("/api/analytics/projection").json():
        assert pair["weight"] == len(pair["shared"]) > 0
    groups = http.get("/api/analytics/communities", params={"min_size": 2}).json()
    assert groups and all(group["size"] == len(group["members"]) >= 2 for group in groups)


def test_path_between_a_city_and_its_partner(http: httpx.Client) -> None:
    path = http.get("/api/analytics/path", params={"from": "三明市", "to": "中国科学院"}).json()
    assert path["nodes"][0]["name"] == "三明市" and path["nodes"][-1]["name"] == "中国科学院"
    assert path["edges"] and all(edge["documents"] for edge in path["edges"])


def test_path_to_an_unknown_entity_is_404(http: httpx.Client) -> None:
    response = http.get("/api/analytics/path", params={"from": "三明市", "to": "没有这个机构"})
    assert response.status_code == 404 and "没有这个机构" in response.json()["detail"]
