"""Annotations → spaCy DocBins: a reproducible train/dev split and rehearsal annotations.

Split: by a hash of each text, so an example always lands on the same side whatever the file
order and however many examples are added later.

Rehearsal (protection against forgetting the base labels): for every label the annotators did
*not* annotate (typically DATE, CARDINAL, NORP, ... and PERSON/GPE when only custom types were
annotated), the base model's own predictions are added to the training docs wherever they do not
overlap a gold span. The fine-tuned NER keeps seeing the base labels it already knew, so learning
DRUG does not unlearn PERSON.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .formats import AnnotatedText

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import DocBin

log = logging.getLogger(__name__)


def split(
    items: list[AnnotatedText], dev_fraction: float = 0.2, seed: int = 0
) -> tuple[list[AnnotatedText], list[AnnotatedText]]:
    """(train, dev): an item is in dev when the hash of (seed, text) falls under `dev_fraction`."""
    train: list[AnnotatedText] = []
    dev: list[AnnotatedText] = []
    for item in items:
        digest = hashlib.sha256(f"{seed}\0{item.text}".encode()).digest()
        bucket = int.from_bytes(digest[:8], "big") / 2**64
        (dev if bucket < dev_fraction else train).append(item)
    if not dev and len(train) > 1 and dev_fraction > 0:
        dev.append(train.pop())
    return train, dev


@dataclass
class ConversionStats:
    docs: int = 0
    gold_spans: int = 0
    rehearsal_spans: int = 0
    misaligned: int = 0
    labels: dict[str, int] = field(default_factory=dict)


def to_docbin(
    items: list[AnnotatedText], base: Language, gold_labels: set[str], rehearse: bool = True
) -> tuple[DocBin, ConversionStats]:
    """Docs with gold entities (+ base-model entities for the labels not annotated)."""
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    stats = ConversionStats()
    out = DocBin(store_user_data=False)
    texts = [it.text for it in items]
    if rehearse:
        ner_only = [n for n in base.pipe_names if n in ("tok2vec", "ner")]
        with base.select_pipes(enable=ner_only):
            docs = list(base.pipe(texts, batch_size=64))
    else:
        docs = [base.make_doc(t) for t in texts]
    for item, doc in zip(items, docs, strict=True):
        gold = []
        for s in item.spans:
            span = doc.char_span(s.start, s.end, label=s.label, alignment_mode="strict")
            if span is None:
                stats.misaligned += 1
                span = doc.char_span(s.start, s.end, label=s.label, alignment_mode="expand")
                log.debug("span %r does not fall on token boundaries: expanded", item.text[s.start : s.end])
            if span is not None:
                gold.append(span)
        silver = []
        if rehearse:
            taken = {i for span in gold for i in range(span.start, span.end)}
            silver = [
                e
                for e in doc.ents
                if e.label_ not in gold_labels and not any(i in taken for i in range(e.start, e.end))
            ]
        ents = filter_spans(gold + silver)
        doc.ents = ents
        stats.docs += 1
        stats.gold_spans += len(gold)
        stats.rehearsal_spans += sum(1 for e in ents if e in silver)
        for e in ents:
            stats.labels[e.label_] = stats.labels.get(e.label_, 0) + 1
        out.add(doc)
    return out, stats
