"""The API's response and request shapes: every route answers one of these."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Health(BaseModel):
    status: str = Field(description="'ok' when the store answers")
    store: str = Field(description="which store serves the graph")
    version: str = Field(description="policykg's version")


class ParameterInfo(BaseModel):
    name: str
    type: str = Field(description="string, integer, number or boolean")
    default: Any = None
    required: bool
    description: str
    label_zh: str = Field("", description="the parameter's name for users, in Chinese")
    label_en: str = Field("", description="the parameter's name for users, in English")
    entity: str = Field(
        "",
        description="what entity it names: a type (City…: an alias or id is taken and its canonical name used), "
        "'id' (any entity, by id, name or alias), 'Document', or empty for a plain value",
    )


class QueryInfo(BaseModel):
    name: str = Field(description="the name to run it by: GET /api/queries/{name}")
    title_zh: str
    title_en: str
    summary_zh: str = Field("", description="what it answers, for users, in Chinese")
    summary_en: str = Field("", description="what it answers, for users, in English")
    description: str = Field(description="how it answers, for developers")
    parameters: list[ParameterInfo]
    example: str = Field(description="an example query string")
    cypher: str = Field(description="the query's text as it runs on Neo4j 5")
    cached: bool = Field(
        False,
        description="a whole-graph query: answered from the API's cache until a load or "
        "delete changes the graph (on stores that keep a version)",
    )


class QueryResult(BaseModel):
    query: str = Field(description="the curated query's name")
    parameters: dict[str, Any] = Field(description="the typed parameters it ran with")
    columns: list[str]
    rows: list[dict[str, Any]]


class SearchHit(BaseModel):
    id: str
    name: str
    type: str | None = None
    aliases: list[str] = Field(default_factory=list)
    score: float


class GraphNode(BaseModel):
    model_config = ConfigDict(extra="allow")  # the entity's other properties ride along (code, level, lon, lat…)
    id: str
    name: str | None = None
    type: str | None = None
    aliases: list[str] = Field(default_factory=list)


class GraphEdge(BaseModel):
    id: str = Field(description="source|type|target")
    source: str
    target: str
    type: str
    documents: int = Field(description="distinct documents asserting a fact of this type between the two")
    years: list[int] = Field(description="the years of those documents")


class Neighbourhood(BaseModel):
    center: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool = Field(description="true when the node limit cut the neighbourhood short")


class Evidence(BaseModel):
    doc_id: str
    title: str | None = None
    city: str | None = None
    year: int | None = None
    doc_number: str | None = None
    type: str
    sentence: str | None = None
    start: int | None = None
    end: int | None = None
    extractor: str | None = None
    confidence: float | None = None


class DocumentSummary(BaseModel):
    id: str
    title: str | None = None
    city: str | None = None
    county: str | None = None
    province: str | None = None
    year: int | None = Field(None, description="the year whose work the document plans (or reviews)")
    genre: str | None = Field(None, description="plan, work-report, review, regulation, task-table or other")
    doc_number: str | None = None
    file: str | None = None
    inference: list[str] = Field(
        default_factory=list,
        description="the metadata the text implies without stating it, and why: 'year: review heading 2017年工作回顾 "
        "→ 2018'; a field not listed was read from the document",
    )


class Section(BaseModel):
    level: int
    marker: str | None = None
    title: str | None = None
    start: int
    end: int


class Span(BaseModel):
    start: int
    end: int
    entity_id: str
    name: str | None = None
    type: str | None = None


class FigureFact(BaseModel):
    """A target (a goal the document sets) or a result (an achievement it reports): the same shape."""

    id: str
    metric: str | None = Field(default=None, description="the metric concept's label, else the words of the text")
    stated_metric: str | None = Field(default=None, description="the metric in the text's own words")
    metric_id: str | None = None
    kind: str | None = Field(default=None, description="stock, flow, growth or ratio")
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None
    comparator: str | None = None
    year: int | None = None
    text: str | None = None
    start: int | None = None
    end: int | None = None
    part: str | None = Field(default=None, description="the part of the document it is stated in: review, plan, other")
    extractor: str | None = None


class RelationFact(BaseModel):
    type: str
    source: str
    source_name: str | None = None
    target: str
    target_name: str | None = None
    sentence: str | None = None
    start: int | None = None
    end: int | None = None
    extractor: str | None = None
    confidence: float | None = None


class DocumentDetail(DocumentSummary):
    model_config = ConfigDict(extra="allow")  # further metadata: issuer, published, status…
    text: str | None = None
    sections: list[Section]
    spans: list[Span]
    targets: list[FigureFact]
    results: list[FigureFact]
    relations: list[RelationFact]


class MetricCount(BaseModel):
    metric: str = Field(description="the metric's name: its concept's Chinese label, or the words of the text")
    id: str | None = Field(None, description="the Metric's id, e.g. metric:high-tech-enterprises")
    concept: str | None = Field(None, description="its concept in ontology/metrics.ttl, e.g. high-tech-enterprises")
    label_en: str | None = Field(None, description="the concept's English label")
    labels: list[str] = Field(default_factory=list, description="the concept's other Chinese wordings, e.g. 高企")
    units: list[str] = Field(default_factory=list, description="the units its values come in")
    targets: int
    results: int


class MapArea(BaseModel):
    id: str
    name: str | None = None
    type: str | None = None
    lon: float | None = None
    lat: float | None = None


class MapLink(BaseModel):
    source: str
    target: str
    type: str
    documents: int


class MapData(BaseModel):
    areas: list[MapArea] = Field(description="areas, and partners placed at the area they are located in")
    links: list[MapLink]


class CypherRequest(BaseModel):
    query: str = Field(description="one read-only Cypher statement", examples=["MATCH (c:City) RETURN c.name LIMIT 5"])
    params: dict[str, Any] = Field(default_factory=dict, description="query parameters, referred to as $name")


class SchemaLabel(BaseModel):
    label: str
    count: int
    properties: list[str]
    internal: bool = Field(description="a label the loader keeps for itself (derived summaries), not document data")
    note: str | None = None


class SchemaRelationship(BaseModel):
    type: str
    count: int
    properties: list[str]
    patterns: list[str] = Field(description="(Source)-[:TYPE]->(Target) label pairs seen in a sample")


class Schema(BaseModel):
    labels: list[SchemaLabel]
    relationships: list[SchemaRelationship]


class CypherResult(BaseModel):
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool = Field(description="true when the row cap cut the result short")


class FoundCounts(BaseModel):
    entities: int = Field(description="distinct entities named (cities, institutions, platforms, programmes…)")
    cooperations: int = Field(description="cooperation facts (COOPERATES_WITH)")
    relations: int = Field(description="facts of every type, cooperation included")
    targets: int
    results: int = Field(description="achievements reported (what was reached rather than aimed at)")


class UploadResult(BaseModel):
    doc_id: str
    title: str | None = None
    loaded: bool = Field(description="true when the graph changed (false: the same text was loaded before)")
    replaced: int = Field(description="older versions of the same file that it replaced")
    city: str | None = None
    county: str | None = None
    province: str | None = None
    year: int | None = Field(None, description="the year whose work the document plans")
    genre: str | None = Field(None, description="plan, work-report, review, regulation, task-table or other")
    doc_number: str | None = None
    found: FoundCounts


class DeleteResult(BaseModel):
    id: str
    deleted: bool
