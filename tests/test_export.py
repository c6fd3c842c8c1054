"""Exports of the sample graph: RDF that conforms to the shapes and answers as Cypher does; GraphML; CSV."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from collections.abc import Mapping

import networkx as nx
import pytest
from pyshacl import validate as shacl_validate
from rdflib import RDF, SH, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import graph_diff, isomorphic
from rdflib.query import ResultRow
from rdflib.term import Identifier, Node
from typer.testing import CliRunner

from policykg.app.cli import app
from policykg.export.formats import export
from policykg.export.rdf import SHAPES_FILE, serialize, snapshot_to_rdf, validate
from policykg.graph.snapshot import DocumentNotFound, read_snapshot
from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.ontology.model import PKG, ontology
from tests.test_ontology import every_type_record

SCHEMA = Namespace("https://schema.org/")
CAS = "中国科学院"
PREFIXES = "PREFIX pkg: <https://w3id.org/policykg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "


@pytest.fixture(scope="module")
def rdf(sample_store: FalkorDBStore) -> Graph:
    content, media_type, name = export(sample_store, "ttl")
    assert media_type == "text/turtle" and name == "policykg.ttl"
    return Graph().parse(data=content.decode("utf-8"), format="turtle")


def select(graph: Graph, query: str, bindings: Mapping[str, Identifier] | None = None) -> list[ResultRow]:
    """A SELECT query's rows (rdflib types a result's rows as those of any kind of query, ASK's and CONSTRUCT's)."""
    result = graph.query(PREFIXES + query, initBindings=bindings)
    assert result.type == "SELECT"
    return [row for row in result if isinstance(row, ResultRow)]


def first_document(store: FalkorDBStore) -> str:
    rows = store.run(
        "MATCH (d:Document)-[r]->() WHERE r.doc_id = d.id RETURN d.id AS id, count(r) AS n ORDER BY n DESC, id LIMIT 1"
    )
    return rows[0]["id"]


def test_rdf_of_the_samples_conforms_to_the_shapes(rdf: Graph) -> None:
    conforms, report = validate(rdf)
    assert conforms, report[:4000]


def test_jsonld_holds_the_same_triples_as_turtle(sample_store: FalkorDBStore, rdf: Graph) -> None:
    content, media_type, _ = export(sample_store, "jsonld")
    assert media_type == "application/ld+json"
    assert len(Graph().parse(data=content.decode("utf-8"), format="json-ld")) == len(rdf)


@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_the_streamed_export_is_the_graph_rdflib_serialises_whole(sample_store: FalkorDBStore, fmt: str) -> None:
    """Issue #19 item 5: Turtle and JSON-LD are written as their triples are made, not from a whole rdflib Graph;
    they parse back to the graph rdflib's own serialiser writes."""
    rdflib_format = {"ttl": "turtle", "jsonld": "json-ld"}[fmt]
    streamed = Graph().parse(data=export(sample_store, fmt)[0].decode("utf-8"), format=rdflib_format)
    whole = snapshot_to_rdf(read_snapshot(sample_store))
    serialised = Graph().parse(data=serialize(whole, fmt).decode("utf-8"), format=rdflib_format)
    _, only_streamed, only_whole = graph_diff(streamed, serialised)
    assert isomorphic(streamed, serialised), (sorted(only_streamed)[:5], sorted(only_whole)[:5])
    assert len(streamed) == len(whole)


def test_sparql_and_cypher_name_the_same_cities_cooperating_with_cas(sample_store: FalkorDBStore, rdf: Graph) -> None:
    cypher = sample_store.run(
        "MATCH (c:City)-[:COOPERATES_WITH]->(i:Institution {name: $name}) RETURN DISTINCT c.name AS city", {"name": CAS}
    )
    sparql = select(
        rdf,
        "SELECT DISTINCT ?city WHERE { ?c a pkg:City ; rdfs:label ?city ; "
        "pkg:cooperatesWith ?i . ?i a pkg:Institution ; rdfs:label ?name }",
        {"name": Literal(CAS, lang="zh")},
    )
    assert {row["city"] for row in cypher}, "the samples no longer say any city cooperates with 中国科学院"
    assert {str(row.city) for row in sparql} == {row["city"] for row in cypher}


