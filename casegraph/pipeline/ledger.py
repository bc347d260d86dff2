"""The ingestion ledger is the graph itself: every Document carries its content hash (its id), its
path and its status. A file is unchanged when a Document with its hash is `ingested`; a run killed
half-way simply finds fewer such documents next time."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from casegraph.core.settings import Settings
from graph.db import read
from graph.statements import statement
from graph.writer import GraphWriter, document_status, documents_at_paths

log = logging.getLogger(__name__)

LOOKUP_CHUNK = 2000


def hash_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def statuses(ids: Sequence[str], settings: Settings) -> dict[str, str]:
    out: dict[str, str] = {}
    unique = list(dict.fromkeys(ids))
    for i in range(0, len(unique), LOOKUP_CHUNK):
        out.update(document_status(unique[i : i + LOOKUP_CHUNK], settings))
    return out


def attached(ids: Sequence[str], settings: Settings) -> list[dict[str, Any]]:
    if not ids:
        return []
    return read(statement("ingest/attached_documents"), {"ids": list(ids)}, settings)


def documents_under(folder: Path, settings: Settings) -> list[dict[str, Any]]:
    prefix = folder.as_posix().rstrip("/") + "/"
    return read(statement("ingest/documents_under"), {"prefix": prefix}, settings)


def withdraw_ids(ids: Sequence[str], settings: Settings, writer: GraphWriter | None = None) -> list[str]:
    """Mark documents and everything attached to them withdrawn; with `withdraw_mode = "remove"`
    also take their sentences, mentions and relations out of the graph."""
    if not ids:
        return []
    all_ids = list(dict.fromkeys([*ids, *(r["id"] for r in attached(ids, settings))]))
    writer = writer or GraphWriter(settings, ensure_schema=False)
    writer.set_status(all_ids, "withdrawn", None)
    if settings.withdraw_mode == "remove":
        writer.remove_contributions(all_ids)
    log.info("withdrew %d document(s) (%s)", len(all_ids), settings.withdraw_mode)
    return all_ids


def _not_withdrawn(rows: list[dict[str, Any]]) -> list[str]:
    return [r["id"] for r in rows if r["status"] != "withdrawn"]


def withdraw_paths(paths: Sequence[str], settings: Settings, writer: GraphWriter | None = None) -> list[str]:
    """Withdraw the documents of files that were deleted (their current, not-yet-withdrawn versions)."""
    rows = documents_at_paths(list(paths), settings) if paths else []
    return withdraw_ids(_not_withdrawn(rows), settings, writer)


def withdraw_under(folder: Path, settings: Settings, writer: GraphWriter | None = None) -> list[str]:
    """Withdraw the documents of a deleted folder's files (and their attachments)."""
    return withdraw_ids(_not_withdrawn(documents_under(folder, settings)), settings, writer)


def summary(settings: Settings) -> list[dict[str, Any]]:
    return read(statement("ingest/ledger_summary"), {}, settings)


def failed(settings: Settings, limit: int = 100) -> list[dict[str, Any]]:
    return read(statement("ingest/failed_documents"), {"limit": limit}, settings)
