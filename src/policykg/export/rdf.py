"""RDF export of the graph (or one document's part of it), with provenance as PROV-O.

Every node gets a stable IRI from its id (https://w3id.org/policykg/id/<url-quoted id>) and its
class with all the superclasses the ontology declares (so pkg:City is also schema:City and
pkg:AdministrativeArea without a reasoner). Every relationship becomes a plain triple
(`city pkg:cooperatesWith institution`, for simple queries) and, when a document asserted it, a
pkg:Fact: an rdf:Statement that prov:wasDerivedFrom its Excerpt (document, offsets, sentence) and
prov:wasGeneratedBy the extraction activity of its extractor on that document. The same pair
asserted by three documents is one triple and three facts, so counting documents stays possible.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any, BinaryIO
from urllib.parse import quote

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV

from policykg.export.rdf_stream import JsonLdStream, TripleSink, TurtleStream
from policykg.graph.build import FIGURE_LINKS, spans_of
from policykg.graph.snapshot import Snapshot, read_snapshot
from policykg.graph.stores.protocol import Store
from policykg.ontology import vocabularies
from policykg.ontology.model import ID, ONTOLOGY_DIR, PKG, Ontology, ontology

SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
BUILDER = "policykg"  # the extractor named for facts whose relationship names none (the graph builder's own)
PREFIXES = {
    "pkg": PKG,
    "pkgid": ID,
    "rdf": RDF,
    "schema": SCHEMA,
    "prov": PROV,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "org": ORG,
}
FORMATS = {"ttl": ("turtle", "text/turtle"), "jsonld": ("json-ld", "application/ld+json")}


def node_iri(node_id: str) -> URIRef:
    return ID[quote(node_id, safe=":@")]


def _zh(text: Any) -> Literal:
    return Literal(str(text), lang="zh")


def _integer(value: Any) -> Literal:
    return Literal(int(value), datatype=XSD.integer)


def _superclasses(model: Ontology, cls: URIRef) -> set[URIRef]:
    found: set[URIRef] = set()
    frontier = [cls]
    while frontier:
        current = frontier.pop()
        if current in found:
            continue
        found.add(current)
        if current in model.classes:
            frontier.extend(model.classes[current].parents)
    return found


class RdfWriter:
    """Turns one snapshot into triples put into `sink` (a Graph, or a stream: export/rdf_stream.py); keeps the
    document texts to quote excerpts from, and which shared resources (excerpts, extractions, concepts) it has
    described already, so that a stream writes each description once."""

    def __init__(self, snapshot: Snapshot, model: Ontology, sink: TripleSink) -> None:
        self.snapshot = snapshot
        self.model = model
        self.graph = sink
        self.texts = {i: n["props"].get("text") for i, n in snapshot.nodes.items() if "Document" in n["labels"]}
        self._described: set[URIRef] = set()
        self._quoted: set[URIRef] = set()

    def write(self) -> None:
        for node_id in self.snapshot.nodes:
            self._node(node_id)
        for relationship in self.snapshot.relationships:
            self._relationship(relationship)

    def _first_time(self, resource: URIRef) -> bool:
        """True the first time a shared resource is met: its description is then written."""
        if resource in self._described:
            return False
        self._described.add(resource)
        return True

    def _class(self, label: str) -> URIRef:
        try:
            return self.model.class_for_label(label).iri
        except KeyError as error:
            raise ValueError(
                f"the graph has nodes labelled {label}, which ontology/policykg.ttl does not declare"
            ) from error

    def _node(self, node_id: str) -> None:
        label = self.snapshot.label_of(node_id)
        props = self.snapshot.nodes[node_id]["props"]
        subject = node_iri(node_id)
        for cls in _superclasses(self.model, self._class(label)):
            self.graph.add((subject, RDF.type, cls))
        self.graph.add((subject, DCTERMS.identifier, Literal(node_id)))
        if label == "Document":
            self._document(subject, props)
        elif label in FIGURE_LINKS:
            self._figure(subject, node_id, props)
        else:
            self._named(subject, label, props)

    def _document(self, subject: URIRef, props: dict[str, Any]) -> None:
        g = self.graph
        g.add((subject, RDFS.label, _zh(props.get("title") or props.get("file") or props["id"])))
        if props.get("title"):
            g.add((subject, DCTERMS.title, _zh(props["title"])))
        if props.get("doc_number"):
            g.add((subject, SCHEMA.legislationIdentifier, Literal(props["doc_number"])))
        if props.get("year") is not None:
            g.add((subject, PKG.year, _integer(props["year"])))
        if props.get("issuer"):
            g.add((subject, PKG.issuerName, Literal(props["issuer"])))
        if props.get("source"):
            g.add((subject, PKG.sourceFile, Literal(props["source"])))
        published = _iso_date(props.get("published"))
        if published:
            g.add((subject, DCTERMS.issued, Literal(published, datatype=XSD.date)))
        if props.get("genre"):
            g.add((subject, PKG.genre, Literal(props["genre"])))
        if props.get("county"):
            g.add((subject, PKG.countyName, Literal(props["county"])))
        for inference in props.get("inference") or []:
            g.add((subject, PKG.inference, Literal(inference)))

    def _named(self, subject: URIRef, label: str, props: dict[str, Any]) -> None:
        g = self.graph
        name = props.get("name") or props.get("title") or props["id"]
        g.add((subject, RDFS.label, _zh(name)))
        g.add((subject, SKOS.prefLabel, _zh(name)))
        for alias in props.get("aliases") or []:
            if alias != name:
                g.add((subject, SKOS.altLabel, _zh(alias)))
        if props.get("code"):
            g.add((subject, PKG.adminCode, Literal(str(props["code"]))))
        self._vocabulary_links(subject, label, str(name), props)

    def _vocabulary_links(self, subject: URIRef, label: str, name: str, props: dict[str, Any]) -> None:
        """Typed against the SKOS schemes: a metric or industry to its concept, a platform or programme to its kind."""
        if label in ("Metric", "Industry"):
            among = vocabularies.metrics() if label == "Metric" else vocabularies.industries()
            self._link(subject, SKOS.exactMatch, vocabularies.lookup(name, among))
        elif label == "Platform":
            kind = props.get("platform_type")
            concept = vocabularies.lookup(str(kind), vocabularies.platform_types()) if kind else None
            self._link(subject, PKG.platformType, concept or vocabularies.classify(name, vocabularies.platform_types()))
        elif label == "Program":
            self._link(subject, PKG.programType, vocabularies.classify(name, vocabularies.programme_types()))

    def _link(self, subject: URIRef, predicate: URIRef, concept: vocabularies.Concept | None) -> None:
        """A link to a vocabulary concept, with the concept's own labels so the export stands alone."""
        if concept is None:
            return
        g = self.graph
        g.add((subject, predicate, concept.iri))
        if not self._first_time(concept.iri):
            return
        g.add((concept.iri, RDF.type, SKOS.Concept))
        g.add((concept.iri, SKOS.prefLabel, _zh(concept.pref_label)))
        if concept.pref_label_en:
            g.add((concept.iri, SKOS.prefLabel, Literal(concept.pref_label_en, lang="en")))

    def _figure(self, subject: URIRef, node_id: str, props: dict[str, Any]) -> None:
        """A target or a result: its value, unit, comparator, kind, year and part, derived from its excerpt."""
        g = self.graph
        g.add((subject, RDFS.label, _zh(props.get("text") or props.get("metric") or node_id)))
        g.add((subject, SCHEMA.value, Literal(float(props["value"]), datatype=XSD.double)))
        if props.get("value_max") is not None:
            g.add((subject, SCHEMA.maxValue, Literal(float(props["value_max"]), datatype=XSD.double)))
        g.add((subject, SCHEMA.unitText, Literal(str(props.get("unit", "")))))
        g.add((subject, PKG.comparator, Literal(str(props.get("comparator", "")))))
        if props.get("kind"):
            g.add((subject, PKG.figureKind, Literal(str(props["kind"]))))
        if props.get("part"):
            g.add((subject, PKG.documentPart, Literal(str(props["part"]))))
        if props.get("year") is not None:
            g.add((subject, PKG.year, _integer(props["year"])))
        if props.get("doc_id") and props.get("start") is not None:
            excerpt = self._excerpt(props["doc_id"], props["start"], props["end"], props.get("text"))
            g.add((subject, PROV.wasDerivedFrom, excerpt))

    def _excerpt(self, doc_id: str, start: int, end: int, text: str | None) -> URIRef:
        excerpt = ID[f"excerpt/{quote(doc_id, safe=':')}/{int(start)}-{int(end)}"]
        g = self.graph
        if self._first_time(excerpt):
            g.add((excerpt, RDF.type, PKG.Excerpt))
            g.add((excerpt, RDF.type, PROV.Entity))
            g.add((excerpt, DCTERMS.isPartOf, node_iri(doc_id)))
            g.add((excerpt, PKG.startOffset, _integer(start)))
            g.add((excerpt, PKG.endOffset, _integer(end)))
        if excerpt in self._quoted:
            return excerpt
        document_text = self.texts.get(doc_id)
        quoted = text or (document_text[int(start) : int(end)] if document_text else None)
        if quoted:
            self._quoted.add(excerpt)
            g.add((excerpt, SCHEMA.text, _zh(quoted)))
        return excerpt

    def _extraction(self, doc_id: str, extractor: str) -> URIRef:
        activity = ID[f"extraction/{quote(doc_id, safe=':')}/{quote(extractor, safe=':')}"]
        agent = ID[f"extractor/{quote(extractor, safe=':')}"]
        if not self._first_time(activity):
            return activity
        g = self.graph
        g.add((activity, RDF.type, PKG.Extraction))
        g.add((activity, RDF.type, PROV.Activity))
        g.add((activity, PROV.used, node_iri(doc_id)))
        g.add((activity, PROV.wasAssociatedWith, agent))
        if self._first_time(agent):
            g.add((agent, RDF.type, PROV.SoftwareAgent))
            g.add((agent, RDFS.label, Literal(extractor)))
        return activity

    def _relationship(self, relationship: dict[str, Any]) -> None:
        try:
            predicate = self.model.relationship(relationship["type"]).iri
        except KeyError as error:
            raise ValueError(
                f"the graph has {relationship['type']} relationships, which ontology/policykg.ttl does not declare"
            ) from error
        subject, obj = node_iri(relationship["source"]), node_iri(relationship["target"])
        self.graph.add((subject, predicate, obj))
        props = relationship["props"]
        if props.get("doc_id"):
            self._fact(subject, predicate, obj, props)

    def _fact(self, subject: URIRef, predicate: URIRef, obj: URIRef, props: dict[str, Any]) -> None:
        g = self.graph
        doc_id = props["doc_id"]
        # One fact per asserting sentence: a document can state the same triple in several places.
        asserted = f"{subject}|{predicate}|{obj}|{doc_id}|{props.get('start', '')}"
        fact = ID[f"fact/{quote(asserted, safe='')}"]
        for triple in (
            (RDF.type, PKG.Fact),
            (RDF.type, RDF.Statement),
            (RDF.type, PROV.Entity),
            (RDF.subject, subject),
            (RDF.predicate, predicate),
            (RDF.object, obj),
            (PKG.assertedIn, node_iri(doc_id)),
            (PROV.wasDerivedFrom, node_iri(doc_id)),
        ):
            g.add((fact, *triple))
        for start, end in _spans(props):
            g.add((fact, PROV.wasDerivedFrom, self._excerpt(doc_id, start, end, props.get("sentence"))))
        for extractor in _extractors(props):
            g.add((fact, PROV.wasGeneratedBy, self._extraction(doc_id, extractor)))
        if props.get("year") is not None:
            g.add((fact, PKG.year, _integer(props["year"])))
        if props.get("confidence") is not None:
            g.add((fact, PKG.confidence, Literal(float(props["confidence"]), datatype=XSD.double)))


