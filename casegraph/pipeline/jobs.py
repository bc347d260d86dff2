"""Ingest jobs: a durable queue of files to ingest, and the worker thread that works it off.

The HTTP API stores an upload in the uploads folder and calls `JobQueue.enqueue`; it answers at
once with the job's id, and `JobQueue.get` tells its state later. A `JobWorker` (a thread in the
`casegraph api` process) takes the oldest queued job, ingests its file with one long-lived
`Ingestor` (the NLP models stay loaded between jobs) and records the outcome.

Job state lives in a small SQLite file in the work dir (`<data_dir>/jobs.sqlite`), so a restart
loses no accepted upload: a new worker first puts back the jobs a stopped one left `running`,
then works off everything still queued. A job is claimed with one conditional UPDATE, so two
workers on the same file never take the same job; one worker per work dir is the intended set-up
(the put-back at start assumes no other worker is mid-job).

States: queued → running → done (the document id, outcome `ingested` or `unchanged`) or failed
(the reason, one line; a file that cannot be parsed is also recorded as a failed document).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from casegraph.core.settings import Settings

if TYPE_CHECKING:
    from casegraph.pipeline.runner import Ingestor

log = logging.getLogger(__name__)

JOBS_DB = "jobs.sqlite"
JobState = Literal["queued", "running", "done", "failed"]
Outcome = Literal["ingested", "unchanged", "failed"]
JOB_ID_PATTERN = r"^[0-9a-f]{32}$"

SCHEMA = """CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY, seq INTEGER NOT NULL, status TEXT NOT NULL, path TEXT NOT NULL,
    filename TEXT NOT NULL, document_id TEXT NOT NULL, outcome TEXT, error TEXT, documents INTEGER,
    created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT)"""
COLUMNS = "id, status, path, filename, document_id, outcome, error, documents, created_at, started_at, finished_at"


class Job(BaseModel):
    id: str = Field(description="The job's id")
    status: JobState = Field(description="queued → running → done | failed")
    filename: str
    path: str = Field(description="Where the upload is stored on the server")
    document_id: str = Field(description="SHA-256 of the uploaded bytes: the document's id once ingested")
    outcome: Outcome | None = Field(None, description="When finished: ingested (now in the graph), unchanged "
                                                      "(these bytes were ingested before) or failed")
    error: str | None = Field(None, description="Why the job failed, one line")
    documents: int | None = Field(None, description="Documents written: the file plus its attachments "
                                                    "or archive members")
    created_at: str
    started_at: str | None = None
    finished_at: str | None = None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class JobQueue:
    """The jobs of one work dir. Every call opens its own connection: safe from any thread."""

    def __init__(self, settings: Settings):
        self.path = (settings.data_dir / JOBS_DB).absolute()
        self._ready = False

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=30, isolation_level=None)) as db:
            if not self._ready:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute(SCHEMA)
                self._ready = True
            # synchronous=FULL: an accepted job is on disk before the API answers.
            db.execute("PRAGMA synchronous=FULL")
            yield db

    def enqueue(self, path: Path, document_id: str) -> Job:
        job = Job(id=uuid.uuid4().hex, status="queued", filename=path.name, path=str(path),
                  document_id=document_id, outcome=None, error=None, documents=None, created_at=_now())
        with self._db() as db:
            db.execute("INSERT INTO jobs (id, seq, status, path, filename, document_id, created_at) "
                       "VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM jobs), ?, ?, ?, ?, ?)",
                       (job.id, job.status, job.path, job.filename, job.document_id, job.created_at))
        log.info("job %s queued: %s", job.id, path.name)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._db() as db:
            row = db.execute(f"SELECT {COLUMNS} FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return _job(row) if row else None

    def pending(self) -> list[Job]:
        """Queued and running jobs, oldest first."""
        with self._db() as db:
            rows = db.execute(f"SELECT {COLUMNS} FROM jobs WHERE status IN ('queued', 'running') "
                              "ORDER BY seq").fetchall()
        return [_job(r) for r in rows]

    def requeue_running(self) -> int:
        """Put back the jobs a stopped worker left half done (their file is still stored)."""
        with self._db() as db:
            return db.execute("UPDATE jobs SET status = 'queued', started_at = NULL "
                              "WHERE status = 'running'").rowcount

    def claim(self) -> Job | None:
        """The oldest queued job, now running; None when nothing is queued."""
        with self._db() as db:
            while True:
                row = db.execute("SELECT id FROM jobs WHERE status = 'queued' ORDER BY seq LIMIT 1").fetchone()
                if row is None:
                    return None
                taken = db.execute("UPDATE jobs SET status = 'running', started_at = ? "
                                   "WHERE id = ? AND status = 'queued'", (_now(), row[0])).rowcount
                if taken:
                    found = db.execute(f"SELECT {COLUMNS} FROM jobs WHERE id = ?", (row[0],)).fetchone()
                    return _job(found)

    def finish(self, job_id: str, status: JobState, outcome: Outcome | None, error: str | None,
               documents: int | None = None) -> None:
        with self._db() as db:
            db.execute("UPDATE jobs SET status = ?, outcome = ?, error = ?, documents = ?, finished_at = ? "
                       "WHERE id = ?", (status, outcome, error, documents, _now(), job_id))


def _job(row: tuple[object, ...]) -> Job:
    return Job(**dict(zip(COLUMNS.split(", "), row, strict=True)))  # type: ignore[arg-type]


class JobWorker:
    """A thread that ingests queued jobs one at a time until `stop()`.

    `poll` bounds how long a job enqueued by another process waits; jobs enqueued through
    `notify()` (the API does) start at once."""

    def __init__(self, settings: Settings, queue: JobQueue | None = None, poll: float = 2.0):
        self.settings = settings
        self.queue = queue or JobQueue(settings)
        self.poll = poll
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._ingestor: Ingestor | None = None

    def start(self) -> JobWorker:
        if self._thread is None:
            put_back = self.queue.requeue_running()
            if put_back:
                log.info("%d interrupted job(s) queued again", put_back)
            self._thread = threading.Thread(target=self._loop, name="casegraph-jobs", daemon=True)
            self._thread.start()
        return self

    def notify(self) -> None:
        self._wake.set()

    def stop(self, timeout: float | None = 600) -> None:
        """Stop after the job in hand (a running ingest is not cut off), then close the ingestor."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self._ingestor is not None:
            self._ingestor.close()
            self._ingestor = None

    def __enter__(self) -> JobWorker:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                job = self.queue.claim()
                if job is not None:
                    self.run(job)
                    continue
            except sqlite3.Error as exc:  # the queue file unreadable for a moment: try again later
                log.error("job queue %s unreadable: %s", self.queue.path, exc)
            self._wake.wait(self.poll)
            self._wake.clear()

    def run(self, job: Job) -> None:
        """Ingest one claimed job's file and record how it ended; never raises."""
        from casegraph.pipeline.runner import Ingestor

        path = Path(job.path)
        try:
            if not path.is_file():
                raise FileNotFoundError(f"the stored upload {path} is gone")
            if self._ingestor is None:
                self._ingestor = Ingestor(self.settings, workers=1)
            report = self._ingestor.ingest([path])
        except Exception as exc:  # noqa: BLE001 - the job records why; the worker goes on with the next
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            log.warning("job %s failed: %s", job.id, reason)
            self.queue.finish(job.id, "failed", None, reason)
            return
        documents = len(report.ingested) + len(report.failed)
        if str(path) in report.failed_files:
            reason = next((r for p, r in report.failed if p == str(path)), "the file could not be ingested")
            self.queue.finish(job.id, "failed", "failed", reason, documents)
        elif str(path) in report.unchanged:
            self.queue.finish(job.id, "done", "unchanged", None, 0)
        else:
            self.queue.finish(job.id, "done", "ingested", None, documents)
        log.info("job %s (%s) finished", job.id, path.name)
