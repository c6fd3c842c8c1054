"""The Python view of ontology/policykg.ttl: classes, their Neo4j labels, relationship types and endpoints.

Everything here is read from the Turtle file, so the mapping between the ontology and the property
graph is written once. Endpoints come from rdfs:domain and rdfs:range (a class or an owl:unionOf of
classes), expanded to the concrete node labels under them; no range means any node.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

ONTOLOGY_DIR = Path(__file__).resolve().parent
ONTOLOGY_FILE = ONTOLOGY_DIR / "policykg.ttl"
PKG = Namespace("https://w3id.org/policykg/ontology#")
ID = Namespace("https://w3id.org/policykg/id/")
SKOS_DEFINITION = URIRef("http://www.w3.org/2004/02/skos/core#definition")


@dataclass(frozen=True)
class OntologyClass:
    iri: URIRef
    labels: dict[str, str]  # language → rdfs:label
    definition: str
    neo4j_label: str | None
    parents: tuple[URIRef, ...]  # direct rdfs:subClassOf, including reused vocabularies' classes
    planned: bool
    derived: bool = False  # computed by the loader from the facts (graph/aggregates.py), not by the builder


@dataclass(frozen=True)
class Relationship:
    iri: URIRef
    neo4j_type: str
    labels: dict[str, str]
    definition: str
    sources: frozenset[str]  # node labels allowed at the start
    targets: frozenset[str] | None  # node labels allowed at the end; None: any node
    planned: bool

    def allows(self, source_label: str, target_label: str) -> bool:
        return source_label in self.sources and (self.targets is None or target_label in self.targets)


class Ontology:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.classes = {iri: self._read_class(iri) for iri in self._pkg_subjects(OWL.Class)}
        self.relationships = {
            rel.neo4j_type: rel
            for rel in (self._read_relationship(p) for p in self._pkg_subjects(OWL.ObjectProperty))
            if rel is not None
        }

    def _pkg_subjects(self, rdf_type: URIRef) -> list[URIRef]:
        return sorted(
            s for s in self.graph.subjects(RDF.type, rdf_type) if isinstance(s, URIRef) and s.startswith(str(PKG))
        )

    def _texts(self, subject: Node) -> dict[str, str]:
        return {
            lit.language or "": str(lit) for lit in self.graph.objects(subject, RDFS.label) if isinstance(lit, Literal)
        }

    def _definition(self, subject: Node) -> str:
        found = self.graph.value(subject, SKOS_DEFINITION) or self.graph.value(subject, RDFS.comment)
        return str(found or "")

    def _annotation(self, subject: Node, name: str) -> str | None:
        value = self.graph.value(subject, PKG[name])
        return str(value) if value is not None else None

    def _read_class(self, iri: URIRef) -> OntologyClass:
        parents = tuple(sorted(p for p in self.graph.objects(iri, RDFS.subClassOf) if isinstance(p, URIRef)))
        return OntologyClass(
            iri=iri,
            labels=self._texts(iri),
            definition=self._definition(iri),
            neo4j_label=self._annotation(iri, "neo4jLabel"),
            parents=parents,
            planned=self._annotation(iri, "status") == "planned",
            derived=self._annotation(iri, "status") == "derived",
        )

    def _read_relationship(self, iri: URIRef) -> Relationship | None:
        neo4j_type = self._annotation(iri, "neo4jType")
        if neo4j_type is None:  # an RDF-only property (provenance, vocabulary links)
            return None
        domain = self.graph.value(iri, RDFS.domain)
        range_ = self.graph.value(iri, RDFS.range)
        return Relationship(
            iri=iri,
            neo4j_type=neo4j_type,
            labels=self._texts(iri),
            definition=self._definition(iri),
            sources=self._concrete_labels(domain) if domain is not None else frozenset(self.labels()),
            targets=self._concrete_labels(range_) if range_ is not None else None,
            planned=self._annotation(iri, "status") == "planned",
        )

    def _members(self, node: Node) -> list[URIRef]:
        """The classes a class expression names: its owl:unionOf's members, or itself (blank nodes name none)."""
        union = self.graph.value(node, OWL.unionOf)
        members = list(Collection(self.graph, union)) if union is not None else [node]
        return [member for member in members if isinstance(member, URIRef)]

    def _concrete_labels(self, node: Node) -> frozenset[str]:
        """The node labels a class expression stands for: its own, or those of the classes under it."""
        labels: set[str] = set()
        for member in self._members(node):
            below = self.subclasses(member)
            labelled_below = {c.neo4j_label for c in below if c.neo4j_label}
            own = self.classes[member].neo4j_label if member in self.classes else None
            labels |= labelled_below or ({own} if own else set())
        return frozenset(labels)

    def subclasses(self, iri: URIRef) -> list[OntologyClass]:
        """Every declared class strictly under `iri`."""
        found: list[OntologyClass] = []
        frontier = [iri]
        while frontier:
            parent = frontier.pop()
            for cls in self.classes.values():
                if parent in cls.parents and cls not in found:
                    found.append(cls)
                    frontier.append(cls.iri)
        return found

    def labels(self) -> set[str]:
        """Every Neo4j node label the ontology declares."""
        return {c.neo4j_label for c in self.classes.values() if c.neo4j_label}

    def entity_types(self) -> set[str]:
        """The record's entity types: the labelled classes under pkg:Entity."""
        return {c.neo4j_label for c in self.subclasses(PKG.Entity) if c.neo4j_label}

    def class_for_label(self, label: str) -> OntologyClass:
        for cls in self.classes.values():
            if cls.neo4j_label == label:
                return cls
        raise KeyError(f"no class of the ontology has the Neo4j label {label!r}")

    def relationship(self, neo4j_type: str) -> Relationship:
        try:
            return self.relationships[neo4j_type]
        except KeyError:
            raise KeyError(f"no property of the ontology has the Neo4j relationship type {neo4j_type!r}") from None


@cache
def ontology() -> Ontology:
    """The ontology, parsed once per process."""
    return Ontology(Graph().parse(ONTOLOGY_FILE, format="turtle"))
