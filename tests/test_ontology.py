"""The ontology is the one source of truth: the record contract and the graph builder must agree with it."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, URIRef

from policykg.graph import aggregates
from policykg.graph import build as build_module
from policykg.graph.build import GraphRows, build
from policykg.ingest.ids import document_id
from policykg.ingest.record import AREA_TYPES, ENTITY_TYPES, Entity, Record
from policykg.ontology import vocabularies
from policykg.ontology.model import PKG, Ontology, OntologyClass, Relationship, ontology

RELATIONSHIP_TYPE = re.compile(r"^[A-Z][A-Z]+(_[A-Z]+)*$")


def every_type_record() -> Record:
    """A record using every entity type, a parent of each kind, a relation, a target and a result."""
    text = "三明市与中国科学院合作，沙县建设三明高新区，培育国家高新技术企业100家。2022年新增高新技术企业52家。"
    entities: list[Entity] = [
        {"type": t, "name": f"示例{t}", "aliases": [], "mentions": [{"start": 0, "end": 3}]} for t in ENTITY_TYPES
    ]
    entities += [
        {
            "type": "County",
            "name": "沙县",
            "aliases": [],
            "mentions": [],
            "code": "350427",
            "parent": {"type": "City", "name": "三明市"},
        },
        {
            "type": "Institution",
            "name": "三明学院",
            "aliases": [],
            "mentions": [],
            "parent": {"type": "City", "name": "三明市"},
        },
        {
            "type": "Institution",
            "name": "合肥物质研究院",
            "aliases": [],
            "mentions": [],
            "parent": {"type": "Institution", "name": "中国科学院"},
        },
        {"type": "City", "name": "三明市", "aliases": [], "mentions": [{"start": 0, "end": 3}]},
    ]
    return {
        "file": "every-type.txt",
        "doc_id": document_id(text),
        "text": text,
        "document": {
            "title": "示例",
            "city": "三明市",
            "province": "福建省",
            "year": 2023,
            "issuer": None,
            "doc_number": None,
            "published": None,
        },
        "entities": entities,
        "relations": [
            {
                "type": "COOPERATES_WITH",
                "source": {"type": "City", "name": "三明市"},
                "target": {"type": "Institution", "name": "中国科学院"},
                "evidence": {"start": 0, "end": 12, "text": text[:12]},
            }
        ],
        "targets": [
            {
                "metric": "高新技术企业数量",
                "value": 100.0,
                "value_max": None,
                "unit": "家",
                "comparator": ">=",
                "year": 2023,
                "text": "培育国家高新技术企业100家",
                "start": 22,
                "end": 36,
                "kind": "flow",
                "part": "plan",
            }
        ],
        "results": [
            {
                "metric": "新增高新技术企业数量",
                "value": 52.0,
                "value_max": None,
                "unit": "家",
                "comparator": "=",
                "year": 2022,
                "text": "新增高新技术企业52家",
                "start": 42,
                "end": 53,
                "kind": "flow",
                "part": "review",
            }
        ],
    }


def built_rows(records: list[Record]) -> GraphRows:
    rows = GraphRows()
    for record in [*records, every_type_record()]:
        rows.extend(build(record))
    return rows


def node_label_by_id(rows: GraphRows) -> dict[str, str]:
    labels = {doc["id"]: build_module.DOCUMENT_LABEL for doc in rows.documents}
    for label, node_rows in rows.nodes.items():
        labels.update((row["id"], label) for row in node_rows)
    return labels


def builder_labels() -> set[str]:
    """The labels graph/build.py names: its *_LABEL constants, and the record's entity types."""
    constants = {value for name, value in vars(build_module).items() if name.endswith("_LABEL")}
    return constants | set(ENTITY_TYPES)


def builder_relationship_types() -> set[str]:
    """Relationship types written as literals in graph/build.py (the ones it creates by itself)."""
    tree = ast.parse(Path(build_module.__file__).read_text(encoding="utf-8"))
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and RELATIONSHIP_TYPE.match(node.value)
    }


@pytest.fixture(scope="module")
def model() -> Ontology:
    return ontology()


@pytest.fixture(scope="module")
def rows(sample_records: list[Record]) -> GraphRows:
    return built_rows(sample_records)


