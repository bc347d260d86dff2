"""Mention detection for rule coreference: names (NER entities and titled names), pronouns,
role nouns and other nominals of one parsed `Doc`, each with its agreement features."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Doc, Span, Token

from casegraph.core.domain import load_domain
from nlp.coref.lexicon import (
    LEGAL_ROLES,
    PERSON_NOUNS,
    PRONOUNS,
    Gender,
    Number,
    Pronoun,
    first_name_genders,
    is_title,
    noun_gender,
    title_gender,
    words,
)

MentionKind = Literal["name", "pronoun", "nominal"]
TokenSpan = tuple[int, int]  # [start, end) token offsets

# Labels whose repeated names cluster: domain.toml [type_rules].
NAMED_TYPES = load_domain().type_rules.coref_named
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
OBJECT_DEPS = {"dobj", "dative", "pobj", "iobj", "obj"}
# Definite noun phrases that are almost never an entity (time, manner, quantity, parts).
_NOT_ENTITIES = words(
    "time moment day night morning evening year week month hour minute way rest same other "
    "first last end side part kind sort thing matter fact case point course subject idea "
    "reason world truth question answer word name number lot whole top bottom middle front "
    "back left right"
)
_PLEONASTIC_VERBS = {"seem", "appear", "happen", "rain", "snow", "matter", "occur", "take"}


@dataclass
class Mention:
    start: int
    end: int
    kind: MentionKind
    sent: int
    head: int  # token index of the syntactic head
    etype: str | None = None  # NER label for names, PERSON for person nominals
    key: tuple[str, ...] = ()  # name tokens (names) or the head lemma (nominals)
    gender: Gender | None = None
    number: Number = "sg"
    pronoun: Pronoun | None = None
    role: str | None = None
    definite: bool = False
    in_quote: bool = False
    animate: bool | None = None
    phrase: tuple[str, ...] = ()  # a nominal's words without its determiner, for exact matches

    @property
    def span(self) -> TokenSpan:
        return (self.start, self.end)


def detect(doc: Doc, sents: list[int], quotes: list[bool]) -> list[Mention]:
    mentions: list[Mention] = []
    taken: set[int] = set()
    for ent in doc.ents:
        if ent.label_ not in NAMED_TYPES:
            continue
        m = _name(doc, ent.start, ent.end, ent.label_, sents, quotes)
        if m is not None:
            mentions.append(m)
            taken.update(range(m.start, m.end))
    mentions += _titled_names(doc, taken, sents, quotes)
    taken = {i for m in mentions for i in range(m.start, m.end)}
    for tok in doc:
        if tok.i not in taken and (m := pronoun_mention(tok, sents, quotes)):
            mentions.append(m)
    if doc.has_annotation("DEP"):
        for chunk in doc.noun_chunks:
            if chunk.root.i in taken or chunk.root.lower_ in PRONOUNS:
                continue
            m = _nominal(chunk, sents, quotes) or _definite_np(chunk, sents, quotes)
            if m is not None:
                mentions.append(m)
    return mentions


def classify(doc: Doc, span: TokenSpan, sents: list[int], quotes: list[bool]) -> Mention | None:
    """Type a given mention span: pronoun, name (has a proper noun) or nominal."""
    start, end = span
    if end <= start:
        return None
    chunk = doc[start:end]
    if end - start == 1 and (m := pronoun_mention(doc[start], sents, quotes, strict=False)):
        return m
    root = chunk.root
    if root.pos_ == "PROPN" or root.ent_type_ in NAMED_TYPES:
        label = root.ent_type_ or next((t.ent_type_ for t in chunk if t.ent_type_), "")
        if not label:
            label = "PERSON" if any(is_title(t.text) for t in chunk) else "PROPN"
        m = _name(doc, start, end, label, sents, quotes, keep_span=True)
        if m is not None:
            return m
    m = _nominal(chunk, sents, quotes)
    if m is None:  # an inanimate or unknown noun phrase: still a mention, never a pronoun antecedent
        m = Mention(start, end, "nominal", sents[start], root.i, key=(root.lemma_.lower(),), animate=False)
        m.number = "pl" if root.tag_ in {"NNS", "NNPS"} else "sg"
        m.in_quote = quotes[start]
        m.definite = chunk[0].lower_ == "the"
        m.phrase = phrase_of(chunk)
    return m


def _name(doc: Doc,
    start: int,
    end: int,
    label: str,
    sents: list[int],
    quotes: list[bool],
    keep_span: bool = False,
) -> Mention | None:
    # Possessive markers and trailing punctuation are not part of the name.
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    if end <= start:
        return None
    gender: Gender | None = None
    # A title right before the entity belongs to the mention ("Det." + "Ramirez").
    if label == "PERSON" and not keep_span:
        while start > 0:
            prev = doc[start - 1]
            if is_title(prev.text) and prev.is_title:
                start -= 1
            elif prev.text == "." and start > 1 and is_title(doc[start - 2].text):
                start -= 2  # "Det" "." tokenised apart
            else:
                break
    key: list[str] = []
    for tok in doc[start:end]:
        low = tok.lower_
        if not key and is_title(low) and label in {"PERSON", "PROPN"}:
            gender = gender or title_gender(low)
            continue
        if not key and low in _DETERMINERS:
            continue
        if tok.is_punct and low not in {".", "-"} or tok.tag_ == "POS":
            continue
        key.append(low.rstrip("."))
    key = [k for k in key if k]
    if not key:
        return None
    etype = "PERSON" if label == "PROPN" and gender else label
    if etype == "PERSON" and gender is None and len(key) >= 1:
        first = key[0]
        gender = first_name_genders().get(first) if len(first) > 1 else None
    head = doc[start:end].root.i
    m = Mention(start, end, "name", sents[start], head, etype=etype, key=tuple(key), gender=gender)
    m.animate = True if etype == "PERSON" else (False if etype in NAMED_TYPES else None)
    m.number = "sg"
    m.in_quote = quotes[start]
    return m


def _titled_names(doc: Doc, taken: set[int], sents: list[int], quotes: list[bool]) -> list[Mention]:
    """Title + proper noun(s) that NER missed: "Mr. Darcy", "Det. Ramirez"."""
    out = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        if tok.i not in taken and is_title(tok.text) and tok.is_title:
            j = i + 1
            while j < len(doc) and j not in taken and doc[j].pos_ == "PROPN" and doc[j].is_title:
                j += 1
            if j > i + 1 and (m := _name(doc, i, j, "PERSON", sents, quotes)):
                out.append(m)
                i = j
                continue
        i += 1
    return out


def pronoun_mention(tok: Token, sents: list[int], quotes: list[bool], strict: bool = True) -> Mention | None:
    pron = PRONOUNS.get(tok.lower_)
    if pron is None:
        return None
    if strict and tok.pos_ not in {"PRON", "DET", ""} and tok.tag_ not in {"PRP", "PRP$"}:
        return None
    if pron.gender == "n" and _pleonastic(tok):
        return None
    animate = None if pron.gender is None else pron.gender != "n"
    if pron.person == 1:
        animate = True
    return Mention(
        tok.i,
        tok.i + 1,
        "pronoun",
        sents[tok.i],
        tok.i,
        gender=pron.gender if pron.gender != "n" else None,
        number=pron.number,
        pronoun=pron,
        in_quote=quotes[tok.i],
        animate=animate,
    )


def _definite_np(chunk: Span, sents: list[int], quotes: list[bool]) -> Mention | None:
    """ "the house", "the black car": not a person, but repeated word for word it is one thing."""
    root = chunk.root
    if root.pos_ != "NOUN" or chunk[0].lower_ != "the" or root.lemma_.lower() in _NOT_ENTITIES:
        return None
    m = Mention(chunk.start, chunk.end, "nominal", sents[chunk.start], root.i, key=(root.lemma_.lower(),))
    m.number = "pl" if root.tag_ == "NNS" else "sg"
    m.definite, m.in_quote, m.phrase = True, quotes[chunk.start], phrase_of(chunk)
    return m


def _nominal(chunk: Span, sents: list[int], quotes: list[bool]) -> Mention | None:
    root = chunk.root
    lemma = root.lemma_.lower()
    if root.pos_ != "NOUN" or lemma not in PERSON_NOUNS:
        return None
    first = chunk[0]
    definite = first.lower_ in {"the", "this", "that"} or first.tag_ == "PRP$"
    m = Mention(
        chunk.start,
        chunk.end,
        "nominal",
        sents[chunk.start],
        root.i,
        etype="PERSON",
        key=(lemma,),
        gender=noun_gender(lemma),
        number="pl" if root.tag_ == "NNS" else "sg",
        role=lemma if lemma in LEGAL_ROLES else None,
        definite=definite,
        in_quote=quotes[chunk.start],
        animate=True,
        phrase=phrase_of(chunk),
    )
    return m


def phrase_of(chunk: Span) -> tuple[str, ...]:
    words = [t.lower_ for t in chunk if not t.is_punct]
    while words and (words[0] in _DETERMINERS or words[0] in PRONOUNS):
        words.pop(0)
    return tuple(words)


def sentence_index(doc: Doc) -> list[int]:
    """Sentence number of each token; without sentence boundaries, 25-token pseudo-sentences."""
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        out = [0] * len(doc)
        for n, sent in enumerate(doc.sents):
            for i in range(sent.start, sent.end):
                out[i] = n
        return out
    return [i // 25 for i in range(len(doc))]


def _pleonastic(tok: Token) -> bool:
    """Non-referential "it": "it is likely that", "it seems", "it rained"."""
    if tok.lower_ != "it":
        return False
    if tok.dep_ == "expl":
        return True
    head = tok.head
    if tok.dep_ in SUBJECT_DEPS and head.lemma_ in _PLEONASTIC_VERBS:
        return True
    if tok.dep_ in SUBJECT_DEPS and head.lemma_ == "be":
        kids = {c.dep_ for c in head.children}
        return bool(kids & {"ccomp", "xcomp"}) and bool(kids & {"acomp", "attr"})
    return False
