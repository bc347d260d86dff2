"""ParsedDocument → DocumentResult: sentences, typed entity mentions and sentence-level relations.

`analyze(parsed)` for one document, `analyze_many(docs, n_process=N)` for a batch through
`nlp.pipe`. The spaCy work, relation extraction included, happens in the `casegraph_extract`
component (so in the worker processes); here the plain data is turned into keyed entities.

Seams for coreference and cross-document resolution:
- a coreference component (see `loader.coref_factory`) sets `doc._.coref_clusters`; its spans
  become mentions of the cluster's named entity with source "coref";
- `resolver`, a `KeyResolver` `(type, name, kb_id) -> key`, decides entity identity
  (default: `nlp.keys.entity_key`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from casegraph.core.domain import load_domain
from casegraph.core.limits import Limits, bounded_key, is_name_sized, sentence_pieces
from casegraph.core.models import (
    DocumentResult,
    EntityRecord,
    MentionRecord,
    ParsedDocument,
    RelationRecord,
    SentenceRecord,
)

from .keys import ORG_HEADS, KeyResolver, clean_name, entity_key, natural_name, split_nickname
from .labels import graph_labels
from .routing import russian_part, sections

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

# Long documents are cut at paragraph breaks so memory stays flat and offsets stay exact.
MAX_CHUNK_CHARS = 100_000


def chunks(text: str, limit: int = MAX_CHUNK_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) pairs covering `text`, cut after a blank line, a newline or a space."""
    out: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n") if "\n\n" not in window else -1)
        if cut < limit // 2:
            cut = max(cut, window.rfind(". "), window.rfind(" "))
        cut = cut + 1 if cut > 0 else limit
        out.append((start, text[start : start + cut]))
        start += cut
    out.append((start, text[start:]))
    return out


# Builds a document's key resolver from the names found in it, by type (see nlp.resolution.Resolver).
ResolverFactory = Callable[[Mapping[str, list[str]]], KeyResolver]


def analyze(
    parsed: ParsedDocument,
    nlp: Language | None = None,
    resolver: KeyResolver | None = None,
    resolver_factory: ResolverFactory | None = None,
) -> DocumentResult:
    """Run the casegraph pipeline on one document."""
    return next(iter(analyze_many([parsed], nlp=nlp, resolver=resolver, resolver_factory=resolver_factory)))


def analyze_many(
    parsed_docs: Iterable[ParsedDocument],
    *,
    nlp: Language | None = None,
    n_process: int = 1,
    batch_size: int = 32,
    resolver: KeyResolver | None = None,
    resolver_factory: ResolverFactory | None = None,
) -> Iterator[DocumentResult]:
    """Analyse documents in a stream; results come in input order, one per document.

    Entity keys come from `resolver_factory(names by type in the document)` when given (cross-document
    resolution), else from `resolver`, else from `nlp.keys.entity_key`."""
    from .loader import load_pipeline

    nlp = nlp or load_pipeline()
    limits = Limits.from_settings()
    pending: dict[int, _Pending] = {}
    next_out = 0

    def items() -> Iterator[tuple[str, tuple[int, int]]]:
        for n, parsed in enumerate(parsed_docs):
            lang, parts = sections(parsed.text)
            if lang and not parsed.document.language:
                parsed = parsed.model_copy(update={"document": parsed.document.model_copy(update={"language": lang})})
            pieces: list[tuple[int, str]] = []
            russian: list[tuple[int, dict[str, Any]]] = []
            for sec in parts:
                # Overlong "sentences" (a megabyte without a full stop) are cut before NLP: no model
                # sees an unbounded sentence or token.
                if sec.lang == "ru":
                    russian += [(sec.start + o, russian_part(parsed.text, sec.start + o, sec.start + o + len(p)))
                                for o, p in sentence_pieces(parsed.text[sec.start : sec.end], limits.sentence)]
                else:
                    pieces += [(sec.start + o + o2, p2) for o, p in chunks(parsed.text[sec.start : sec.end])
                               for o2, p2 in sentence_pieces(p, limits.sentence)]
            pending[n] = _Pending(parsed, len(pieces) + len(russian))
            for offset, data in russian:
                pending[n].add(offset, data)
            for offset, piece in pieces:
                yield piece, (n, offset)

    def ready() -> Iterator[DocumentResult]:
        nonlocal next_out
        while next_out in pending and pending[next_out].complete:
            yield pending.pop(next_out).result(resolver or entity_key, resolver_factory)
            next_out += 1

    for doc, (n, offset) in nlp.pipe(items(), as_tuples=True, n_process=n_process, batch_size=batch_size):
        pending[n].add(offset, doc._.casegraph)
        yield from ready()
    yield from ready()  # documents read without spaCy (all Russian) at the end of the stream