def test_facts_count_the_same_documents_per_cooperation_as_cypher(sample_store: FalkorDBStore, rdf: Graph) -> None:
    cypher = sample_store.run(
        "MATCH (a)-[r:COOPERATES_WITH]->(b) RETURN a.id AS a, b.id AS b, count(DISTINCT r.doc_id) AS documents"
    )
    sparql = select(
        rdf,
        "PREFIX dcterms: <http://purl.org/dc/terms/> "
        "SELECT ?a ?b (COUNT(DISTINCT ?doc) AS ?documents) WHERE { "
        "?fact rdf:subject ?s ; rdf:predicate pkg:cooperatesWith ; rdf:object ?o ; "
        "pkg:assertedIn ?doc . "
        "?s dcterms:identifier ?a . ?o dcterms:identifier ?b } GROUP BY ?a ?b",
    )
    assert cypher
    expected = {(r["a"], r["b"], r["documents"]) for r in cypher}
    assert {(str(r.a), str(r.b), int(r.documents)) for r in sparql} == expected


def test_every_fact_with_a_sentence_is_derived_from_an_excerpt_quoting_it(
    sample_store: FalkorDBStore, rdf: Graph
) -> None:
    rows = select(
        rdf,
        "PREFIX schema: <https://schema.org/> PREFIX prov: <http://www.w3.org/ns/prov#> "
        "SELECT ?text ?start ?end WHERE { ?fact rdf:predicate pkg:cooperatesWith ; "
        "prov:wasDerivedFrom ?x ; prov:wasGeneratedBy ?run . ?x a pkg:Excerpt ; schema:text ?text ; "
        "pkg:startOffset ?start ; pkg:endOffset ?end . ?run prov:wasAssociatedWith ?agent }",
    )
    sentences = {
        (r["sentence"], r["start"], r["end"])
        for r in sample_store.run(
            "MATCH ()-[r:COOPERATES_WITH]->() WHERE r.sentence IS NOT NULL RETURN r.sentence AS sentence, "
            "r.start AS start, r.end AS end"
        )
    }
    assert {(str(r.text), int(r.start), int(r.end)) for r in rows} == sentences


def test_one_document_export_holds_only_its_facts(sample_store: FalkorDBStore) -> None:
    doc_id = first_document(sample_store)
    content, _, name = export(sample_store, "ttl", doc_id)
    assert name == f"policykg-{doc_id.replace(':', '-')}.ttl"
    graph = Graph().parse(data=content.decode("utf-8"), format="turtle")
    documents = set(graph.subjects(RDF.type, PKG.Document))
    assert {str(graph.value(d, URIRef("http://purl.org/dc/terms/identifier"))) for d in documents} == {doc_id}
    asserted_in = {graph.value(fact, PKG.assertedIn) for fact in graph.subjects(RDF.type, PKG.Fact)}
    assert asserted_in == documents
    conforms, report = validate(graph)
    assert conforms, report[:4000]


def test_an_unknown_document_or_format_is_refused(sample_store: FalkorDBStore) -> None:
    with pytest.raises(DocumentNotFound, match="doc:nope"):
        export(sample_store, "ttl", "doc:nope")
    with pytest.raises(ValueError, match="xml"):
        export(sample_store, "xml")


