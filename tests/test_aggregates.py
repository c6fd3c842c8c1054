"""The derived summaries (graph/aggregates.py) stay exact through loads, reloads, replacements and
deletes: after each, they equal a from-scratch recomputation, on both stores."""

from __future__ import annotations

import copy
import json
import threading

import pytest

from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.graph.stores.neo4j_store import Neo4jStore
from policykg.graph.stores.protocol import Store
from tests.conftest import BOTH_STORES
from tests.curated_graph import curated_records

pytestmark = [pytest.mark.store, pytest.mark.parametrize("store", BOTH_STORES, indirect=True)]


@pytest.fixture
def store(request: pytest.FixtureRequest) -> Store:
    store: Store = request.getfixturevalue("neo4j_store" if request.param == "neo4j" else "empty_store")
    return store


def summaries(store: Store) -> list[str]:
    """Every summary node as comparable text (list properties are sets, so sorted)."""
    rows = store.run("MATCH (s:Summary) RETURN labels(s) AS labels, properties(s) AS props")
    found = []
    for row in rows:
        props = {k: sorted(v) if isinstance(v, list) else v for k, v in row["props"].items()}
        found.append(json.dumps([sorted(row["labels"]), props], ensure_ascii=False, sort_keys=True))
    return sorted(found)


def rebuild_summaries(store: Store) -> None:
    """From scratch, through the loader both stores share (not part of the Store protocol)."""
    assert isinstance(store, FalkorDBStore | Neo4jStore)
    store.loader.summaries.rebuild()


def recomputed(store: Store) -> list[str]:
    rebuild_summaries(store)
    return summaries(store)


def assert_exact(store: Store) -> list[str]:
    kept = summaries(store)
    assert kept, "no summaries"
    assert kept == recomputed(store)
    return kept


def corpus(sample_records: list) -> list:
    """The hand-written records and the samples."""
    return [*curated_records(), *sample_records]


def test_loading_one_by_one_gives_the_summaries_a_whole_recomputation_gives(store: Store, sample_records: list) -> None:
    for record in corpus(sample_records):
        store.load([record])
    assert_exact(store)


def test_deleting_then_reloading_each_document_keeps_them_exact(store: Store, sample_records: list) -> None:
    records = corpus(sample_records)
    store.load(records)
    loaded = assert_exact(store)
    for record in records[::2]:
        assert store.delete_document(record["doc_id"])
        assert summaries(store) == recomputed(store)
        store.load(records)
        assert summaries(store) == loaded


def test_a_changed_document_replaces_its_share(store: Store) -> None:
    records = curated_records()
    store.load(records)
    changed = copy.deepcopy(records[0])
    changed["doc_id"] = records[0]["doc_id"] + "-v2"
    changed["document"]["year"] = 2030
    changed["relations"] = changed["relations"][:1]
    assert store.load([changed]).replaced == 1
    assert_exact(store)


def test_an_institution_put_under_a_parent_later_brings_its_older_facts(store: Store) -> None:
    """The first document names the institute only in a relation (no parent); a later one names it with
    its parent: 中国科学院's roll-up must then count the first document's cooperation too."""
    first = curated_records()[0]  # 三明市 cooperates with the institute
    later = copy.deepcopy(first)
    first["entities"] = [e for e in first["entities"] if e["name"] != "中国科学院福建物质结构研究所"]
    later["doc_id"], later["source"], later["relations"] = "doc:later", "/curated/later.txt", []
    store.load([first])
    assert not store.run("MATCH (s:PartnerSummary {key: 'City:三明市|Institution:中国科学院'}) RETURN s")
    store.load([later])
    assert_exact(store)
    rows = store.run("MATCH (s:PartnerSummary {key: 'City:三明市|Institution:中国科学院'}) RETURN s.via AS via")
    assert "中国科学院福建物质结构研究所" in rows[0]["via"]


def test_the_summaries_are_not_entities_and_have_no_relationships(store: Store, sample_records: list) -> None:
    store.load(corpus(sample_records))
    assert not store.run("MATCH (s:Summary:Entity) RETURN s LIMIT 1")
    assert not store.run("MATCH (s:Summary)-[r]-() RETURN r LIMIT 1")


def test_two_processes_summarising_an_older_store_at_once_agree(store: Store, sample_records: list) -> None:
    """`serve --workers N` on a store loaded before the summaries: every worker may rebuild at once."""
    store.load(corpus(sample_records))
    expected = recomputed(store)

    def rebuild() -> None:
        rebuild_summaries(store)
        store.run("RETURN 1 AS flushed")  # this thread's last write has landed

    rebuilds = [threading.Thread(target=rebuild) for _ in range(2)]
    for thread in rebuilds:
        thread.start()
    for thread in rebuilds:
        thread.join()
    assert summaries(store) == expected


def entity_search_texts(store: Store) -> list[tuple[str, list[str], str]]:
    """Every entity's aliases and search text, as stored (lists not sorted: their order is what is compared)."""
    rows = store.run("MATCH (e:Entity) RETURN e.id AS id, e.aliases AS aliases, e.search_text AS text")
    return sorted((row["id"], row["aliases"] or [], row["text"]) for row in rows)


def raw_summaries(store: Store) -> list[str]:
    """Every summary node as text with its list properties as stored, not sorted."""
    rows = store.run("MATCH (s:Summary) RETURN labels(s) AS labels, properties(s) AS props")
    return sorted(json.dumps([sorted(row["labels"]), row["props"]], ensure_ascii=False, sort_keys=True) for row in rows)


def with_extra_aliases(records: list) -> list:
    """The records, the first two naming 中国科学院 by one more alias each, so its aliases arrive in load order."""
    changed = copy.deepcopy(records)
    for record, alias in zip(changed[:2], ("中科院", "国科院"), strict=True):
        for entity in record["entities"]:
            if entity["name"] == "中国科学院":
                entity["aliases"] = [*entity["aliases"], alias]
    return changed


def test_summaries_and_search_text_do_not_depend_on_load_order(store: Store, sample_records: list) -> None:
    records = with_extra_aliases(corpus(sample_records))
    assert any(e["name"] == "中国科学院" for e in records[0]["entities"] + records[1]["entities"])
    found = []
    for ordered in (records, records[::-1]):
        store.run("MATCH (n) DETACH DELETE n", read_only=False)
        for record in ordered:  # one chunk each: every document meets the others' summaries and aliases
            store.load([record])
        found.append((raw_summaries(store), entity_search_texts(store)))
    assert found[0][0] == found[1][0]
    assert found[0][1] == found[1][1]