class _Pending:
    """One document's chunks as they come back from `nlp.pipe`."""

    def __init__(self, parsed: ParsedDocument, n_chunks: int):
        self.parsed = parsed
        self.n_chunks = n_chunks
        self.parts: list[tuple[int, dict[str, Any]]] = []

    @property
    def complete(self) -> bool:
        return len(self.parts) == self.n_chunks

    def add(self, offset: int, data: dict[str, Any] | None) -> None:
        self.parts.append((offset, data or {"sentences": [], "mentions": [], "relations": []}))

    def result(self, resolver: KeyResolver, factory: ResolverFactory | None = None) -> DocumentResult:
        parts = sorted(self.parts, key=lambda p: p[0])
        if factory is not None:
            resolver = factory(document_names(self.parsed.text, parts))
        return build_result(self.parsed, parts, resolver)


def document_names(text: str, parts: list[tuple[int, dict[str, Any]]]) -> dict[str, list[str]]:
    """The names each type has in a document (coreference mentions aside): what lets a resolver
    read "Mendez" as the "Carlos Mendez" of the same document."""
    names: dict[str, list[str]] = {}
    max_chars = Limits.from_settings().name
    for offset, data in parts:
        for _sent, start, end, label, source, canonical, _kb, _ref in data["mentions"]:
            if source != "coref" and end - start <= max_chars:
                name = split_nickname(canonical or clean_name(text[start + offset : end + offset]))[0]
                names.setdefault(label, []).append(name)
    return names


def build_result(
    parsed: ParsedDocument,
    parts: list[tuple[int, dict[str, Any]]],
    resolver: KeyResolver = entity_key,
    limits: Limits | None = None,
) -> DocumentResult:
    """Turn `casegraph_extract` output (per chunk, with its offset) into the typed contract.
    A span longer than `limits.name` is no entity (nor are the mentions and relations that refer
    to it), and every key fits `limits.key_bytes`."""
    limits = limits or Limits.from_settings()
    text = parsed.text
    sentences: list[SentenceRecord] = []
    mentions: list[list[Any]] = []  # document-level copies with global offsets and indices
    relations: list[list[Any]] = []
    for offset, data in parts:
        s_base, m_base = len(sentences), len(mentions)
        for start, end in data["sentences"]:
            a, b = start + offset, end + offset
            sentences.append(SentenceRecord(idx=len(sentences), text=text[a:b], page=parsed.page_at(a), start=a, end=b))
        for sent, start, end, label, source, canonical, kb_id, ref in data["mentions"]:
            mentions.append(
                [
                    sent + s_base,
                    start + offset,
                    end + offset,
                    label,
                    source,
                    canonical,
                    kb_id,
                    None if ref is None else ref + m_base,
                ]
            )
        for src, tgt, predicate, confidence, sent, *extra in data["relations"]:
            extractor, stage = ([*extra, None, None])[:2]
            relations.append([src + m_base, tgt + m_base, predicate, confidence, sent + s_base, extractor, stage])

    # "X, also known as Y": Y is X. Keyed as X, so one run yields one node (not an alias node that
    # only a later run would redirect), and the resolver learns Y for the documents that follow.
    alias_of = {src: tgt for src, tgt, predicate, *_ in relations if predicate == "alias_of" and tgt < src}
    entities: dict[str, EntityRecord] = {}
    keys: list[str | None] = []  # None: the mention was dropped
    learn = getattr(resolver, "learn", None)
    type_of = getattr(resolver, "type_of", None)  # a resolver may know a mistyped mention's real type
    for sent, start, end, label, source, canonical, kb_id, ref in mentions:
        surface = text[start:end]
        nickname = None
        ref_key = keys[ref] if ref is not None and ref < len(keys) else None
        alias_key = keys[alias_of[len(keys)]] if len(keys) in alias_of else None
        if not is_name_sized(surface, limits.name) or (ref_key is None and ref is not None and ref < len(keys)):
            keys.append(None)
            continue
        if ref_key is not None:
            key = ref_key
        elif alias_key is not None:
            key = alias_key
            nickname = split_nickname(clean_name(surface))[0]
        else:
            name = canonical or clean_name(surface)
            if label == "PERSON":
                name, nickname = split_nickname(name)
            key = bounded_key(resolver(label, name, kb_id), limits.key_bytes)
        keys.append(key)
        entity = entities.get(key)
        if entity is None:
            name = (
                canonical or split_nickname(clean_name(surface))[0]
                if ref is None
                else split_nickname(clean_name(text[mentions[ref][1] : mentions[ref][2]]))[0]
            )
            entity = entities[key] = EntityRecord(key=key, name=name, type=(type_of and type_of(key)) or label,
                                                  kb_id=kb_id)
        if source != "coref":
            _add_alias(entity, split_nickname(clean_name(surface))[0])
        if nickname:
            _add_alias(entity, nickname)
            if learn is not None:  # later mentions of the nickname alone resolve to this entity
                learn(key, entity.type, nickname)
        entity.mentions.append(MentionRecord(sentence_idx=sent, start=start, end=end, text=surface, source=source))

    _add_known(parsed, entities, sentences, resolver, limits)
    for entity in entities.values():
        if entity.type == "PERSON":  # "Mendez" seen first, "Carlos Mendez" later: the fuller name leads
            # In natural order and case: "PRICE, Jamal Dwayne" is shown as "Jamal Dwayne Price".
            fullest = max(map(natural_name, [entity.name, *entity.aliases]), key=lambda n: (len(n.split()), len(n)))
            if fullest != entity.name:
                entity.aliases = [a for a in [entity.name, *entity.aliases] if a != fullest]
                entity.name = fullest

    out: dict[tuple[str, str, str, int], RelationRecord] = {}
    domain = load_domain()
    for src, tgt, predicate, confidence, sent, extractor, stage in relations:
        a, b = keys[src], keys[tgt]
        if a is None or b is None or a == b:
            continue
        if predicate == "alias_of":
            _add_alias(entities[b], entities[a].name)
            continue
        # Only the relation set, between the endpoint types it allows (a resolver may have retyped one).
        if not domain.relation_allowed(predicate, entities[a].type, entities[b].type):
            continue
        slot = (a, b, predicate, sent)
        if slot not in out or out[slot].confidence < confidence:
            out[slot] = RelationRecord(
                source_key=a, target_key=b, predicate=predicate, sentence_idx=sent, confidence=confidence,
                extractor=extractor or None, stage=stage,
            )
    return DocumentResult(
        document=parsed.document,
        text=text,
        sentences=sentences,
        entities=list(entities.values()),
        relations=_dedupe_co_occurrence(list(out.values())),
    )


