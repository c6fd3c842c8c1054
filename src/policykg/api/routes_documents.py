"""Documents: the list, one with its text and extracted spans, metrics, and the token-guarded writes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, Response, UploadFile
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.types import Message

from policykg.api.deps import SettingsDep, StoreDep, read, require_token
from policykg.api.jobs import extract_upload
from policykg.api.models import (
    DeleteResult,
    DocumentDetail,
    DocumentSummary,
    FigureFact,
    FoundCounts,
    MetricCount,
    RelationFact,
    Section,
    Span,
    UploadResult,
)
from policykg.api.workers import ClientGone, WorkerFailed, WorkerTimeout, run_in_worker
from policykg.graph.build import REPORTS_RESULT, RESULT_LABEL, SETS_TARGET, TARGET_LABEL, spans_of
from policykg.graph.snapshot import public_source
from policykg.graph.stores.protocol import Store, StoreError
from policykg.ingest.record import Record
from policykg.ontology import vocabularies
from policykg.settings import ApiSettings

UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")
_MULTIPART_OVERHEAD = 64 * 1024  # boundaries and part headers around the file
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:]")  # folders, drives, NUL and control characters


def _too_large(limit: int) -> HTTPException:
    return HTTPException(413, f"the upload is larger than the {limit / (1024 * 1024):.1f} MB limit")


class _UploadLimitedRoute(APIRoute):
    """Refuses a body over the upload limit as it arrives (or at once, by its Content-Length): the multipart
    parser would otherwise spool all of it to disk before the route could look at its size."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def limited(request: Request) -> Response:
            limit = request.app.state.settings.max_upload_bytes
            declared = request.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit + _MULTIPART_OVERHEAD:
                raise _too_large(limit)
            received = 0

            async def counted() -> Message:
                nonlocal received
                message = await request.receive()
                received += len(message.get("body", b""))
                if received > limit + _MULTIPART_OVERHEAD:
                    raise _too_large(limit)
                return message

            return await handler(Request(request.scope, counted))

        return limited


router = APIRouter(tags=["documents"], route_class=_UploadLimitedRoute)

_DOCUMENTS = """
MATCH (d:Document) WHERE d.status = 'loaded'
RETURN d.id AS id, d.title AS title, d.city AS city, d.county AS county, d.province AS province, d.year AS year,
       d.genre AS genre, d.doc_number AS doc_number, d.file AS file, coalesce(d.inference, []) AS inference
ORDER BY year, title
"""
_DOCUMENT = "MATCH (d:Document {id: $id}) RETURN properties(d) AS props"
_MENTIONS = """
MATCH (d:Document {id: $id})-[m:MENTIONS]->(e:Entity)
RETURN e.id AS entity_id, e.name AS name, e.type AS type, m.spans AS spans
"""
_FIGURES = """
MATCH (d:Document {id: $id})-[:%s]->(t:%s)
OPTIONAL MATCH (t)-[:MEASURES]->(m:Metric)
RETURN t.id AS id, coalesce(m.name, t.metric) AS metric, t.metric AS stated_metric, t.metric_id AS metric_id,
       t.kind AS kind, t.value AS value, t.value_max AS value_max, t.unit AS unit, t.comparator AS comparator,
       t.year AS year, t.text AS text, t.start AS `start`, t.end AS end, t.part AS part, t.extractor AS extractor
ORDER BY `start`
"""
_TARGETS = _FIGURES % (SETS_TARGET, TARGET_LABEL)
_RESULTS = _FIGURES % (REPORTS_RESULT, RESULT_LABEL)
_RELATIONS = """
MATCH (d:Document {id: $id})-[:MENTIONS]->(a:Entity)-[r]->(b:Entity)
WHERE r.doc_id = $id
RETURN type(r) AS type, a.id AS source, a.name AS source_name, b.id AS target, b.name AS target_name,
       r.sentence AS sentence, r.start AS `start`, r.end AS end, r.extractor AS extractor, r.confidence AS confidence
ORDER BY `start`
"""
_METRICS = """
MATCH (t)-[:MEASURES]->(m:Metric)
WITH m.name AS metric, m.id AS id, count(CASE WHEN t:Target THEN 1 END) AS targets,
     count(CASE WHEN t:Result THEN 1 END) AS results
RETURN metric, id, targets, results
ORDER BY targets + results DESC, metric
"""


