"""The realcases corpus (`../shared/data/realcases`): real U.S. government press releases annotated
with casegraph's labels, read into `AnnotatedText` with a fixed split by document.

Markup (see the corpus README): documents start with `## <id> <title>`; a mention is
`[surface](LABEL)` or `[surface](LABEL:entity_id)`; entity ids tie mentions within one part file,
so they are prefixed with the part ("part1:ms13").

Split: by document, from the SHA-256 of the document id → a number in [0, 1): below 0.70 train,
below 0.85 dev, the rest test. It depends on the id alone, so it never moves when documents are
added or files reordered. The test split is for the final figure only: tune on dev.

Corrections (`realcases_corrections.jsonl`, next to this module): annotation errors found in the
corpus are fixed here, never in the data. Each line is `{"doc", "text", "occurrence", "label",
"fix", "reason"}`: the `occurrence`-th (0-based) gold span of document `doc` whose surface is
`text` and label `label` gets `fix` — `{"label": NEW}`, `{"drop": true}`, or `{"text": NEW}` (a
new surface inside the old one: trimmed boundaries). A correction that no longer finds its span
fails loudly, so a changed corpus cannot be silently mis-corrected.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from .formats import AnnotatedText, AnnotationError, SpanAnnotation, read_annotations

Split = Literal["train", "dev", "test", "all"]
SPLITS: tuple[str, ...] = ("train", "dev", "test", "all")
TRAIN_UNTIL, DEV_UNTIL = 0.70, 0.85
CORRECTIONS = Path(__file__).with_name("realcases_corrections.jsonl")
DEFAULT_DIR = Path("../shared/data/realcases")
_MARK = re.compile(r"\[([^\]]+)\]\(([A-Z_]+)(?::([a-z0-9]+))?\)")


def is_realcases_dir(path: Path) -> bool:
    return path.is_dir() and any(path.glob("part*.md"))


def split_of(doc_id: str) -> str:
    """"train", "dev" or "test" for a document id (fixed: a hash of the id)."""
    digest = hashlib.sha256(doc_id.encode("utf-8")).digest()
    bucket = int.from_bytes(digest[:8], "big") / 2**64
    return "train" if bucket < TRAIN_UNTIL else "dev" if bucket < DEV_UNTIL else "test"


def parse_part(path: Path) -> list[AnnotatedText]:
    """One part file's documents; `meta` holds id, title, part, split and per-span entity ids."""
    out = []
    for block in re.split(r"^## ", path.read_text(encoding="utf-8"), flags=re.M)[1:]:
        head, _, body = block.partition("\n")
        doc_id, _, title = head.strip().partition(" ")
        body = body.strip("\n")
        pieces: list[str] = []
        spans: list[SpanAnnotation] = []
        entities: list[str | None] = []
        pos = last = 0
        for m in _MARK.finditer(body):
            pieces.append(body[last : m.start()])
            pos += m.start() - last
            surface, label, ent = m.group(1), m.group(2), m.group(3)
            spans.append(SpanAnnotation(start=pos, end=pos + len(surface), label=label))
            entities.append(f"{path.stem}:{ent}" if ent else None)
            pieces.append(surface)
            pos += len(surface)
            last = m.end()
        pieces.append(body[last:])
        meta = {"id": doc_id, "title": title, "part": path.stem, "split": split_of(doc_id), "entities": entities}
        out.append(AnnotatedText(text="".join(pieces), spans=spans, meta=meta))
    return out


def read_realcases(
    directory: Path = DEFAULT_DIR, split: str = "all", *, corrections: Path | None = CORRECTIONS
) -> list[AnnotatedText]:
    """The documents of one split (or all), corrections applied, in file order."""
    if split not in SPLITS:
        raise AnnotationError(f"unknown split {split!r}: choose one of {', '.join(SPLITS)}")
    directory = Path(directory)
    if not is_realcases_dir(directory):
        raise AnnotationError(f"{directory}: not a realcases directory (no part*.md)")
    docs = [doc for part in sorted(directory.glob("part*.md")) for doc in parse_part(part)]
    if corrections is not None and corrections.is_file():
        apply_corrections(docs, read_corrections(corrections))
    return [d for d in docs if split == "all" or d.meta["split"] == split]


def read_any(paths: Iterable[Path]) -> list[AnnotatedText]:
    """`formats.read_annotations`, plus realcases directories (every split; `meta["split"]` says which)."""
    out: list[AnnotatedText] = []
    for path in paths:
        path = Path(path)
        out.extend(read_realcases(path) if is_realcases_dir(path) else read_annotations([path]))
    return out


def read_corrections(path: Path = CORRECTIONS) -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        row = json.loads(line)
        missing = {"doc", "text", "label", "fix", "reason"} - set(row)
        if missing:
            raise AnnotationError(f"{path.name}:{n}: missing {sorted(missing)}")
        rows.append(row)
    return rows


def apply_corrections(docs: Iterable[AnnotatedText], rows: list[dict[str, Any]]) -> None:
    by_id = {d.meta["id"]: d for d in docs}
    for row in rows:
        doc = by_id.get(row["doc"])
        if doc is None:
            raise AnnotationError(f"correction for unknown document {row['doc']!r}")
        hits = [
            i
            for i, s in enumerate(doc.spans)
            if s.label == row["label"] and doc.text[s.start : s.end] == row["text"]
        ]
        occurrence = int(row.get("occurrence", 0))
        if occurrence >= len(hits):
            raise AnnotationError(f"correction {row['doc']} {row['text']!r} ({row['label']}): span not found")
        i = hits[occurrence]
        fix, span = row["fix"], doc.spans[i]
        if fix.get("drop"):
            del doc.spans[i]
            del doc.meta["entities"][i]
            continue
        if "text" in fix:
            offset = row["text"].find(fix["text"])
            if offset < 0:
                raise AnnotationError(f"correction {row['doc']}: {fix['text']!r} is not inside {row['text']!r}")
            span = SpanAnnotation(start=span.start + offset, end=span.start + offset + len(fix["text"]),
                                  label=span.label)
        if "label" in fix:
            span = SpanAnnotation(start=span.start, end=span.end, label=fix["label"])
        doc.spans[i] = span