def _add_alias(entity: EntityRecord, alias: str) -> None:
    if alias and alias != entity.name and alias not in entity.aliases:
        entity.aliases.append(alias)


def _dedupe_co_occurrence(relations: list[RelationRecord]) -> list[RelationRecord]:
    """One co-occurrence per unordered pair and sentence (B-with-A duplicates A-with-B)."""
    from casegraph.core.domain import load_domain

    co = load_domain().co_occurrence
    seen: set[tuple[frozenset[str], int]] = set()
    out = []
    for rel in relations:
        if rel.predicate == co:
            slot = (frozenset((rel.source_key, rel.target_key)), rel.sentence_idx)
            if slot in seen:
                continue
            seen.add(slot)
        out.append(rel)
    return out


def _add_known(
    parsed: ParsedDocument,
    entities: dict[str, EntityRecord],
    sentences: list[SentenceRecord],
    resolver: KeyResolver,
    limits: Limits,
) -> None:
    """Entities known without NLP (e-mail senders, recipients): added, with their occurrences."""
    labels = graph_labels()
    for type_, name in parsed.known_entities:
        if type_ not in labels or not is_name_sized(name.strip(), limits.name):
            log.debug("known entity %r of type %r is not in the domain: skipped", name, type_)
            continue
        if type_ == "PERSON" and len(name.split()) > 1 and name.split()[-1].lower() in ORG_HEADS:
            type_ = "ORG"  # a team mailbox: "Narcotics and Gang Unit <ngu@…>"
        key = bounded_key(resolver(type_, clean_name(name), None), limits.key_bytes)
        entity = entities.setdefault(key, EntityRecord(key=key, name=clean_name(name), type=type_))
        taken = {(m.start, m.end) for m in entity.mentions}
        for match in re.finditer(re.escape(name.strip()), parsed.text, flags=re.IGNORECASE):
            span = (match.start(), match.end())
            sent = next((s.idx for s in sentences if s.start <= span[0] < s.end), None)
            if sent is None or any(a < span[1] and span[0] < b for a, b in taken):
                continue
            entity.mentions.append(
                MentionRecord(sentence_idx=sent, start=span[0], end=span[1], text=match.group(0), source="email")
            )
