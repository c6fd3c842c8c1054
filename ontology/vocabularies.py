"""The SKOS concept schemes under ontology/ (platform types, programme types, metrics, industries) as Python.

The extractor uses them to type and normalise what it finds:
- `classify(name, platform_types())` gives the platform type of 三明市新材料重点实验室 from the
  longest label its name ends with (重点实验室, not 实验室);
- `find(phrase, metrics())` gives the metric a target's clause speaks of from the longest label it
  contains (R&D经费占GDP比重 → 研发经费投入强度), with the metric's usual units;
- `lookup(label, concepts)` matches a label exactly, after the same normalisation the scorer uses.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from rdflib import RDF, SKOS, Graph, Literal, Namespace, URIRef

from policykg.ontology.model import ONTOLOGY_DIR

SCHEMA = Namespace("https://schema.org/")
SCHEME_FILES = {
    "platform-types": "platform-types.ttl",
    "programme-types": "programme-types.ttl",
    "metrics": "metrics.ttl",
    "industries": "industries.ttl",
}


@dataclass(frozen=True)
class Concept:
    iri: URIRef
    scheme: str  # the key of SCHEME_FILES
    pref_label: str  # @zh
    pref_label_en: str | None
    alt_labels: tuple[str, ...]  # @zh and other written forms
    units: tuple[str, ...]  # metrics only: the units values of it come in (家, %, 亿元…)
    broader: tuple[URIRef, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.pref_label, *self.alt_labels)


def normalise(text: str) -> str:
    """Full-width to half-width, no spaces or quotes, ASCII letters upper-case: how labels are compared."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(c for c in folded if not c.isspace() and c not in "\"'“”‘’《》").upper()


def _labels(graph: Graph, subject: URIRef, predicate: URIRef, language: str | None) -> list[str]:
    return sorted(str(o) for o in graph.objects(subject, predicate)
                  if isinstance(o, Literal) and (language is None or o.language == language))


def _read_scheme(key: str) -> tuple[Concept, ...]:
    path = ONTOLOGY_DIR / SCHEME_FILES[key]
    try:
        graph = Graph().parse(path, format="turtle")
    except Exception as error:  # rdflib raises several parser errors; name the file either way
        raise ValueError(f"{path}: not a readable Turtle file ({error})") from error
    concepts = []
    for iri in sorted(s for s in graph.subjects(RDF.type, SKOS.Concept) if isinstance(s, URIRef)):
        pref = _labels(graph, iri, SKOS.prefLabel, "zh")
        if len(pref) != 1:
            raise ValueError(f"{path}: {iri} needs exactly one skos:prefLabel@zh, has {len(pref)}")
        english = _labels(graph, iri, SKOS.prefLabel, "en")
        concepts.append(Concept(
            iri=iri, scheme=key, pref_label=pref[0], pref_label_en=english[0] if english else None,
            alt_labels=tuple(_labels(graph, iri, SKOS.altLabel, None)),
            units=tuple(_labels(graph, iri, SCHEMA.unitText, None)),
            broader=tuple(sorted(b for b in graph.objects(iri, SKOS.broader) if isinstance(b, URIRef)))))
    return tuple(concepts)


@cache
def concepts(key: str) -> tuple[Concept, ...]:
    """The concepts of one scheme (a key of SCHEME_FILES), read once per process."""
    return _read_scheme(key)


def platform_types() -> list[Concept]:
    return list(concepts("platform-types"))


def programme_types() -> list[Concept]:
    return list(concepts("programme-types"))


def metrics() -> list[Concept]:
    return list(concepts("metrics"))


def industries() -> list[Concept]:
    return list(concepts("industries"))


@cache
def _folded(concept: Concept) -> tuple[str, ...]:
    """A concept's labels normalised, once: the extractor asks for every name it finds."""
    return tuple(normalise(label) for label in concept.labels)


def lookup(label: str, among: list[Concept]) -> Concept | None:
    """The concept one of whose labels is `label`, compared after normalisation."""
    wanted = normalise(label)
    return next((c for c in among if wanted in _folded(c)), None)


def _longest(candidates: list[tuple[int, Concept]]) -> Concept | None:
    return max(candidates, key=lambda pair: pair[0])[1] if candidates else None


def classify(name: str, among: list[Concept]) -> Concept | None:
    """The concept whose longest label `name` ends with: a platform's or programme's type from its suffix."""
    folded = normalise(name)
    return _longest([(len(x), c) for c in among for x in _folded(c) if folded.endswith(x)])


def find(phrase: str, among: list[Concept]) -> Concept | None:
    """The concept whose longest label occurs in `phrase`: a metric or industry named inside a clause."""
    folded = normalise(phrase)
    return _longest([(len(x), c) for c in among for x in _folded(c) if x in folded])