def test_record_entity_types_are_the_ontology_entity_classes(model: Ontology) -> None:
    assert set(ENTITY_TYPES) == model.entity_types()
    areas = {c.neo4j_label for c in model.subclasses(PKG.AdministrativeArea)}
    assert set(AREA_TYPES) == areas


def test_every_label_the_builder_names_is_declared(model: Ontology, rows: GraphRows) -> None:
    produced = builder_labels() | set(rows.nodes) | {build_module.DOCUMENT_LABEL}
    assert produced - model.labels() == set(), "declare these labels in ontology/policykg.ttl"


def test_every_declared_label_is_produced_or_planned(model: Ontology, rows: GraphRows) -> None:
    unplanned = {c.neo4j_label for c in model.classes.values() if c.neo4j_label and not c.planned}
    derived = {c.neo4j_label for c in model.classes.values() if c.derived}
    unproduced = unplanned - derived - builder_labels() - set(rows.nodes)
    assert unproduced == set(), "graph/build.py does not produce these: mark them planned"
    assert derived == set(aggregates.SUMMARY_LABELS), "graph/aggregates.py's labels are the derived classes"


def test_every_relationship_type_built_is_declared(model: Ontology, rows: GraphRows) -> None:
    produced = builder_relationship_types() | {rel_type for rel_type, _, _ in rows.relationships}
    assert produced - set(model.relationships) == set(), "declare these relationship types in ontology/policykg.ttl"


def test_every_declared_relationship_type_is_produced_or_planned(model: Ontology, rows: GraphRows) -> None:
    produced = builder_relationship_types() | {rel_type for rel_type, _, _ in rows.relationships}
    unplanned = {t for t, rel in model.relationships.items() if not rel.planned}
    assert unplanned - produced == set(), "nothing produces these relationship types: mark them planned"


def test_every_built_relationship_joins_allowed_endpoints(model: Ontology, rows: GraphRows) -> None:
    labels = node_label_by_id(rows)
    wrong = {
        (rel_type, labels[row["source"]], labels[row["target"]])
        for (rel_type, _, _), rel_rows in rows.relationships.items()
        for row in rel_rows
        if not model.relationship(rel_type).allows(labels[row["source"]], labels[row["target"]])
    }
    assert wrong == set(), "the ontology's rdfs:domain/rdfs:range do not allow these"


def test_targets_and_results_are_built_as_the_ontology_declares_them(model: Ontology) -> None:
    record = every_type_record()
    text = record["text"]
    assert all(text[f["start"] : f["end"]] == f["text"] for f in record["targets"] + record["results"])
    rows = build(record)
    [target], [result] = rows.targets, rows.results
    assert target["props"]["id"].startswith("target:") and result["props"]["id"].startswith("result:")
    assert (result["props"]["kind"], result["props"]["year"], result["props"]["doc_id"]) == (
        "flow",
        2022,
        record["doc_id"],
    )
    for label, link in build_module.FIGURE_LINKS.items():
        assert model.relationship(link).allows(build_module.DOCUMENT_LABEL, label)
        assert model.relationship(build_module.MEASURES).allows(label, build_module.METRIC_LABEL)
    assert not model.relationship("REPORTS_RESULT").allows("Document", "Target")
    assert rows.counts() == (
        len(rows.documents) + sum(map(len, rows.nodes.values())) + 2,
        sum(map(len, rows.relationships.values())) + 4,
    )


def test_the_model_refuses_endpoints_outside_domain_and_range(model: Ontology) -> None:
    assert model.relationship("MEASURES").allows("Target", "Metric")
    assert model.relationship("MEASURES").allows("Result", "Metric")
    assert not model.relationship("MEASURES").allows("Document", "Metric")
    assert not model.relationship("COOPERATES_WITH").allows("Institution", "City")
    with pytest.raises(KeyError, match="NOT_A_TYPE"):
        model.relationship("NOT_A_TYPE")


def test_every_term_has_chinese_and_english_labels_and_a_definition(model: Ontology) -> None:
    terms: list[OntologyClass | Relationship] = [*model.classes.values(), *model.relationships.values()]
    lacking = [str(t.iri) for t in terms if not (t.labels.get("zh") and t.labels.get("en") and t.definition)]
    assert lacking == []


