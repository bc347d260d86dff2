"""Language routing: English sections go through the spaCy pipeline, Russian ones through
natasha (`nlp.russian`). Both produce the same per-section data as `casegraph_extract`, so
`pipeline.build_result` assembles a mixed document without knowing which model read what."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from casegraph.core.domain import load_domain

from .language import document_language, split_by_language
from .relations import CONF_CO_OCCURRENCE


@dataclass(frozen=True)
class Section:
    start: int
    end: int
    lang: str | None


def sections(text: str) -> tuple[str | None, list[Section]]:
    """The document's language and its sections, neighbours of one route merged."""
    spans = split_by_language(text)
    lang = document_language(text, spans)
    merged: list[Section] = []
    for s in spans or [Section(0, len(text), lang)]:  # type: ignore[list-item]
        route = "ru" if s.lang == "ru" else None
        if merged and ("ru" if merged[-1].lang == "ru" else None) == route:
            merged[-1] = Section(merged[-1].start, s.end, merged[-1].lang)
        else:
            merged.append(Section(s.start, s.end, s.lang))
    return lang, merged


def russian_part(text: str, start: int, end: int) -> dict[str, Any]:
    """`casegraph_extract`-shaped data for a Russian section, offsets relative to `start`."""
    from .russian import analyze_russian

    analysis = analyze_russian(text, start, end)
    sentences = [[a - start, b - start] for a, b in analysis.sentences]
    co = load_domain().co_occurrence
    mentions: list[list[Any]] = []
    by_sentence: dict[int, list[int]] = {}
    for m in analysis.mentions:
        sent = next((i for i, (a, b) in enumerate(analysis.sentences) if a <= m.start < b), None)
        if sent is None:
            continue
        by_sentence.setdefault(sent, []).append(len(mentions))
        mentions.append([sent, m.start - start, m.end - start, m.type, m.source, m.normalized, None, None])
    relations = [
        [i, j, co, CONF_CO_OCCURRENCE, sent]
        for sent, idxs in by_sentence.items()
        for n, i in enumerate(idxs)
        for j in idxs[n + 1 :]
        if mentions[i][5] != mentions[j][5]
    ]
    return {"sentences": sentences, "mentions": mentions, "relations": relations}
