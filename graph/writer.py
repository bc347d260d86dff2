"""Writes `DocumentResult`s to Neo4j: batched `UNWIND $rows` statements, one managed transaction
per batch, idempotent per document.

A batch the server refuses for a reason that is not transient (a value over an index limit, say)
costs only the documents that cause it: the batch is split in halves, each retried, down to single
documents; every other document is written and each culprit is recorded as a failed Document with
a one-line reason. Transient errors are left to the driver's managed-transaction retries.

A document's contribution (sentences, mentions, relations) is cleared and written again inside the
same transaction, so writing the same result twice changes no count, and a changed file (same path,
new content hash) replaces its old version. Entities left with no mention are removed unless an
analyst curated them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from neo4j import ManagedTransaction
from neo4j.exceptions import Neo4jError

from casegraph.core.domain import Domain, load_domain
from casegraph.core.errors import CasegraphError
from casegraph.core.limits import Limits, bounded_key, clip, is_name_sized
from casegraph.core.models import DocumentRecord, DocumentResult, DocumentStatus, EntityRecord, sentence_id
from casegraph.core.settings import Settings, get_settings
from graph.db import apply_schema, read, session
from graph.decisions import Redirects
from graph.entity_stats import refresh_entities
from graph.statements import statement

log = logging.getLogger(__name__)

# Rows per UNWIND: big enough to amortise round trips, small enough to keep transaction state modest.
CHUNK = 5000
# Documents per create_sentences statement (each row carries a document's sentences and mentions).
DOCS_PER_STATEMENT = 100


@dataclass
class WriteStats:
    documents: int = 0
    sentences: int = 0
    mentions: int = 0
    relations: int = 0
    replaced: list[str] = field(default_factory=list)
    # Documents the graph refused (id → one-line reason), recorded as failed Documents.
    failed: dict[str, str] = field(default_factory=dict)

    def add(self, other: WriteStats) -> None:
        self.documents += other.documents
        self.sentences += other.sentences
        self.mentions += other.mentions
        self.relations += other.relations
        self.replaced.extend(other.replaced)
        self.failed.update(other.failed)


@dataclass
class _Batch:
    docs: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    # One row per document, its sentences nested, each sentence's mentions nested in it.
    sentences: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    mentions: int = 0

    def stats(self, replaced: list[str]) -> WriteStats:
        return WriteStats(len(self.docs), sum(len(d["sentences"]) for d in self.sentences), self.mentions,
                          len(self.relations), replaced)

    def relationship_count(self) -> int:
        """What the create statements must make: IN and MENTIONED_IN of the sentences, RELATED."""
        return self.mentions + sum(len(d["sentences"]) for d in self.sentences) + len(self.relations)


class EntityVanishedError(CasegraphError):
    pass


def _refused(exc: Exception) -> bool:
    """Whether the server refused a write for a reason retrying the same rows can never mend: not
    a transient error (which the driver retried already), nor a lost connection, nor a label off
    the allow-list (`NotAllowedError`, a bug to surface, raised before anything is sent)."""
    return isinstance(exc, Neo4jError) and not exc.is_retryable()


def _reason(exc: Exception, limit: int = 300) -> str:
    text = " ".join(str(getattr(exc, "message", None) or exc).split()) or type(exc).__name__
    return "graph write refused: " + clip(text, limit)


def _chunks(rows: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _batches(results: Iterable[DocumentResult], size: int) -> Iterator[list[DocumentResult]]:
    pending: list[DocumentResult] = []
    for res in results:
        pending.append(res)
        if len(pending) >= size:
            yield pending
            pending = []
    if pending:
        yield pending


class GraphWriter:
    def __init__(self, settings: Settings | None = None, batch_size: int = 50, ensure_schema: bool = True):
        self.settings = settings or get_settings()
        self.batch_size = batch_size
        self.domain: Domain = load_domain()
        self.limits = Limits.from_settings(self.settings)
        if ensure_schema:
            apply_schema(self.settings)

    # ---------------------------------------------------------------- building rows (pure)
    def _key(self, key: str) -> str:
        return bounded_key(key, self.limits.key_bytes)

    def _entity_row(self, e: EntityRecord) -> dict[str, Any]:
        """The bounds of casegraph.core.limits hold here whatever produced the record."""
        label = self.domain.entity_type(e.type).label  # raises NotAllowedError off the allow-list
        name = clip(e.name, self.limits.name)
        aliases = sorted({a for a in e.aliases if a != name and is_name_sized(a, self.limits.name)})
        return {"key": self._key(e.key), "name": name, "type": e.type, "label": self.domain.check_label(label),
                "aliases": aliases[: self.limits.aliases],
                "kb_id": e.kb_id and self._key(e.kb_id), "description": e.description}

    def _rows(self, results: Sequence[DocumentResult]) -> _Batch:
        batch = _Batch()
        entities: dict[str, dict[str, Any]] = {}
        # Sorted by id: every transaction locks documents in the same order, so concurrent writers
        # of overlapping batches wait for each other instead of deadlocking.
        for res in sorted({r.document.id: r for r in results}.values(), key=lambda r: r.document.id):
            doc = res.document
            props = doc.model_dump(exclude={"id"})
            props["ingested_at"] = doc.ingested_at.isoformat()
            props["path"] = bounded_key(doc.path, self.limits.path_bytes)  # indexed
            props["title"] = doc.title and clip(doc.title, self.limits.sentence)
            batch.docs.append({"id": doc.id, "path": props["path"], "parent_id": doc.parent_id, "props": props})
            sentences: dict[int, dict[str, Any]] = {
                s.idx: {"id": sentence_id(doc.id, s.idx), "idx": s.idx, "text": clip(s.text, self.limits.sentence),
                        "page": s.page,
                        "start": s.start, "end": s.end, "mentions": []}
                for s in res.sentences}
            batch.sentences.append({"doc_id": doc.id, "sentences": list(sentences.values())})
            for e in res.entities:
                row = self._entity_row(e)
                kept = entities.setdefault(row["key"], row)
                if kept is not row:  # the same entity in two documents: one row, as two merges would leave it
                    merged = {*kept["aliases"], *(a for a in row["aliases"] if a != kept["name"])}
                    kept["aliases"] = sorted(merged)[: self.limits.aliases]
                    kept["kb_id"] = kept["kb_id"] or row["kb_id"]
                    kept["description"] = kept["description"] or row["description"]
                for m in e.mentions:
                    sentences[m.sentence_idx]["mentions"].append(
                        {"key": row["key"], "start": m.start, "end": m.end, "text": clip(m.text, self.limits.name),
                         "source": m.source})
                batch.mentions += len(e.mentions)
            types = {e.key: e.type for e in res.entities}
            for r in res.relations:
                self.domain.check_predicate(r.predicate)
                # A typed edge of the relation set whose endpoint types do not fit is refused here too.
                if r.predicate in self.domain.relations and not self.domain.relation_allowed(
                        r.predicate, types[r.source_key], types[r.target_key]):
                    log.warning("%s: %s %s → %s refused: endpoint types do not fit", doc.filename, r.predicate,
                                types[r.source_key], types[r.target_key])
                    continue
                batch.relations.append({
                    "source_key": self._key(r.source_key), "target_key": self._key(r.target_key),
                    "predicate": r.predicate,
                    "sentence_id": sentence_id(doc.id, r.sentence_idx), "doc_id": doc.id,
                    "confidence": r.confidence, "extractor": r.extractor, "stage": r.stage,
                })
        # Sorted by key, for the same lock order in every transaction.
        batch.entities = [entities[k] for k in sorted(entities)]
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
        nodes = self._merge_entities(tx, batch.entities)
        touched.update(nodes)
        created = 0
        for rows in _chunks(batch.sentences, DOCS_PER_STATEMENT):
            created += tx.run(statement("write/create_sentences"), rows=rows,
                              nodes=nodes).consume().counters.relationships_created
        for rows in _chunks(batch.relations):
            created += tx.run(statement("write/create_relations"), rows=rows,
                              nodes=nodes).consume().counters.relationships_created
        if created != batch.relationship_count():
            # MERGE does not lock an entity it finds: another process removing it meanwhile would
            # otherwise drop these mentions silently.
            raise EntityVanishedError(f"{batch.relationship_count() - created} of this batch's links lost their "
                                      "entity while it was written (another process removed it); run again")
        return replaced, touched

    @staticmethod
    def _merge_entities(tx: ManagedTransaction, rows: list[dict[str, Any]]) -> dict[str, str]:
        """Element id of each entity row's node, for the statements that follow in this transaction."""
        nodes: dict[str, str] = {}
        for chunk in _chunks(rows):
            nodes.update((r["key"], r["id"]) for r in tx.run(statement("write/merge_entities"), rows=chunk))
        return nodes

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
        redirects = Redirects.load(self.settings)  # analyst merges and splits, honoured by every write
        batches = _batches((redirects.apply(r) for r in results), self.batch_size)
        for batch in batches:
            stats, keys = self._write_isolating(batch)
            total.add(stats)
            touched.update(keys)
        # Counts and orphan removal once per call, not per batch: an entity named in every batch is
        # recounted once instead of once per batch.
        self.refresh_entities(sorted(touched))
        return total

    def _write_isolating(self, results: Sequence[DocumentResult]) -> tuple[WriteStats, set[str]]:
        """Write a batch; when the graph refuses it, write each half alone, down to the documents
        it refuses, which are recorded as failed (the others are written)."""
        try:
            return self._write_batch(results)
        except Exception as exc:
            if not _refused(exc):
                raise
            if len(results) > 1:
                half = len(results) // 2
                log.info("a batch of %d documents was refused (%s): writing it in halves", len(results), exc)
                stats, keys = self._write_isolating(results[:half])
                more, more_keys = self._write_isolating(results[half:])
                stats.add(more)
                return stats, keys | more_keys
            return self._write_refused(results[0].document, _reason(exc))

    def _write_refused(self, doc: DocumentRecord, reason: str) -> tuple[WriteStats, set[str]]:
        """Record a document the graph refused as failed, with the reason (its content stays out)."""
        log.warning("%s: %s", doc.path, reason)
        failed = DocumentResult(document=doc.model_copy(update={"status": "failed", "error": reason}))
        try:
            stats, keys = self._write_batch([failed])
        except Exception as exc:
            if not _refused(exc):
                raise
            # Not even its record fits: the run reports it, the next run tries it again.
            log.warning("%s: its failure could not be recorded either: %s", doc.path, exc)
            stats, keys = WriteStats(), set()
        stats.documents = 0
        stats.failed[doc.id] = reason
        return stats, keys

    def _write_batch(self, results: Sequence[DocumentResult]) -> tuple[WriteStats, set[str]]:
        batch = self._rows(results)
        with session(self.settings) as s:
            replaced, keys = s.execute_write(self._write_tx, batch)
        if replaced:
            log.info("replaced %d older document version(s)", len(replaced))
        return batch.stats(replaced), keys

    def refresh_entities(self, keys: Sequence[str]) -> None:
        """Recount mentions and documents of these entities; remove the ones left with none."""
        refresh_entities(keys, self.settings)

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
