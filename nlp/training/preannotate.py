"""`casegraph nlp preannotate`: Label Studio import tasks carrying the model's predictions, so
analysts correct rather than annotate from scratch.

Inputs: `.txt` files (one task per file, or per paragraph with `by_paragraph`), `.jsonl` files
(one task per line, the `text` field) and Label Studio `.json` exports (re-annotated with the
current model). Each prediction carries exact character offsets and the original substring.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..labels import graph_labels
from .formats import AnnotatedText, SpanAnnotation, labelstudio_task

if TYPE_CHECKING:
    from spacy.language import Language

_PARAGRAPH = re.compile(r"\n\s*\n")


def read_texts(paths: Iterable[Path], by_paragraph: bool = False) -> list[AnnotatedText]:
    items: list[AnnotatedText] = []
    for path in map(Path, paths):
        raw = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".jsonl":
            for n, line in enumerate(raw.splitlines()):
                if line.strip():
                    items.append(AnnotatedText(text=json.loads(line)["text"], meta={"source": f"{path.name}:{n + 1}"}))
        elif path.suffix == ".json":
            tasks = json.loads(raw)
            for n, task in enumerate(tasks if isinstance(tasks, list) else [tasks]):
                data = task.get("data", task)
                items.append(AnnotatedText(text=data["text"], meta={"source": f"{path.name}#{n}"}))
        elif by_paragraph:
            for n, part in enumerate(p for p in _PARAGRAPH.split(raw) if p.strip()):
                items.append(AnnotatedText(text=part, meta={"source": f"{path.name}¶{n + 1}"}))
        else:
            items.append(AnnotatedText(text=raw, meta={"source": path.name}))
    return items


def predict_items(nlp: Language, items: list[AnnotatedText], batch_size: int = 16) -> list[AnnotatedText]:
    """The items with the pipeline's graph-typed entities as spans."""
    keep = graph_labels()
    out = []
    for item, doc in zip(items, nlp.pipe((it.text for it in items), batch_size=batch_size), strict=True):
        spans = [
            SpanAnnotation(start=e.start_char, end=e.end_char, label=e.label_) for e in doc.ents if e.label_ in keep
        ]
        out.append(AnnotatedText(text=item.text, spans=spans, meta=item.meta))
    return out


def preannotate(nlp: Language, items: list[AnnotatedText]) -> list[dict[str, Any]]:
    version = f"{nlp.meta.get('name', 'pipeline')}-{nlp.meta.get('version', '0')}"
    return [labelstudio_task(item, as_prediction=version) for item in predict_items(nlp, items)]
