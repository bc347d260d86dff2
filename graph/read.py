"""Read functions for the link chart and other readers: parameterised Cypher from
`cypher/read/*.cypher`, run in read transactions (`graph.db.read`), every result capped.

Each function accepts bad input (empty text, unknown keys, out-of-range limits) and answers with
an empty result rather than an error; only an unreachable database raises
(`Neo4jUnavailableError`, one clear line).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, Field

from casegraph.core.domain import load_domain
from casegraph.core.settings import Settings, get_settings
from graph.db import read
from graph.statements import statement

MAX_HOPS = 8
# Letters, digits, _ and ': none of them is Lucene query syntax, so the words of user text reach
# the parser as plain terms without escaping (punctuation never gets that far).
_WORD = re.compile(r"[\w']+")


# ------------------------------------------------------------------------------------ models
class Filters(BaseModel):
    """What the analyst chose to see. `None` means "no restriction"; an empty list means
    "nothing" (e.g. a date range that holds no document)."""

    types: list[str] | None = None
    predicates: list[str] | None = None
    doc_ids: list[str] | None = None
    min_evidence: int = Field(default=1, ge=1)
    # Entity types never used as an intermediate hop of a path and ranked last among neighbours
    # (offences, drugs, places: kinds, not actors). None: no such rule (settings.hub_types is the
    # analyst-facing default, applied by the API and the dashboard).
    hub_types: list[str] | None = None
    # Paths over typed links only: co-occurrence (weak evidence) is not a link to walk.
    typed_only: bool = False

    def params(self) -> dict[str, Any]:
        return {"types": self.types or None, "predicates": self.predicates or None,
                "doc_ids": self.doc_ids, "min_evidence": self.min_evidence,
                "hub_types": self.hub_types or None, "typed_only": self.typed_only,
                "co_occurrence": load_domain().co_occurrence}


class EntitySummary(BaseModel):
    key: str
    name: str
    type: str
    aliases: list[str] = Field(default_factory=list)
    mention_count: int = 0
    doc_count: int = 0
    degree: int = 0


class SearchHit(EntitySummary):
    score: float = 0.0


class Neighbour(EntitySummary):
    evidence: int = Field(description="RELATED edges (supporting sentences) with the expanded entity")


class Expansion(BaseModel):
    key: str
    total: int = Field(description="All neighbours that pass the filters")
    offset: int
    neighbours: list[Neighbour]

    @property
    def next_offset(self) -> int | None:
        end = self.offset + len(self.neighbours)
        return end if end < self.total else None


class Link(BaseModel):
    """Parallel RELATED edges between two entities, folded into one: `source` < `target`."""

    source: str
    target: str
    evidence: int
    forward: int = Field(description="edges source → target")
    backward: int = Field(description="edges target → source")
    predicates: dict[str, int] = Field(default_factory=dict, description="predicate → edge count")


class Span(BaseModel):
    key: str
    type: str
    start: int = Field(description="offset within the sentence")
    end: int


class EvidenceRow(BaseModel):
    source_key: str
    target_key: str
    predicate: str
    confidence: float | None = None
    stage: str | None = None  # charged_with: charged, indicted, convicted, pleaded, sentenced
    extractor: str | None = None  # the rule that found the link
    sentence_id: str
    doc_id: str
    text: str | None = None
    page: int | None = None
    sentence_idx: int | None = None
    doc_title: str | None = None
    doc_filename: str | None = None
    spans: list[Span] = Field(default_factory=list)


class PairEvidence(BaseModel):
    a: str
    b: str
    total: int
    rows: list[EvidenceRow]


class DocumentRef(BaseModel):
    id: str
    title: str | None = None
    filename: str | None = None
    path: str | None = None
    ingested_at: str | None = None
    mentions: int | None = None
    status: str | None = None


class NodeDetails(EntitySummary):
    kb_id: str | None = None
    description: str | None = None
    curated: bool = False
    labels: list[str] = Field(default_factory=list)
    documents: list[DocumentRef] = Field(default_factory=list)


class EntityPath(BaseModel):
    keys: list[str]
    hops: list[PairEvidence]


class PathResult(BaseModel):
    source: str
    target: str
    entities: dict[str, EntitySummary]
    paths: list[EntityPath]


class SentenceView(BaseModel):
    id: str
    idx: int
    text: str
    page: int | None = None
    start: int
    end: int


class MentionView(BaseModel):
    key: str
    name: str
    type: str
    start: int
    end: int
    source: str | None = None
    sentence_idx: int


class DocumentView(BaseModel):
    document: DocumentRef
    mime: str | None = None
    pages: int | None = None
    language: str | None = None
    sentence_count: int
    sentences: list[SentenceView]
    mentions: list[MentionView]

    @property
    def truncated(self) -> bool:
        return len(self.sentences) < self.sentence_count


class GraphStats(BaseModel):
    entities: int = 0
    relations: int = 0
    sentences: int = 0
    documents: int = 0
    last_ingested: str | None = None


# ------------------------------------------------------------------------------------ helpers
def _settings(settings: Settings | None) -> Settings:
    return settings or get_settings()


def _cap(n: int | None, settings: Settings, default: int) -> int:
    """A row limit within [1, query_row_cap]."""
    try:
        value = int(n) if n is not None else default
    except (TypeError, ValueError):
        value = default
    return max(1, min(value, settings.query_row_cap))


def _filters(filters: Filters | None) -> dict[str, Any]:
    return (filters or Filters()).params()


def lucene_query(text: str) -> str | None:
    """An as-you-type Lucene query: every word must match, the last one as a prefix; an exact
    phrase scores higher. Returns None when the text holds no word."""
    words = [w for w in (w.strip("'") for w in _WORD.findall((text or "").lower())) if w][:12]
    if not words:
        return None
    terms = " AND ".join([*words[:-1], words[-1] + "*"])
    phrase = " ".join(words)
    return f'({terms}) OR "{phrase}"^4'


# ------------------------------------------------------------------------------------ reads
def search_entities(text: str, types: Sequence[str] | None = None, limit: int = 10,
                    settings: Settings | None = None) -> list[SearchHit]:
    """Entities whose name or an alias matches `text` (prefix on the last word), best first."""
    settings = _settings(settings)
    query = lucene_query(text)
    if query is None:
        return []
    limit = _cap(limit, settings, 10)
    # The type filter runs after the index lookup: fetch more when it is selective.
    fetch = min(settings.query_row_cap * 5, limit * (50 if types else 5))
    rows = read(statement("read/search_entities"),
                {"query": query, "types": list(types) if types else None, "limit": limit, "fetch": fetch},
                settings)
    return [SearchHit(**r) for r in rows]


def entities(keys: Sequence[str], settings: Settings | None = None) -> list[EntitySummary]:
    settings = _settings(settings)
    keys = [k for k in dict.fromkeys(keys) if isinstance(k, str) and k][: settings.query_row_cap]
    if not keys:
        return []
    rows = read(statement("read/entities"), {"keys": keys}, settings)
    return [EntitySummary(**r) for r in rows]


def expand(key: str, limit: int = 25, offset: int = 0, filters: Filters | None = None,
           settings: Settings | None = None) -> Expansion:
    """A page of the neighbours of `key`, most-connected first."""
    settings = _settings(settings)
    offset = max(0, int(offset or 0))
    limit = _cap(limit, settings, 25)
    if not key:
        return Expansion(key=key or "", total=0, offset=offset, neighbours=[])
    rows = read(statement("read/expand"), {"key": key, "limit": limit, "offset": offset, **_filters(filters)},
                settings)
    return Expansion(key=key, total=rows[0]["total"] if rows else 0, offset=offset,
                     neighbours=[Neighbour(**r["neighbour"]) for r in rows if r["neighbour"]])


def links_among(keys: Sequence[str], filters: Filters | None = None, cap: int | None = None,
                settings: Settings | None = None) -> list[Link]:
    """The folded links among a set of entities (the entities on the chart)."""
    settings = _settings(settings)
    keys = list(dict.fromkeys(k for k in keys if isinstance(k, str) and k))
    if len(keys) < 2:
        return []
    rows = read(statement("read/links_among"),
                {"keys": keys, "cap": _cap(cap, settings, settings.query_row_cap), **_filters(filters)},
                settings)
    links = []
    for r in rows:
        counts: dict[str, int] = {}
        for p in r.pop("predicates"):
            counts[p] = counts.get(p, 0) + 1
        links.append(Link(**r, predicates=dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))))
    return links


def evidence_for_pairs(pairs: Sequence[tuple[str, str]], limit: int = 50, filters: Filters | None = None,
                       settings: Settings | None = None) -> list[PairEvidence]:
    """Supporting sentences for each pair of entities (either direction), `limit` per pair."""
    settings = _settings(settings)
    clean = [[a, b] for a, b in dict.fromkeys((a, b) for a, b in pairs) if a and b and a != b]
    if not clean:
        return []
    rows = read(statement("read/evidence"),
                {"pairs": clean, "limit": _cap(limit, settings, 50), **_filters(filters)}, settings)
    out: dict[tuple[str, str], PairEvidence] = {}
    for r in rows:
        pe = out.setdefault((r["a"], r["b"]), PairEvidence(a=r["a"], b=r["b"], total=r["total"], rows=[]))
        if r["row"] is not None:
            pe.rows.append(EvidenceRow(**r["row"]))
    return [out[(a, b)] for a, b in clean if (a, b) in out]


def edge_evidence(a: str, b: str, limit: int = 50, filters: Filters | None = None,
                  settings: Settings | None = None) -> PairEvidence:
    """Every sentence (up to `limit`) behind the link between `a` and `b`."""
    found = evidence_for_pairs([(a, b)], limit=limit, filters=filters, settings=settings)
    return found[0] if found else PairEvidence(a=a or "", b=b or "", total=0, rows=[])


def node_details(key: str, doc_limit: int = 25, settings: Settings | None = None) -> NodeDetails | None:
    settings = _settings(settings)
    if not key:
        return None
    rows = read(statement("read/node_details"), {"key": key, "doc_limit": _cap(doc_limit, settings, 25)},
                settings)
    return NodeDetails(**rows[0]) if rows else None


def shortest_paths(source: str, target: str, max_hops: int = 6, limit: int = 3,
                   filters: Filters | None = None, evidence_per_hop: int = 3,
                   settings: Settings | None = None) -> PathResult:
    """The shortest path(s) between two entities — distinct entity sequences of the minimum
    length, at most `limit` — with the evidence for every hop."""
    settings = _settings(settings)
    empty = PathResult(source=source or "", target=target or "", entities={}, paths=[])
    if not source or not target or source == target:
        return empty
    hops = max(1, min(int(max_hops), MAX_HOPS))
    limit = max(1, min(int(limit), 20))
    query = statement("read/shortest_paths").replace("__MAX_HOPS__", str(hops))
    # Parallel edges repeat an entity sequence, so fetch more paths than we keep.
    rows = read(query, {"source": source, "target": target, "k": limit * 20, **_filters(filters)}, settings)
    if not rows:
        return empty
    shortest = min(r["hops"] for r in rows)
    sequences = list(dict.fromkeys(tuple(r["keys"]) for r in rows if r["hops"] == shortest))[:limit]
    pairs = list(dict.fromkeys((s[i], s[i + 1]) for s in sequences for i in range(len(s) - 1)))
    evidence = {(pe.a, pe.b): pe for pe in
                evidence_for_pairs(pairs, limit=evidence_per_hop, filters=filters, settings=settings)}
    ents = {e.key: e for e in entities(sorted({k for s in sequences for k in s}), settings=settings)}
    paths = [EntityPath(keys=list(s), hops=[evidence.get((s[i], s[i + 1]),
                                                         PairEvidence(a=s[i], b=s[i + 1], total=0, rows=[]))
                                            for i in range(len(s) - 1)])
             for s in sequences]
    return PathResult(source=source, target=target, entities=ents, paths=paths)


def document_view(doc_id: str, sentence_cap: int | None = None,
                  settings: Settings | None = None) -> DocumentView | None:
    """A document's sentences (up to the cap) and the entity mentions in them."""
    settings = _settings(settings)
    if not doc_id:
        return None
    cap = max(1, int(sentence_cap or settings.query_row_cap * 5))
    rows = read(statement("read/document"), {"doc_id": doc_id, "cap": cap}, settings)
    if not rows:
        return None
    r = rows[0]
    doc = r["document"]
    return DocumentView(
        document=DocumentRef(**{k: doc.get(k) for k in ("id", "title", "filename", "path", "ingested_at", "status")}),
        mime=doc.get("mime"), pages=doc.get("pages"), language=doc.get("language"),
        sentence_count=r["sentence_count"],
        sentences=[SentenceView(**s) for s in r["sentences"]],
        mentions=[MentionView(**m) for m in r["mentions"]],
    )


def graph_stats(settings: Settings | None = None) -> GraphStats:
    rows = read(statement("read/graph_stats"), settings=_settings(settings))
    return GraphStats(**rows[0]) if rows else GraphStats()


def predicates(cap: int = 200, settings: Settings | None = None) -> list[tuple[str, int]]:
    """Predicates in use with their edge counts, most frequent first."""
    settings = _settings(settings)
    rows = read(statement("read/predicates"), {"cap": _cap(cap, settings, 200)}, settings)
    return [(r["predicate"], r["n"]) for r in rows if r["predicate"]]


def documents(since: date | str | None = None, until: date | str | None = None, cap: int | None = None,
              settings: Settings | None = None) -> list[DocumentRef]:
    """Documents, newest first; `since`/`until` are inclusive dates of ingestion."""
    settings = _settings(settings)
    params = {"since": _iso_day(since), "until": _iso_day(until, next_day=True),
              "cap": max(1, int(cap or settings.query_row_cap))}
    return [DocumentRef(**r) for r in read(statement("read/documents"), params, settings)]


def _iso_day(value: date | str | None, next_day: bool = False) -> str | None:
    if value in (None, ""):
        return None
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return (day + timedelta(days=1) if next_day else day).isoformat()