def test_every_class_reuses_a_known_vocabulary_or_refines_one_of_ours(model: Ontology) -> None:
    ours = set(model.classes)
    for cls in model.classes.values():
        if cls.iri == PKG.Entity:
            continue  # the root of the named entities, the Neo4j label Entity
        assert cls.parents, f"{cls.iri} has no superclass"
        for parent in cls.parents:
            assert parent in ours or not parent.startswith(str(PKG)), f"{cls.iri}: {parent} is not declared"


def test_every_pkg_term_used_in_the_ontology_is_declared(model: Ontology) -> None:
    declared = {s for s in model.graph.subjects(RDF.type, None) if isinstance(s, URIRef)}
    used = {o for o in model.graph.objects() if isinstance(o, URIRef) and o.startswith(str(PKG))}
    used |= {p for p in model.graph.predicates() if isinstance(p, URIRef) and p.startswith(str(PKG))}
    assert used - declared == set()
    assert {OWL.Class, OWL.ObjectProperty} <= set(model.graph.objects(None, RDF.type))
    assert all(model.graph.value(p, RDFS.label) for p in model.graph.subjects(RDF.type, OWL.DatatypeProperty))


@pytest.mark.parametrize("key", sorted(vocabularies.SCHEME_FILES))
def test_every_scheme_parses_with_distinct_labels_in_chinese_and_english(key: str) -> None:
    concepts = vocabularies.concepts(key)
    assert concepts, f"{key} has no concepts"
    assert all(c.pref_label_en for c in concepts), "every concept needs a skos:prefLabel@en"
    owners = Counter(vocabularies.normalise(label) for c in concepts for label in set(c.labels))
    assert [label for label, n in owners.items() if n > 1] == [], "a label names two concepts of one scheme"
    known = {c.iri for c in concepts}
    assert all(b in known for c in concepts for b in c.broader), "skos:broader points outside the scheme"


def test_every_metric_says_its_units() -> None:
    assert all(c.units for c in vocabularies.metrics())


def test_the_extractor_helpers_type_and_normalise() -> None:
    platform = vocabularies.classify("三明市氟新材料重点实验室", vocabularies.platform_types())
    assert platform is not None and platform.pref_label == "重点实验室"
    programme = vocabularies.classify("科技特派员制度", vocabularies.programme_types())
    assert programme is not None and programme.pref_label == "科技特派员制度"
    metric = vocabularies.find("全社会R&D经费占GDP比重达到2.5%", vocabularies.metrics())
    assert metric is not None and metric.pref_label == "研发经费投入强度" and "%" in metric.units
    assert vocabularies.lookup("ｒ＆ｄ经费投入强度", vocabularies.metrics()) == metric
    assert vocabularies.find("加强党的建设", vocabularies.metrics()) is None


def test_an_unreadable_scheme_is_reported_with_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "metrics.ttl").write_text("this is not turtle", encoding="utf-8")
    monkeypatch.setattr(vocabularies, "ONTOLOGY_DIR", tmp_path)
    with pytest.raises(ValueError, match=r"metrics\.ttl"):
        vocabularies._read_scheme("metrics")


def test_the_ontology_page_names_every_label_and_relationship_type(model: Ontology) -> None:
    page = (Path(__file__).resolve().parent.parent / "docs" / "ontology.md").read_text(encoding="utf-8")
    missing = sorted(f"`{name}`" for name in model.labels() | set(model.relationships) if f"`{name}`" not in page)
    assert missing == [], "docs/ontology.md lacks these"


def test_a_documents_row_keeps_genre_county_published_and_why_a_field_was_inferred() -> None:
    record = every_type_record()
    meta = record["document"]
    meta["genre"], meta["county"], meta["published"] = "regulation", "沙县", "2023-02-22"
    record["provenance"] = {"city": "inference:places 沙县 → 三明市", "year": "title", "issuer": "inference:x"}
    props = build(record).documents[0]["props"]
    assert (props["genre"], props["county"], props["published"]) == ("regulation", "沙县", "2023-02-22")
    assert props["inference"] == ["city: places 沙县 → 三明市"]  # issuer is None: nothing was inferred for it
