"""Realistic `DocumentResult`s for graph tests (no NLP involved), and writing them through the real writer."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from casegraph.core.models import (
    DocumentRecord,
    DocumentResult,
    EntityRecord,
    MentionRecord,
    RelationRecord,
    SentenceRecord,
)
from casegraph.core.settings import Settings
from graph.writer import GraphWriter


def case_document(text_sentences: list[str], path: str = "reports/arrest.txt",
                  entities: list[tuple[str, str, str]] | None = None,
                  relations: list[tuple[str, str, str, int]] | None = None) -> DocumentResult:
    """A document whose entities are found by exact substring in each sentence.

    entities: (key, name, type); relations: (source_key, target_key, predicate, sentence_idx).
    """
    text = " ".join(text_sentences)
    doc_id = hashlib.sha256(text.encode()).hexdigest()
    sentences, offset = [], 0
    for i, s in enumerate(text_sentences):
        sentences.append(SentenceRecord(idx=i, text=s, page=1, start=offset, end=offset + len(s)))
        offset += len(s) + 1
    ents = []
    for key, name, etype in entities or []:
        mentions = [
            MentionRecord(sentence_idx=s.idx, start=s.start + s.text.index(name),
                          end=s.start + s.text.index(name) + len(name), text=name, source="model")
            for s in sentences if name in s.text
        ]
        if mentions:  # an entity the text does not name is not part of this document
            ents.append(EntityRecord(key=key, name=name, type=etype, mentions=mentions))
    present = {e.key for e in ents}
    rels = [RelationRecord(source_key=a, target_key=b, predicate=p, sentence_idx=i, confidence=0.8)
            for a, b, p, i in relations or [] if i < len(sentences) and {a, b} <= present]
    doc = DocumentRecord(id=doc_id, path=path, filename=path.rsplit("/", 1)[-1], mime="text/plain",
                         title="Arrest report", pages=1, language="en", size=len(text.encode()))
    return DocumentResult(document=doc, text=text, sentences=sentences, entities=ents, relations=rels)


def write_documents(settings: Settings, docs: Sequence[DocumentResult]) -> list[DocumentResult]:
    """Write through the real `GraphWriter`, as ingestion does; returns what was written."""
    GraphWriter(settings).write(list(docs))
    return list(docs)
