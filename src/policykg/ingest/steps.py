"""The extraction steps, in order: one document's text in, its extraction record out.

1. read        the text as read, and the same-length view the rules match (normalise.py)
2. sentences   sentences with their offsets (sentences.py), and the outline (outline.py)
3. metadata    title, place, year, issuer, 文号 and how each was found (metadata.py); genre and parts (parts.py)
4. candidates  every candidate source of the registry (sources.py)
5. place       the document's own city and province, for relative names (resolution.py)
6. resolution  one entity per thing, canonically named, with aliases and mentions (resolution.py)
7. relations   cooperation, operated-by, implements, prioritizes, cites (relations.py)
8. figures     quantitative targets and results, told apart by their sentence, part and genre (targets.py)

Each step is a function from typed values to typed values; `extract` runs them in this order.
"""

from __future__ import annotations

from dataclasses import dataclass

from policykg.ingest import relations as rel
from policykg.ingest.candidates.base import Candidate
from policykg.ingest.cooperation import cooperation
from policykg.ingest.metadata import describe
from policykg.ingest.normalise import TextView, normalise
from policykg.ingest.outline import extract_outline
from policykg.ingest.place import Place, document_place
from policykg.ingest.record import DocumentMeta, Entity, EntityRef, Part, Record, Relation, Section
from policykg.ingest.resolution import resolve
from policykg.ingest.sentences import Sentence, SentenceIndex, split_sentences
from policykg.ingest.sources import find_candidates, place_candidates
from policykg.ingest.targets import Figures, extract_figures


@dataclass(frozen=True)
class Metadata:
    meta: DocumentMeta
    provenance: dict[str, str]
    parts: list[Part]  # review / plan / other spans covering the text


@dataclass(frozen=True)
class Structure:
    sentences: list[Sentence]
    sections: list[Section]


@dataclass(frozen=True)
class Resolved:
    place: Place
    entities: list[Entity]
    pairs: list[tuple[Candidate, Entity]]  # each kept candidate with the entity it names


def read(text: str) -> TextView:
    return normalise(text)


def metadata(view: TextView, structure: Structure) -> Metadata:
    described = describe(view.view, structure.sections)
    return Metadata(described.meta, described.provenance, described.parts)


def structure(view: TextView) -> Structure:
    return Structure(list(split_sentences(view.view)), extract_outline(view.view))


def candidates(view: TextView) -> list[Candidate]:
    return find_candidates(view.view)


def place(found: Metadata) -> Place:
    return document_place(found.meta["city"], found.meta["province"], found.meta.get("county"))


def resolution(view: TextView, candidates: list[Candidate], place: Place) -> Resolved:
    entities, pairs = resolve(candidates + place_candidates(view.view, place, candidates), place)
    return Resolved(place, entities, pairs)


def relations(view: TextView, doc_id: str, parts: Structure, resolved: Resolved) -> list[Relation]:
    index = SentenceIndex(parts.sentences)
    found, clustered = cooperation(parts.sentences, resolved.pairs, resolved.place)
    resolved.entities.extend(clustered)  # cities a named cluster stands for, partners without a name of their own
    found += rel.operated_by(resolved.entities, index)
    found += rel.document_relations(EntityRef(type=rel.DOCUMENT, name=doc_id), resolved.entities, index, view.view)
    for relation in found:  # evidence as a reader sees it: markup left out
        evidence = relation["evidence"]
        if "text" in evidence:
            evidence["text"] = view.clean(evidence["start"], evidence["end"])
    return found


def figures(view: TextView, found: Metadata) -> Figures:
    stated = extract_figures(view.view, found.meta["year"], found.parts, found.meta.get("genre"))
    for figure in stated.targets + stated.results:  # as a reader sees it: markup left out
        figure["text"] = view.clean(figure["start"], figure["start"] + len(figure["text"]))
    return stated


def extract(text: str, file_name: str, doc_id: str, encoding: str) -> Record:
    view = read(text)
    outline = structure(view)
    found = metadata(view, outline)
    kept = candidates(view)
    resolved = resolution(view, kept, place(found))
    stated = figures(view, found)
    return Record(
        file=file_name,
        doc_id=doc_id,
        document=found.meta,
        entities=resolved.entities,
        relations=relations(view, doc_id, outline, resolved),
        targets=stated.targets,
        results=stated.results,
        encoding=encoding,
        text=text,
        sections=outline.sections,
        parts=found.parts,
        provenance=found.provenance,
    )
