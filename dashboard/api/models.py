"""Request and response bodies of the HTTP API. Graph reads answer with `graph.read`'s own
models (extended where the API adds a field), so the API and the dashboard share one shape."""

from __future__ import annotations

from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator

from casegraph.core.domain import load_domain
from graph.read import DocumentView, Neighbour, PairEvidence
from graph.read import Expansion as _Expansion

# Entity types as an enum, so the OpenAPI spec lists the allowed values of `type` filters.
EntityType = Enum("EntityType", {name: name for name in load_domain().types}, type=str)  # type: ignore[misc]

# Relation ids join two entity keys with this character, which keys never contain.
RELATION_SEPARATOR = "|"
# A SHA-256 in lower-case hex: the identity of every document.
DOCUMENT_ID_PATTERN = r"^[0-9a-f]{64}$"
INT64 = 2**63


class ErrorBody(BaseModel):
    """Every 4xx and 5xx answer."""

    error: str = Field(description="A short code: not_found, invalid_request, unauthorized, "
                                   "payload_too_large, database_unavailable, internal_error, ...",
                       examples=["not_found"])
    detail: Any = Field(default=None, description="What went wrong, for people: text, or a list of "
                                                  "problems for invalid_request")


# ------------------------------------------------------------------------------------ NER
class NerRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="Plain text, English and/or Russian. Longer than the configured "
                                  "limit (CASEGRAPH_API_MAX_TEXT_CHARS) is refused with 413.",
                      examples=["Det. Carlos Mendez arrested Dana Price in Fresno."])


class NerEntity(BaseModel):
    text: str = Field(description="The mention as written")
    start: int = Field(description="Character offset of the mention in the request text")
    end: int
    type: str = Field(description="Entity type from casegraph/core/domain.toml, e.g. PERSON, DRUG")
    label: str = Field(description="The Neo4j label the type becomes, e.g. Person")
    key: str = Field(description="The entity's key: the one the graph would give it")
    name: str = Field(description="The entity's canonical name (Russian names in the nominative)")
    source: str = Field(description="What found it: model, ruler, pattern, coref, ...")
    sentence: int = Field(description="Index of the sentence holding the mention")


class NerRelation(BaseModel):
    source_key: str
    target_key: str
    predicate: str
    confidence: float
    sentence: int


class LanguageSection(BaseModel):
    start: int
    end: int
    language: str = Field(description="ISO 639-1 code")


class NerResponse(BaseModel):
    language: str | None = Field(description="The language most of the text is in; null when the "
                                             "text holds too few letters to tell")
    sections: list[LanguageSection] = Field(description="Consecutive spans of one language that tile the text")
    sentences: int
    entities: list[NerEntity] = Field(description="Mentions in text order")
    relations: list[NerRelation]
    elapsed_ms: float


# ------------------------------------------------------------------------------------ documents
class UploadAccepted(BaseModel):
    job_id: str = Field(description="The ingest job; poll `status_url` for its state")
    status_url: str = Field(description="GET this for the job's state: /api/jobs/{job_id}")
    document_id: str = Field(description="SHA-256 of the uploaded bytes: the document's id once ingested")
    filename: str = Field(description="The name the upload is stored under")
    path: str = Field(description="Where the upload is stored on the server")


class DocumentDetails(DocumentView):
    @computed_field  # type: ignore[prop-decorator]
    @property
    def truncated(self) -> bool:
        """True when the document has more sentences than were returned."""
        return len(self.sentences) < self.sentence_count


# ------------------------------------------------------------------------------------ entities
def relation_id(a: str, b: str) -> str:
    return f"{a}{RELATION_SEPARATOR}{b}"


class NeighbourOut(Neighbour):
    relation_id: str = Field(description="Pass to GET /api/relations/{id}/evidence")


class NeighboursResponse(_Expansion):
    neighbours: list[NeighbourOut]  # type: ignore[assignment]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def next_offset(self) -> int | None:
        """The `offset` of the next page; null on the last page."""
        end = self.offset + len(self.neighbours)
        return end if end < self.total else None


class RelationEvidence(PairEvidence):
    relation_id: str


# ------------------------------------------------------------------------------------ cypher
def _check_value(value: Any, depth: int = 0) -> None:
    """Parameters reach Neo4j as they are: refuse what its driver cannot send."""
    if depth > 8:
        raise ValueError("parameters nest more than 8 levels deep")
    if isinstance(value, bool) or value is None or isinstance(value, float | str):
        return
    if isinstance(value, int):
        if not -INT64 <= value < INT64:
            raise ValueError(f"integer {value} does not fit in 64 bits")
    elif isinstance(value, list):
        for item in value:
            _check_value(item, depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            _check_value(item, depth + 1)


class CypherRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    params: dict[str, Any] = Field(default_factory=dict, description="The query's parameters by name "
                                   "(see GET /api/cypher); entity parameters take a key, name or alias",
                                   examples=[{"entity": "Carlos Mendez", "limit": 5}])
    max_rows: int | None = Field(default=None, ge=0, lt=INT64,
                                 description="At most this many rows (never more than the server's row cap)")

    @field_validator("params")
    @classmethod
    def _sendable(cls, params: dict[str, Any]) -> dict[str, Any]:
        _check_value(params)
        return params


class CypherResult(BaseModel):
    name: str
    columns: list[str]
    rows: list[dict[str, Any]] = Field(description="One object per row, by column name; nodes carry "
                                                   "_id and _labels, relationships _id and _type")
    truncated: bool = Field(description="True when rows stopped at the row cap")
    row_cap: int
    elapsed_ms: float


class QueryParam(BaseModel):
    name: str
    type: str
    required: bool
    default: Any = None
    description: str = ""


class SavedQueryInfo(BaseModel):
    name: str
    description: str
    params: list[QueryParam]


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    neo4j: str = Field(description="'up', or why it cannot be reached")
