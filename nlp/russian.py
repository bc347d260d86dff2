"""Russian NER: natasha's slovnet tagger plus the Russian phrase lists, on casegraph's types.

natasha ships its models (navec embeddings, slovnet NER/morphology/syntax) inside the PyPI
packages, so nothing is fetched at run time. Each model is loaded once per process.

Mentions come back with character offsets into the caller's text and a normalised name: the
nominative of a name ("Иванову" → "Иванова", "Юрия Лужкова" → "Юрий Лужков"), so that the
inflected forms of one person resolve to one entity. Morphology and syntax, which only the
normaliser needs, run on the sentences that hold a mention.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from natasha import (
    Doc,
    MorphVocab,
    NewsEmbedding,
    NewsMorphTagger,
    NewsNERTagger,
    NewsSyntaxParser,
    Segmenter,
)
from natasha.doc import DocSent, DocSpan, inject_morph, inject_syntax, offset_syntax, sent_words
from natasha.shape import recover_shape
from razdel import sentenize

from casegraph.core.models import MentionSource
from nlp.patterns_ru import PatternMatch, lemmas, match_phrases
from nlp.russian_morph import morph, morph_vocab

log = logging.getLogger(__name__)

# natasha's tags → casegraph/core/domain.toml types; LOC is split by `location_type`.
NATASHA_TYPES = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}

# A location whose name holds one of these words is a place, not a polity (domain type LOC):
# streets, squares, rivers, mountains. Every other natasha LOC (countries, regions, cities,
# districts) is GPE. Both become the Neo4j label Location.
LOC_HEADS = frozenset(
    """улица проспект переулок площадь бульвар шоссе набережная проезд тупик аллея трасса
    магистраль река озеро море океан залив пролив остров полуостров гора хребет вулкан долина
    лес парк сквер пустыня степь поле ущелье пляж канал водохранилище""".split()  # noqa: SIM905
)

# natasha sometimes runs a list or a transliteration into one span: "Джошуа Вольфа (Joshua Wolf)",
# "Овечкин, Фёдоров". These tokens split a span; a comma only splits people and places, since
# organisation names may hold one.
SPLIT_TOKENS = frozenset({"(", ")", "[", "]", "•", ";", "|", "/"})
SPLIT_TOKENS_LIST = SPLIT_TOKENS | {","}
NAME_ROLES = frozenset({"Name", "Surn", "Patr"})
OPEN_QUOTES = frozenset({"«", '"', "“", "„"})
CLOSE_QUOTES = frozenset({"»", '"', "”"})


class RussianMention(NamedTuple):
    start: int
    end: int
    type: str  # a casegraph/core/domain.toml type: PERSON, ORG, GPE, LOC, DRUG, WEAPON, CRIME
    text: str
    normalized: str
    source: MentionSource  # "model" (natasha) or "pattern" (phrase lists)


@dataclass(frozen=True)
class RussianAnalysis:
    sentences: list[tuple[int, int]] = field(default_factory=list)
    mentions: list[RussianMention] = field(default_factory=list)


@dataclass(frozen=True)
class NatashaModels:
    segmenter: Segmenter
    morph_vocab: MorphVocab
    morph_tagger: NewsMorphTagger
    syntax_parser: NewsSyntaxParser
    ner_tagger: NewsNERTagger


@lru_cache(maxsize=1)
def natasha_models() -> NatashaModels:
    emb = NewsEmbedding()
    models = NatashaModels(
        segmenter=Segmenter(),
        morph_vocab=morph_vocab(),
        morph_tagger=NewsMorphTagger(emb),
        syntax_parser=NewsSyntaxParser(emb),
        ner_tagger=NewsNERTagger(emb),
    )
    log.info("loaded natasha models")
    return models


def russian_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """razdel sentence spans of `text[start:end]`, as offsets into `text`."""
    chunk = text[start:end]
    return [(start + s.start, start + s.stop) for s in sentenize(chunk) if s.text.strip()]


def location_type(name: str) -> str:
    """GPE or LOC for a natasha location, by the words of its (normalised) name."""
    for word in name.split():
        if lemmas(word) & LOC_HEADS:
            return "LOC"
    return "GPE"


def _tag_sentences(models: NatashaModels, sents: list[DocSent], syntax: list[DocSent]) -> None:
    """Morphology for `sents`, syntax for `syntax`: the normaliser reads case, number and gender
    from the first and the head-dependent tree of an organisation's name from the second."""
    for sent, markup in zip(sents, models.morph_tagger.map([sent_words(s) for s in sents]), strict=True):
        inject_morph(sent.tokens, markup.tokens)
    for number, (sent, markup) in enumerate(
        zip(syntax, models.syntax_parser.map([sent_words(s) for s in syntax]), strict=True), 1
    ):
        inject_syntax(sent.tokens, markup.tokens)
        offset_syntax(number, sent.tokens)


