"""Annotation formats in and out: spaCy JSONL, Label Studio JSON / JSON-MIN, LitBank brat.

Everything is read into `AnnotatedText` (text + character spans + label); offsets are checked
against the text so a bad export fails with the file and item, not later inside spaCy.

- spaCy JSONL: one `{"text": ..., "spans": [{"start", "end", "label"}]}` per line.
- Label Studio JSON export: a list of tasks `{"data": {"text": ...}, "annotations": [{"result":
  [{"type": "labels", "value": {"start", "end", "text", "labels": [...]}}]}]}`; the newest
  annotation that was not cancelled is used.
- Label Studio JSON-MIN export: a list of `{"text": ..., "label": [{"start", "end", "text",
  "labels": [...]}]}` (the label key is the control tag's name, found automatically).
- LitBank (`entities/*.ann`): proper-name spans only, mapped to OntoNotes types (see `read_litbank`).
- realcases (a directory of `part*.md`): `realcases.read_any` reads it with the formats above.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from casegraph.core.errors import CasegraphError

from ..labels import graph_labels

log = logging.getLogger(__name__)


class AnnotationError(CasegraphError):
    exit_code = 2


class SpanAnnotation(BaseModel):
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    label: str


class AnnotatedText(BaseModel):
    text: str
    spans: list[SpanAnnotation] = Field(default_factory=list)
    meta: dict[str, Any] = Field(default_factory=dict)


def read_annotations(paths: Iterable[Path], labels: frozenset[str] | None = None) -> list[AnnotatedText]:
    """Read every file (format from its content), checking offsets and labels."""
    labels = labels or graph_labels()
    out: list[AnnotatedText] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            out.extend(read_litbank(path))
            continue
        for n, item in enumerate(_read_file(path)):
            _check(item, f"{path.name} item {n}", labels)
            out.append(item)
    return out


def _read_file(path: Path) -> list[AnnotatedText]:
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        rows = [json.loads(line) for line in raw.splitlines() if line.strip()]
        return [_from_spacy_row(r, path, n) for n, r in enumerate(rows)]
    data = json.loads(raw)
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise AnnotationError(f"{path}: expected a list of tasks")
    items = []
    for n, task in enumerate(data):
        if "annotations" in task or "data" in task:
            item = _from_labelstudio(task)
        elif "spans" in task:
            item = _from_spacy_row(task, path, n)
        else:
            item = _from_json_min(task)
        if item is not None:
            items.append(item)
    return items


def _from_spacy_row(row: dict[str, Any], path: Path, n: int) -> AnnotatedText:
    if "text" not in row:
        raise AnnotationError(f'{path.name} line {n + 1}: no "text"')
    spans = [SpanAnnotation(start=s["start"], end=s["end"], label=s["label"]) for s in row.get("spans", [])]
    meta = {k: v for k, v in row.items() if k not in ("text", "spans", "tokens")}
    return AnnotatedText(text=row["text"], spans=spans, meta=meta)


def _text_of(data: dict[str, Any]) -> str:
    if isinstance(data.get("text"), str):
        return data["text"]
    for value in data.values():
        if isinstance(value, str) and value:
            return value
    raise AnnotationError("a Label Studio task without a text field")


def _result_spans(results: Iterable[dict[str, Any]]) -> list[SpanAnnotation]:
    spans = []
    for r in results:
        value = r.get("value", {})
        if r.get("type", "labels") != "labels" or "start" not in value:
            continue
        for label in value.get("labels", []):
            spans.append(SpanAnnotation(start=value["start"], end=value["end"], label=label))
    return spans


def _from_labelstudio(task: dict[str, Any]) -> AnnotatedText | None:
    text = _text_of(task.get("data", {}))
    annotations = [a for a in task.get("annotations", []) if not a.get("was_cancelled")]
    if not annotations:
        return None  # not annotated yet: predictions alone are not training data
    newest = max(annotations, key=lambda a: (a.get("updated_at") or a.get("created_at") or "", a.get("id", 0)))
    meta = {"id": task.get("id")} if task.get("id") is not None else {}
    return AnnotatedText(text=text, spans=_result_spans(newest.get("result", [])), meta=meta)


def _from_json_min(task: dict[str, Any]) -> AnnotatedText | None:
    label_keys = [
        k
        for k, v in task.items()
        if isinstance(v, list) and v and all(isinstance(x, dict) and "labels" in x for x in v)
    ]
    text_key = "text" if isinstance(task.get("text"), str) else None
    if text_key is None:
        text_key = next((k for k, v in task.items() if isinstance(v, str) and k not in ("annotator",)), None)
    if text_key is None:
        raise AnnotationError("a JSON-MIN item without a text field")
    spans = []
    for key in label_keys:
        spans += _result_spans({"type": "labels", "value": v} for v in task[key])
    meta = {"id": task.get("id")} if task.get("id") is not None else {}
    return AnnotatedText(text=task[text_key], spans=spans, meta=meta)


def _check(item: AnnotatedText, where: str, labels: frozenset[str]) -> None:
    for s in item.spans:
        if not 0 <= s.start < s.end <= len(item.text):
            raise AnnotationError(f"{where}: span {s.start}-{s.end} is outside the text ({len(item.text)} chars)")
        if s.label not in labels:
            raise AnnotationError(f"{where}: label {s.label!r} is not an entity type in casegraph/core/domain.toml")


def write_jsonl(items: Iterable[AnnotatedText], path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as f:
        for item in items:
            row = {"text": item.text, "spans": [s.model_dump() for s in item.spans], **item.meta}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n


def labelstudio_result(text: str, spans: Iterable[SpanAnnotation]) -> list[dict[str, Any]]:
    return [
        {
            "id": uuid.uuid4().hex[:10],
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "origin": "manual",
            "value": {"start": s.start, "end": s.end, "text": text[s.start : s.end], "labels": [s.label]},
        }
        for s in spans
    ]


def labelstudio_task(item: AnnotatedText, *, as_prediction: str | None = None) -> dict[str, Any]:
    """A Label Studio task: the spans as an annotation, or as a prediction of model `as_prediction`."""
    result = labelstudio_result(item.text, item.spans)
    task: dict[str, Any] = {"data": {"text": item.text, **item.meta}}
    if as_prediction is None:
        task["annotations"] = [{"result": result, "was_cancelled": False}]
    else:
        for r in result:
            r["origin"] = "prediction"
        task["predictions"] = [{"model_version": as_prediction, "result": result}]
    return task


def labelstudio_config() -> str:
    """A Label Studio labelling config with every domain entity type and its colour."""
    from casegraph.core.domain import load_domain

    labels = "\n".join(f'    <Label value="{name}" background="{t.color}"/>' for name, t in load_domain().types.items())
    return (
        "<View>\n"
        f'  <Labels name="label" toName="text">\n{labels}\n  </Labels>\n'
        '  <Text name="text" value="$text"/>\n'
        "</View>\n"
    )


# --- LitBank ---------------------------------------------------------------------------------------

LITBANK_TYPES = {"PER": "PERSON", "GPE": "GPE", "LOC": "LOC", "FAC": "FAC", "ORG": "ORG"}
_NOT_NAMES = """the a an this that these those my his her its our your their some any every each no all
    another one such what which whose i he she it we they you me him us them"""
NOT_NAMES = frozenset(_NOT_NAMES.split())
# Lower-case words allowed inside a name ("Bank of England", "Ludwig van Beethoven").
_CONNECTORS = "of the de del della la le les du des von van der den da di y and & upon on"
CONNECTORS = frozenset(_CONNECTORS.split())


def is_proper_name(surface: str) -> bool:
    words = surface.split()
    if not words or not words[0][:1].isupper() or words[0].lower() in NOT_NAMES:
        return False
    return all(not (w[:1].isalpha() and w[:1].islower()) or w in CONNECTORS for w in words[1:])


def read_litbank(directory: Path, limit: int | None = None) -> list[AnnotatedText]:
    """LitBank documents with proper-name spans only.

    A span is a name when its first token is capitalised and not a determiner, possessive or
    pronoun (as the data's README suggests) and its other words are capitalised or connectors
    ("of", "van", ...), which drops descriptions like "Few women"; VEH is dropped; of nested names
    only the outermost is kept, because a flat NER predicts one layer.
    """
    directory = Path(directory)
    if (directory / "entities").is_dir():
        directory = directory / "entities"
    files = sorted(directory.glob("*.ann"))[:limit]
    if not files:
        raise AnnotationError(f"no LitBank .ann files in {directory}")
    out = []
    for ann in files:
        text = ann.with_suffix(".txt").read_text(encoding="utf-8")
        spans = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            if not line.startswith("T"):
                continue
            _tid, info, surface = line.split("\t")
            kind, start, end = info.split(" ")
            label = LITBANK_TYPES.get(kind)
            if label and is_proper_name(surface):
                spans.append(SpanAnnotation(start=int(start), end=int(end), label=label))
        outer = [
            s
            for s in spans
            if not any(
                o is not s and o.start <= s.start and s.end <= o.end and (o.start, o.end) != (s.start, s.end)
                for o in spans
            )
        ]
        # Identical spans with two types cannot both be right for a flat tagger: keep the first.
        unique = list({(s.start, s.end): s for s in reversed(outer)}.values())
        out.append(AnnotatedText(text=text, spans=sorted(unique, key=lambda s: s.start), meta={"doc": ann.stem}))
    return out
