"""Orchestration: hash check against the ledger, parsing + NLP in worker processes, batched writes.

A file's documents are written only once the file is completely processed, parent last, so a run
killed at any moment leaves each file either fully in the graph (its hash `ingested`: skipped next
time) or absent (redone next time); the writer is idempotent, so nothing is ever duplicated.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from casegraph.core.errors import Neo4jUnavailableError
from casegraph.core.models import DocumentRecord, DocumentResult
from casegraph.core.settings import Settings, get_settings
from casegraph.pipeline import ledger
from casegraph.pipeline.consolidate import consolidate
from casegraph.pipeline.resolution import snapshot
from casegraph.pipeline.worker import FileOutcome, FileTask, failed_result, init_worker, process_file
from graph.writer import GraphWriter, documents_at_paths
from ingest.documents import sha256
from ingest.parsers import ParseOptions
from ingest.parsers.base import too_large

log = logging.getLogger(__name__)
T = TypeVar("T")


class Progress(Protocol):
    def start(self, total: int) -> None: ...

    def advance(self, path: str, documents: int) -> None: ...


@dataclass
class IngestReport:
    ingested: list[str] = field(default_factory=list)  # document paths, attachments and members included
    unchanged: list[str] = field(default_factory=list)  # file paths whose content is already ingested
    failed: list[tuple[str, str]] = field(default_factory=list)  # (document path, one-line reason)
    failed_files: list[str] = field(default_factory=list)  # top-level files that could not be ingested
    quarantined: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    replaced: int = 0
    consolidated: int = 0  # one-word entities merged into the fuller person they name
    pages: int = 0
    ocr_pages: int = 0
    files: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def merge(self, other: IngestReport) -> None:
        for name in ("ingested", "unchanged", "failed", "failed_files", "quarantined", "withdrawn"):
            getattr(self, name).extend(getattr(other, name))
        for name in ("replaced", "consolidated", "pages", "ocr_pages", "files"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.seconds += other.seconds


def _precheck(path: Path, options: ParseOptions) -> tuple[str, int, str | None]:
    """(id, size, reason-if-unreadable) from the file system alone, before any parsing."""
    try:
        st = path.stat()
    except FileNotFoundError:
        reason = "broken symbolic link" if path.is_symlink() else "file vanished before it could be read"
        return sha256(f"missing:{path}".encode()), 0, reason
    except OSError as exc:
        return sha256(f"unreadable:{path}".encode()), 0, f"unreadable: {exc.strerror or exc}"
    if not path.is_file():
        return sha256(f"special:{path}".encode()), 0, "not a regular file"
    try:
        digest = ledger.hash_file(path)
    except OSError as exc:
        return sha256(f"unreadable:{path}".encode()), st.st_size, f"unreadable: {exc.strerror or exc}"
    if st.st_size == 0:
        return digest, 0, "empty file (0 bytes)"
    if st.st_size > options.max_file_bytes:
        return digest, st.st_size, too_large(st.st_size, options.max_file_bytes)
    return digest, st.st_size, None


class Ingestor:
    """Reusable across runs (watch mode keeps one): the worker pool and the writer stay up."""

    def __init__(self, settings: Settings | None = None, workers: int | None = None, *, nlp: bool = True,
                 progress: Progress | None = None, batch_docs: int | None = None, flush_seconds: float = 5.0):
        self.settings = settings or get_settings()
        self.workers = max(1, workers or self.settings.ingest_workers)
        self.options = ParseOptions.from_settings(self.settings)
        self.nlp = nlp
        self.progress = progress
        self.batch_docs = batch_docs or self.settings.ingest_batch_docs
        self.flush_seconds = flush_seconds
        self.writer = GraphWriter(self.settings, batch_size=self.batch_docs)
        self._executor: ProcessPoolExecutor | None = None

    # ------------------------------------------------------------------ worker pool
    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # spawn, not fork: the parent holds driver sockets and rich's refresh thread.
            self._executor = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=init_worker)
        return self._executor

    def _reset_pool(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> Ingestor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _outcomes(self, tasks: Sequence[FileTask]) -> Iterator[FileOutcome]:
        """Outcomes as workers finish. A file that kills its worker (a parser crash) breaks the pool,
        failing every unfinished file with it. The pool hands files out in submission order, a few
        ahead of its workers, so the one that crashed is among the first unfinished ones: those are
        retried alone (a file that kills a worker again is reported as failed); the others never
        started and go back to a fresh pool together, not one by one."""
        futures: dict[Future[FileOutcome], int] = {self._pool().submit(process_file, t): i
                                                   for i, t in enumerate(tasks)}
        broken: list[int] = []
        for fut in as_completed(futures):
            try:
                yield fut.result()
            except BrokenProcessPool:
                broken.append(futures[fut])
            except Exception as exc:
                yield self._crashed(tasks[futures[fut]], f"worker error: {type(exc).__name__}: {exc}")
        if not broken:
            return
        self._reset_pool()
        unfinished = [tasks[i] for i in sorted(broken)]
        suspects = 2 * self.workers + 1  # running, queued for a worker, or finishing as the pool broke
        for task in unfinished[:suspects]:
            try:
                yield self._pool().submit(process_file, task).result()
            except BrokenProcessPool:
                self._reset_pool()
                yield self._crashed(task, "parser crashed: the worker process died on this file")
        if unfinished[suspects:]:
            yield from self._outcomes(unfinished[suspects:])

    @staticmethod
    def _crashed(task: FileTask, reason: str) -> FileOutcome:
        path = Path(task.path)
        try:
            doc_id, size = ledger.hash_file(path), path.stat().st_size
        except OSError:
            doc_id, size = sha256(f"unreadable:{path}".encode()), 0
        record = DocumentRecord(id=doc_id, path=task.path, filename=path.name, size=size)
        return FileOutcome(path=task.path, doc_id=doc_id, results=[failed_result(record, reason)])

    # ------------------------------------------------------------------ writing
    def _retrying(self, step: Callable[[], T]) -> T:
        """Run a graph step (each is idempotent), riding out a Neo4j restart: after the driver's
        own retries, again with back-off until `neo4j_retry_seconds` have passed since the first
        failure; then the one-line `Neo4jUnavailableError` stops the run (the files not yet
        written are redone by the next run)."""
        deadline, delay = None, 1.0
        while True:
            try:
                return step()
            except Neo4jUnavailableError as exc:
                now = time.monotonic()
                deadline = deadline or now + self.settings.neo4j_retry_seconds
                if now + delay > deadline:
                    raise
                log.warning("%s: retrying in %.0f s", exc, delay)
                time.sleep(delay)
                delay = min(delay * 2, 10.0)

    def _flush(self, outcomes: list[FileOutcome], report: IngestReport) -> None:
        if not outcomes:
            return
        new_id = {o.path: o.doc_id for o in outcomes}
        at_paths = self._retrying(lambda: documents_at_paths(list(new_id), self.settings))
        old_ids = [r["id"] for r in at_paths if r["id"] != new_id[r["path"]]]
        old_children = self._retrying(lambda: ledger.attached(old_ids, self.settings)) if old_ids else []
        results: list[DocumentResult] = [r for o in outcomes for r in o.results]
        stats = self._retrying(lambda: self.writer.write(results))
        report.replaced += len(stats.replaced)
        written = {r.document.id for r in results}
        # Attachments of a replaced version that the new version no longer has.
        gone = [c["id"] for c in old_children if c["id"] not in written and c["status"] != "withdrawn"]
        if gone:
            report.withdrawn.extend(self._retrying(lambda: ledger.withdraw_ids(gone, self.settings, self.writer)))
        for o in outcomes:
            for r in o.results:
                refused = stats.failed.get(r.document.id)  # the graph refused it: recorded as failed
                if r.document.status == "failed" or refused:
                    report.failed.append((r.document.path, refused or r.document.error or "failed"))
                else:
                    report.ingested.append(r.document.path)
            if o.file_failed or o.doc_id in stats.failed:
                report.failed_files.append(o.path)
            report.pages += o.pages
            report.ocr_pages += o.ocr_pages

    # ------------------------------------------------------------------ a run
    def ingest(self, files: Sequence[Path], missing: Sequence[str] = ()) -> IngestReport:
        start = time.perf_counter()
        report = IngestReport(files=len(files))
        report.failed.extend((m, "no such file or directory") for m in missing)
        if self.progress:
            self.progress.start(len(files))
        checked = [(p, *_precheck(p, self.options)) for p in files]
        known = ledger.statuses([c[1] for c in checked], self.settings)
        seen: set[str] = set()
        tasks: list[FileTask] = []
        ready: list[FileOutcome] = []
        for path, doc_id, size, reason in checked:
            # Same bytes at two paths: one Document. Bad files are reported at every path.
            if not reason and (known.get(doc_id) == "ingested" or doc_id in seen):
                report.unchanged.append(str(path))
                if self.progress:
                    self.progress.advance(str(path), 0)
                continue
            seen.add(doc_id)
            if reason:
                record = DocumentRecord(id=doc_id, path=str(path), filename=path.name, size=size)
                ready.append(FileOutcome(path=str(path), doc_id=doc_id, results=[failed_result(record, reason)]))
            else:
                tasks.append(FileTask(str(path), self.options, self.nlp))
        resolution = snapshot(self.settings) if tasks and self.nlp else None
        if resolution:
            tasks = [dataclasses.replace(t, known=str(resolution)) for t in tasks]
        try:
            self._run(tasks, ready, report)
        finally:
            if resolution:
                resolution.unlink(missing_ok=True)
        if tasks and self.nlp:
            report.consolidated = self._retrying(lambda: consolidate(self.settings, self.writer))
        report.seconds = time.perf_counter() - start
        log.info("ingest: %d ingested, %d unchanged, %d failed in %.1f s", len(report.ingested),
                 len(report.unchanged), len(report.failed), report.seconds)
        return report

    def _run(self, tasks: list[FileTask], ready: list[FileOutcome], report: IngestReport) -> None:
        pending, pending_docs, last_flush = ready, sum(len(o.results) for o in ready), time.monotonic()
        for o in ready:
            if self.progress:
                self.progress.advance(o.path, 1)
        for outcome in self._outcomes(tasks) if tasks else ():
            pending.append(outcome)
            pending_docs += len(outcome.results)
            if self.progress:
                self.progress.advance(outcome.path, len(outcome.results))
            if pending_docs >= self.batch_docs or time.monotonic() - last_flush > self.flush_seconds:
                self._flush(pending, report)
                pending, pending_docs, last_flush = [], 0, time.monotonic()
        self._flush(pending, report)


def ingest_paths(paths: Sequence[str | Path], settings: Settings | None = None, *, recursive: bool = False,
                 workers: int | None = None, progress: Progress | None = None, nlp: bool = True) -> IngestReport:
    from ingest.discover import discover

    found = discover(paths, recursive=recursive)
    with Ingestor(settings, workers, nlp=nlp, progress=progress) as ingestor:
        return ingestor.ingest(found.files, found.missing)