def _merge_names(spans: list[DocSpan], text: str) -> list[DocSpan]:
    """Join person spans separated by spaces alone: natasha cuts the surname-first order of
    Russian official papers ("Иванову Анну Сергеевну") into a surname and a first name."""
    merged: list[DocSpan] = []
    for span in spans:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.type == span.type == "PER"
            and text[last.stop : span.start].strip(" ") == ""
            and last.stop < span.start
        ):
            merged[-1] = DocSpan(
                last.start,
                span.stop,
                "PER",
                text[last.start : span.stop],
                tokens=[*(last.tokens or []), *(span.tokens or [])],
            )
        else:
            merged.append(span)
    return merged


def _split(span: DocSpan, text: str) -> list[DocSpan]:
    """`span` cut at list and bracket tokens; pieces without a letter are dropped."""
    separators = SPLIT_TOKENS if span.type == "ORG" else SPLIT_TOKENS_LIST
    if not span.tokens or not any(t.text in separators for t in span.tokens):
        return [span]
    pieces, run = [], []
    for token in [*span.tokens, None]:
        if token is not None and token.text not in separators:
            run.append(token)
            continue
        if run and any(ch.isalpha() for t in run for ch in t.text):
            start, stop = run[0].start, run[-1].stop
            pieces.append(DocSpan(start, stop, span.type, text[start:stop], tokens=run))
        run = []
    return pieces


def _quoted_name(span: DocSpan, text: str) -> DocSpan | None:
    """The quoted name of an organisation written as descriptor + name: "ОАО «Газпром»",
    "концерн «Майкрософт»". The name is the entity (and its own nominative, since a name after a
    descriptor does not inflect); legal forms vary between documents."""
    tokens = span.tokens or []
    if len(tokens) < 3 or tokens[-1].text not in CLOSE_QUOTES:
        return None
    for i in range(len(tokens) - 2, -1, -1):
        if tokens[i].text in OPEN_QUOTES:
            inner = tokens[i + 1 : -1]
            if not inner or not any(ch.isalpha() for t in inner for ch in t.text):
                return None
            start, stop = inner[0].start, inner[-1].stop
            return DocSpan(start, stop, span.type, text[start:stop], tokens=inner, normal=text[start:stop])
    return None


def _nominative(word: str, form: object | None) -> str:
    if form is None:
        return word
    return recover_shape(form.word.replace("ё", "е"), word)  # type: ignore[attr-defined]


