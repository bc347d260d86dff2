"""Watch a drop folder: ingest new and changed files once they are completely written, quarantine
the ones that fail, withdraw the documents of deleted files.

Events come from watchdog: OS notifications (inotify), or, with `interval`, its polling observer
(snapshots every `interval` seconds: network shares do not deliver notifications). A file is ready
when its size and modification time have not changed for `settle` seconds and it can be opened.
"""

from __future__ import annotations

import logging
import os
import queue
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from casegraph.core.settings import Settings
from casegraph.pipeline import ledger
from casegraph.pipeline.runner import Ingestor, IngestReport
from ingest.discover import QUARANTINE_DIR, discover, is_candidate

log = logging.getLogger(__name__)


def default_quarantine(folder: Path) -> Path:
    """`quarantine/` beside the drop folder: outside it, so quarantined files are not watched."""
    return folder.absolute().parent / QUARANTINE_DIR


def quarantine_file(path: Path, folder: Path, quarantine: Path, reason: str) -> Path:
    """Move a failed file into the quarantine folder (keeping its place below the drop folder) with
    a `.reason.txt` note beside it. Never overwrites an earlier quarantined file."""
    try:
        rel = path.absolute().relative_to(folder.absolute())
    except ValueError:
        rel = Path(path.name)
    dest = quarantine / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    n = 1
    while dest.exists() or dest.is_symlink():
        dest = dest.with_name(f"{rel.stem}.{n}{rel.suffix}")
        n += 1
    shutil.move(str(path), str(dest))
    dest.with_name(dest.name + ".reason.txt").write_text(f"{path}\n{reason}\n", encoding="utf-8")
    return dest


@dataclass
class _Pending:
    size: int
    mtime: float
    since: float  # monotonic time the file was last seen changing


class _Handler(FileSystemEventHandler):
    def __init__(self, events: queue.Queue[tuple[str, str, str | None]]):
        self.events = events

    def on_any_event(self, event: FileSystemEvent) -> None:
        kind = event.event_type
        if kind in ("opened", "closed_no_write"):
            return
        src = os.fsdecode(event.src_path)
        dest = os.fsdecode(event.dest_path) if getattr(event, "dest_path", "") else None
        self.events.put((kind if not event.is_directory else f"dir_{kind}", src, dest))


