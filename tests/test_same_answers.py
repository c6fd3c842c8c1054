"""The same answers from both stores: the samples and 200 documents of ../shared/realcorpus loaded into the embedded
FalkorDB and into a real Neo4j 5, then every curated query (src/policykg/queries/*.cypher) asked of both, with its
example's parameters and with values taken from the data (the busiest cities, some documents, a path between two
cities). The rows must be identical, in the same order wherever the query's last RETURN has an ORDER BY (a query
without one, such as document-facts, is compared as a multiset of rows). And the same again from a Neo4j filled by
neo4j-admin's bulk importer from `policykg export --format csv`.

Normalised, because they are the stores' and not the data's: how toString() writes a float (FalkorDB "2.500000",
Neo4j "2.5"), so trailing zeros after a decimal point are dropped in every string on both sides; and whether a whole
number is an integer or a float (neo4j-admin types a CSV column holding both as double), so numbers compare by value.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from policykg.export.formats import NEO4J_ADMIN_OPTIONS
from policykg.graph.stores.embedded_server import EmbeddedServer
from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.graph.stores.neo4j_store import Neo4jStore
from policykg.graph.stores.protocol import Row, Store
from policykg.ingest.pipeline import extract_file
from policykg.ingest.record import Record
from policykg.queries import CuratedQuery, load_queries
from policykg.queries.dialects import run_curated
from tests.conftest import SAMPLES, SHARED, emptied_neo4j_store, graph_store
from tests.neo4j_launcher import Neo4jServer, running_neo4j

POLICYKG = str(Path(sys.executable).parent / "policykg")
REAL_DOCUMENTS = SHARED / "realcorpus" / "docs"
HOW_MANY = 200
ALL_ROWS = 100_000  # every query's limit: no cut through rows that tie on its order
Stores = tuple[Store, Store]
Params = dict[str, Any]

# Parameters beyond each query's example, read from the loaded data (the embedded store's side).
BUSIEST_CITIES = "MATCH (s:CitySummary) RETURN s.city AS city ORDER BY s.partners DESC, s.city LIMIT 3"
SOME_DOCUMENTS = "MATCH (d:Document) RETURN d.id AS doc ORDER BY d.id LIMIT 3"
BUSIEST_METRICS = (
    "MATCH (:Target)-[:MEASURES]->(m:Metric) WITH m, count(*) AS n RETURN m.name AS metric ORDER BY n DESC, metric "
    "LIMIT 2"
)
TWO_HOPS = (
    "MATCH (a:City)-[:COOPERATES_WITH]->(:Institution)<-[:COOPERATES_WITH]-(b:City) WHERE a.id < b.id "
    "RETURN a.id AS source, b.id AS target ORDER BY source, target LIMIT 2"
)


def _rows_of(cypher: str, rename: dict[str, str] | None = None) -> Callable[[Store], list[Params]]:
    return lambda store: [{(rename or {}).get(k, k): v for k, v in row.items()} for row in store.run(cypher)]


FROM_THE_DATA: dict[str, Callable[[Store], list[Params]]] = {
    "city-city": lambda store: [{"city": "any"}, *_rows_of(BUSIEST_CITIES)(store)],
    "city-partners": _rows_of(BUSIEST_CITIES),
    "city-platforms": _rows_of(BUSIEST_CITIES),
    "city-timeline": _rows_of(BUSIEST_CITIES),
    "document-facts": _rows_of(SOME_DOCUMENTS),
    "institution-cities": lambda _: [{"institution": "中科院"}],  # by its alias
    "metric-targets": _rows_of(BUSIEST_METRICS),
    "search": lambda _: [{"q": "大学"}, {"q": "科学院"}],
    "shortest-paths": _rows_of(TWO_HOPS),
}


@pytest.fixture(scope="module")
def records(sample_records: list[Record]) -> list[Record]:
    if not REAL_DOCUMENTS.is_dir():
        pytest.skip(f"{REAL_DOCUMENTS} is absent: the real documents this comparison loads live beside the checkout")
    return [*sample_records, *(extract_file(path) for path in sorted(REAL_DOCUMENTS.glob("*.txt"))[:HOW_MANY])]


@pytest.fixture(scope="module")
def stores(
    records: list[Record], falkordb_server: EmbeddedServer, neo4j_server: Neo4jServer, neo4j_driver: Driver
) -> Iterator[Stores]:
    with (
        graph_store(falkordb_server, "same_answers") as falkordb,
        emptied_neo4j_store(neo4j_server, neo4j_driver) as neo,
    ):
        for store in (falkordb, neo):
            report = store.load(records)
            assert (report.loaded, report.failures) == (len(records), [])
        yield falkordb, neo


def parameter_sets(query: CuratedQuery, store: Store) -> list[Params]:
    example = dict(pair.split("=", 1) for pair in query.example.split("&") if pair)
    extra = FROM_THE_DATA[query.name](store) if query.name in FROM_THE_DATA else []
    limit = {"limit": ALL_ROWS} if any(p.name == "limit" for p in query.parameters) else {}
    return [query.bind({**given, **limit}) for given in (example, *extra)]


def defines_an_order(query: CuratedQuery) -> bool:
    """Whether the query's last RETURN is ordered (comments left out)."""
    code = re.sub(r"//[^\n]*", "", query.cypher)
    return "ORDER BY" in re.split(r"\bRETURN\b", code)[-1].upper()


