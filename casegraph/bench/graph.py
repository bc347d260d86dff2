"""`casegraph bench graph`: the writer's relations/s against a raw `UNWIND … CREATE` baseline.

Both run on the same throw-away embedded Neo4j, on the same synthetic corpus.
"""

from __future__ import annotations

import hashlib
import logging
import random
import time

from neo4j import ManagedTransaction

from casegraph.core.models import (
    DocumentRecord,
    DocumentResult,
    EntityRecord,
    MentionRecord,
    RelationRecord,
    SentenceRecord,
)
from casegraph.core.settings import Settings, get_settings
from casegraph.core.tables import ReportTable
from graph.db import session
from graph.server import temporary_server
from graph.writer import GraphWriter

log = logging.getLogger(__name__)
TARGET_RATIO = 0.50
TARGET_RELATIONS_PER_S = 20_000
TYPES = ["PERSON", "ORG", "GANG_ORG", "DRUG", "WEAPON", "GPE", "CRIME"]


def synthetic_corpus(docs: int = 2000, sentences: int = 25, mentions: int = 50, relations: int = 100,
                     entities: int = 10_000, seed: int = 7, folder: str = "bench") -> list[DocumentResult]:
    rng = random.Random(seed)
    pool = [(f"{TYPES[i % len(TYPES)].lower()}:entity {i}", f"Entity {i}", TYPES[i % len(TYPES)])
            for i in range(entities)]
    out = []
    for d in range(docs):
        doc_id = hashlib.sha256(f"doc-{seed}-{d}".encode()).hexdigest()
        sents = [SentenceRecord(idx=i, text=f"Sentence {i} of document {d}.", page=1 + i // 10,
                                start=i * 40, end=i * 40 + 39) for i in range(sentences)]
        chosen = rng.sample(pool, mentions)
        ents = [EntityRecord(key=k, name=n, type=t, mentions=[
            MentionRecord(sentence_idx=j % sentences, start=(j % sentences) * 40, end=(j % sentences) * 40 + 8,
                          text=n, source="model")]) for j, (k, n, t) in enumerate(chosen)]
        rels = []
        for j in range(relations):
            a, b = rng.sample(chosen, 2)
            rels.append(RelationRecord(source_key=a[0], target_key=b[0], predicate="co_occurs_with",
                                       sentence_idx=j % sentences, confidence=0.5))
        doc = DocumentRecord(id=doc_id, path=f"{folder}/{d}.txt", filename=f"{d}.txt", size=1000)
        out.append(DocumentResult(document=doc, sentences=sents, entities=ents, relations=rels))
    return out


def _baseline(settings: Settings, corpus: list[DocumentResult], chunk: int = 10_000) -> float:
    """Raw relations/s: one `UNWIND $rows … CREATE` statement per chunk, entities already there."""
    rows = [{"a": r.source_key, "b": r.target_key, "p": r.predicate, "s": f"{res.document.id}:{r.sentence_idx}",
             "d": res.document.id, "c": r.confidence} for res in corpus for r in res.relations]
    query = ("UNWIND $rows AS row MATCH (a:Entity {key: row.a}) MATCH (b:Entity {key: row.b}) "
             "CREATE (a)-[:RAW_BASELINE {predicate: row.p, sentence_id: row.s, doc_id: row.d, confidence: row.c}]->(b)")
    def create(tx: ManagedTransaction, part: list[dict[str, object]]) -> None:
        tx.run(query, rows=part).consume()

    t0 = time.perf_counter()
    with session(settings) as s:
        for i in range(0, len(rows), chunk):
            s.execute_write(create, rows[i : i + chunk])
    return len(rows) / (time.perf_counter() - t0)


# Every record the writer makes, made by plain CREATE statements under the same uniqueness
# constraints and lookup indexes (cypher/schema): the floor for this graph model.
RAW_SCHEMA = [
    "CREATE CONSTRAINT raw_document_id IF NOT EXISTS FOR (d:RawDocument) REQUIRE d.id IS UNIQUE",
    "CREATE CONSTRAINT raw_sentence_id IF NOT EXISTS FOR (s:RawSentence) REQUIRE s.id IS UNIQUE",
    "CREATE INDEX raw_sentence_doc_id IF NOT EXISTS FOR (s:RawSentence) ON (s.doc_id)",
]
RAW_CONTENTS = """UNWIND $docs AS doc
CREATE (d:RawDocument {id: doc.id, path: doc.path})
WITH d, doc UNWIND doc.sentences AS s
CREATE (sn:RawSentence {id: s.id, doc_id: doc.id, idx: s.idx, text: s.text, page: s.page, start: s.start,
                        end: s.end})-[:RAW_IN]->(d)
WITH sn, s UNWIND s.mentions AS m
MATCH (e:Entity {key: m.key})
CREATE (e)-[:RAW_MENTIONED_IN {start: m.start, end: m.end, text: m.text, source: m.source}]->(sn)"""


