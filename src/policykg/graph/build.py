"""Records to property-graph rows with stable ids: the only place that decides the graph's shape.

Node rows: {"id", "props", "aliases"} grouped by label. Relationship rows:
{"source", "target", "key", "props"} grouped by (type, source label, target label); `key`
makes MERGE idempotent, and `props.doc_id` ties every fact to the document that asserted it.
Target and result rows: {"document", "metric", "props"}, each a Target (a goal) or Result (an
achievement) node created with its two links, (Document)-[:SETS_TARGET]->(Target)-[:MEASURES]->(Metric)
or (Document)-[:REPORTS_RESULT]->(Result)-[:MEASURES]->(Metric): each belongs to one document, so it
is never looked up by id and its links need no properties of their own.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from hashlib import sha256
from typing import Any

from policykg.graph.stores.texts import DocumentBody
from policykg.ingest.ids import entity_id, short_hash
from policykg.ingest.record import ENTITY_TYPES, EntityRef, Record, Target

ENTITY_LABEL = "Entity"
DOCUMENT_LABEL = "Document"
TARGET_LABEL = "Target"
RESULT_LABEL = "Result"
METRIC_LABEL = "Metric"
INDUSTRY_LABEL = "Industry"
SETS_TARGET, REPORTS_RESULT = "SETS_TARGET", "REPORTS_RESULT"  # a Target's and a Result's link from its document
MEASURES = "MEASURES"  # both, to their metric
# Targets and results, the quantitative facts: each label with the link its document has to it.
FIGURE_LINKS = {TARGET_LABEL: SETS_TARGET, RESULT_LABEL: REPORTS_RESULT}
# Concept nodes (vocabulary terms, not Entities: no MENTIONS, no search) with the link that holds each up: a
# concept stays while a document's fact points at it and goes with the last one.
CONCEPT_LINKS = {METRIC_LABEL: MEASURES, INDUSTRY_LABEL: "PRIORITIZES"}
# Facts with this source come from the gazetteers, not a document: shared by every document, merged once.
GAZETTEER_SOURCE = "gazetteer"

RelKey = tuple[str, str, str]  # (type, source label, target label)


@dataclass
class GraphRows:
    documents: list[dict[str, Any]] = field(default_factory=list)
    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    relationships: dict[RelKey, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    targets: list[dict[str, Any]] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)

    def extend(self, other: GraphRows) -> None:
        self.documents += other.documents
        for label, rows in other.nodes.items():
            self.nodes[label] += rows
        for key, rows in other.relationships.items():
            self.relationships[key] += rows
        self.targets += other.targets
        self.results += other.results

    def figures(self) -> dict[str, list[dict[str, Any]]]:
        """Target and result rows by their label."""
        return {TARGET_LABEL: self.targets, RESULT_LABEL: self.results}

    def counts(self) -> tuple[int, int]:
        """Node and relationship rows; a target or a result is a node and its two links."""
        figures = len(self.targets) + len(self.results)
        return (
            len(self.documents) + sum(map(len, self.nodes.values())) + figures,
            sum(map(len, self.relationships.values())) + 2 * figures,
        )


def node_label(entity_type: str) -> str:
    """The label a relationship's MATCH finds a node of this type by: Entity for the entity types, the
    concept's own label (Industry) otherwise, which carries no Entity label."""
    return ENTITY_LABEL if entity_type in ENTITY_TYPES else entity_type


def ref_id(ref: Mapping[str, Any]) -> str:
    """An entity's id from the entity or a reference to it ({"type", "name"[, "code"]})."""
    return entity_id(ref["type"], ref["name"], ref.get("code"))


def document_properties(record: Record, with_body: bool = True) -> dict[str, Any]:
    meta = record["document"]
    props: dict[str, Any] = {k: v for k, v in meta.items() if v is not None}
    props.update(file=record["file"], source=record.get("source") or record["file"])
    if record.get("origin"):
        props["origin"] = record["origin"]
    inferred = inferences(record)
    if inferred:
        props["inference"] = inferred
    if with_body:
        props.update({k: v for k, v in asdict(document_body(record)).items() if v is not None})
    return props


