"""The real samples' records through a real store: every relationship the extractor finds is written, and
deleting every document leaves nothing a document held up."""

from __future__ import annotations

from collections import Counter

import pytest

from policykg.graph.stores.falkordb_store import FalkorDBStore

pytestmark = pytest.mark.store


def test_every_relation_of_the_samples_is_written(empty_store: FalkorDBStore, sample_records: list) -> None:
    """A relation whose target has no Entity label (an Industry) was silently dropped by the MATCH that writes it."""
    expected = Counter(relation["type"] for record in sample_records for relation in record["relations"])
    assert expected["PRIORITIZES"] > 0
    empty_store.load(sample_records)
    rows = empty_store.run("MATCH ()-[r]->() WHERE r.doc_id IS NOT NULL RETURN type(r) AS type, count(r) AS n")
    written = {row["type"]: row["n"] for row in rows}
    assert {kind: written.get(kind, 0) for kind in expected} == dict(expected)


def test_deleting_every_document_leaves_no_industry_metric_or_entity(
    empty_store: FalkorDBStore, sample_records: list
) -> None:
    empty_store.load(sample_records)
    assert empty_store.run("MATCH (i:Industry) RETURN count(i) AS n")[0]["n"] > 0
    for record in sample_records:
        assert empty_store.delete_document(record["doc_id"])
    rows = empty_store.run("MATCH (n) RETURN labels(n) AS labels, count(n) AS n")
    assert rows == []