class DropFolderWatcher:
    def __init__(self, folder: Path, ingestor: Ingestor, settings: Settings, *, interval: float | None = None,
                 settle: float = 2.0, quarantine: Path | None = None,
                 on_report: Callable[[IngestReport], None] | None = None, tick: float = 0.25):
        self.folder = folder.absolute()
        self.ingestor = ingestor
        self.settings = settings
        self.interval = interval
        self.settle = settle
        self.quarantine = (quarantine or default_quarantine(self.folder)).absolute()
        self.on_report = on_report
        self.tick = tick
        # What settle times are measured with; a test holds it still to make a slow write slow.
        self.clock: Callable[[], float] = time.monotonic
        self.events: queue.Queue[tuple[str, str, str | None]] = queue.Queue()
        self.pending: dict[Path, _Pending] = {}
        self.moved_out: set[Path] = set()  # our own quarantine moves: not deletions to withdraw
        self.stop_event = threading.Event()
        self.totals = IngestReport()

    # ------------------------------------------------------------------ helpers
    def _watched(self, path: Path) -> bool:
        return (is_candidate(path) and self.quarantine not in path.parents and path != self.quarantine
                and not any(part.startswith(".") for part in path.relative_to(self.folder).parts[:-1]))

    def _touch(self, path: Path) -> None:
        if not self._watched(path):
            return
        try:
            st = path.stat()
        except OSError:
            if path.is_symlink():  # dangling: the ingest reports it (and quarantines the link)
                self.pending[path] = _Pending(-1, 0.0, self.clock())
            else:
                self.pending.pop(path, None)
            return
        if not path.is_file():
            return
        self.pending[path] = _Pending(st.st_size, st.st_mtime, self.clock())

    def _ready(self) -> list[Path]:
        """Pending files whose size and mtime held still for `settle` seconds."""
        now, ready = self.clock(), []
        for path, seen in list(self.pending.items()):
            try:
                st = path.stat()
            except OSError:
                if path.is_symlink() and now - seen.since >= self.settle:
                    ready.append(path)  # still dangling after the settle time
                elif path.is_symlink():
                    continue
                self.pending.pop(path, None)
                continue
            if (st.st_size, st.st_mtime) != (seen.size, seen.mtime):
                self.pending[path] = _Pending(st.st_size, st.st_mtime, now)
            elif now - seen.since >= self.settle:
                try:
                    with open(path, "rb"):
                        pass
                except OSError:
                    continue
                ready.append(path)
                del self.pending[path]
        return sorted(ready)

    def _withdraw(self, paths: list[Path], folders: list[Path]) -> None:
        gone = [str(p) for p in paths if p not in self.moved_out]
        self.moved_out.difference_update(paths)
        ids: list[str] = []
        if gone:
            ids += ledger.withdraw_paths(gone, self.settings, self.ingestor.writer)
        for folder in folders:
            ids += ledger.withdraw_under(folder, self.settings, self.ingestor.writer)
        if ids:
            self.totals.withdrawn.extend(ids)
            log.info("withdrew %d document(s) of deleted files", len(ids))

    def _drain(self) -> None:
        deleted: list[Path] = []
        deleted_dirs: list[Path] = []
        while True:
            try:
                kind, src, dest = self.events.get_nowait()
            except queue.Empty:
                break
            path = Path(src)
            if kind in ("created", "modified", "closed"):
                self._touch(path)
            elif kind == "deleted":
                self.pending.pop(path, None)
                deleted.append(path)
            elif kind == "moved":
                self.pending.pop(path, None)
                deleted.append(path)
                if dest:
                    self._touch(Path(dest))
            elif kind in ("dir_deleted", "dir_moved"):
                deleted_dirs.append(path)
                if kind == "dir_moved" and dest and Path(dest).is_dir():
                    for p in discover([dest], recursive=True).files:
                        self._touch(p)
            elif kind == "dir_created":
                for p in discover([src], recursive=True).files:
                    self._touch(p)
        if deleted or deleted_dirs:
            self._withdraw(deleted, deleted_dirs)

    def _ingest(self, files: list[Path]) -> IngestReport:
        report = self.ingestor.ingest(files)
        reasons: dict[str, str] = dict(report.failed)
        for path in report.failed_files:
            p = Path(path)
            if not (p.exists() or p.is_symlink()):
                continue
            dest = quarantine_file(p, self.folder, self.quarantine, reasons.get(path, "failed"))
            self.moved_out.add(p)
            report.quarantined.append(str(dest))
            log.warning("quarantined %s: %s", p, reasons.get(path, "failed"))
        self.totals.merge(report)
        if self.on_report:
            self.on_report(report)
        return report

    def reconcile(self) -> None:
        """Catch up on what happened while nobody watched: ingest what is there, withdraw what is gone."""
        present = discover([self.folder], recursive=True).files
        present = [p for p in present if self._watched(p)]
        rows = ledger.documents_under(self.folder, self.settings)
        names = {str(p) for p in present}
        missing = [Path(r["path"]) for r in rows if r["status"] != "withdrawn" and r["path"] not in names
                   and not (Path(r["path"]).exists() or Path(r["path"]).is_symlink())]
        if missing:
            self._withdraw(missing, [])
        if present:
            self._ingest(present)

    # ------------------------------------------------------------------ the loop
    def run(self, ready_event: threading.Event | None = None) -> IngestReport:
        self.folder.mkdir(parents=True, exist_ok=True)
        observer = PollingObserver(timeout=self.interval) if self.interval else Observer()
        observer.schedule(_Handler(self.events), str(self.folder), recursive=True)
        observer.start()
        try:
            self.reconcile()
            if ready_event:
                ready_event.set()
            while not self.stop_event.is_set():
                self._drain()
                ready = self._ready()
                if ready:
                    self._ingest(ready)
                self.stop_event.wait(self.tick)
        finally:
            observer.stop()
            observer.join(timeout=10)
        return self.totals

    def stop(self) -> None:
        self.stop_event.set()
