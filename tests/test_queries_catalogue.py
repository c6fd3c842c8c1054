"""Every curated query file has a well-formed header."""

from __future__ import annotations

import pytest

from policykg.queries import QueryFileError, load_queries, parse_query_file


def test_every_query_parses_with_titles_and_typed_parameters() -> None:
    queries = load_queries()
    assert "city-partners" in queries
    for query in queries.values():
        assert query.title_zh and query.title_en and query.cypher
        for parameter in query.parameters:
            assert parameter.description


def test_bind_types_and_requires(tmp_path) -> None:
    query = load_queries()["city-partners"]
    assert query.bind({"city": "丹东市", "limit": "5"}) == {"city": "丹东市", "limit": 5}
    with pytest.raises(ValueError, match="limit"):
        query.bind({"limit": "many"})


def test_a_header_without_titles_is_refused(tmp_path) -> None:
    path = tmp_path / "broken.cypher"
    path.write_text("// name: broken\nMATCH (n) RETURN n\n", encoding="utf-8")
    with pytest.raises(QueryFileError, match="title"):
        parse_query_file(path)


def test_the_spec_describes_each_curated_querys_parameters() -> None:
    """schemathesis reads the spec: without the parameters in it, it never sent limit=-1 (a 503 then)."""
    from policykg.api.app import routed_app

    spec = routed_app().openapi()["paths"]
    for query in load_queries().values():
        described = {p["name"]: p for p in spec[f"/api/queries/{query.name}"]["get"]["parameters"]}
        assert set(described) == {p.name for p in query.parameters}
        for parameter in query.parameters:
            assert described[parameter.name]["required"] == parameter.required
    limit = {p["name"]: p for p in spec["/api/queries/city-ranking"]["get"]["parameters"]}["limit"]["schema"]
    assert (limit["type"], limit["minimum"], limit["maximum"]) == ("integer", 1, 100_000)
    kinds = {p["name"]: p for p in spec["/api/queries/cooperation-matrix"]["get"]["parameters"]}["type"]["schema"]
    assert "any" in kinds["enum"] and "Institution" in kinds["enum"]
