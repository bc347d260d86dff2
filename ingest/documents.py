"""A file's bytes → the documents it holds: itself, and recursively its attachments and archive
members, each with its own identity (SHA-256 of its bytes) and a link to its parent."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field

from casegraph.core.models import DocumentRecord, ParsedDocument
from ingest.errors import ArchiveBombError, BadFileError, one_line
from ingest.parsers import Budget, ParseOptions, parse, sniff
from ingest.parsers.base import too_large

log = logging.getLogger(__name__)

MEMBER_SEPARATOR = "!/"  # "drop/mail.eml!/invoice.pdf", as Java names entries inside jars
CONTAINERS = {"zip"}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Extracted:
    """What one top-level file yields. `documents` lists children before their parent, so a
    parent is written in the last transaction and a run killed half-way redoes the whole file."""

    parsed: list[ParsedDocument] = field(default_factory=list)
    failed: list[DocumentRecord] = field(default_factory=list)
    order: list[str] = field(default_factory=list)  # document ids, children first
    pages: int = 0
    ocr_pages: int = 0


def _no_text_reason(kind: str) -> str:
    if kind == "image":
        return "no text found: OCR read nothing in the image"
    if kind == "pdf":
        return "no text found: no text layer, and OCR read nothing"
    return f"no text found in the {kind.upper()} file"


def _fail(out: Extracted, record: DocumentRecord, reason: str) -> Extracted:
    record.status, record.error = "failed", reason
    out.failed.append(record)
    out.order.append(record.id)
    return out


def extract(path: str, data: bytes, options: ParseOptions, *, parent_id: str | None = None,
            depth: int = 0, budget: Budget | None = None, out: Extracted | None = None,
            doc_id: str | None = None) -> Extracted:
    """All documents in `data` (the file at `path`), recursively. Bad input becomes failed records
    with a reason; an archive bomb anywhere inside rejects the whole top-level file."""
    out = out if out is not None else Extracted()
    budget = budget or Budget(options.archive_max_total_bytes)
    doc_id = doc_id or sha256(data)
    record = DocumentRecord(id=doc_id, path=path, filename=path.rsplit("/", 1)[-1], size=len(data),
                            parent_id=parent_id)
    try:
        _extract_into(out, record, data, options, depth, budget)
    except ArchiveBombError as exc:
        if parent_id is not None:
            raise
        out.parsed.clear()
        out.failed.clear()
        out.order.clear()
        out.pages = out.ocr_pages = 0
        return _fail(out, record, exc.reason)
    return out


def _extract_into(out: Extracted, record: DocumentRecord, data: bytes, options: ParseOptions, depth: int,
                  budget: Budget) -> None:
    try:
        if len(data) > options.max_file_bytes:
            raise BadFileError(too_large(len(data), options.max_file_bytes))
        kind, record.mime = sniff(record.filename, data)
        if kind in CONTAINERS and depth >= options.archive_max_depth:
            raise ArchiveBombError(f"archive bomb: archives nested deeper than {options.archive_max_depth} levels")
        parsed = parse(kind, data, options, budget)
        if not parsed.text.strip() and kind not in CONTAINERS:
            raise BadFileError(_no_text_reason(kind))
    except ArchiveBombError:
        raise
    except BadFileError as exc:
        _fail(out, record, exc.reason)
        return
    except Exception as exc:  # a parser bug must not stop the batch: report it like bad input
        log.exception("parser error on %s", record.path)
        _fail(out, record, f"parser error: {type(exc).__name__}: {one_line(exc)}")
        return
    record.title, record.pages = parsed.title, parsed.page_count or None
    out.pages += parsed.page_count
    out.ocr_pages += parsed.ocr_pages
    for child in parsed.children:
        child_path = f"{record.path}{MEMBER_SEPARATOR}{child.name}"
        if child.data is None:
            child_id = sha256(f"{record.id}{MEMBER_SEPARATOR}{child.name}".encode())
            _fail(out, DocumentRecord(id=child_id, path=child_path, filename=child.name.rsplit("/", 1)[-1],
                                      parent_id=record.id), child.error or "unreadable")
        else:
            extract(child_path, child.data, options, parent_id=record.id,
                    depth=depth + (kind in CONTAINERS), budget=budget, out=out)
    out.parsed.append(ParsedDocument(document=record, text=parsed.text, pages=parsed.pages,
                                     known_entities=parsed.known_entities))
    out.order.append(record.id)