@router.get("/api/documents", response_model=list[DocumentSummary], summary="The loaded documents")
def documents(store: StoreDep) -> list[DocumentSummary]:
    return [DocumentSummary(**row) for row in read(store, _DOCUMENTS)]


def _sections(stored: Any) -> list[Section]:
    """The outline when the store keeps one (a list, or JSON text of one); none otherwise."""
    if isinstance(stored, str):
        try:
            stored = json.loads(stored)
        except json.JSONDecodeError:
            return []
    return [Section(**s) for s in stored] if isinstance(stored, list) else []


def _spans(rows: list[dict[str, Any]]) -> list[Span]:
    spans = [
        Span(start=start, end=end, entity_id=row["entity_id"], name=row["name"], type=row["type"])
        for row in rows
        for start, end in spans_of(row["spans"])
    ]
    return sorted(spans, key=lambda s: (s.start, s.end))


@router.get(
    "/api/document",
    response_model=DocumentDetail,
    summary="One document: metadata, text, outline, entity spans, targets, results and relations with offsets",
)
def document(
    store: StoreDep,
    id: Annotated[
        str,
        Query(
            description="the document's id, e.g. doc:a06d94bdd8d3d8cf240e (三明市's 2023 plan among the samples)",
            examples=["doc:a06d94bdd8d3d8cf240e"],
        ),
    ],
) -> DocumentDetail:
    found = read(store, _DOCUMENT, {"id": id})
    if not found:
        raise HTTPException(404, f"no document with id {id!r}")
    props = dict(found[0]["props"])
    if "source" in props:
        props["source"] = public_source(props["source"])
    if props.get("text") is None:  # the embedded store keeps text and outline outside the graph
        body = store.document_body(id)
        if body is not None:
            props.update(text=body.text, sections=body.sections)
    sections = _sections(props.pop("sections", None))
    return DocumentDetail(
        **props,
        sections=sections,
        spans=_spans(read(store, _MENTIONS, {"id": id})),
        targets=[FigureFact(**row) for row in read(store, _TARGETS, {"id": id})],
        results=[FigureFact(**row) for row in read(store, _RESULTS, {"id": id})],
        relations=[RelationFact(**row) for row in read(store, _RELATIONS, {"id": id})],
    )


@router.get(
    "/api/metrics",
    response_model=list[MetricCount],
    summary="Metrics with their number of targets and of results, and their concept's labels",
)
def metrics(store: StoreDep) -> list[MetricCount]:
    concepts = {concept.notation: concept for concept in vocabularies.metrics()}
    found = []
    for row in read(store, _METRICS):
        concept = concepts.get(str(row["id"] or "").removeprefix("metric:"))
        extra: dict[str, Any] = {}
        if concept is not None:
            extra = {
                "concept": concept.notation,
                "label_en": concept.pref_label_en,
                "labels": [label for label in concept.alt_labels if label != row["metric"]],
                "units": list(concept.units),
            }
        found.append(MetricCount(**row, **extra))
    return found


_NAME_MAX_BYTES = 255  # a file name's limit on Linux and macOS, in bytes (a Chinese character takes three)


def _checked_name(name: str) -> str:
    """The uploaded file's name, refused unless it is one plain name: a path in it is a mistake or an attack."""
    if not name or _UNSAFE_NAME.search(name) or name.startswith("."):
        raise HTTPException(400, f"{name!r}: the file name must be a plain name such as notice.txt, not a path")
    if len(name.encode()) > _NAME_MAX_BYTES:
        raise HTTPException(
            400, f"the file name is {len(name.encode())} bytes long in UTF-8; at most {_NAME_MAX_BYTES} are allowed"
        )
    return name


