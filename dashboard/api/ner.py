"""POST /api/ner: text → typed entity mentions with offsets, English and Russian.

The text goes through `casegraph.pipeline.analyse` (the NLP stage) as a one-off document, which routes each language
section to its NER (spaCy for English, natasha for Russian), so keys, names and relations come
out exactly as ingestion would write them to the graph. Nothing is written.
"""

from __future__ import annotations

import threading
import time

from casegraph.core.domain import load_domain
from casegraph.core.models import DocumentResult
from casegraph.pipeline.analyse import analyse_text
from dashboard.api.models import LanguageSection, NerEntity, NerRelation, NerResponse

# spaCy pipelines are not documented as thread-safe: one request analyses at a time.
_lock = threading.Lock()


def analyze_text(text: str) -> tuple[DocumentResult, list[LanguageSection]]:
    """The graph contribution `text` would make as a document, and its language sections."""
    with _lock:
        result, spans = analyse_text(text)
    return result, [LanguageSection(start=start, end=end, language=lang) for start, end, lang in spans]


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
