"""NER evaluation: precision / recall / F1 per label and micro, exact and partial-overlap, with a
confusion table between labels.

Exact: a predicted span counts when start, end and label equal a gold span's. Partial: when it
overlaps a not-yet-matched gold span of the same label. Only the labels being evaluated count
(by default the labels present in the gold data), so a pipeline that also finds DRUG or NORP is not
penalised on data that never annotates them. The confusion table has one row per gold label: the
label of the prediction with the same boundaries (or, failing that, the most-overlapping one),
"(none)" when nothing overlaps.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from nlp.training.formats import AnnotatedText, SpanAnnotation

if TYPE_CHECKING:
    from spacy.language import Language

NONE = "(none)"


class PRF(BaseModel):
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def summary(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


class EvalReport(BaseModel):
    model: str
    data: list[str] = Field(default_factory=list)
    documents: int = 0
    words: int = 0
    seconds: float = 0.0
    labels: list[str] = Field(default_factory=list)
    exact: dict[str, PRF] = Field(default_factory=dict)
    partial: dict[str, PRF] = Field(default_factory=dict)
    confusion: dict[str, dict[str, int]] = Field(default_factory=dict)

    def micro(self, which: str = "exact") -> PRF:
        table = self.exact if which == "exact" else self.partial
        return PRF(
            tp=sum(p.tp for p in table.values()),
            fp=sum(p.fp for p in table.values()),
            fn=sum(p.fn for p in table.values()),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "data": self.data,
            "documents": self.documents,
            "words": self.words,
            "seconds": round(self.seconds, 2),
            "labels": self.labels,
            "exact": {**{k: v.summary() for k, v in self.exact.items()}, "micro": self.micro().summary()},
            "partial": {
                **{k: v.summary() for k, v in self.partial.items()},
                "micro": self.micro("partial").summary(),
            },
            "confusion": self.confusion,
        }

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=2), encoding="utf-8")


def score(
    gold: list[list[SpanAnnotation]], predicted: list[list[SpanAnnotation]], labels: Iterable[str]
) -> tuple[dict[str, PRF], dict[str, PRF], dict[str, dict[str, int]]]:
    """Exact and partial PRF per label, and the confusion table, over parallel document lists."""
    labels = sorted(set(labels))
    exact = {lab: PRF() for lab in labels}
    partial = {lab: PRF() for lab in labels}
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    for g_doc, p_doc in zip(gold, predicted, strict=True):
        g = [s for s in g_doc if s.label in exact]
        p_all = list(p_doc)
        p = [s for s in p_all if s.label in exact]
        g_set = {(s.start, s.end, s.label) for s in g}
        p_set = {(s.start, s.end, s.label) for s in p}
        for lab in labels:
            tp = sum(1 for s in g_set if s[2] == lab and s in p_set)
            exact[lab].tp += tp
            exact[lab].fn += sum(1 for s in g_set if s[2] == lab) - tp
            exact[lab].fp += sum(1 for s in p_set if s[2] == lab) - tp
        used: set[int] = set()
        for gs in sorted(g, key=lambda s: s.start):
            hit = next(
                (
                    i
                    for i, ps in enumerate(p)
                    if i not in used and ps.label == gs.label and ps.start < gs.end and gs.start < ps.end
                ),
                None,
            )
            if hit is None:
                partial[gs.label].fn += 1
            else:
                used.add(hit)
                partial[gs.label].tp += 1
        for i, ps in enumerate(p):
            if i not in used:
                partial[ps.label].fp += 1
        by_bounds = {(s.start, s.end): s.label for s in p_all}
        for gs in g:
            label = by_bounds.get((gs.start, gs.end))
            if label is None:
                overlaps = [
                    (min(gs.end, s.end) - max(gs.start, s.start), s.label)
                    for s in p_all
                    if s.start < gs.end and gs.start < s.end
                ]
                label = max(overlaps)[1] if overlaps else NONE
            confusion[gs.label][label] += 1
    return exact, partial, {k: dict(v.most_common()) for k, v in sorted(confusion.items())}


def predict(nlp: Language, texts: list[str], batch_size: int = 8) -> list[list[SpanAnnotation]]:
    """The pipeline's entities as spans (after the ruler and trimming, as the graph sees them)."""
    out = []
    for doc in nlp.pipe(texts, batch_size=batch_size):
        out.append([SpanAnnotation(start=e.start_char, end=e.end_char, label=e.label_) for e in doc.ents])
    return out


def evaluate(
    nlp: Language,
    items: list[AnnotatedText],
    *,
    model: str = "",
    data: Iterable[str] = (),
    labels: Iterable[str] | None = None,
) -> EvalReport:
    labels = sorted(set(labels) if labels else {s.label for it in items for s in it.spans})
    started = time.perf_counter()
    predicted = predict(nlp, [it.text for it in items])
    seconds = time.perf_counter() - started
    exact, partial, confusion = score([it.spans for it in items], predicted, labels)
    return EvalReport(
        model=model,
        data=list(data),
        documents=len(items),
        words=sum(len(it.text.split()) for it in items),
        seconds=seconds,
        labels=labels,
        exact=exact,
        partial=partial,
        confusion=confusion,
    )
