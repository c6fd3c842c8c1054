"""The extraction record: one per document, the contract of ../shared/eval/GUIDELINES.md.

Everything downstream (graph building, stores, RDF export) consumes these shapes, so they
are the one place where the record's fields are named. Fields beyond the guidelines'
(ids, provenance, outline, text) only add to the contract.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

ENTITY_TYPES = ("Province", "City", "County", "Agency", "Institution", "Enterprise", "Platform", "Program")
AREA_TYPES = ("Province", "City", "County")


class Mention(TypedDict):
    start: int
    end: int
    extractor: NotRequired[str]


class AreaRef(TypedDict):
    type: str  # Province, City or County
    name: str
    code: NotRequired[str | None]
    lon: NotRequired[float | None]
    lat: NotRequired[float | None]


class Entity(TypedDict):
    type: str
    name: str
    aliases: list[str]
    mentions: list[Mention]
    code: NotRequired[str | None]  # 6-digit administrative code, areas only
    parent: NotRequired[dict[str, str] | None]  # {"type", "name"[, "code"]}: the larger area or organisation (PART_OF)
    located_in: NotRequired[AreaRef | None]  # where an organisation or platform is (LOCATED_IN)
    attributes: NotRequired[dict[str, Any]]  # e.g. platform_type, level


class EntityRef(TypedDict):
    type: str
    name: str


class Evidence(TypedDict):
    start: int
    end: int
    text: NotRequired[str]


class Relation(TypedDict):
    type: str
    source: EntityRef
    target: EntityRef
    evidence: Evidence
    extractor: NotRequired[str]
    confidence: NotRequired[float]
    part: NotRequired[str | None]  # the kind of document part its sentence is in (PART_KINDS)


class Target(TypedDict):
    metric: str
    value: float
    value_max: float | None
    unit: str
    comparator: str
    year: int | None
    text: str
    start: int
    end: int
    extractor: NotRequired[str]
    metric_id: NotRequired[str | None]  # the metric's concept in ontology/metrics.ttl (its IRI's local name)
    metric_label: NotRequired[str | None]  # that concept's skos:prefLabel@zh
    value_normalised: NotRequired[float | None]  # value (and value_max) in unit_normalised: 万元 → 亿元, 万家 → 家
    value_max_normalised: NotRequired[float | None]
    unit_normalised: NotRequired[str]
    kind: NotRequired[str | None]  # stock, flow, growth or ratio (GUIDELINES.md): only like kinds compare
    part: NotRequired[str | None]  # the kind of document part it is stated in (PART_KINDS)


# A result has a target's shape: what was achieved rather than aimed at (GUIDELINES.md, Targets and results).
Result = Target
TARGET_KINDS = ("stock", "flow", "growth", "ratio")
# Parts of a document: what looks back (过去一年, 工作回顾), what plans ahead (今年工作安排, 主要目标, 重点任务),
# and the rest (a preamble, a regulation's articles, a government's self-building).
PART_KINDS = ("review", "plan", "other")
GENRES = ("plan", "work-report", "review", "regulation", "task-table", "other")


class Part(TypedDict):
    kind: str  # one of PART_KINDS
    start: int
    end: int
    heading: str  # the heading that opens it, empty for a part without one


class DocumentMeta(TypedDict):
    title: str | None
    city: str | None
    province: str | None
    year: int | None
    issuer: str | None
    doc_number: str | None
    published: str | None
    county: NotRequired[str | None]  # for a county's or district's document (its city stays in `city`)
    genre: NotRequired[str | None]  # one of GENRES


class Section(TypedDict):
    level: int
    marker: str
    title: str
    start: int
    end: int


class Record(TypedDict):
    file: str
    source: NotRequired[str]  # its name relative to what was ingested (corpus/2021/a.txt), never a server path
    origin: NotRequired[str]  # a key of the file it was read from: a changed file replaces its earlier version
    doc_id: str
    document: DocumentMeta
    entities: list[Entity]
    relations: list[Relation]
    targets: list[Target]
    results: NotRequired[list[Result]]
    parts: NotRequired[list[Part]]
    sections: NotRequired[list[Section]]
    encoding: NotRequired[str]
    text: NotRequired[str]
    provenance: NotRequired[dict[str, Any]]  # how each metadata field was found
