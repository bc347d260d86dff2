"""What runs in a worker process for one top-level file: read, parse (recursively), NLP.

Everything crossing the process boundary is plain picklable data: a `FileTask` in, a
`FileOutcome` out."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from casegraph.core.models import DocumentRecord, DocumentResult, ParsedDocument
from ingest.documents import Extracted, extract, sha256
from ingest.errors import one_line
from ingest.parsers import ParseOptions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileTask:
    path: str
    options: ParseOptions
    nlp: bool = True
    known: str | None = None  # the run's resolution snapshot (casegraph.pipeline.resolution)


@dataclass
class FileOutcome:
    path: str
    doc_id: str
    results: list[DocumentResult] = field(default_factory=list)  # children first, the file last
    pages: int = 0
    ocr_pages: int = 0
    parse_seconds: float = 0.0
    nlp_seconds: float = 0.0

    @property
    def failures(self) -> list[DocumentRecord]:
        return [r.document for r in self.results if r.document.status == "failed"]

    @property
    def file_failed(self) -> bool:
        return self.results[-1].document.status == "failed"


def failed_result(record: DocumentRecord, reason: str) -> DocumentResult:
    record = record.model_copy(update={"status": "failed", "error": reason})
    return DocumentResult(document=record)


def _analyze(parsed: list[ParsedDocument], known: str | None = None) -> dict[str, DocumentResult]:
    """NLP for the parsed documents; a document NLP chokes on fails alone, not the batch."""
    from nlp.pipeline import analyze, analyze_many

    factory = None
    if known:
        from casegraph.pipeline.resolution import resolver_for

        factory = resolver_for(known).for_document
    try:
        return {r.document.id: r for r in analyze_many(parsed, n_process=1, resolver_factory=factory)}
    except Exception:
        log.warning("NLP failed on a batch of %d document(s): retrying one by one", len(parsed), exc_info=True)
    out: dict[str, DocumentResult] = {}
    for p in parsed:
        try:
            out[p.document.id] = analyze(p, resolver_factory=factory)
        except Exception as exc:  # reported as that document's failure
            out[p.document.id] = failed_result(p.document, f"NLP failed: {type(exc).__name__}: {one_line(exc)}")
    return out


def results_of(extracted: Extracted, nlp: bool = True, known: str | None = None) -> list[DocumentResult]:
    by_id: dict[str, DocumentResult] = {r.id: DocumentResult(document=r) for r in extracted.failed}
    if nlp and extracted.parsed:
        by_id.update(_analyze(extracted.parsed, known))
    else:
        by_id.update({p.document.id: DocumentResult(document=p.document, text=p.text) for p in extracted.parsed})
    return [by_id[i] for i in dict.fromkeys(extracted.order)]


def process_file(task: FileTask) -> FileOutcome:
    start = time.perf_counter()
    with open(task.path, "rb") as fh:
        data = fh.read(task.options.max_file_bytes + 1)
    # The id is the hash of the bytes actually parsed: a file rewritten since the ledger check
    # is ingested as its new version.
    extracted = extract(task.path, data, task.options, doc_id=sha256(data))
    parsed_at = time.perf_counter()
    results = results_of(extracted, task.nlp, task.known)
    return FileOutcome(path=task.path, doc_id=results[-1].document.id, results=results,
                       pages=extracted.pages, ocr_pages=extracted.ocr_pages,
                       parse_seconds=parsed_at - start, nlp_seconds=time.perf_counter() - parsed_at)


def init_worker() -> None:
    """Process initialiser: offline environment and quiet third-party loggers."""
    from ingest.offline import configure_environment

    configure_environment()
    for name in ("unstructured", "pdfminer", "PIL"):
        logging.getLogger(name).setLevel(logging.ERROR)
