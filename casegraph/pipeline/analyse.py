"""One text through the NLP stage, as ingestion would analyse it as a document; nothing is written."""

from __future__ import annotations

import hashlib

from casegraph.core.models import DocumentRecord, DocumentResult, ParsedDocument


def analyse_text(text: str, source: str = "api:ner") -> tuple[DocumentResult, list[tuple[int, int, str]]]:
    """The graph contribution `text` would make as a document, and its language sections
    as (start, end, language)."""
    from nlp.language import split_by_language
    from nlp.pipeline import analyze

    record = DocumentRecord(id=hashlib.sha256(text.encode()).hexdigest(), path=source, filename=source.split(":")[-1],
                            size=len(text.encode()))
    result = analyze(ParsedDocument(document=record, text=text))
    return result, [(s.start, s.end, s.lang) for s in split_by_language(text)]
