"""A flat link CSV for i2 Analyst's Notebook's import (and tools like it): one row per typed
relation, i.e. per evidence sentence, with both ends' identity, type and label (docs/exchange.md)."""

from __future__ import annotations

import csv
from pathlib import Path

from graph.export import CaseExport

COLUMNS = [
    "entity1_id", "entity1_type", "entity1_label",
    "link_type", "direction",
    "entity2_id", "entity2_type", "entity2_label",
    "date", "confidence", "extractor", "stage",
    "document_id", "document_path", "document_title", "case",
    "sentence_id", "page", "sentence",
]


def write_i2_csv(export: CaseExport, path: Path) -> int:
    """Write the links of `export`; returns the number of rows."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for r in export.relations:
            writer.writerow({
                "entity1_id": r["source"], "entity1_type": r["source_type"], "entity1_label": r["source_name"],
                "link_type": r["predicate"], "direction": "->",
                "entity2_id": r["target"], "entity2_type": r["target_type"], "entity2_label": r["target_name"],
                "date": r["date"] or "", "confidence": "" if r["confidence"] is None else r["confidence"],
                "extractor": r["extractor"] or "", "stage": r["stage"] or "",
                "document_id": r["doc_id"], "document_path": r["doc_path"] or "",
                "document_title": r["doc_title"] or "", "case": r["case"] or "",
                "sentence_id": r["sentence_id"] or "", "page": "" if r["page"] is None else r["page"],
                "sentence": " ".join((r["sentence"] or "").split()),
            })
    return len(export.relations)
