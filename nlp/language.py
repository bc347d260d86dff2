"""Offline language identification for whole documents and for the sections of mixed files.

lingua decides between the few languages in `Settings.languages` (English and Russian by
default). Detection runs per paragraph: a police file that quotes a Russian statement inside an
English report comes back as consecutive character spans, each routed to its own NER.
Paragraphs too short to judge ("Glock 17", "12.03.2024") take their neighbour's language
instead of a guess.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

log = logging.getLogger(__name__)

# A paragraph needs this many letters before its own detection is trusted.
MIN_LETTERS = 20
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LINE_BREAK = re.compile(r"\n\s*")
_LETTER = re.compile(r"[^\W\d_]")


class LanguageSpan(NamedTuple):
    """`text[start:end]` is in `lang` (ISO 639-1). Spans from `split_by_language` tile the text."""

    start: int
    end: int
    lang: str


def _configured_languages() -> tuple[str, ...]:
    from casegraph.core.settings import get_settings

    return tuple(get_settings().languages)


@lru_cache(maxsize=4)
def _detector(codes: tuple[str, ...]) -> LanguageDetector:
    if len(codes) < 2:
        raise ValueError(f"language detection needs at least two languages, got {list(codes)}")
    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in codes]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def _iso(language: Language | None) -> str | None:
    return None if language is None else language.iso_code_639_1.name.lower()


def _letters(text: str) -> int:
    return len(_LETTER.findall(text))


def detect_language(text: str, languages: Sequence[str] | None = None) -> str | None:
    """The language most of `text` is written in (ISO 639-1), or None when there is too little text
    to tell (no letters, a short number-and-code fragment)."""
    return document_language(text, split_by_language(text, languages))


def document_language(text: str, spans: Sequence[LanguageSpan]) -> str | None:
    """The language of the spans holding most letters: what a mixed file is recorded as."""
    weight: Counter[str] = Counter()
    for span in spans:
        weight[span.lang] += _letters(text[span.start : span.end])
    return weight.most_common(1)[0][0] if weight else None


def _sections(text: str) -> list[tuple[int, int]]:
    """Paragraphs (blank-line separated), each owning the whitespace after it so the sections
    tile the text. A file without blank lines falls back to its lines."""
    breaks = list(_PARAGRAPH_BREAK.finditer(text))
    if not breaks:
        breaks = list(_LINE_BREAK.finditer(text))
    bounds, start = [], 0
    for m in breaks:
        if m.end() > start and m.start() > start:
            bounds.append((start, m.end()))
            start = m.end()
    if start < len(text):
        bounds.append((start, len(text)))
    elif bounds:
        bounds[-1] = (bounds[-1][0], len(text))
    return bounds


def split_by_language(text: str, languages: Sequence[str] | None = None) -> list[LanguageSpan]:
    """Consecutive (start, end, lang) spans covering all of `text`, one per run of same-language
    paragraphs. Empty when nothing in the text can be identified."""
    codes = tuple(languages) if languages else _configured_languages()
    sections = _sections(text)
    if not sections:
        return []
    judged = [i for i, (s, e) in enumerate(sections) if _letters(text[s:e]) >= MIN_LETTERS]
    if not judged:
        # Only short fragments: judge them together rather than not at all.
        if not _letters(text):
            return []
        lang = _iso(_detector(codes).detect_language_of(text))
        return [LanguageSpan(0, len(text), lang)] if lang else []
    found = _detector(codes).detect_languages_in_parallel_of([text[slice(*sections[i])] for i in judged])
    langs: list[str | None] = [None] * len(sections)
    for i, language in zip(judged, found, strict=True):
        langs[i] = _iso(language)
    _fill_gaps(langs)
    if langs[0] is None:
        return []
    spans: list[LanguageSpan] = []
    for (start, end), lang in zip(sections, langs, strict=True):
        assert lang is not None
        if spans and spans[-1].lang == lang:
            spans[-1] = LanguageSpan(spans[-1].start, end, lang)
        else:
            spans.append(LanguageSpan(start, end, lang))
    log.debug("language spans: %s", spans)
    return spans


def _fill_gaps(langs: list[str | None]) -> None:
    """Undecided sections take the language of the section before them (a heading, a date line
    belongs to what follows only at the very start)."""
    first = next((lang for lang in langs if lang is not None), None)
    previous = first
    for i, lang in enumerate(langs):
        if lang is None:
            langs[i] = previous
        else:
            previous = lang
