"""A read-only copy of the whole graph or of one document's part, read from any Store by Cypher.

The exports (RDF, GraphML, CSV) all start from it, so they agree on what "one document" means:
the Document node, every relationship carrying its doc_id, its targets and results with their links,
and the nodes at their ends.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from policykg.graph.aggregates import SUMMARY_LABEL
from policykg.graph.build import FIGURE_LINKS
from policykg.graph.stores.protocol import VERSION_LABEL, Store

# The derived summaries (graph/aggregates.py) and the graph's version are not data: exports leave them out.
_ALL_NODES = (
    f"MATCH (n) WHERE NOT n:{SUMMARY_LABEL} AND NOT n:{VERSION_LABEL} "
    "RETURN n.id AS id, labels(n) AS labels, properties(n) AS props"
)
_ALL_RELATIONSHIPS = "MATCH (a)-[r]->(b) RETURN a.id AS source, b.id AS target, type(r) AS type, properties(r) AS props"
_DOCUMENT = "MATCH (d:Document {id: $doc}) RETURN d.id AS id, labels(d) AS labels, properties(d) AS props"
_DOCUMENT_RELATIONSHIPS = (
    "MATCH (a)-[r]->(b) WHERE r.doc_id = $doc RETURN a.id AS source, b.id AS target, "
    "type(r) AS type, properties(r) AS props"
)
_DOCUMENT_MENTIONS = (
    "MATCH (d:Document {id: $doc})-[r:MENTIONS]->(b) RETURN d.id AS source, b.id AS target, "
    "type(r) AS type, properties(r) AS props"
)
# A document's targets and results and their metrics: these links carry no doc_id (graph/build.py).
_FIGURE_LINKS = "|".join(FIGURE_LINKS.values())
_DOCUMENT_FIGURES = (
    f"MATCH (d:Document {{id: $doc}})-[r:{_FIGURE_LINKS}]->(t) RETURN d.id AS source, t.id AS target, "
    "type(r) AS type, properties(r) AS props"
)
_DOCUMENT_FIGURE_METRICS = (
    f"MATCH (d:Document {{id: $doc}})-[:{_FIGURE_LINKS}]->(t)-[r:MEASURES]->(m) RETURN t.id AS source, "
    "m.id AS target, type(r) AS type, properties(r) AS props"
)
_NODES_BY_ID = "MATCH (n) WHERE n.id IN $ids RETURN n.id AS id, labels(n) AS labels, properties(n) AS props"


@dataclass
class Snapshot:
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)  # id → {"labels", "props"}
    relationships: list[dict[str, Any]] = field(default_factory=list)  # {"source", "target", "type", "props"}

    def label_of(self, node_id: str) -> str:
        """The node's most specific label: its entity type rather than Entity."""
        labels = [label for label in self.nodes[node_id]["labels"] if label != "Entity"]
        return labels[0] if labels else "Entity"


def _nodes(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["id"]: {"labels": list(row["labels"]), "props": dict(row["props"])} for row in rows}


class DocumentNotFound(LookupError):
    """The document asked for is not in the store: the caller's mistake, not the store's failure."""


def read_snapshot(store: Store, doc_id: str | None = None) -> Snapshot:
    """The graph (or one document's part of it); a document the store lacks is an error."""
    if doc_id is None:
        return _with_provenance(Snapshot(_nodes(store.run(_ALL_NODES)), store.run(_ALL_RELATIONSHIPS)), store)
    document = store.run(_DOCUMENT, {"doc": doc_id})
    if not document:
        raise DocumentNotFound(f"no document {doc_id!r} in the store")
    relationships = [
        row
        for query in (_DOCUMENT_RELATIONSHIPS, _DOCUMENT_MENTIONS, _DOCUMENT_FIGURES, _DOCUMENT_FIGURE_METRICS)
        for row in store.run(query, {"doc": doc_id})
    ]
    ends = sorted({r["source"] for r in relationships} | {r["target"] for r in relationships} - {doc_id})
    nodes = _nodes(document)
    nodes.update(_nodes(store.run(_NODES_BY_ID, {"ids": ends})))
    return _with_provenance(Snapshot(nodes, relationships), store)


_FOLDERS = re.compile(r"^.*[/\\]")


def public_source(source: Any) -> Any:
    """A Document's `source` as others may see it: the file name, without the folders it was read from on the
    server (`/srv/corpus/2021/a.txt` → `a.txt`, `upload:a.txt` stays). The store keeps the whole path: a changed
    file is recognised by it."""
    return _FOLDERS.sub("", source) if isinstance(source, str) else source


def _with_provenance(snapshot: Snapshot, store: Store) -> Snapshot:
    """What the store leaves implicit, made explicit for exports: a mention's document is its start node
    (MENTIONS carry no doc_id), and the embedded store keeps a document's text and outline outside the graph.
    A Document's source path is cut to its file name: exports leave the server."""
    for relationship in snapshot.relationships:
        if relationship["type"] == "MENTIONS":
            relationship["props"] = dict(relationship["props"], doc_id=relationship["source"])
    for node_id, node in snapshot.nodes.items():
        if "Document" in node["labels"] and "source" in node["props"]:
            node["props"]["source"] = public_source(node["props"]["source"])
        if "Document" in node["labels"] and node["props"].get("text") is None:
            body = store.document_body(node_id)
            if body is not None:
                node["props"].update({k: v for k, v in asdict(body).items() if v is not None})
    return snapshot