def test_shapes_allow_exactly_the_endpoints_the_ontology_declares() -> None:
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    model = ontology()

    def classes(node: Node) -> set[URIRef]:
        """The classes a shape allows, directly or in an sh:or (a class is an IRI: anything else is left out,
        and the comparison below then fails)."""
        found = set(shapes.objects(node, SH["class"]))
        for union in shapes.objects(node, SH["or"]):
            found |= {c for member in Collection(shapes, union) for c in shapes.objects(member, SH["class"])}
        return {c for c in found if isinstance(c, URIRef)}

    def labels(class_iris: set[URIRef]) -> set[str]:
        return {label for iri in class_iris for label in model._concrete_labels(iri)}

    for rel in model.relationships.values():
        shape = shapes.value(predicate=SH.targetSubjectsOf, object=rel.iri)
        assert shape is not None, f"shapes.ttl has no endpoint shape for {rel.neo4j_type}"
        assert labels(classes(shape)) == set(rel.sources), rel.neo4j_type
        range_shapes = [p for p in shapes.objects(shape, SH.property) if shapes.value(p, SH.path) == rel.iri]
        targets = labels(set().union(*(classes(p) for p in range_shapes))) if range_shapes else None
        assert targets == (set(rel.targets) if rel.targets is not None else None), rel.neo4j_type
    fact_shape_properties = shapes.objects(PKG.FactShape, SH.property)
    [predicate_list] = [
        shapes.value(p, SH["in"]) for p in fact_shape_properties if shapes.value(p, SH.path) == RDF.predicate
    ]
    assert predicate_list is not None
    fact_predicates = Collection(shapes, predicate_list)
    assert set(fact_predicates) == {rel.iri for rel in model.relationships.values()}
    entity_classes = {
        c
        for union in shapes.objects(PKG.EntityShape, SH.xone)
        for member in Collection(shapes, union)
        for c in shapes.objects(member, SH["class"])
        if isinstance(c, URIRef)
    }
    assert labels(entity_classes) == model.entity_types()


def test_graphml_parses_back_with_every_node_and_relationship(sample_store: FalkorDBStore) -> None:
    content, media_type, name = export(sample_store, "graphml")
    assert (media_type, name) == ("application/graphml+xml", "policykg.graphml")
    graph = nx.read_graphml(io.BytesIO(content), force_multigraph=True)
    stats = sample_store.stats()
    assert graph.number_of_nodes() == sample_store.run("MATCH (n) WHERE NOT n:Summary RETURN count(n) AS n")[0]["n"]
    assert graph.number_of_edges() == sum(stats["relationships"].values())
    edge_types = Counter(attrs["label"] for _, _, attrs in graph.edges(data=True))
    assert edge_types == Counter(stats["relationships"])
    assert all(isinstance(v, str | int | float | bool) for _, attrs in graph.nodes(data=True) for v in attrs.values())