async def _extract(request: Request, name: str, content: bytes, settings: ApiSettings) -> Record:
    """The uploaded file's record, extracted in a worker process under the batch ingest's time limit."""
    try:
        kind, found = await run_in_worker(extract_upload, (name, content), settings.extract_timeout_s, request)
    except WorkerTimeout as error:
        raise HTTPException(
            422, f"{name}: extraction took longer than {settings.extract_timeout_s:.0f} s and was stopped"
        ) from error
    except ClientGone as error:
        raise HTTPException(499, "the client disconnected") from error
    except WorkerFailed as error:
        if error.kind == "RecursionError":
            raise HTTPException(422, f"{name}: the document's markup is nested too deeply to read") from error
        if error.kind == "MemoryError":
            raise HTTPException(413, f"{name}: the document needs more memory to read than the server has") from error
        raise
    if kind == "unreadable":
        raise HTTPException(400, f"{name}: {found}")
    assert isinstance(found, dict)
    return found  # type: ignore[return-value]


@router.post(
    "/api/documents",
    response_model=UploadResult,
    status_code=201,
    dependencies=[Depends(require_token)],
    summary="Upload a document (txt, html, docx, pdf) to extract and load; needs the API token",
    description="Send the file as multipart form data (field `file`) with `Authorization: Bearer <token>`, the "
    "token the server was started with (POLICYKG_API_TOKEN; without one, uploads are off: 403). The answer says "
    "what was found: city, county, province, year, genre, 文号, and counts of entities, cooperations, targets and "
    "results. Uploading the same file name again replaces the earlier version. The file is extracted in a "
    "worker process with the batch ingest's time limit (120 s): past it, or for markup nested too deeply, 422.",
)
async def upload(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="the document file")],
) -> UploadResult:
    name = _checked_name(file.filename or "")
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        raise HTTPException(400, f"{name}: unsupported file type; send one of {', '.join(UPLOAD_SUFFIXES)}")
    content = await file.read(settings.max_upload_bytes + 1)
    if len(content) > settings.max_upload_bytes:
        raise HTTPException(413, f"{name}: {_too_large(settings.max_upload_bytes).detail}")
    record = await _extract(request, name, content, settings)
    return await run_in_threadpool(_load, store, name, record)


def _load(store: Store, name: str, record: Record) -> UploadResult:
    record["source"] = f"upload:{name}"  # a new upload of the same file name replaces the older version
    try:
        report = store.load([record])
    except StoreError as error:
        raise HTTPException(503, f"{name}: the store failed: {error}") from error
    meta = record["document"]
    return UploadResult(
        doc_id=record["doc_id"],
        title=meta.get("title"),
        loaded=report.loaded > 0,
        replaced=report.replaced,
        city=meta.get("city"),
        county=meta.get("county"),
        province=meta.get("province"),
        year=meta.get("year"),
        genre=meta.get("genre"),
        doc_number=meta.get("doc_number"),
        found=_found(record),
    )


def _found(record: Record) -> FoundCounts:
    """What extraction found in an uploaded document, counted as the page shows it."""
    relations = record.get("relations", [])
    return FoundCounts(
        entities=len({(entity["type"], entity["name"]) for entity in record.get("entities", [])}),
        cooperations=sum(relation["type"] == "COOPERATES_WITH" for relation in relations),
        relations=len(relations),
        targets=len(record.get("targets", [])),
        results=len(record.get("results") or []),
    )


@router.delete(
    "/api/document",
    response_model=DeleteResult,
    dependencies=[Depends(require_token)],
    summary="Delete a document and the facts only it supported; needs the API token",
)
def delete(store: StoreDep, id: Annotated[str, Query(description="the document's id, e.g. doc:…")]) -> DeleteResult:
    try:
        deleted = store.delete_document(id)
    except StoreError as error:
        raise HTTPException(503, f"the store failed: {error}") from error
    if not deleted:
        raise HTTPException(404, f"no document with id {id!r}")
    return DeleteResult(id=id, deleted=True)