def inferences(record: Record) -> list[str]:
    """How each metadata field the text implies without stating it was inferred ("year: review heading
    2017年工作回顾 → 2018"): a reader of the graph sees which values are inferences and why."""
    meta, provenance = record["document"], record.get("provenance") or {}
    return [
        f"{field}: {how.removeprefix('inference:')}"
        for field, how in sorted(provenance.items())
        if isinstance(how, str) and how.startswith("inference") and meta.get(field) is not None
    ]


def document_body(record: Record) -> DocumentBody:
    """The text and outline, which a store keeps on the Document or (the embedded one) outside the graph."""
    # Property values cannot be lists of maps (Neo4j): the outline travels as JSON text.
    sections = json.dumps(record["sections"], ensure_ascii=False) if record.get("sections") else None
    return DocumentBody(record.get("text"), sections)


def build(record: Record, with_body: bool = True) -> GraphRows:
    """The rows one record contributes to the graph; the document's text and outline among them unless the
    store keeps those elsewhere (`with_body=False`)."""
    rows = GraphRows()
    doc_id = record["doc_id"]
    year = record["document"].get("year")
    rows.documents.append({"id": doc_id, "props": document_properties(record, with_body)})

    codes: dict[tuple[str, str], str | None] = {}
    ids: dict[tuple[str, str], str] = {}  # (type, name) → node id: relations name entities by type and name
    mentioned: dict[str, dict[str, Any]] = {}
    for entity in record["entities"]:
        node_id = ref_id(entity)
        codes[(entity["type"], entity["name"])] = entity.get("code")
        ids[(entity["type"], entity["name"])] = node_id
        props: dict[str, Any] = {"name": entity["name"], "type": entity["type"]}
        if entity.get("code"):
            props["code"] = entity["code"]
        attributes = entity.get("attributes")
        if attributes:
            props.update({k: v for k, v in attributes.items() if v is not None})
        rows.nodes[entity["type"]].append({"id": node_id, "props": props, "aliases": entity["aliases"]})
        mentions = entity.get("mentions") or []
        mentioned[node_id] = mention_properties(mentions)
        for link, ref in (("PART_OF", entity.get("parent")), ("LOCATED_IN", entity.get("located_in"))):
            if ref:
                _add_gazetteer_fact(rows, mentioned, link, node_id, ref)

    for relation in record["relations"]:
        rel_type, source, target = relation["type"], relation["source"], relation["target"]
        from_document = source["type"] == DOCUMENT_LABEL  # IMPLEMENTS, PRIORITIZES, CITES: the document asserts
        source_id = doc_id if from_document else _node_for(rows, mentioned, ids, codes, source)
        target_id = _node_for(rows, mentioned, ids, codes, target)
        evidence = relation["evidence"]
        source_label = DOCUMENT_LABEL if from_document else node_label(source["type"])
        rows.relationships[(rel_type, source_label, node_label(target["type"]))].append(
            {
                "source": source_id,
                "target": target_id,
                "key": fact_key(doc_id, rel_type, source_id, target_id, str(evidence["start"])),
                "props": {
                    "doc_id": doc_id,
                    "year": year,
                    "start": evidence["start"],
                    "end": evidence["end"],
                    "sentence": evidence.get("text"),
                    "extractor": relation.get("extractor"),
                    "confidence": relation.get("confidence"),
                },
            }
        )

    # A mention's document is the relationship's start node: no doc_id on the millions of MENTIONS.
    mentions_rows = rows.relationships[("MENTIONS", DOCUMENT_LABEL, ENTITY_LABEL)]
    for node_id, offsets in mentioned.items():
        mentions_rows.append(
            {"source": doc_id, "target": node_id, "key": fact_key(doc_id, "MENTIONS", node_id), "props": offsets}
        )

    meta = record["document"]
    document_links = (("ABOUT", "City", meta.get("city")), ("ISSUED_BY", "Agency", meta.get("issuer")))
    for rel_type, entity_type, name in document_links:
        linked = ids.get((entity_type, name)) if name else None
        if linked is not None and linked in mentioned:  # only an entity the text names: metadata never invents a node
            rows.relationships[(rel_type, DOCUMENT_LABEL, ENTITY_LABEL)].append(
                {
                    "source": doc_id,
                    "target": linked,
                    "key": fact_key(doc_id, rel_type, linked),
                    "props": {"doc_id": doc_id, "year": year},
                }
            )

    rows.targets = _figure_rows(rows, doc_id, "target", record["targets"])
    rows.results = _figure_rows(rows, doc_id, "result", record.get("results") or [])
    return rows