def test_csv_zip_has_the_neo4j_admin_headers_and_every_row(sample_store: FalkorDBStore) -> None:
    content, media_type, _ = export(sample_store, "csv")
    assert media_type == "application/zip"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        nodes = list(csv.reader(io.StringIO(archive.read("nodes.csv").decode("utf-8"))))
        relationships = list(csv.reader(io.StringIO(archive.read("relationships.csv").decode("utf-8"))))
        assert "neo4j-admin database import" in archive.read("IMPORT.txt").decode("utf-8")
    assert nodes[0][:3] == ["id:ID", ":LABEL", "name"]
    assert relationships[0][:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert "aliases:string[]" in nodes[0]
    ids = {row[0] for row in nodes[1:]}
    assert len(ids) == len(nodes) - 1 == sample_store.run("MATCH (n) WHERE NOT n:Summary RETURN count(n) AS n")[0]["n"]
    assert len(relationships) - 1 == sum(sample_store.stats()["relationships"].values())
    assert all(row[0] in ids and row[1] in ids for row in relationships[1:])


def test_cli_refuses_an_unknown_format_before_opening_a_store(tmp_path: object) -> None:
    result = CliRunner().invoke(app, ["export", "--format", "xml", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "xml" in result.output


def test_the_shapes_catch_a_dropped_triple_a_wrong_endpoint_and_a_missing_value(rdf: Graph) -> None:
    broken = Graph() + rdf
    fact = next(
        f
        for f in broken.subjects(RDF.predicate, PKG.cooperatesWith)
        if (broken.value(f, RDF.object), RDF.type, PKG.Institution) in broken
    )
    city, partner = broken.value(fact, RDF.subject), broken.value(fact, RDF.object)
    assert city is not None and partner is not None
    broken.remove((city, PKG.cooperatesWith, partner))
    document = next(broken.subjects(RDF.type, PKG.Document))
    broken.add((partner, PKG.cooperatesWith, document))
    target = next(broken.subjects(RDF.type, PKG.Target))
    broken.remove((target, SCHEMA.value, None))
    conforms, results, _ = shacl_validate(broken, shacl_graph=Graph().parse(SHAPES_FILE), advanced=True)
    assert not conforms
    found = {
        (results.value(r, SH.focusNode), results.value(r, SH.sourceConstraintComponent))
        for r in results.subjects(RDF.type, SH.ValidationResult)
    }
    assert (PKG.Fact, SH.SPARQLConstraintComponent) in found  # the dropped triple
    assert (partner, SH.ClassConstraintComponent) in found  # an institution cannot be a cooperation's source
    assert (partner, SH.OrConstraintComponent) in found  # nor a document its partner
    assert (target, SH.MinCountConstraintComponent) in found  # a target without a value


def test_one_documents_export_holds_its_targets_and_results(empty_store: FalkorDBStore) -> None:
    record = every_type_record()
    empty_store.load([record])
    content, _, _ = export(empty_store, "ttl", record["doc_id"])
    graph = Graph().parse(data=content.decode("utf-8"), format="turtle")
    conforms, report = validate(graph)
    assert conforms, report[:4000]
    [document] = graph.subjects(RDF.type, PKG.Document)
    [target] = graph.objects(document, PKG.setsTarget)
    [result] = graph.objects(document, PKG.reportsResult)
    assert (result, RDF.type, PKG.Figure) in graph and (result, RDF.type, SCHEMA.QuantitativeValue) in graph
    stated = [str(graph.value(result, p)) for p in (SCHEMA.value, PKG.year, PKG.figureKind, PKG.documentPart)]
    assert stated == ["52.0", "2022", "flow", "review"]
    assert graph.value(result, PKG.measures) is not None and graph.value(target, PKG.measures) is not None
    excerpt = graph.value(result, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))
    assert str(graph.value(excerpt, SCHEMA.text)) == "新增高新技术企业52家"


def test_the_shapes_refuse_a_figure_that_is_both_or_has_an_unknown_kind(empty_store: FalkorDBStore) -> None:
    empty_store.load([every_type_record()])
    graph = Graph().parse(data=export(empty_store, "ttl")[0].decode("utf-8"), format="turtle")
    result = next(graph.subjects(RDF.type, PKG.Result))
    graph.add((result, RDF.type, PKG.Target))
    graph.set((result, PKG.figureKind, Literal("level")))
    conforms, results, _ = shacl_validate(graph, shacl_graph=Graph().parse(SHAPES_FILE), advanced=True)
    assert not conforms
    found = {results.value(r, SH.sourceConstraintComponent) for r in results.subjects(RDF.type, SH.ValidationResult)}
    assert {SH.XoneConstraintComponent, SH.InConstraintComponent} <= found


def test_documents_carry_their_genre_and_the_inferences_among_their_metadata(
    sample_store: FalkorDBStore, rdf: Graph
) -> None:
    rows = sample_store.run("MATCH (d:Document) RETURN d.genre AS genre, d.inference AS inference, d.city AS city")
    assert {row["genre"] for row in rows} == {"plan"}  # the five samples are all plans
    heze = next(row for row in rows if row["city"] == "菏泽市")  # a plan that names its city only by its counties
    assert any(item.startswith("city: ") for item in heze["inference"])
    documents = set(rdf.subjects(RDF.type, PKG.Document))
    assert {rdf.value(d, PKG.genre) for d in documents} == {Literal("plan")}
    assert any(str(i).startswith("city: ") for d in documents for i in rdf.objects(d, PKG.inference))