def _raw_contents(settings: Settings, corpus: list[DocumentResult], docs_per_tx: int = 50) -> float:
    """Seconds to create the corpus' documents, sentences and mentions with one plain statement
    per transaction (no MERGE, no clearing, no recount), under the model's constraints."""
    docs: list[dict[str, object]] = []
    for res in corpus:
        sentences = {s.idx: {**s.model_dump(), "id": f"{res.document.id}:{s.idx}", "mentions": []}
                     for s in res.sentences}
        for e in res.entities:
            for m in e.mentions:
                sentences[m.sentence_idx]["mentions"].append({"key": e.key, **m.model_dump(exclude={"sentence_idx"})})
        docs.append({"id": res.document.id, "path": res.document.path, "sentences": list(sentences.values())})

    def create(tx: ManagedTransaction, part: list[dict[str, object]]) -> None:
        tx.run(RAW_CONTENTS, docs=part).consume()

    with session(settings) as s:
        for schema in RAW_SCHEMA:
            s.run(schema).consume()
    t0 = time.perf_counter()
    with session(settings) as s:
        for i in range(0, len(docs), docs_per_tx):
            s.execute_write(create, docs[i : i + docs_per_tx])
    return time.perf_counter() - t0


def measure(docs: int = 2000, batch_size: int = 50) -> dict[str, float]:
    """The writer on `docs` synthetic documents, and the raw baselines, on a throw-away server."""
    corpus = synthetic_corpus(docs=docs)
    n_rel = sum(len(r.relations) for r in corpus)
    n_men = sum(len(e.mentions) for r in corpus for e in r.entities)
    log.info("synthetic corpus: %d documents, %d mentions, %d relations", docs, n_men, n_rel)
    with temporary_server(get_settings(), heap="1g", pagecache="512m") as settings:
        writer = GraphWriter(settings, batch_size=batch_size)
        # A server that has been running a while has compiled its hot paths; the baseline below
        # runs on a warm server too, so the writer gets the same start.
        writer.write(synthetic_corpus(docs=min(200, docs), seed=8, folder="warm-up"))
        t0 = time.perf_counter()
        writer.write(corpus)
        writer_s = time.perf_counter() - t0
        rewritten = corpus[: max(1, docs // 10)]
        t0 = time.perf_counter()
        writer.write(rewritten)  # an idempotent re-write of 10%: the ingest re-run path
        rewrite_s = time.perf_counter() - t0
        baseline = _baseline(settings, corpus)
        raw_all_s = _raw_contents(settings, corpus) + n_rel / baseline
    figures = {
        "documents": float(docs),
        "mentions": float(n_men),
        "relations": float(n_rel),
        "writer_seconds": writer_s,
        "writer_relations_per_s": n_rel / writer_s,
        "writer_documents_per_s": docs / writer_s,
        "rewrite_documents_per_s": len(rewritten) / rewrite_s,
        "baseline_relations_per_s": baseline,
        "raw_all_records_relations_per_s": n_rel / raw_all_s,
    }
    figures["ratio"] = figures["writer_relations_per_s"] / baseline
    figures["ratio_to_raw_all_records"] = raw_all_s / writer_s
    return figures


def run(docs: int = 2000, batch_size: int = 50) -> list[ReportTable]:
    f = measure(docs, batch_size)
    met = f["ratio"] >= TARGET_RATIO and f["writer_relations_per_s"] >= TARGET_RELATIONS_PER_S
    return [ReportTable(
        title=f"Graph writer: {docs:,} synthetic documents, {f['mentions']:,.0f} mentions, "
              f"{f['relations']:,.0f} relations (warm throw-away Neo4j)",
        command=f"casegraph bench graph --docs {docs} --batch-size {batch_size}",
        columns=["figure", "value"],
        rows=[[k, f"{v:,.2f}"] for k, v in f.items() if k not in {"documents", "mentions", "relations"}],
        notes=[f"Target: writer ≥ {TARGET_RATIO:.0%} of the raw `UNWIND … CREATE` baseline and ≥ "
               f"{TARGET_RELATIONS_PER_S:,} relations/s: **{'met' if met else 'not met'}** "
               f"({f['ratio']:.0%}, {f['writer_relations_per_s']:,.0f}/s).",
               "raw_all_records: the same documents, sentences, mentions and relations made by plain CREATE "
               "statements under the same constraints, the floor for this graph model on this server."],
        seconds=f["writer_seconds"],
    )]