def _spans(props: dict[str, Any]) -> list[tuple[int, int]]:
    """A relationship's sentence span, or a MENTIONS relationship's list of mention spans."""
    if props.get("start") is not None and props.get("end") is not None:
        return [(int(props["start"]), int(props["end"]))]
    return spans_of(props.get("spans"))


def _extractors(props: dict[str, Any]) -> list[str]:
    return str(props["extractor"]).split("+") if props.get("extractor") else [BUILDER]


def _iso_date(value: Any) -> str | None:
    try:
        return date.fromisoformat(str(value)).isoformat() if value else None
    except ValueError:
        return None  # a date the header gave in another form stays out rather than typed wrongly


def snapshot_to_rdf(snapshot: Snapshot) -> Graph:
    """The snapshot as an rdflib Graph in memory (for SPARQL, SHACL): small graphs only, see `write_rdf`."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    RdfWriter(snapshot, ontology(), graph).write()
    return graph


def write_rdf(snapshot: Snapshot, fmt: str, out: BinaryIO) -> None:
    """The snapshot written to `out` as Turtle ("ttl") or JSON-LD ("jsonld") while its triples are made: memory
    and time do not grow with a whole rdflib Graph (issue #19 item 5)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}: use one of {', '.join(FORMATS)}")
    text = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    stream = TurtleStream(text, prefixes) if fmt == "ttl" else JsonLdStream(text, prefixes)
    try:
        RdfWriter(snapshot, ontology(), stream).write()
        stream.close()
    finally:
        text.flush()
        text.detach()


def export_rdf(store: Store, doc_id: str | None = None) -> Graph:
    """The whole graph, or one document's part of it, as RDF."""
    return snapshot_to_rdf(read_snapshot(store, doc_id))


def serialize(graph: Graph, fmt: str) -> bytes:
    """Turtle ("ttl") or JSON-LD ("jsonld", compacted with the prefixes as its context)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "jsonld":
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        return graph.serialize(format="json-ld", context=context, indent=1, ensure_ascii=False).encode("utf-8")
    return graph.serialize(format="turtle", encoding="utf-8")


def validate(graph: Graph) -> tuple[bool, str]:
    """SHACL validation against ontology/shapes.ttl: (conforms, the report as text)."""
    from pyshacl import validate as shacl_validate

    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    conforms, _, report = shacl_validate(graph, shacl_graph=shapes, advanced=True)
    return bool(conforms), str(report)
