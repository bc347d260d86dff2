"""Writes `DocumentResult`s to Neo4j: batched `UNWIND $rows` statements, one managed transaction
per batch, idempotent per document.

A document's contribution (sentences, mentions, relations) is cleared and written again inside the
same transaction, so writing the same result twice changes no count, and a changed file (same path,
new content hash) replaces its old version. Entities left with no mention are removed unless an
analyst curated them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from neo4j import ManagedTransaction

from cypher import statement
from graph.db import apply_schema, read, session
from graph.decisions import Redirects
from graph.domain import Domain, load_domain
from graph.models import DocumentResult, DocumentStatus, sentence_id
from graph.settings import Settings, get_settings

log = logging.getLogger(__name__)

# Rows per UNWIND: big enough to amortise round trips, small enough to keep transaction state modest.
CHUNK = 5000


@dataclass
class WriteStats:
    documents: int = 0
    sentences: int = 0
    mentions: int = 0
    relations: int = 0
    replaced: list[str] = field(default_factory=list)

    def add(self, other: WriteStats) -> None:
        self.documents += other.documents
        self.sentences += other.sentences
        self.mentions += other.mentions
        self.relations += other.relations
        self.replaced.extend(other.replaced)


@dataclass
class _Batch:
    docs: list[dict[str, Any]] = field(default_factory=list)
    sentences: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)


def _chunks(rows: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


class GraphWriter:
    def __init__(self, settings: Settings | None = None, batch_size: int = 50, ensure_schema: bool = True):
        self.settings = settings or get_settings()
        self.batch_size = batch_size
        self.domain: Domain = load_domain()
        if ensure_schema:
            apply_schema(self.settings)

    # ---------------------------------------------------------------- building rows (pure)
    def _rows(self, results: Sequence[DocumentResult]) -> _Batch:
        batch = _Batch()
        # Sorted by id: every transaction locks documents in the same order, so concurrent writers
        # of overlapping batches wait for each other instead of deadlocking.
        for res in sorted({r.document.id: r for r in results}.values(), key=lambda r: r.document.id):
            doc = res.document
            props = doc.model_dump(exclude={"id"})
            props["ingested_at"] = doc.ingested_at.isoformat()
            batch.docs.append({"id": doc.id, "path": doc.path, "parent_id": doc.parent_id, "props": props})
            for s in res.sentences:
                batch.sentences.append({"id": sentence_id(doc.id, s.idx), "doc_id": doc.id, **s.model_dump()})
            for e in res.entities:
                label = self.domain.entity_type(e.type).label  # raises NotAllowedError off the allow-list
                batch.entities.append({
                    "key": e.key, "name": e.name, "type": e.type, "label": self.domain.check_label(label),
                    "aliases": sorted({a for a in e.aliases if a and a != e.name}),
                    "kb_id": e.kb_id, "description": e.description,
                })
                for m in e.mentions:
                    batch.mentions.append({
                        "key": e.key, "sentence_id": sentence_id(doc.id, m.sentence_idx),
                        "start": m.start, "end": m.end, "text": m.text, "source": m.source,
                    })
            for r in res.relations:
                self.domain.check_predicate(r.predicate)
                batch.relations.append({
                    "source_key": r.source_key, "target_key": r.target_key, "predicate": r.predicate,
                    "sentence_id": sentence_id(doc.id, r.sentence_idx), "doc_id": doc.id,
                    "confidence": r.confidence,
                })
        # Sorted by key, for the same lock order in every transaction.
        batch.entities.sort(key=lambda row: row["key"])
        return batch

    # ---------------------------------------------------------------- the transaction
    def _write_tx(self, tx: ManagedTransaction, batch: _Batch) -> tuple[list[str], set[str]]:
        ids = [d["id"] for d in batch.docs]
        tx.run(statement("write/merge_documents"), rows=batch.docs).consume()
        replaced = [r["id"] for r in tx.run(statement("write/find_replaced"), rows=batch.docs)]
        touched, stale = self._existing(tx, ids + replaced)
        if stale:
            tx.run(statement("write/clear_relations"), ids=stale).consume()
            tx.run(statement("write/clear_sentences"), ids=stale).consume()
        if replaced:
            tx.run(statement("write/delete_documents"), ids=replaced).consume()
        for rows in _chunks(batch.sentences):
            tx.run(statement("write/create_sentences"), rows=rows).consume()
        for rows in _chunks(batch.entities):
            tx.run(statement("write/merge_entities"), rows=rows).consume()
        touched.update(row["key"] for row in batch.entities)
        for rows in _chunks(batch.mentions):
            tx.run(statement("write/create_mentions"), rows=rows).consume()
        for rows in _chunks(batch.relations):
            tx.run(statement("write/create_relations"), rows=rows).consume()
        return replaced, touched

    @staticmethod
    def _existing(tx: ManagedTransaction, ids: list[str]) -> tuple[set[str], list[str]]:
        """(entities mentioned by, ids of) the documents among `ids` that have sentences already."""
        row = tx.run(statement("write/touched_entities"), ids=ids).single()
        return (set(row["keys"]), list(row["existing"])) if row else (set(), [])

    # ---------------------------------------------------------------- public API
    def write(self, results: Iterable[DocumentResult]) -> WriteStats:
        """Write results in batches of `batch_size` documents, one transaction each. Transient
        errors (deadlocks, a restarting server) are retried by the driver's managed transactions."""
        total = WriteStats()
        touched: set[str] = set()
        pending: list[DocumentResult] = []
        redirects = Redirects.load(self.settings)  # analyst merges and splits, honoured by every write
        for res in results:
            pending.append(redirects.apply(res))
            if len(pending) >= self.batch_size:
                total.add(self._write_batch(pending, touched))
                pending = []
        if pending:
            total.add(self._write_batch(pending, touched))
        # Counts and orphan removal once per call, not per batch: an entity named in every batch is
        # recounted once instead of once per batch.
        self.refresh_entities(sorted(touched))
        return total

    def _write_batch(self, results: Sequence[DocumentResult], touched: set[str]) -> WriteStats:
        batch = self._rows(results)
        with session(self.settings) as s:
            replaced, keys = s.execute_write(self._write_tx, batch)
        touched.update(keys)
        if replaced:
            log.info("replaced %d older document version(s)", len(replaced))
        return WriteStats(len(batch.docs), len(batch.sentences), len(batch.mentions), len(batch.relations),
                          replaced)

    def refresh_entities(self, keys: Sequence[str]) -> None:
        """Recount mentions and documents of these entities; remove the ones left with none."""
        def recount(tx: ManagedTransaction, chunk: Sequence[str]) -> None:
            tx.run(statement("write/update_entity_stats"), keys=list(chunk)).consume()

        with session(self.settings) as s:
            for chunk in _chunks(list(keys)):
                s.execute_write(recount, chunk)

    def set_status(self, doc_ids: Sequence[str], status: DocumentStatus, error: str | None = None) -> None:
        rows = [{"id": i, "status": status, "error": error} for i in doc_ids]
        with session(self.settings) as s:
            s.execute_write(lambda tx: tx.run(statement("write/set_document_status"), rows=rows).consume())

    def remove_contributions(self, doc_ids: Sequence[str]) -> None:
        """Take a document's sentences, mentions and relations out of the graph (the Document
        node stays, so its status and history remain visible)."""

        def tx_work(tx: ManagedTransaction) -> list[str]:
            ids = list(doc_ids)
            touched, _ = self._existing(tx, ids)
            tx.run(statement("write/clear_relations"), ids=ids).consume()
            tx.run(statement("write/clear_sentences"), ids=ids).consume()
            return sorted(touched)

        with session(self.settings) as s:
            touched = s.execute_write(tx_work)
        self.refresh_entities(touched)


def document_status(ids: Sequence[str], settings: Settings | None = None) -> dict[str, str]:
    """Status of documents already in the graph, by content hash: the ingestion ledger."""
    rows = read(statement("write/document_status"), {"ids": list(ids)}, settings)
    return {r["id"]: r["status"] for r in rows}


def documents_at_paths(paths: Sequence[str], settings: Settings | None = None) -> list[dict[str, Any]]:
    return read(statement("write/documents_at_paths"), {"paths": list(paths)}, settings)
