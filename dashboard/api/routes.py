"""The /api endpoints: thin wrappers over `graph.read`, `cypher.runner`, the NLP pipeline and
the ingest runner. Handlers are plain `def`s: FastAPI runs them in its thread pool, so the
blocking Neo4j driver and spaCy never stall the event loop."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, File, Path, Query, Request, Response, UploadFile
from fastapi.encoders import jsonable_encoder

from casegraph.core.errors import Neo4jSetupError, Neo4jUnavailableError
from casegraph.core.settings import Settings
from casegraph.pipeline.jobs import JOB_ID_PATTERN, Job
from cypher.runner import run_saved
from cypher.saved import list_queries
from dashboard.api.auth import require_key
from dashboard.api.errors import ERROR_RESPONSES, ApiError
from dashboard.api.models import (
    DOCUMENT_ID_PATTERN,
    RELATION_SEPARATOR,
    CypherRequest,
    CypherResult,
    DocumentDetails,
    EntityType,
    ErrorBody,
    Health,
    NeighbourOut,
    NeighboursResponse,
    NerRequest,
    NerResponse,
    QueryParam,
    RelationEvidence,
    SavedQueryInfo,
    UploadAccepted,
    relation_id,
)
from graph import read as gr
from graph.db import server_version
from graph.read import DocumentRef, Filters, NodeDetails, SearchHit

MAX_TEXT_PARAM = 500  # search text, keys: longer is certainly not a name


def settings_of(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(settings_of)]
EntityKey = Annotated[str, Path(min_length=1, max_length=MAX_TEXT_PARAM,
                                 description="The entity's key, URL-encoded, e.g. `person%3Acarlos%20mendez`",
                                 openapi_examples={"person": {"value": "person:carlos mendez"}})]
TypeFilter = Annotated[list[EntityType] | None, Query(alias="type", description="Only these entity types")]

health_router = APIRouter(prefix="/api")
router = APIRouter(prefix="/api", dependencies=[Depends(require_key)], responses=ERROR_RESPONSES)


def _err(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


def _not_found(what: str) -> ApiError:
    return ApiError(404, "not_found", what)


def _types(types: list[EntityType] | None) -> list[str] | None:
    return [t.value for t in types] if types else None


# ------------------------------------------------------------------------------------ health
@health_router.get("/health", response_model=Health, tags=["meta"],
                   responses={503: {"model": Health, "description": "Neo4j unreachable"}})
def health(settings: SettingsDep, response: Response) -> Health:
    """Liveness and whether Neo4j answers (one connection attempt, no retries). Needs no API key."""
    try:
        server_version(settings)
    except (Neo4jUnavailableError, Neo4jSetupError) as exc:
        response.status_code = 503
        return Health(status="degraded", neo4j=str(exc))
    return Health(status="ok", neo4j="up")


# ------------------------------------------------------------------------------------ NER
@router.post("/ner", response_model=NerResponse, tags=["nlp"])
def ner(body: NerRequest, settings: SettingsDep) -> NerResponse:
    """Entities in `text` with their character offsets and types, as ingestion would find them.
    English and Russian (per section for mixed text). Touches no database."""
    from dashboard.api.ner import recognise

    if len(body.text) > settings.api_max_text_chars:
        raise ApiError(413, "payload_too_large",
                       f"the text has {len(body.text):,} characters; the limit is "
                       f"{settings.api_max_text_chars:,} (CASEGRAPH_API_MAX_TEXT_CHARS)")
    return recognise(body.text)


# ------------------------------------------------------------------------------------ documents
@router.post("/documents", response_model=UploadAccepted, status_code=202, tags=["documents"],
             responses={400: _err("Empty file")})
def upload_document(request: Request, response: Response,
                    file: Annotated[UploadFile, File(description="The document: any format "
                                                                 "`casegraph ingest` reads")]) -> UploadAccepted:
    """Store the file in the uploads drop folder and queue its ingestion (parse, NLP, graph):
    202 with the job's id at once, whatever the document. Poll `status_url`
    (`GET /api/jobs/{job_id}`) until it is `done` or `failed`."""
    from dashboard.api.uploads import save_upload

    settings = settings_of(request)
    doc_id, path = save_upload(file.file, file.filename, settings)
    job = request.app.state.jobs.enqueue(path, doc_id)
    if request.app.state.worker is not None:
        request.app.state.worker.notify()
    status_url = f"/api/jobs/{job.id}"
    response.headers["Location"] = status_url
    return UploadAccepted(job_id=job.id, status_url=status_url, document_id=doc_id, filename=path.name,
                          path=str(path))


@router.get("/jobs/{job_id}", response_model=Job, tags=["documents"],
            responses={404: _err("No such job")})
def job_status(request: Request,
               job_id: Annotated[str, Path(pattern=JOB_ID_PATTERN, description="The id POST /api/documents gave")],
               ) -> Job:
    """An ingest job: `queued`, `running`, `done` (with `document_id` and `outcome`) or `failed`
    (with `error`)."""
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise _not_found(f"no job {job_id}")
    return job  # type: ignore[no-any-return]


@router.get("/documents", response_model=list[DocumentRef], tags=["documents"])
def list_documents(settings: SettingsDep,
                   limit: Annotated[int, Query(ge=1, le=10_000, description="At most this many")] = 100,
                   ) -> list[DocumentRef]:
    """Documents, newest first."""
    return gr.documents(cap=min(limit, settings.query_row_cap), settings=settings)


@router.get("/documents/{doc_id}", response_model=DocumentDetails, tags=["documents"],
            responses={404: _err("No document with this id")})
def get_document(settings: SettingsDep,
                 doc_id: Annotated[str, Path(pattern=DOCUMENT_ID_PATTERN, description="SHA-256, lower-case hex")],
                 sentences: Annotated[int, Query(ge=0, le=100_000,
                                                 description="Return at most this many sentences")] = 200,
                 ) -> DocumentDetails:
    """A document: its properties, status, language, sentences and the entity mentions in them."""
    view = gr.document_view(doc_id, sentence_cap=max(1, sentences), settings=settings)
    if view is None:
        raise _not_found(f"no document has the id {doc_id}")
    data = view.model_dump()
    if sentences == 0:
        data["sentences"], data["mentions"] = [], []
    return DocumentDetails(**data)


# ------------------------------------------------------------------------------------ entities
@router.get("/entities", response_model=list[SearchHit], tags=["entities"])
def search(settings: SettingsDep,
           q: Annotated[str, Query(min_length=1, max_length=MAX_TEXT_PARAM,
                                   description="Words of a name or alias; the last may be a prefix",
                                   openapi_examples={"prefix": {"value": "carlos men"}})],
           types: TypeFilter = None,
           limit: Annotated[int, Query(ge=1, le=1000)] = 10) -> list[SearchHit]:
    """Entities whose name or an alias matches `q`, best first."""
    return gr.search_entities(q, types=_types(types), limit=limit, settings=settings)


@router.get("/entities/{key}", response_model=NodeDetails, tags=["entities"],
            responses={404: _err("No entity with this key")})
def entity(key: EntityKey, settings: SettingsDep,
           documents: Annotated[int, Query(ge=1, le=1000, description="At most this many documents")] = 25,
           ) -> NodeDetails:
    """An entity: name, type, aliases, KB link, counts and the documents that mention it."""
    details = gr.node_details(key, doc_limit=documents, settings=settings)
    if details is None:
        raise _not_found(f"no entity has the key {key!r}")
    return details


def _require_entities(keys: list[str], settings: Settings) -> None:
    found = {e.key for e in gr.entities(keys, settings=settings)}
    missing = [k for k in keys if k not in found]
    if missing:
        raise _not_found(f"no entity has the key {missing[0]!r}")


@router.get("/entities/{key}/neighbors", response_model=NeighboursResponse, tags=["entities"],
            responses={404: _err("No entity with this key")})
def neighbors(key: EntityKey, settings: SettingsDep, types: TypeFilter = None,
              predicate: Annotated[list[str] | None, Query(max_length=50, description="Only links with "
                                                           "these predicates, e.g. sold_to")] = None,
              min_evidence: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
              limit: Annotated[int, Query(ge=1, le=1000)] = 25,
              offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
              include_hubs: Annotated[bool, Query(description="Rank offences, drugs and places (settings "
                                                  "hub_types) with the people and groups, not last")] = False,
              ) -> NeighboursResponse:
    """A page of the entities linked to `key`, most-connected first (typed links before
    co-occurrence); each carries the `relation_id` of its link to `key`."""
    _require_entities([key], settings)
    filters = Filters(types=_types(types), predicates=predicate or None, min_evidence=min_evidence,
                      hub_types=None if include_hubs else settings.hub_type_list)
    page = gr.expand(key, limit=limit, offset=offset, filters=filters, settings=settings)
    return NeighboursResponse(key=page.key, total=page.total, offset=page.offset,
                              neighbours=[NeighbourOut(**n.model_dump(), relation_id=relation_id(key, n.key))
                                          for n in page.neighbours])


# ------------------------------------------------------------------------------------ relations
@router.get("/relations/{relation_id}/evidence", response_model=RelationEvidence, tags=["relations"],
            responses={400: _err("Not a relation id"), 404: _err("No such entities or link")})
def evidence(settings: SettingsDep,
             relation_id: Annotated[str, Path(min_length=3, max_length=2 * MAX_TEXT_PARAM + 1,
                                              description="`KEY_A|KEY_B`, URL-encoded: the link between "
                                                          "two entities, in either direction",
                                              openapi_examples={"pair": {
                                                  "value": "person:carlos mendez|person:dana price"}})],
             predicate: Annotated[list[str] | None, Query(max_length=50)] = None,
             limit: Annotated[int, Query(ge=1, le=1000, description="At most this many sentences")] = 50,
             ) -> RelationEvidence:
    """The sentences behind a link: predicate, confidence, the sentence with both entities'
    spans, the document and the page."""
    a, sep, b = relation_id.partition(RELATION_SEPARATOR)
    if not sep or not a or not b or RELATION_SEPARATOR in b or a == b:
        raise ApiError(400, "bad_relation_id",
                       f"{relation_id!r} is not a relation id: expected two different entity keys "
                       f"joined by '{RELATION_SEPARATOR}', e.g. 'person:carlos mendez|person:dana price'")
    _require_entities([a, b], settings)
    found = gr.edge_evidence(a, b, limit=limit, filters=Filters(predicates=predicate or None), settings=settings)
    if found.total == 0 and not predicate:
        raise _not_found(f"{a!r} and {b!r} are not linked")
    return RelationEvidence(**found.model_dump(), relation_id=relation_id)


# ------------------------------------------------------------------------------------ cypher
@router.get("/cypher", response_model=list[SavedQueryInfo], tags=["cypher"])
def saved_queries() -> list[SavedQueryInfo]:
    """The saved queries and their parameters."""
    return [SavedQueryInfo(name=q.name, description=q.description,
                           params=[QueryParam(name=p.name, type=p.type_spec, required=p.required,
                                              default=jsonable_encoder(p.default), description=p.description)
                                   for p in q.params])
            for q in list_queries()]


@router.post("/cypher/{name}", response_model=CypherResult, tags=["cypher"],
             responses={400: _err("Bad parameters"), 404: _err("No saved query by this name"),
                        504: _err("The query ran past the timeout")})
def run_query(name: Annotated[str, Path(max_length=100, description="A saved query, see GET /api/cypher",
                                        openapi_examples={"query": {"value": "co_occurring"}})],
              settings: SettingsDep,
              body: Annotated[CypherRequest | None, Body(openapi_examples={"co_occurring": {
                  "value": {"params": {"entity": "Carlos Mendez", "limit": 5}}}})] = None) -> CypherResult:
    """Run a saved query read-only, with the server's timeout and row cap."""
    body = body or CypherRequest()
    result = run_saved(name, body.params, settings=settings, max_rows=body.max_rows)
    return CypherResult(name=result.name, columns=result.columns, rows=result.records(),
                        truncated=result.truncated, row_cap=result.row_cap,
                        elapsed_ms=round(result.elapsed_ms, 1))
