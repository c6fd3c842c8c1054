"""Records to property-graph rows with stable ids: the only place that decides the graph's shape.

Node rows: {"id", "props", "aliases"} grouped by label. Relationship rows:
{"source", "target", "key", "props"} grouped by (type, source label, target label); `key`
makes MERGE idempotent, and `props.doc_id` ties every fact to the document that asserted it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from hashlib import sha256
from typing import Any

from policykg.ingest.ids import entity_id, short_hash
from policykg.ingest.record import Entity, EntityRef, Record

ENTITY_LABEL = "Entity"
DOCUMENT_LABEL = "Document"
TARGET_LABEL = "Target"
METRIC_LABEL = "Metric"

RelKey = tuple[str, str, str]  # (type, source label, target label)


@dataclass
class GraphRows:
    documents: list[dict[str, Any]] = field(default_factory=list)
    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    relationships: dict[RelKey, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))

    def extend(self, other: GraphRows) -> None:
        self.documents += other.documents
        for label, rows in other.nodes.items():
            self.nodes[label] += rows
        for key, rows in other.relationships.items():
            self.relationships[key] += rows

    def counts(self) -> tuple[int, int]:
        return (len(self.documents) + sum(map(len, self.nodes.values())),
                sum(map(len, self.relationships.values())))


def ref_id(ref: EntityRef | Entity) -> str:
    return entity_id(ref["type"], ref["name"], ref.get("code"))  # type: ignore[arg-type]


def document_properties(record: Record) -> dict[str, Any]:
    meta = record["document"]
    props: dict[str, Any] = {k: v for k, v in meta.items() if v is not None}
    props.update(file=record["file"], source=record.get("source") or record["file"])
    if record.get("text") is not None:
        props["text"] = record["text"]
    if record.get("sections"):
        # Property values cannot be lists of maps (Neo4j): the outline travels as JSON text.
        props["sections"] = json.dumps(record["sections"], ensure_ascii=False)
    return props


def build(record: Record) -> GraphRows:
    """The rows one record contributes to the graph."""
    rows = GraphRows()
    doc_id = record["doc_id"]
    year = record["document"].get("year")
    rows.documents.append({"id": doc_id, "props": document_properties(record)})

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
        mentioned[node_id] = {
            "starts": [m["start"] for m in mentions],
            "ends": [m["end"] for m in mentions],
            "extractors": sorted({m.get("extractor", "") for m in mentions} - {""}),
        }
        for relation, ref in (("PART_OF", entity.get("parent")), ("LOCATED_IN", entity.get("located_in"))):
            if ref:
                _add_gazetteer_fact(rows, mentioned, relation, node_id, ref, doc_id, year)

    for relation in record["relations"]:
        rel_type, source, target = relation["type"], relation["source"], relation["target"]
        from_document = source["type"] == DOCUMENT_LABEL  # IMPLEMENTS, PRIORITIZES, CITES: the document asserts
        source_id = doc_id if from_document else _node_for(rows, mentioned, ids, codes, source)
        target_id = _node_for(rows, mentioned, ids, codes, target)
        evidence = relation["evidence"]
        source_label = DOCUMENT_LABEL if from_document else ENTITY_LABEL
        rows.relationships[(rel_type, source_label, ENTITY_LABEL)].append({
            "source": source_id, "target": target_id,
            "key": fact_key(doc_id, rel_type, source_id, target_id, str(evidence["start"])),
            "props": {"doc_id": doc_id, "year": year, "start": evidence["start"], "end": evidence["end"],
                      "sentence": evidence.get("text"), "extractor": relation.get("extractor"),
                      "confidence": relation.get("confidence")}})

    mentions_rows = rows.relationships[("MENTIONS", DOCUMENT_LABEL, ENTITY_LABEL)]
    for node_id, offsets in mentioned.items():
        offsets.update(doc_id=doc_id, year=year)
        mentions_rows.append({"source": doc_id, "target": node_id, "key": fact_key(doc_id, "MENTIONS", node_id),
                              "props": offsets})

    meta = record["document"]
    document_links = (("ABOUT", "City", meta.get("city")), ("ISSUED_BY", "Agency", meta.get("issuer")))
    for rel_type, entity_type, name in document_links:
        node_id = ids.get((entity_type, name)) if name else None
        if node_id in mentioned:  # only an entity the text names: metadata never invents a node
            rows.relationships[(rel_type, DOCUMENT_LABEL, ENTITY_LABEL)].append({
                "source": doc_id, "target": node_id, "key": fact_key(doc_id, rel_type, node_id),
                "props": {"doc_id": doc_id, "year": year}})

    for index, target in enumerate(record["targets"]):
        target_id = f"target:{short_hash(doc_id, index, target['metric'], target['value'], target['start'])}"
        # A target with a SKOS metric concept measures that concept, so the same measure of every city is one node.
        metric_id = f"metric:{target.get('metric_id') or target['metric']}"
        props = {k: v for k, v in target.items() if v is not None}
        props.update(doc_id=doc_id)
        rows.nodes[TARGET_LABEL].append({"id": target_id, "props": props, "aliases": []})
        metric_name = target.get("metric_label") or target["metric"]
        rows.nodes[METRIC_LABEL].append({"id": metric_id, "props": {"name": metric_name}, "aliases": []})
        rows.relationships[("SETS_TARGET", DOCUMENT_LABEL, TARGET_LABEL)].append({
            "source": doc_id, "target": target_id, "key": short_hash(doc_id, "SETS_TARGET", target_id),
            "props": {"doc_id": doc_id, "year": year, "start": target["start"], "end": target["end"],
                      "extractor": target.get("extractor")}})
        rows.relationships[("MEASURES", TARGET_LABEL, METRIC_LABEL)].append({
            "source": target_id, "target": metric_id, "key": short_hash(target_id, "MEASURES"),
            "props": {"doc_id": doc_id}})
    return rows


def fact_key(*parts: str) -> str:
    """short_hash of string parts (the same key), without its per-part str() and generator: one per fact."""
    return sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _node_for(rows: GraphRows, mentioned: dict[str, dict[str, Any]], ids: dict[tuple[str, str], str],
              codes: dict[tuple[str, str], str | None], ref: EntityRef) -> str:
    """The id of an entity a relation names, added as a node by reference when the record did not list it."""
    node_id = ids.get((ref["type"], ref["name"]))
    if node_id is None:
        node_id = ref_id(dict(ref, code=codes.get((ref["type"], ref["name"]))))  # type: ignore[arg-type]
    if node_id not in mentioned:
        _add_node_ref(rows, dict(ref, code=codes.get((ref["type"], ref["name"]))), node_id)
        mentioned[node_id] = {"starts": [], "ends": [], "extractors": []}
    return node_id


def _add_node_ref(rows: GraphRows, ref: dict[str, Any] | EntityRef, node_id: str) -> None:
    """A node named by reference only; an area reference brings its code and coordinates."""
    props = {key: ref[key] for key in ("name", "type", "code", "lon", "lat") if ref.get(key) is not None}  # type: ignore[misc]
    rows.nodes[ref["type"]].append({"id": node_id, "props": props, "aliases": []})


def _add_gazetteer_fact(rows: GraphRows, mentioned: dict[str, dict[str, Any]], relation: str, node_id: str,
                        ref: dict[str, Any], doc_id: str, year: int | None) -> None:
    """PART_OF or LOCATED_IN from the gazetteers, tied to the document that mentioned the entity."""
    target_id = entity_id(ref["type"], ref["name"], ref.get("code"))
    _add_node_ref(rows, ref, target_id)
    mentioned.setdefault(target_id, {"starts": [], "ends": [], "extractors": []})
    rows.relationships[(relation, ENTITY_LABEL, ENTITY_LABEL)].append({
        "source": node_id, "target": target_id, "key": short_hash(doc_id, relation, node_id, target_id),
        "props": {"doc_id": doc_id, "year": year, "extractor": "gazetteer", "confidence": 1.0}})