def person_name(name: str) -> str:
    """A person's name with each part in the nominative and the surname agreeing in gender with
    the first name or patronymic. natasha's normaliser inflects word by word and yields
    "Петров Анна Сергеевна" or "Барак Обамы" when its tagger misreads one word. Only words the
    dictionary knows are changed: inflecting a guessed foreign name does more harm than good."""
    words = name.split()
    parses = [morph().parse(w) for w in words]
    # A name in a person's span is singular and formal: plural readings ("Мирзоянов" as the
    # genitive plural of a first name "Мирзоян") and informal vocatives ("Эль") are misreadings.
    known = [
        [p for p in word_parses if p.is_known and p.tag.number != "plur" and "Infr" not in p.tag.grammemes]
        for word_parses in parses
    ]
    gender = None
    for word_parses in known:
        given = [p for p in word_parses if {"Name", "Patr"} & p.tag.grammemes]
        if given and given[0].tag.gender in ("masc", "femn"):
            gender = given[0].tag.gender
            break
    out = []
    for word, word_parses, word_known in zip(words, parses, known, strict=True):
        roles = [p for p in word_known if NAME_ROLES & p.tag.grammemes]
        if not roles and gender and len(words) > 1:
            roles = [p for p in word_known if p.tag.POS == "ADJF"]  # Толстой, Долгорукий
        if not roles:
            out.append(word)
            continue
        if gender:
            fits = [p for p in roles if p.tag.gender == gender or "ms-f" in p.tag.grammemes]
            if not fits:  # a surname of the other gender: "Петров" beside "Анна"
                surnames = [p for p in roles if "Surn" in p.tag.grammemes]
                form = surnames[0].inflect({"nomn", "sing", gender}) if surnames else None
                out.append(_nominative(word, form))
                continue
            roles = fits
        if any(p.tag.case == "nomn" and p.tag.number != "plur" for p in (roles if gender else word_parses)):
            out.append(word)
        else:
            out.append(_nominative(word, roles[0].inflect({"nomn", "sing"})))
    return " ".join(out)


def _model_mentions(models: NatashaModels, doc: Doc) -> list[tuple[int, int, str, str]]:
    """(start, end, type, normalised) of natasha's spans in `doc`."""
    doc.tag_ner(models.ner_tagger)
    with_spans = [s for s in doc.sents if s.spans]
    _tag_sentences(models, with_spans, [s for s in with_spans if any(sp.type == "ORG" for sp in s.spans)])
    out = []
    for piece in (piece for span in _merge_names(doc.spans, doc.text) for piece in _split(span, doc.text)):
        span = (_quoted_name(piece, doc.text) if piece.type == "ORG" else None) or piece
        if span.tokens and span.normal is None:
            span.normalize(models.morph_vocab)
        normal = (span.normal or span.text).strip()
        entity_type = NATASHA_TYPES[span.type]
        if entity_type == "PERSON":
            normal = person_name(normal)
        elif entity_type == "GPE":
            entity_type = location_type(normal)
        out.append((span.start, span.stop, entity_type, normal))
    return out


def _resolve(
    model: list[tuple[int, int, str, str]], patterns: list[PatternMatch]
) -> list[tuple[int, int, str, str, MentionSource]]:
    """A phrase match replaces the model spans it covers ("Макарова" in "пистолет Макарова"):
    the lists are curated. A phrase match that cuts across a model span is dropped."""
    kept_patterns = []
    dropped = set()
    for p in patterns:
        overlapping = [i for i, m in enumerate(model) if m[0] < p.end and p.start < m[1]]
        if all(p.start <= model[i][0] and model[i][1] <= p.end for i in overlapping):
            kept_patterns.append(p)
            dropped.update(overlapping)
    spans: list[tuple[int, int, str, str, MentionSource]] = [
        (*m, "model") for i, m in enumerate(model) if i not in dropped
    ]
    spans += [(p.start, p.end, p.type, p.canonical, "pattern") for p in kept_patterns]
    return sorted(spans)


def analyze_russian(text: str, start: int = 0, end: int | None = None) -> RussianAnalysis:
    """Sentences and typed mentions of the Russian text `text[start:end]`, with offsets into
    `text`: a mixed file's Russian section is analysed in place."""
    models = natasha_models()
    chunk = text[start:end]
    doc = Doc(chunk)
    doc.segment(models.segmenter)
    model = _model_mentions(models, doc)
    patterns = match_phrases(chunk, [(t.start, t.stop, t.text) for t in doc.tokens])
    mentions = [
        RussianMention(start + s, start + e, entity_type, chunk[s:e], normal, source)
        for s, e, entity_type, normal, source in _resolve(model, patterns)
    ]
    sentences = [(start + s.start, start + s.stop) for s in doc.sents if s.text.strip()]
    return RussianAnalysis(sentences=sentences, mentions=mentions)