def _plain_floats(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return re.sub(r"(\d)\.(\d*?)0+(?!\d)", lambda m: f"{m[1]}.{m[2]}" if m[2] else m[1], value)
    if isinstance(value, list):
        return [_plain_floats(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain_floats(v) for k, v in value.items()}
    return value


def comparable(rows: list[Row], ordered: bool) -> list[str]:
    written = [json.dumps(_plain_floats(row), ensure_ascii=False, sort_keys=True) for row in rows]
    return written if ordered else sorted(written)


def test_every_query_given_data_of_its_own_is_known() -> None:
    assert set(FROM_THE_DATA) <= set(load_queries())


def test_the_float_normalisation_touches_only_trailing_zeros() -> None:
    assert _plain_floats(["2.500000万元", "3705.000000亿元", "10.0%", "1.05", "第100条", 18.0, 2.5]) == [
        "2.5万元",
        "3705亿元",
        "10%",
        "1.05",
        "第100条",
        18,
        2.5,
    ]


def assert_same_answers(name: str, falkordb: Store, neo4j: Store) -> None:
    """Query `name` asked of both stores with each of its parameter sets gives the same rows."""
    query = load_queries()[name]
    answered = 0
    for params in parameter_sets(query, falkordb):
        on_falkordb = run_curated(falkordb, name, query.cypher, params)
        on_neo4j = run_curated(neo4j, name, query.cypher, params)
        ordered = defines_an_order(query)
        assert comparable(on_neo4j, ordered) == comparable(on_falkordb, ordered), params
        answered += bool(on_falkordb)
    assert answered, f"{name} found nothing with any of its parameters: the comparison would prove nothing"


@pytest.mark.slow  # extracting the 200 documents and loading them into both stores: two minutes
@pytest.mark.parametrize("name", sorted(load_queries()))
def test_both_stores_give_the_same_rows(stores: Stores, name: str) -> None:
    assert_same_answers(name, *stores)


def policykg(*args: str | Path) -> None:
    result = subprocess.run([POLICYKG, *map(str, args)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


@pytest.mark.slow  # a Neo4j of its own: half a minute to start
@pytest.mark.neo4j
@pytest.mark.store
def test_the_csv_export_imported_by_neo4j_admin_gives_the_same_answers(
    tmp_path: Path, sample_store: FalkorDBStore
) -> None:
    """The README's way from the embedded store to a Neo4j: `policykg export --format csv`, then neo4j-admin database
    import with the options the export's IMPORT.txt names; policykg opening the database adds its indexes and
    summaries, and every curated query answers as on the embedded store holding the same samples."""
    data, records, archive = tmp_path / "data", tmp_path / "records.jsonl", tmp_path / "graph.zip"
    policykg("extract", *SAMPLES, "-o", records)
    policykg("load", records, "--data-dir", data)
    policykg("export", "--format", "csv", "--data-dir", data, "-o", archive)
    with zipfile.ZipFile(archive) as csv:
        csv.extractall(tmp_path / "csv")
        assert " ".join(NEO4J_ADMIN_OPTIONS) in csv.read("IMPORT.txt").decode()
    with running_neo4j(
        tmp_root=tmp_path,
        nodes=[tmp_path / "csv" / "nodes.csv"],
        relationships=[tmp_path / "csv" / "relationships.csv"],
        import_options=NEO4J_ADMIN_OPTIONS,
    ) as server:
        imported = Neo4jStore.connect(server.uri, server.user, server.password)
        try:
            assert imported.stats() == {**sample_store.stats(), "store": "neo4j"}
            for name in sorted(load_queries()):
                assert_same_answers(name, sample_store, imported)
        finally:
            imported.close()
