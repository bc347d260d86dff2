"""`casegraph_extract` (last): turns the annotated `Doc` into plain data in `doc._.casegraph` —
sentences, typed mentions, relations — inside the worker process, so `nlp.pipe(n_process=N)`
ships back small results and the main process only builds the pydantic contract.

Coreference seam: any component placed before `casegraph_extract` may set
`doc._.coref_clusters = [[(start_char, end_char), ...], ...]`. Spans of a cluster that contains a
named mention become mentions of that entity with source "coref".
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from casegraph.core.domain import load_domain
from nlp.labels import graph_labels
from nlp.relations import find_alias, sentence_relations

from .rows import MentionRow, RelationRow

# Types whose mentions may be followed by "also known as Y" (Y then becomes a mention of that type).
ALIASED_TYPES = frozenset({"PERSON", "GANG_ORG", "ORG", "DRUG"})

@Language.factory("casegraph_extract", default_config={"co_occurrence": None})
def make_extract(nlp: Language, name: str, co_occurrence: str | None) -> Any:
    predicate = co_occurrence or load_domain().co_occurrence
    return lambda doc: extract(doc, predicate)


def extract(doc: Doc, co_occurrence: str) -> Doc:
    """Fill `doc._.casegraph` with {"sentences": [[start, end]], "mentions": [MentionRow],
    "relations": [RelationRow]} (`nlp.components.rows` says what each field is)."""
    keep = graph_labels()
    model = {(s, e, lab) for s, e, lab in doc._.casegraph_model_ents or []}
    all_sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    sents = [s for s in all_sents if s.text and not s.text.isspace()]
    sent_of = {}
    for i, sent in enumerate(sents):
        for tok in sent:
            sent_of[tok.i] = i
    mentions: list[MentionRow] = []
    spans: list[Span] = []
    for ent in doc.ents:
        if ent.label_ not in keep or ent.start not in sent_of:
            continue
        source = "model" if (ent.start_char, ent.end_char, ent.label_) in model else "ruler"
        mentions.append(MentionRow(sent_of[ent.start], ent.start_char, ent.end_char, ent.label_, source,
                                   canonical=ent.ent_id_ or None, kb_id=ent.kb_id_ or None, ref=None))
        spans.append(ent)
    aliases = _aliases(doc, sents, sent_of, mentions, spans)
    _apply_coref(doc, sent_of, mentions, spans)
    relations: list[RelationRow] = []
    by_sent: dict[int, list[int]] = {}
    for idx, m in enumerate(mentions):
        by_sent.setdefault(m.sentence, []).append(idx)
    for s_idx, idxs in by_sent.items():
        if len(idxs) < 2:
            continue
        idxs.sort(key=lambda i: mentions[i].start)
        local = {g: n for n, g in enumerate(idxs)}
        local_aliases = {local[a]: local[p] for a, p in aliases.items() if a in local and p in local}
        labels = [mentions[i].label for i in idxs]
        for rel in sentence_relations(sents[s_idx], [spans[i] for i in idxs], co_occurrence, local_aliases, labels):
            relations.append(RelationRow(idxs[rel.source], idxs[rel.target], rel.predicate, rel.confidence, s_idx,
                                         rel.extractor, rel.stage))
    doc._.casegraph = {
        "sentences": [[s.start_char, s.end_char] for s in sents],
        "mentions": mentions,
        "relations": relations,
    }
    return doc


def _aliases(
    doc: Doc, sents: list[Span], sent_of: dict[int, int], mentions: list[MentionRow], spans: list[Span]
) -> dict[int, int]:
    """Find "X, also known as Y" and make Y a mention of X's type; returns {alias idx: X idx}."""
    found: dict[int, int] = {}
    text = doc.text  # built from the tokens on every access: once here
    for idx in range(len(spans)):
        span, m = spans[idx], mentions[idx]
        if m.label not in ALIASED_TYPES or m.source == "coref":
            continue
        hit = find_alias(text, span.end_char, sents[m.sentence].end_char)
        if hit is None:
            continue
        start, end = hit
        existing = next((i for i, o in enumerate(mentions) if o.start < end and start < o.end and i != idx), None)
        if existing is not None:
            # the NER's guess ("El Flaco" as GPE) yields to X's type
            mentions[existing] = mentions[existing]._replace(label=m.label)
            found[existing] = idx
            continue
        alias_span = doc.char_span(start, end, alignment_mode="expand")
        if alias_span is None or alias_span.start not in sent_of:
            continue
        mentions.append(MentionRow(m.sentence, alias_span.start_char, alias_span.end_char, m.label, "pattern",
                                   canonical=None, kb_id=None, ref=None))
        spans.append(alias_span)
        found[len(mentions) - 1] = idx
    return found


def _apply_coref(doc: Doc, sent_of: dict[int, int], mentions: list[MentionRow], spans: list[Span]) -> None:
    clusters = doc._.coref_clusters or []
    for cluster in clusters:
        members = []  # (cluster span, index of the named mention it coincides with, or None)
        for start, end in cluster:
            hit = next((i for i, m in enumerate(mentions) if m.start < end and start < m.end and m.source != "coref"),
                       None)
            members.append((start, end, hit))
        named = [h for _s, _e, h in members if h is not None]
        if not named:
            continue
        # The cluster's entity: its most frequent named type, first mention of that type.
        types = [mentions[h].label for h in named]
        label = max(set(types), key=types.count)
        head = next(h for h in named if mentions[h].label == label)
        for start, end, hit in members:
            if hit is not None:
                if hit != head and mentions[hit].label == label and mentions[hit].ref is None:
                    mentions[hit] = mentions[hit]._replace(ref=head)
                continue
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or span.start not in sent_of:
                continue
            mentions.append(MentionRow(sent_of[span.start], span.start_char, span.end_char, label, "coref",
                                       canonical=None, kb_id=None, ref=head))
            spans.append(span)
