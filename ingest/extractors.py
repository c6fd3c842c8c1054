"""Compose the extraction steps into a record.

Walking-skeleton rules: the document's city from its title, named universities and
中国科学院, and cooperation cue words within a sentence. Issue #3 deepens each step.
"""

from __future__ import annotations

import re

from policykg.ingest.record import DocumentMeta, Entity, Record, Relation
from policykg.ingest.sentences import split_sentences

_CITY_IN_TITLE = re.compile(r"([\u4e00-\u9fa5]{2,4}?市)")
_INSTITUTION = re.compile(r"中国科学院|中科院|[\u4e00-\u9fa5]{2,8}大学")
_CANONICAL = {"中科院": "中国科学院"}
_COOPERATION_CUES = ("合作", "对接", "共建", "协作", "联合")


def _metadata(text: str) -> DocumentMeta:
    first_lines = [line.strip() for line in text.splitlines() if line.strip()][:10]
    title = next((line for line in first_lines if "通知" in line or "要点" in line), None)
    city_match = _CITY_IN_TITLE.search(title or "")
    return DocumentMeta(title=title, city=city_match.group(1) if city_match else None, province=None,
                        year=None, issuer=None, doc_number=None, published=None)


def extract(text: str, file_name: str, doc_id: str, encoding: str) -> Record:
    meta = _metadata(text)
    entities: dict[str, Entity] = {}
    relations: list[Relation] = []
    if meta["city"]:
        entities[meta["city"]] = Entity(type="City", name=meta["city"], aliases=[], mentions=[])
    for sentence in split_sentences(text):
        partners: list[str] = []
        for match in _INSTITUTION.finditer(sentence.text):
            surface = match.group()
            name = _CANONICAL.get(surface, surface)
            entity = entities.setdefault(name, Entity(type="Institution", name=name, aliases=[], mentions=[]))
            if surface != name and surface not in entity["aliases"]:
                entity["aliases"].append(surface)
            start = sentence.start + match.start()
            entity["mentions"].append({"start": start, "end": start + len(surface), "extractor": "skeleton"})
            partners.append(name)
        if meta["city"] and any(cue in sentence.text for cue in _COOPERATION_CUES):
            for name in dict.fromkeys(partners):
                relations.append(Relation(
                    type="COOPERATES_WITH",
                    source={"type": "City", "name": meta["city"]},
                    target={"type": "Institution", "name": name},
                    evidence={"start": sentence.start, "end": sentence.end, "text": sentence.text},
                    extractor="skeleton:cue-word", confidence=0.5))
    return Record(file=file_name, doc_id=doc_id, document=meta, entities=list(entities.values()),
                  relations=relations, targets=[], encoding=encoding, text=text)