def _figure_rows(rows: GraphRows, doc_id: str, prefix: str, figures: list[Target]) -> list[dict[str, Any]]:
    """A target's or result's row, its metric's node added to `rows`. With a SKOS metric concept a figure
    measures that concept, so the same measure of every city is one node."""
    found = []
    for index, figure in enumerate(figures):
        metric_id = f"metric:{figure.get('metric_id') or figure['metric']}"
        metric_name = figure.get("metric_label") or figure["metric"]
        rows.nodes[METRIC_LABEL].append({"id": metric_id, "props": {"name": metric_name}, "aliases": []})
        # The concept's label is its Metric's name: not repeated on each of a million targets.
        props: dict[str, Any] = {k: v for k, v in figure.items() if v is not None and k != "metric_label"}
        key = short_hash(doc_id, index, figure["metric"], figure["value"], figure["start"])
        props.update(id=f"{prefix}:{key}", doc_id=doc_id)
        found.append({"document": doc_id, "metric": metric_id, "props": props})
    return found


def mention_properties(mentions: list[Any]) -> dict[str, Any]:
    """A document's mentions of one entity, on one MENTIONS relationship: `spans` "start-end,start-end…"
    (a string costs FalkorDB a third of two integer lists, on millions of relationships) and the extractor(s),
    joined by '+'. An entity only referred to (a relation's end, a gazetteer's parent) has neither."""
    if not mentions:
        return {}
    extractors = sorted({m.get("extractor", "") for m in mentions} - {""})
    props: dict[str, Any] = {"spans": ",".join(f"{m['start']}-{m['end']}" for m in mentions)}
    if extractors:
        props["extractor"] = "+".join(extractors)
    return props


def spans_of(spans: str | None) -> list[tuple[int, int]]:
    """The (start, end) pairs of a MENTIONS relationship's `spans`."""
    pairs = [span.split("-") for span in (spans or "").split(",") if span]
    return [(int(start), int(end)) for start, end in pairs]


def fact_key(*parts: str) -> str:
    """short_hash of string parts (the same key), without its per-part str() and generator: one per fact."""
    return sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _node_for(
    rows: GraphRows,
    mentioned: dict[str, dict[str, Any]],
    ids: dict[tuple[str, str], str],
    codes: dict[tuple[str, str], str | None],
    ref: EntityRef,
) -> str:
    """The id of an entity a relation names, added as a node by reference when the record did not list it."""
    node_id = ids.get((ref["type"], ref["name"]))
    if node_id is None:
        node_id = ref_id(dict(ref, code=codes.get((ref["type"], ref["name"]))))
    if node_id not in mentioned:
        _add_node_ref(rows, dict(ref, code=codes.get((ref["type"], ref["name"]))), node_id)
        # A concept is held up by the fact itself; a MENTIONS row (to an :Entity) would find no node.
        if node_label(ref["type"]) == ENTITY_LABEL:
            mentioned[node_id] = {}
    return node_id


def _add_node_ref(rows: GraphRows, ref: Mapping[str, Any], node_id: str) -> None:
    """A node named by reference only; an area reference brings its code and coordinates."""
    props = {key: ref[key] for key in ("name", "type", "code", "lon", "lat") if ref.get(key) is not None}
    rows.nodes[ref["type"]].append({"id": node_id, "props": props, "aliases": []})


def _add_gazetteer_fact(
    rows: GraphRows, mentioned: dict[str, dict[str, Any]], relation: str, node_id: str, ref: Mapping[str, Any]
) -> None:
    """PART_OF or LOCATED_IN from the gazetteers: reference data, not a document's claim, so one relationship
    per pair however many documents name the entity (it was once per document: a fifth of all relationships)."""
    target_id = entity_id(ref["type"], ref["name"], ref.get("code"))
    _add_node_ref(rows, ref, target_id)
    mentioned.setdefault(target_id, {})
    rows.relationships[(relation, ENTITY_LABEL, ENTITY_LABEL)].append(
        {
            "source": node_id,
            "target": target_id,
            "key": short_hash(relation, node_id, target_id),
            "props": {"source": GAZETTEER_SOURCE, "extractor": "gazetteer", "confidence": 1.0},
        }
    )
