"""Exports of the whole graph or one document: RDF (Turtle, JSON-LD), GraphML (Gephi), CSV (neo4j-admin import).

`export` is the one function the CLI and the API share.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable
from typing import Any, BinaryIO

import networkx as nx

from policykg.graph.snapshot import Snapshot, read_snapshot
from policykg.graph.stores.protocol import Store

FORMATS = ("ttl", "jsonld", "graphml", "csv")
ARRAY_DELIMITER = ";"  # neo4j-admin's default --array-delimiter
# What neo4j-admin database import needs to read these files beyond its defaults: documents' text spans lines.
NEO4J_ADMIN_OPTIONS = ("--multiline-fields=true",)
GRAPHML_SKIPPED = {"text"}  # a document's full text: megabytes Gephi has no use for
IMPORT_NOTE = f"""Import into an empty Neo4j 5 database (stop it first):

  neo4j-admin database import full --nodes=nodes.csv --relationships=relationships.csv \\
      {" ".join(NEO4J_ADMIN_OPTIONS)} neo4j

Ids are policykg's stable ids (column id:ID, also stored as the property id). policykg adds its indexes and
derived summaries when it first opens the database (--store bolt://…).
"""


MEDIA_TYPES = {"ttl": "text/turtle", "jsonld": "application/ld+json", "graphml": "application/graphml+xml"}


def export_name(fmt: str, doc_id: str | None = None) -> tuple[str, str]:
    """The (media type, file name) of an export: known before it is made, so that a kept one can be sent."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    stem = "policykg" if doc_id is None else "policykg-" + re.sub(r"[^A-Za-z0-9_-]+", "-", doc_id)
    if fmt == "csv":
        return "application/zip", f"{stem}-csv.zip"
    return MEDIA_TYPES[fmt], f"{stem}.{fmt}"


def export(store: Store, fmt: str, doc_id: str | None = None) -> tuple[bytes, str, str]:
    """The graph (or one document's part) as (content, media type, file name); fmt is ttl, jsonld, graphml or csv."""
    media_type, file_name = export_name(fmt, doc_id)
    buffer = io.BytesIO()
    write_export(store, fmt, buffer, doc_id)
    return buffer.getvalue(), media_type, file_name


def write_export(store: Store, fmt: str, out: BinaryIO, doc_id: str | None = None) -> None:
    """The graph (or one document's part) written to `out`: RDF is streamed as its triples are made."""
    export_name(fmt, doc_id)  # an unknown format is refused before the store is read
    snapshot = read_snapshot(store, doc_id)
    if fmt in ("ttl", "jsonld"):
        from policykg.export.rdf import write_rdf

        write_rdf(snapshot, fmt, out)
    elif fmt == "graphml":
        out.write(to_graphml(snapshot))
    else:
        out.write(to_csv_zip(snapshot))


# ---------------------------------------------------------------- GraphML


def _scalar(value: Any) -> Any:
    """GraphML (and Gephi) take scalars only: lists and maps become JSON text."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def _unify_types(attribute_maps: Iterable[dict[str, Any]]) -> None:
    """One GraphML key per attribute name: ints that meet floats become floats, any other mix becomes text."""
    maps = list(attribute_maps)
    kinds: dict[str, set[type]] = {}
    for attributes in maps:
        for name, value in attributes.items():
            kinds.setdefault(name, set()).add(type(value))
    for attributes in maps:
        for name, value in list(attributes.items()):
            seen = kinds[name]
            if len(seen) == 1:
                continue
            attributes[name] = float(value) if seen <= {int, float} else str(value)


def to_networkx(snapshot: Snapshot) -> nx.MultiDiGraph[str]:
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node_id, node in snapshot.nodes.items():
        props = {k: _scalar(v) for k, v in node["props"].items() if v is not None and k not in GRAPHML_SKIPPED}
        props.pop("id", None)
        props["label"] = str(node["props"].get("name") or node["props"].get("title") or node_id)
        props["labels"] = ":".join(node["labels"])
        graph.add_node(node_id, **props)
    for index, rel in enumerate(snapshot.relationships):
        props = {k: _scalar(v) for k, v in rel["props"].items() if v is not None}
        props.update(label=rel["type"], rel_type=rel["type"])
        graph.add_edge(rel["source"], rel["target"], key=str(index), **props)  # the key: the GraphML edge id
    _unify_types(attrs for _, attrs in graph.nodes(data=True))
    _unify_types(attrs for _, _, attrs in graph.edges(data=True))
    return graph


def to_graphml(snapshot: Snapshot) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(snapshot), buffer, encoding="utf-8")
    return buffer.getvalue()


# ---------------------------------------------------------------- CSV for neo4j-admin import


def _column_type(values: list[Any]) -> str:
    """neo4j-admin's type for a column, from the values it holds ('' is string)."""
    kinds = {type(v) for v in values}
    if kinds == {bool}:
        return ":boolean"
    if kinds <= {int, float} and kinds:
        return ":long" if kinds == {int} else ":double"
    if kinds == {list}:
        inner = {type(x) for v in values for x in v}
        if inner <= {int, float} and inner:
            return ":long[]" if inner == {int} else ":double[]"
        return ":string[]"
    return ""


def _cell(value: Any, column_type: str) -> str:
    if value is None:
        return ""
    if column_type.endswith("[]"):
        return ARRAY_DELIMITER.join(str(x) for x in value)
    if column_type == ":boolean":
        return "true" if value else "false"
    if column_type == "" and isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _table(rows: list[dict[str, Any]], fixed: list[str], first: list[str]) -> str:
    """A CSV with the fixed neo4j-admin columns, then `first` properties, then the rest sorted, typed from data."""
    names = sorted({k for row in rows for k in row} - set(fixed))
    names = [n for n in first if n in names] + [n for n in names if n not in first]
    types = {n: _column_type([row[n] for row in rows if row.get(n) is not None]) for n in names}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fixed + [f"{n}{types[n]}" for n in names])
    for row in rows:
        writer.writerow([row[f] for f in fixed] + [_cell(row.get(n), types[n]) for n in names])
    return buffer.getvalue()


def nodes_csv(snapshot: Snapshot) -> str:
    rows = [
        {
            "id:ID": node_id,
            ":LABEL": ARRAY_DELIMITER.join(node["labels"]),
            **{k: v for k, v in node["props"].items() if k != "id"},
        }
        for node_id, node in snapshot.nodes.items()
    ]
    return _table(rows, ["id:ID", ":LABEL"], ["name"])


def relationships_csv(snapshot: Snapshot) -> str:
    rows = [
        {":START_ID": rel["source"], ":END_ID": rel["target"], ":TYPE": rel["type"], **rel["props"]}
        for rel in snapshot.relationships
    ]
    return _table(rows, [":START_ID", ":END_ID", ":TYPE"], ["doc_id"])


def to_csv_zip(snapshot: Snapshot) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("nodes.csv", nodes_csv(snapshot))
        archive.writestr("relationships.csv", relationships_csv(snapshot))
        archive.writestr("IMPORT.txt", IMPORT_NOTE)
    return buffer.getvalue()
