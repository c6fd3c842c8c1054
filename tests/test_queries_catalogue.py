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
