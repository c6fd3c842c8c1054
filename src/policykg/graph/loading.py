"""Loading semantics shared by every Cypher store.

A document is written in steps, its Document node first with status 'loading' and last set
to 'loaded'. So a load cut short (a killed process, a crashed server) leaves a document that
is not 'loaded', and the next load removes its partial facts before writing it again.
Loading the same content again changes nothing; a changed file replaces its old version.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any

from policykg.graph.aggregates import Summaries
from policykg.graph.build import (
    CONCEPT_LINKS,
    DOCUMENT_LABEL,
    ENTITY_LABEL,
    FIGURE_LINKS,
    GAZETTEER_SOURCE,
    MEASURES,
    METRIC_LABEL,
    GraphRows,
    build,
    document_body,
)
from policykg.graph.search import SEARCH_PROPERTY
from policykg.graph.stores.protocol import LoadReport, StoreError
from policykg.graph.stores.texts import DocumentTexts
from policykg.ingest.record import ENTITY_TYPES, Record

Execute = Callable[[str, dict[str, Any]], Any]

# The documents a chunk meets: its own (by content), and the older versions of its files. A file is known by its
# origin when the walk gave one (`source` is only a name relative to what was ingested: two folders may both hold
# a.txt); an upload, which has none, by its source (upload:<name>).
_EXISTING = (
    f"MATCH (d:{DOCUMENT_LABEL}) WHERE d.id IN $ids OR d.origin IN $origins "
    "OR (d.origin IS NULL AND d.source IN $sources) "
    "RETURN d.id AS id, d.source AS source, d.status AS status"
)


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def batched_by_size(rows: list[dict[str, Any]], size: int, max_bytes: int | None) -> Iterator[list[dict[str, Any]]]:
    """Batches of at most `size` rows and, when given, at most `max_bytes` of parameters (as JSON)."""
    if max_bytes is None:
        yield from batched(rows, size)
        return
    chunk: list[dict[str, Any]] = []
    used = 0
    for row in rows:
        row_bytes = len(json.dumps(row, ensure_ascii=False).encode())
        if row_bytes > max_bytes:
            raise StoreError(
                f"a row of {row_bytes} bytes is larger than this store takes in one statement "
                f"({max_bytes} bytes): {str(row)[:80]}…"
            )
        if chunk and (len(chunk) == size or used + row_bytes > max_bytes):
            yield chunk
            chunk, used = [], 0
        chunk.append(row)
        used += row_bytes
    if chunk:
        yield chunk


def node_labels(label: str) -> str:
    return f"{ENTITY_LABEL}:{label}" if label in ENTITY_TYPES else label


def merge_nodes_cypher(label: str, interned: Iterable[str] = ()) -> str:
    """MERGE by id under every label at once (an id names one type, so its labels never change): setting
    labels on an existing node costs FalkorDB more than the MERGE itself. Targets and metrics have no
    aliases: no empty list on each of a million targets."""
    if label not in ENTITY_TYPES:
        return (
            f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) "
            f"ON CREATE SET n += row.props{_interning('n', interned)} ON MATCH SET n += row.props"
        )
    # Full-text indexes take strings, not lists: name and aliases in one string. A row's aliases are already
    # the stored ones joined with its own, sorted (CypherLoader._changed): appended here they came in load order.
    return (
        f"UNWIND $rows AS row MERGE (n:{node_labels(label)} {{id: row.id}}) "
        f"SET n += row.props, n.aliases = row.aliases, n.{SEARCH_PROPERTY} = row.{SEARCH_PROPERTY}"
    )


def create_relationships_cypher(
    rel_type: str,
    source_label: str,
    target_label: str,
    shared: bool = False,
    interned: Iterable[str] = (),
    keys: Iterable[str] = (),
) -> str:
    """A fresh document's facts are new by construction (a document is cleaned out before it is written
    again), so they are created, not merged; `shared` facts (the gazetteers', no document's) are merged.
    `interned` names string properties to store once however many relationships hold them (FalkorDB's
    intern(): a document's id on its thousands of facts is one string, not thousands); the rows' property
    `keys` are written out in the CREATE's own property map (_property_map)."""
    match = (
        f"UNWIND $rows AS row MATCH (a:{source_label} {{id: row.source}}) MATCH (b:{target_label} {{id: row.target}}) "
    )
    if shared:
        return match + f"MERGE (a)-[r:{rel_type}]->(b) SET r += row.props"
    properties = _property_map(interned, keys)
    if properties is None:
        return match + f"CREATE (a)-[r:{rel_type}]->(b) SET r += row.props"
    return match + f"CREATE (a)-[r:{rel_type} {properties}]->(b)"


def create_figures_cypher(label: str, interned: Iterable[str] = (), keys: Iterable[str] = ()) -> str:
    """Each Target (or Result: `label`) created with its links to its document and its metric (both written
    before): (d)-[:SETS_TARGET]->(t:Target)-[:MEASURES]->(m), or REPORTS_RESULT to a Result."""
    match = (
        f"UNWIND $rows AS row MATCH (d:{DOCUMENT_LABEL} {{id: row.document}}) "
        f"MATCH (m:{METRIC_LABEL} {{id: row.metric}}) "
    )
    link = FIGURE_LINKS[label]
    properties = _property_map(interned, keys)
    if properties is None:
        return match + f"CREATE (d)-[:{link}]->(t:{label})-[:{MEASURES}]->(m) SET t += row.props"
    return match + f"CREATE (d)-[:{link}]->(t:{label} {properties})-[:{MEASURES}]->(m)"


def _property_map(interned: Iterable[str], keys: Iterable[str]) -> str | None:
    """`{key: row.props.key, …}` with the `interned` keys' values through intern(); None without keys. Written out
    in the CREATE rather than `SET x += row.props`, for Neo4j too: it cannot tell which properties a map SET
    writes, so it plans an Eager (the whole batch read before anything is written) lest they be ones the MATCHes
    read."""
    interned_keys, keys = set(interned), list(keys)
    if not keys:
        return None
    values = ", ".join(
        f"`{key}`: intern(row.props.`{key}`)" if key in interned_keys else f"`{key}`: row.props.`{key}`" for key in keys
    )
    return f"{{{values}}}"


def _interning(variable: str, keys: Iterable[str]) -> str:
    """Items of the SET that wrote `row.props`: the same values again, interned. Read from the row, not the
    property: FalkorDB evaluates a SET's items before assigning any, so `r.k` would still be the old value."""
    return "".join(f", {variable}.{key} = intern(row.props.{key})" for key in keys)


# String properties whose values repeat across many facts: a document's id, the extractor, a sentence that
# states several facts, metric and unit names.
INTERNED_PROPERTIES = (
    "doc_id",
    "extractor",
    "sentence",
    "metric",
    "metric_id",
    "unit",
    "unit_normalised",
    "comparator",
)


_TOUCHED = (
    f"MATCH (d:{DOCUMENT_LABEL} {{id: $id}}) OPTIONAL MATCH (d)-[:MENTIONS]->(e:{ENTITY_LABEL}) "
    "RETURN collect(e.id) AS touched"
)
# Every fact a document asserted starts at an entity it mentions, so deletion stays local.
_DELETE_DOCUMENT = (
    f"UNWIND $touched AS tid MATCH (e:{ENTITY_LABEL} {{id: tid}})-[r]->() WHERE r.doc_id = $id DELETE r",
    *(
        f"MATCH (d:{DOCUMENT_LABEL} {{id: $id}})-[:{link}]->(t:{label}) DETACH DELETE t"
        for label, link in FIGURE_LINKS.items()
    ),
    f"MATCH (d:{DOCUMENT_LABEL} {{id: $id}}) DETACH DELETE d",
    f"UNWIND $touched AS tid MATCH (e:{ENTITY_LABEL} {{id: tid}}) WHERE NOT (e)<-[:MENTIONS]-() DETACH DELETE e",
    # Concepts (metrics, industries) no fact points at any more: few, so found by label, not by document.
    *(f"MATCH (c:{label}) WHERE NOT (c)<-[:{link}]-() DELETE c" for label, link in CONCEPT_LINKS.items()),
)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Building and encoding a batch allocates hundreds of thousands of small dicts and lists, none in a
    cycle; each allocation burst set off collections that walked every live object (the records in flight
    included): a fifth of the loader's CPU. Reference counting frees the rows; cycles wait until the end."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _dedupe_nodes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per node, its aliases the sorted union of its rows' (never the order documents came in)."""
    merged: dict[str, dict[str, Any]] = {}
    for row in rows:
        seen = merged.get(row["id"])
        if seen is None:
            merged[row["id"]] = {"id": row["id"], "props": row["props"], "aliases": row["aliases"]}
        else:
            seen["props"] = {**seen["props"], **row["props"]}
            seen["aliases"] = seen["aliases"] + row["aliases"]
    for row in merged.values():
        _set_aliases(row, row["aliases"])
    return list(merged.values())


def _set_aliases(row: dict[str, Any], aliases: Iterable[str]) -> None:
    """The row's aliases, deduplicated and sorted, and its search text (name, then those aliases)."""
    row["aliases"] = sorted(set(aliases))
    row[SEARCH_PROPERTY] = " ".join([row["props"].get("name") or "", *row["aliases"]])


def _is_shared(row: dict[str, Any]) -> bool:
    source: object = row["props"].get("source")
    return source == GAZETTEER_SOURCE


def _dedupe_relationships(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return list({row["key"]: row for row in rows}.values())


class CypherLoader:
    """Loads records through any `execute(cypher, params)` that writes, in batches of rows."""

    def __init__(
        self,
        execute: Execute,
        query: Callable[[str, dict[str, Any]], list[dict[str, Any]]],
        batch_rows: int = 2000,
        batch_documents: int = 200,
        batch_bytes: int | None = None,
        interned: tuple[str, ...] = (),
        texts: DocumentTexts | None = None,
    ) -> None:
        self.execute = execute
        self.query = query
        self.batch_rows = batch_rows
        self.batch_documents = batch_documents
        self.batch_bytes = batch_bytes  # a server that fails on large parameters (FalkorDB's Bolt endpoint)
        self.interned = interned  # string properties the store can keep once (INTERNED_PROPERTIES on FalkorDB)
        self.texts = texts  # where documents' text and outline go when not into the graph (the embedded store)
        self.summaries = Summaries(
            execute,
            query,
            self._unwind,  # derived counts kept with the facts
            lambda items: batched_by_size(items, batch_rows, batch_bytes),
            bool(interned),
        )

    def delete_document(self, doc_id: str) -> bool:
        if not self.query(f"MATCH (d:{DOCUMENT_LABEL} {{id: $id}}) RETURN d.id AS id", {"id": doc_id}):
            return False
        touched = self.query(_TOUCHED, {"id": doc_id})[0]["touched"]
        changed = self.summaries.before_delete(doc_id, touched)
        for statement in _DELETE_DOCUMENT:
            self.execute(statement, {"id": doc_id, "touched": touched})
        self.summaries.after_delete(changed)
        if self.texts is not None:
            self.texts.delete(doc_id)
        return True

    def load(self, records: Iterable[Record]) -> LoadReport:
        report = LoadReport()
        for chunk in batched(records, self.batch_documents):
            report.add(self._load_chunk(chunk))
        return report

    def _load_chunk(self, records: list[Record]) -> LoadReport:
        report = LoadReport()
        origins = [r["origin"] for r in records if r.get("origin")]
        sources = [r.get("source") or r["file"] for r in records if not r.get("origin")]
        incoming = {r["doc_id"] for r in records}
        existing = {
            row["id"]: row
            for row in self.query(_EXISTING, {"ids": list(incoming), "origins": origins, "sources": sources})
        }
        loaded_ids = {i for i, row in existing.items() if i in incoming and row["status"] == "loaded"}
        replaced = {i for i in existing if i not in incoming}  # same source, older content
        partial = {i for i in existing if i in incoming and i not in loaded_ids}  # a load cut short
        for doc_id in replaced | partial:
            self.delete_document(doc_id)
        report.replaced = len(replaced)
        fresh: list[Record] = []
        for record in records:
            if record["doc_id"] in loaded_ids or any(r["doc_id"] == record["doc_id"] for r in fresh):
                report.unchanged += 1
            else:
                fresh.append(record)
        if not fresh:
            return report
        with _no_cyclic_gc():
            rows = GraphRows()
            for record in fresh:
                if self.texts is not None:  # written before the graph: a document marked loaded has its text
                    self.texts.put(record["doc_id"], document_body(record))
                rows.extend(build(record, with_body=self.texts is None))
            self._write(rows)
        report.loaded = len(fresh)
        report.nodes, report.relationships = rows.counts()
        return report

    def _write(self, rows: GraphRows) -> None:
        docs = [{"id": d["id"], "props": dict(d["props"], status="loading")} for d in rows.documents]
        self._unwind(f"UNWIND $rows AS row MERGE (d:{DOCUMENT_LABEL} {{id: row.id}}) SET d += row.props", docs)
        for label, node_rows in rows.nodes.items():
            self._unwind(merge_nodes_cypher(label, self.interned), self._changed(label, _dedupe_nodes(node_rows)))
        for label, figure_rows in rows.figures().items():
            keys = sorted({key for row in figure_rows for key in row["props"]})
            self._unwind(create_figures_cypher(label, self.interned, keys), figure_rows)
        for (rel_type, source_label, target_label), rel_rows in rows.relationships.items():
            unique = _dedupe_relationships(rel_rows)
            keys = sorted({key for row in unique for key in row["props"]})
            for shared in (False, True):
                cypher = create_relationships_cypher(rel_type, source_label, target_label, shared, self.interned, keys)
                self._unwind(cypher, [row for row in unique if _is_shared(row) == shared])
        self.summaries.after_load(rows)  # before 'loaded': a chunk cut short is deleted, summaries recomputed
        self._unwind(
            f"UNWIND $rows AS row MATCH (d:{DOCUMENT_LABEL} {{id: row.id}}) SET d.status = 'loaded'",
            [{"id": d["id"]} for d in docs],
        )

    def _changed(self, label: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The rows that would change the store, each with its aliases joined to those stored: most entities of a
        new document exist already, and comparing costs a fraction of a MERGE that rewrites them (and their
        full-text entry)."""
        match_label = ENTITY_LABEL if label in ENTITY_TYPES else label
        # The comparison is projected, not filtered: FalkorDB 4.16 drops every row when it sits in the WHERE.
        cypher = (
            f"UNWIND $rows AS row MATCH (n:{match_label} {{id: row.id}}) RETURN row.id AS id, "
            "coalesce(n.aliases, []) AS aliases, all(k IN keys(row.props) WHERE n[k] = row.props[k]) AS same"
        )
        stored: dict[str, dict[str, Any]] = {}
        for chunk in batched_by_size(rows, self.batch_rows, self.batch_bytes):
            stored.update((found["id"], found) for found in self.query(cypher, {"rows": chunk}))
        changed = []
        for row in rows:
            found = stored.get(row["id"])
            if found is not None:
                _set_aliases(row, [*found["aliases"], *row["aliases"]])
                if found["same"] and row["aliases"] == found["aliases"]:
                    continue
            changed.append(row)
        return changed

    def _unwind(self, cypher: str, rows: list[dict[str, Any]]) -> None:
        for chunk in batched_by_size(rows, self.batch_rows, self.batch_bytes):
            self.execute(cypher, {"rows": chunk})
