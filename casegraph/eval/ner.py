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

from casegraph.eval.scoring import Counts, micro
from nlp.training.formats import AnnotatedText, SpanAnnotation

if TYPE_CHECKING:
    from spacy.language import Language

NONE = "(none)"
TABLE_COLUMNS = ["label", "P", "R", "F1", "partial F1", "gold", "predicted"]


# The tally per label; `PRF` is the name this module's callers know it by.
PRF = Counts


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
    # Error analysis: per label, the most frequent surface forms missed (gold, no exact prediction)
    # and spurious (predicted, no exact gold), as [surface, count] — where to work next.
    missed: dict[str, list[tuple[str, int]]] = Field(default_factory=dict)
    spurious: dict[str, list[tuple[str, int]]] = Field(default_factory=dict)

    def micro(self, which: str = "exact") -> PRF:
        return micro((self.exact if which == "exact" else self.partial).values())

    def table_rows(self) -> list[list[str]]:
        """One row per label and micro, under `TABLE_COLUMNS`: the NER tables of the reports."""
        rows = []
        for label in [*self.labels, "micro"]:
            ex = self.micro() if label == "micro" else self.exact[label]
            pa = self.micro("partial") if label == "micro" else self.partial[label]
            rows.append([label, *(f"{x:.3f}" for x in (ex.precision, ex.recall, ex.f1, pa.f1)),
                         str(ex.gold), str(ex.predicted)])
        return rows

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
            "missed": self.missed,
            "spurious": self.spurious,
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
        for lab in labels:
            exact[lab] += Counts.of_sets(
                ((s.start, s.end) for s in g if s.label == lab), ((s.start, s.end) for s in p if s.label == lab)
            )
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


def surface_errors(
    texts: list[str],
    gold: list[list[SpanAnnotation]],
    predicted: list[list[SpanAnnotation]],
    labels: Iterable[str],
    top: int = 10,
) -> tuple[dict[str, list[tuple[str, int]]], dict[str, list[tuple[str, int]]]]:
    """Per label, the `top` surface forms missed and spurious (exact span and label)."""
    wanted = set(labels)
    missed: dict[str, Counter[str]] = defaultdict(Counter)
    spurious: dict[str, Counter[str]] = defaultdict(Counter)
    for text, g_doc, p_doc in zip(texts, gold, predicted, strict=True):
        g_set = {(s.start, s.end, s.label) for s in g_doc if s.label in wanted}
        p_set = {(s.start, s.end, s.label) for s in p_doc if s.label in wanted}
        for start, end, label in g_set - p_set:
            missed[label][text[start:end]] += 1
        for start, end, label in p_set - g_set:
            spurious[label][text[start:end]] += 1
    return (
        {k: v.most_common(top) for k, v in sorted(missed.items())},
        {k: v.most_common(top) for k, v in sorted(spurious.items())},
    )


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
    missed, spurious = surface_errors([it.text for it in items], [it.spans for it in items], predicted, labels)
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
        missed=missed,
        spurious=spurious,
    )
