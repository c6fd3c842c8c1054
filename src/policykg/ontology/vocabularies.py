"""The SKOS concept schemes under ontology/ (platform types, programme types, metrics, industries) as Python.

The extractor uses them to type and normalise what it finds:
- `classify(name, platform_types())` gives the platform type of 三明市新材料重点实验室 from the
  longest label its name ends with (重点实验室, not 实验室);
- `find(phrase, metrics())` gives the metric a target's clause speaks of from the longest label it
  contains (R&D经费占GDP比重 → 研发经费投入强度), with the metric's usual units;
- `match_metric(clause, unit)` is the extractor's version of it: only concepts whose units have the
  dimension of the target's unit (家 a count, 亿元 money, % a share), keyword patterns too (引进…人才),
  the clause and labels folded alike (的, 全市, 年均增长/增幅/增速, 比例/比重);
- `lookup(label, concepts)` matches a label exactly, after the same normalisation the scorer uses.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import ahocorasick
from rdflib import RDF, SKOS, Graph, Literal, Namespace, URIRef

from policykg.lexicon import gazetteer
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
    hidden_labels: tuple[str, ...] = ()  # keyword patterns for matching only; … stands for a few characters

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.pref_label, *self.alt_labels)

    @property
    def notation(self) -> str:
        """The IRI's local name (high-tech-enterprises): the concept's id in records and graph ids."""
        return str(self.iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def normalise(text: str) -> str:
    """Full-width to half-width, no spaces or quotes, ASCII letters upper-case: how labels are compared."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(c for c in folded if not c.isspace() and c not in "\"'“”‘’《》").upper()


def _labels(graph: Graph, subject: URIRef, predicate: URIRef, language: str | None) -> list[str]:
    return sorted(
        str(o)
        for o in graph.objects(subject, predicate)
        if isinstance(o, Literal) and (language is None or o.language == language)
    )


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
        concepts.append(
            Concept(
                iri=iri,
                scheme=key,
                pref_label=pref[0],
                pref_label_en=english[0] if english else None,
                alt_labels=tuple(_labels(graph, iri, SKOS.altLabel, None)),
                units=tuple(_labels(graph, iri, SCHEMA.unitText, None)),
                hidden_labels=tuple(_labels(graph, iri, SKOS.hiddenLabel, None)),
                broader=tuple(sorted(b for b in graph.objects(iri, SKOS.broader) if isinstance(b, URIRef))),
            )
        )
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


# Unit dimensions: a target's unit and a metric's units must agree for the metric to be the target's.
_MULTIPLIER = re.compile(r"^(?:千万|百万|万|亿)(?=.)")
_SHARE_UNITS = frozenset({"%", "％", "‰", "百分点", "个百分点"})
_PEOPLE_UNITS = frozenset({"人", "名", "位"})
_VISIT_UNITS = frozenset({"人次"})  # person-times: 培训农民30万人次 counts trainings, not people
_EVENT_UNITS = frozenset({"次", "场", "期", "家次", "项次"})
_AREA_UNITS = frozenset({"平方公里", "平方千米", "平方米", "公顷", "亩"})


def unit_dimension(unit: str) -> str:
    """What a unit measures: money, share, people, visits, events, area, ratio or count (家, 项, 件 …)."""
    base = _MULTIPLIER.sub("", unit.strip())
    if base.endswith("元"):
        return "money"
    for dimension, units in (
        ("share", _SHARE_UNITS),
        ("people", _PEOPLE_UNITS),
        ("visits", _VISIT_UNITS),
        ("events", _EVENT_UNITS),
        ("area", _AREA_UNITS),
    ):
        if base in units:
            return dimension
    return "ratio" if base == "倍" else "count"


# Wording that varies between cities without changing the measure: dropped or unified before comparing.
# Measure words (数量, 总数) are dropped too, so that a label is as long as the thing it names.
_FOLD_DROP = re.compile(
    r"的|全社会|全市|全省|全县|全区|我市|本市|数量|总数|人数|次数|"
    r"(?:年均|同比|比上年|每年|年)(?=增长)"
)
_FOLD_SAME = ((re.compile(r"增幅|增速|增长率|增长幅度"), "增长"), (re.compile(r"比例|比率"), "比重"))


METRIC_FOLDS_FILE = "metric_folds.tsv"


@cache
def _metric_folds() -> tuple[tuple[re.Pattern[str], str], ...]:
    """lexicon/data/metric_folds.tsv: one indicator's wordings in different cities, onto one form."""
    return tuple(
        (re.compile(row[0]), row[1] if len(row) > 1 else "") for row in gazetteer.vocabulary(METRIC_FOLDS_FILE)
    )


def fold_metric(text: str) -> str:
    """A metric phrase as the matcher compares it: 全社会研发投入年均增长 → R&D经费投入增长."""
    folded = normalise(text)
    for pattern, replacement in _metric_folds() + _FOLD_SAME:
        folded = pattern.sub(replacement, folded)
    return _FOLD_DROP.sub("", folded)


# A label followed by one of these names another measure of the thing: 高新技术企业|产值, 科技型企业|营业收入.
_OTHER_MEASURE = re.compile(
    r"总?产值|增加值|(?:营业|销售|主营业务)?收入|营收|利润|税收|投入|经费|投资|占|比重|增长|"
    r"总?额|规模|覆盖率"
)


_Patterned = tuple[tuple[re.Pattern[str], Concept], ...]


@cache
def _metric_labels(dimension: str) -> tuple[ahocorasick.Automaton | None, _Patterned]:
    """The folded labels (an automaton finding every occurrence in one pass) and keyword patterns (… a gap of
    up to 8 characters) of the metrics measured in `dimension`."""
    literal: dict[str, Concept] = {}
    gapped: list[tuple[re.Pattern[str], Concept]] = []
    for concept in metrics():
        if dimension not in {unit_dimension(u) for u in concept.units}:
            continue
        literal.update({fold_metric(label): concept for label in concept.labels if fold_metric(label)})
        gapped += [
            (re.compile(".{0,8}?".join(re.escape(fold_metric(part)) for part in label.split("…"))), concept)
            for label in concept.hidden_labels
        ]
    if not literal:
        return None, tuple(gapped)
    automaton = ahocorasick.Automaton()
    for label, concept in literal.items():
        automaton.add_word(label, (len(label), concept))
    automaton.make_automaton()
    return automaton, tuple(gapped)


@lru_cache(maxsize=8192)
def match_metric(clause: str, unit: str) -> Concept | None:
    """The metric concept of a target: the longest label match in its clause among concepts of the unit's dimension.

    Ties go to the match that ends last, because a Chinese noun phrase ends with its head
    (众创空间入驻企业 is about the firms, not the maker spaces). A match followed by another
    measure word (高新技术企业|产值) names that other measure and does not count.
    """
    folded = fold_metric(clause)
    literal, gapped = _metric_labels(unit_dimension(unit))
    found = (
        [((last + 1 - size, last + 1), concept) for last, (size, concept) in literal.iter(folded)] if literal else []
    )
    found += [((m.start(), m.end()), concept) for pattern, concept in gapped for m in pattern.finditer(folded)]
    scored = [(end - start, end, concept) for (start, end), concept in found if not _OTHER_MEASURE.match(folded, end)]
    return max(scored, key=lambda item: item[:2])[2] if scored else None
