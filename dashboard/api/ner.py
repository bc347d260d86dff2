"""POST /api/ner: text → typed entity mentions with offsets, English and Russian.

The text is split into language sections (`nlp.language.split_by_language`). Russian sections
go to `nlp.russian.analyze_russian`, the others to the casegraph spaCy pipeline
(`nlp.loader.load_pipeline`); both feed `nlp.pipeline.build_result`, so keys, names and
relations come out exactly as ingestion would write them to the graph.
"""

from __future__ import annotations

import bisect
import hashlib
import threading
import time
from typing import Any

from dashboard.api.models import LanguageSection, NerEntity, NerRelation, NerResponse
from graph.domain import load_domain
from graph.models import DocumentRecord, DocumentResult, ParsedDocument

RUSSIAN = "ru"
# spaCy pipelines are not documented as thread-safe: one request analyses at a time.
_lock = threading.Lock()


def _russian_part(text: str, start: int, end: int) -> tuple[int, dict[str, Any]]:
    """A Russian section in the shape of `casegraph_extract`'s output (offsets into `text`)."""
    from nlp.russian import analyze_russian

    analysis = analyze_russian(text, start, end)
    starts = [s for s, _ in analysis.sentences]
    mentions = []
    for m in analysis.mentions:
        sent = max(0, bisect.bisect_right(starts, m.start) - 1)
        mentions.append([sent, m.start, m.end, m.type, m.source, m.normalized, None, None])
    return 0, {"sentences": [list(s) for s in analysis.sentences], "mentions": mentions, "relations": []}


def _english_parts(text: str, start: int, end: int) -> list[tuple[int, dict[str, Any]]]:
    from nlp.loader import load_pipeline
    from nlp.pipeline import chunks

    nlp = load_pipeline()
    parts = []
    for offset, piece in chunks(text[start:end]):
        doc = nlp(piece)
        parts.append((start + offset, doc._.casegraph or {"sentences": [], "mentions": [], "relations": []}))
    return parts


def analyze_text(text: str) -> tuple[DocumentResult, list[LanguageSection]]:
    """The graph contribution `text` would make as a document, and its language sections."""
    from nlp.language import document_language, split_by_language
    from nlp.pipeline import build_result

    spans = split_by_language(text)
    record = DocumentRecord(id=hashlib.sha256(text.encode()).hexdigest(), path="api:ner", filename="ner",
                            size=len(text.encode()), language=document_language(text, spans))
    # Too few letters to judge ("555-0142", "12.03.2024"): the pipeline's patterns may still match.
    routes = [(s.start, s.end, s.lang) for s in spans] or ([(0, len(text), "")] if text.strip() else [])
    parts: list[tuple[int, dict[str, Any]]] = []
    with _lock:
        for start, end, lang in routes:
            if lang == RUSSIAN:
                parts.append(_russian_part(text, start, end))
            else:
                parts.extend(_english_parts(text, start, end))
    result = build_result(ParsedDocument(document=record, text=text), parts)
    return result, [LanguageSection(start=s.start, end=s.end, language=s.lang) for s in spans]


def recognise(text: str) -> NerResponse:
    started = time.perf_counter()
    result, sections = analyze_text(text)
    types = load_domain().types
    entities = sorted(
        (NerEntity(text=m.text, start=m.start, end=m.end, type=e.type, key=e.key, name=e.name, source=m.source,
                   label=types[e.type].label if e.type in types else e.type, sentence=m.sentence_idx)
         for e in result.entities for m in e.mentions),
        key=lambda n: (n.start, -n.end),
    )
    relations = [NerRelation(source_key=r.source_key, target_key=r.target_key, predicate=r.predicate,
                             confidence=r.confidence, sentence=r.sentence_idx) for r in result.relations]
    return NerResponse(language=result.document.language, sections=sections, sentences=len(result.sentences),
                       entities=entities, relations=relations,
                       elapsed_ms=round((time.perf_counter() - started) * 1000, 1))
