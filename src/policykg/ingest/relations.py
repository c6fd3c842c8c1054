"""Relations asserted by a document, each with its sentence, the rule that found it and a confidence.

COOPERATES_WITH is cooperation.py's. OPERATED_BY links a platform to the institution its name carries (中国科学院丹东
技术转移中心 → 中国科学院). The document IMPLEMENTS the programmes it names, PRIORITIZES
industries and CITES 《…》 documents. PART_OF and LOCATED_IN come from each entity's parent.
"""

from __future__ import annotations

import re

from policykg.ingest.candidates.known import gazetteer_automaton
from policykg.ingest.record import Entity, EntityRef, Evidence, Relation
from policykg.ingest.sentences import Sentence, SentenceIndex
from policykg.lexicon import gazetteer

DOCUMENT = "Document"  # a relation whose source is the document itself (IMPLEMENTS, PRIORITIZES, CITES)
_CITED = re.compile(r"《([^《》\n]{2,60})》")


def _ref(entity: Entity) -> EntityRef:
    return EntityRef(type=entity["type"], name=entity["name"])


def _evidence(sentence: Sentence) -> Evidence:
    return Evidence(start=sentence.start, end=sentence.end, text=sentence.text)


def operated_by(entities: list[Entity], sentences_at: SentenceIndex) -> list[Relation]:
    """A platform whose name carries an institution's name is run by it (安徽大学科技园六安分园)."""
    relations = []
    for entity in entities:
        if entity["type"] != "Platform" or not entity["mentions"]:
            continue
        for _end, (word, entries) in gazetteer_automaton().iter(entity["name"]):
            if entries[0].type == "Institution" and word != entity["name"]:
                sentence = sentences_at.containing(entity["mentions"][0]["start"])
                relations.append(
                    Relation(
                        type="OPERATED_BY",
                        source=_ref(entity),
                        target={"type": "Institution", "name": entries[0].name},
                        evidence=_evidence(sentence) if sentence else dict(entity["mentions"][0]),  # type: ignore[typeddict-item]
                        extractor="name-contains-institution",
                        confidence=0.7,
                    )
                )
                break
    return relations


def document_relations(
    doc_ref: EntityRef, entities: list[Entity], sentences_at: SentenceIndex, text: str
) -> list[Relation]:
    """IMPLEMENTS each named programme, PRIORITIZES each industry, CITES each 《…》 title."""
    relations: list[Relation] = []
    for entity in entities:
        if entity["type"] == "Program" and entity["mentions"]:
            relations.append(
                _from_document(
                    doc_ref,
                    "IMPLEMENTS",
                    _ref(entity),
                    entity["mentions"][0]["start"],
                    sentences_at,
                    "program-mention",
                    0.6,
                )
            )
    for start, industry in industries(text):
        relations.append(
            _from_document(
                doc_ref,
                "PRIORITIZES",
                EntityRef(type="Industry", name=industry),
                start,
                sentences_at,
                "industry-vocabulary",
                0.6,
            )
        )
    for match in _CITED.finditer(text):
        relations.append(
            _from_document(
                doc_ref,
                "CITES",
                EntityRef(type="Program", name=match.group(1)),
                match.start(),
                sentences_at,
                "book-title-marks",
                0.9,
            )
        )
    return _first_per_target(relations)


def industries(text: str) -> list[tuple[int, str]]:
    """Industries from the vocabulary, named as such (…产业, …产业链, …集群)."""
    found = []
    for name in gazetteer.words("industries.tsv"):
        for match in re.finditer(re.escape(name) + r"(?=产业|等产业|集群)", text):
            found.append((match.start(), name))
    return sorted(found)


def _from_document(
    doc_ref: EntityRef,
    kind: str,
    target: EntityRef,
    start: int,
    sentences_at: SentenceIndex,
    extractor: str,
    confidence: float,
) -> Relation:
    sentence = sentences_at.containing(start)
    evidence = _evidence(sentence) if sentence else {"start": start, "end": start}
    return Relation(
        type=kind,
        source=doc_ref,
        target=target,
        evidence=evidence,
        extractor=extractor,
        confidence=confidence,
    )


def _first_per_target(relations: list[Relation]) -> list[Relation]:
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for relation in relations:
        key = (relation["type"], relation["target"]["type"], relation["target"]["name"])
        if key not in seen:
            seen.add(key)
            unique.append(relation)
    return unique
