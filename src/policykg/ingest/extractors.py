"""Compose the extraction steps into a record.

read text → metadata → sentences → entity candidates (gazetteers, suffix rules, quoted
terms) → the document's own place → abbreviations (京闽, 沪明) → resolution → relations.
"""

from __future__ import annotations

import bisect
from itertools import accumulate

from policykg.ingest import relations as rel
from policykg.ingest.entities import Candidate, find_candidates
from policykg.ingest.metadata import extract_metadata
from policykg.ingest.outline import extract_outline
from policykg.ingest.record import Entity, EntityRef, Record, Relation
from policykg.ingest.resolution import (
    Place,
    abbreviation_candidates,
    document_place,
    relative_place_candidates,
    relative_province_candidates,
    resolve,
)
from policykg.ingest.sentences import SentenceIndex, split_sentences
from policykg.ingest.targets import extract_targets


def extract(text: str, file_name: str, doc_id: str, encoding: str) -> Record:
    meta, provenance = extract_metadata(text)
    candidates = find_candidates(text)
    place = document_place(meta["city"], meta["province"], candidates)
    candidates = _drop_places_inside_institutions(
        candidates
        + abbreviation_candidates(text, place)
        + relative_place_candidates(text, place)
        + relative_province_candidates(candidates, place)
    )
    entities, pairs = resolve(candidates, place)
    relations = _relations(text, doc_id, entities, pairs, place)
    return Record(
        file=file_name,
        doc_id=doc_id,
        document=meta,
        entities=entities,
        relations=relations,
        targets=extract_targets(text, meta["year"]),
        encoding=encoding,
        text=text,
        sections=extract_outline(text),
        provenance=provenance,
    )


def _drop_places_inside_institutions(candidates: list[Candidate]) -> list[Candidate]:
    """厦门 in 厦门大学 names the university, not a place the plan talks about."""
    institutions = [(c.start, c.end) for c in candidates if c.type == "Institution" and not c.codes]
    return [c for c in candidates if not (c.codes and any(s <= c.start and c.end <= e for s, e in institutions))]


def _relations(
    text: str, doc_id: str, entities: list[Entity], pairs: list[tuple[Candidate, Entity]], place: Place
) -> list[Relation]:
    sentences = list(split_sentences(text))
    index = SentenceIndex(sentences)
    nested = _nested_in_names(pairs)
    found = rel.cooperation(sentences, pairs, place, nested)
    found += rel.operated_by(entities, index)
    found += rel.document_relations(EntityRef(type=rel.DOCUMENT, name=doc_id), entities, index, text)
    return found


def _nested_in_names(pairs: list[tuple[Candidate, Entity]]) -> set[int]:
    """Places inside another name (武汉 in 武汉东湖高新区), institutions inside an institution's name
    (中机总院 in 中机总院海西分院) and national bodies inside any name (科技部 in 科技部高端外国专家项目):
    the named thing is the partner; the outer one is linked by PART_OF."""
    names = [(c.start, c.end) for c, _ in pairs if not c.codes]
    institutions = [(c.start, c.end) for c, _ in pairs if not c.codes and c.type == "Institution"]
    inside_name, inside_institution = _Containment(names), _Containment(institutions)
    return {
        id(c)
        for c, _ in pairs
        if (c.codes and inside_name.strictly_holds(c.start, c.end))
        or (c.type == "Institution" and inside_institution.strictly_holds(c.start, c.end))
        or (c.type == "Agency" and c.key and inside_name.strictly_holds(c.start, c.end))
    }


class _Containment:
    """Whether a span strictly holds a query span, in O(log n): spans sorted by start, the furthest end so far."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(set(spans))
        self.starts = [s for s, _ in spans]
        self.furthest = list(accumulate((e for _, e in spans), max))
        self.furthest_from: dict[int, int] = {}  # start → the furthest end of the spans starting there
        for s, e in spans:
            self.furthest_from[s] = max(e, self.furthest_from.get(s, e))

    def strictly_holds(self, start: int, end: int) -> bool:
        before = bisect.bisect_left(self.starts, start) - 1  # spans starting before `start`
        if before >= 0 and self.furthest[before] >= end:
            return True
        return self.furthest_from.get(start, end) > end  # a span starting at `start` holds it only if it is longer
