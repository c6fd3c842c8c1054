"""Relations asserted by a document, each with its sentence, the rule that found it and a confidence.

COOPERATES_WITH links the document's own city to partners elsewhere named in a sentence
with a cooperation cue (合作, 对接, 共建, 同城化…); list sentences give one relation per
partner. OPERATED_BY links a platform to the institution its name carries (中国科学院丹东
技术转移中心 → 中国科学院). The document IMPLEMENTS the programmes it names, PRIORITIZES
industries and CITES 《…》 documents. PART_OF and LOCATED_IN come from each entity's parent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

import ahocorasick

from policykg.ingest.candidates.base import Candidate
from policykg.ingest.candidates.known import gazetteer_automaton
from policykg.ingest.place import Place
from policykg.ingest.record import Entity, EntityRef, Evidence, Relation
from policykg.ingest.sentences import Sentence, SentenceIndex
from policykg.lexicon import gazetteer

DOCUMENT = "Document"  # a relation whose source is the document itself (IMPLEMENTS, PRIORITIZES, CITES)
_CITED = re.compile(r"《([^《》\n]{2,60})》")


WEAK_CUE_REACH = 8  # characters from a weak cue (引进) to the partner it governs


@cache
def _cue_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for row in gazetteer.vocabulary("cooperation_cues.tsv"):
        automaton.add_word(row[0], (row[0], len(row) > 1 and row[1] == "weak"))
    automaton.make_automaton()
    return automaton


def cooperation_cues(text: str) -> list[str]:
    return [cue for _, (cue, _weak) in _cue_automaton().iter(text)]


def _cue_for(sentence: Sentence, candidate: Candidate) -> str | None:
    """A strong cue anywhere in the sentence; a weak one (引进 人才 is everywhere) only just before the partner."""
    offset = candidate.start - sentence.start
    strong = weak = None
    for end, (cue, is_weak) in _cue_automaton().iter(sentence.text):
        if not is_weak:
            strong = strong or cue
        elif 0 <= offset - (end + 1) <= WEAK_CUE_REACH:
            weak = weak or cue
    return strong or weak


def is_partner(entity: Entity, place: Place, with_partner: bool = True) -> bool:
    """Institutions not named after the city; areas, agencies and platforms only of another place; a platform of no
    known place only when the sentence says whom the city works with (与…对接)."""
    table = gazetteer.areas()
    kind = entity["type"]
    if kind == "Institution":
        return not _named_after_own_city(entity["name"], place)
    if kind in ("Province", "City", "County"):
        area = table.by_code.get(entity.get("code") or "")
        return area is not None and not place.owns(area) and not _contains_city(area, place)
    if kind in ("Agency", "Platform"):
        located = entity.get("located_in")
        area = table.by_code.get((located.get("code") if located else None) or "")
        if area is not None:
            return not place.owns(area) and not _contains_city(area, place)
        own_short = place.city.short if place.city else None
        return kind == "Platform" and not (own_short and own_short in entity["name"]) and with_partner
    return False


def _named_after_own_city(name: str, place: Place) -> bool:
    """三明市农业科学研究院, 丹东市中医院: the city's own institutions are its side of a cooperation."""
    return bool(place.city and name.startswith((place.city.name, place.city.short)))


def text_before(sentence: Sentence, candidate: Candidate) -> str:
    return sentence.text[: candidate.start - sentence.start]


def _clause_before(sentence: Sentence, candidate: Candidate) -> str:
    """与 must govern the platform in its own clause: 加强与…合作，支持企业建设…中心 names no partner centre."""
    return re.split(r"[，,；;：:]", text_before(sentence, candidate))[-1]


def _contains_city(area: gazetteer.Area, place: Place) -> bool:
    return bool(place.city and gazetteer.areas().contains(area, place.city))


def _ref(entity: Entity) -> EntityRef:
    return EntityRef(type=entity["type"], name=entity["name"])


def _evidence(sentence: Sentence) -> Evidence:
    return Evidence(start=sentence.start, end=sentence.end, text=sentence.text)


def cooperation(
    sentences: Iterable[Sentence], pairs: list[tuple[Candidate, Entity]], place: Place, nested: set[int]
) -> list[Relation]:
    """One relation per partner per sentence that carries a cue; `nested` are candidates inside other names."""
    if place.city is None:
        return []
    city = EntityRef(type="City", name=place.city.name)
    relations: list[Relation] = []
    ordered = sorted(pairs, key=lambda pair: pair[0].start)
    index = 0
    for sentence in sentences:
        inside: list[tuple[Candidate, Entity]] = []
        while index < len(ordered) and ordered[index][0].start < sentence.end:
            if ordered[index][0].start >= sentence.start:
                inside.append(ordered[index])
            index += 1
        if not inside or not cooperation_cues(sentence.text):
            continue
        seen: set[str] = set()
        for candidate, entity in inside:
            with_partner = bool(re.search(r"[与同]", _clause_before(sentence, candidate)))
            if id(candidate) in nested or entity["name"] in seen or not is_partner(entity, place, with_partner):
                continue
            cue = _cue_for(sentence, candidate)
            if cue is None:
                continue
            seen.add(entity["name"])
            relations.append(
                Relation(
                    type="COOPERATES_WITH",
                    source=city,
                    target=_ref(entity),
                    evidence=_evidence(sentence),
                    extractor=f"cue-word:{cue}",
                    confidence=0.8 if len(seen) == 1 else 0.7,
                )
            )
    return relations


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
