"""Typed, driver-free contracts between the stages: ingest → nlp → graph.

`nlp/` builds a `DocumentResult` per document; `graph.writer` writes it. Nothing here imports
the Neo4j driver, so every stage can depend on these models.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

DocumentStatus = Literal["ingested", "failed", "withdrawn"]
MentionSource = Literal["model", "ruler", "coref", "linker", "email", "analyst", "pattern"]


def utcnow() -> datetime:
    return datetime.now(UTC)


class DocumentRecord(BaseModel):
    id: str = Field(description="SHA-256 of the file's bytes: the document's identity")
    path: str
    filename: str
    mime: str | None = None
    title: str | None = None
    pages: int | None = None
    language: str | None = None
    size: int = 0
    ingested_at: datetime = Field(default_factory=utcnow)
    status: DocumentStatus = "ingested"
    error: str | None = None
    parent_id: str | None = Field(default=None, description="The e-mail or archive this came from")


class PageSpan(BaseModel):
    """Where a page lies in the document text, so a sentence can be shown on its page."""

    page: int = Field(ge=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class ParsedDocument(BaseModel):
    """What ingestion hands to NLP: the document, its full text and page layout."""

    document: DocumentRecord
    text: str
    pages: list[PageSpan] = Field(default_factory=list)
    # E-mail senders/recipients and similar facts known without NLP: (type, name) pairs.
    known_entities: list[tuple[str, str]] = Field(default_factory=list)

    def page_at(self, offset: int) -> int | None:
        for span in self.pages:
            if span.start <= offset < span.end:
                return span.page
        return self.pages[-1].page if self.pages and offset >= self.pages[-1].end else None


class SentenceRecord(BaseModel):
    idx: int = Field(ge=0)
    text: str
    page: int | None = None
    start: int = Field(ge=0, description="Character offset in the document text")
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _span(self) -> SentenceRecord:
        if self.end < self.start:
            raise ValueError(f"sentence {self.idx}: end {self.end} < start {self.start}")
        return self


def sentence_id(doc_id: str, idx: int) -> str:
    return f"{doc_id}:{idx}"


class MentionRecord(BaseModel):
    sentence_idx: int = Field(ge=0)
    start: int = Field(ge=0, description="Character offset in the document text")
    end: int = Field(ge=0)
    text: str
    source: MentionSource = "model"


class EntityRecord(BaseModel):
    key: str = Field(min_length=1, description="Canonical identity, e.g. 'person:carlos mendez' or a KB id")
    name: str
    type: str = Field(description="An entity type from casegraph/core/domain.toml, e.g. PERSON, DRUG")
    aliases: list[str] = Field(default_factory=list)
    kb_id: str | None = None
    description: str | None = None
    mentions: list[MentionRecord] = Field(default_factory=list)


class RelationRecord(BaseModel):
    source_key: str
    target_key: str
    predicate: str
    sentence_idx: int = Field(ge=0)
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    extractor: str | None = Field(default=None, description="The rule or component that made it")
    stage: str | None = Field(default=None, description="charged_with: charged, indicted, convicted, ...")


class DocumentResult(BaseModel):
    """Everything one document contributes to the graph."""

    document: DocumentRecord
    text: str = ""
    sentences: list[SentenceRecord] = Field(default_factory=list)
    entities: list[EntityRecord] = Field(default_factory=list)
    relations: list[RelationRecord] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> DocumentResult:
        idxs = {s.idx for s in self.sentences}
        keys = {e.key for e in self.entities}
        for e in self.entities:
            for m in e.mentions:
                if m.sentence_idx not in idxs:
                    raise ValueError(f"mention {m.text!r} points at unknown sentence {m.sentence_idx}")
        for r in self.relations:
            if r.source_key not in keys or r.target_key not in keys:
                raise ValueError(f"relation {r.predicate} refers to an entity not in this document")
            if r.sentence_idx not in idxs:
                raise ValueError(f"relation {r.predicate} points at unknown sentence {r.sentence_idx}")
        return self
