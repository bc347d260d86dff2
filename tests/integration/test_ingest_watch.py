"""Watch mode (OS notifications in-process, polling through the CLI), quarantine, withdrawal of
deleted files, waiting for files still being written, and scheduled runs."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from casegraph.pipeline import ledger
from casegraph.pipeline.runner import Ingestor
from casegraph.pipeline.schedule import ScheduleError, interval_of, parse_schedule, run_every
from casegraph.pipeline.watch import DropFolderWatcher
from graph.db import read
from tests.factories.paths import CASEGRAPH
from tests.factories.processes import cli_env
from tests.fixtures.make_fixtures import BAD_LIMITS, BAD_REASONS, fixtures_dir


def wait_for(condition: Callable[[], object], timeout: float = 120.0, what: str = "condition") -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def doc(settings, path: Path) -> dict | None:  # type: ignore[no-untyped-def]
    rows = read("MATCH (d:Document {path: $p}) OPTIONAL MATCH (s:Sentence)-[:IN]->(d) "
                "RETURN d.status AS status, d.error AS error, collect(s.text) AS sentences", {"p": str(path)},
                settings=settings)
    return rows[0] if rows else None


class HeldClock:
    """Monotonic time that stands still while held: a file written while it is held cannot settle,
    however long the writer (or a loaded machine) pauses between writes."""

    def __init__(self) -> None:
        self.held_at: float | None = None

    def __call__(self) -> float:
        held = self.held_at
        return time.monotonic() if held is None else held

    def hold(self) -> None:
        self.held_at = time.monotonic()

    def release(self) -> None:
        self.held_at = None


def test_watch_ingests_quarantines_and_withdraws(graph_db, tmp_path):
    settings = graph_db.model_copy(update=BAD_LIMITS)
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(fixtures_dir() / "good" / "report.pdf", drop / "report.pdf")  # there before the watch starts
    with Ingestor(settings, workers=1) as ingestor:
        watcher = DropFolderWatcher(drop, ingestor, settings, settle=1.0)
        clock = watcher.clock = HeldClock()
        started = threading.Event()
        thread = threading.Thread(target=watcher.run, args=(started,), daemon=True)
        thread.start()
        try:
            assert started.wait(180), "watcher did not start"
            assert doc(settings, drop / "report.pdf")["status"] == "ingested"

            # A file written slowly (a copy over a network) is ingested once, complete.
            slow = drop / "incoming" / "slow.txt"
            slow.parent.mkdir()
            clock.hold()  # the pauses below are the writer's, never long enough to settle
            with open(slow, "w") as fh:
                for i in range(6):
                    fh.write(f"Line {i}: Agent Kelly Ross logged part {i} of the transfer.\n\n")
                    fh.flush()
                    time.sleep(0.3)
                fh.write("Final part: the transfer was complete.\n")
            clock.release()
            for name in ("notes.md", "tip.eml"):
                shutil.copy(fixtures_dir() / "good" / name, drop / name)
            for name in BAD_REASONS:
                src = fixtures_dir() / "bad" / name
                if src.is_symlink():
                    (drop / name).symlink_to(src.readlink())
                else:
                    shutil.copy(src, drop / name)

            quarantine = tmp_path / "quarantine"
            for name, reason in BAD_REASONS.items():
                note = quarantine / f"{name}.reason.txt"
                wait_for(note.exists, what=f"{name} in quarantine")
                assert reason in note.read_text()
                assert not (drop / name).exists() and not (drop / name).is_symlink()
            for name in ("notes.md", "tip.eml"):
                wait_for(lambda n=name: (doc(settings, drop / n) or {}).get("status") == "ingested", what=name)
            record = wait_for(lambda: doc(settings, slow), what="slow.txt")
            assert any("transfer was complete" in s for s in record["sentences"])
            assert watcher.totals.ingested.count(str(slow)) == 1, "ingested before it was completely written"
            assert watcher.totals.withdrawn == []  # quarantine moves are not deletions

            (drop / "notes.md").unlink()
            wait_for(lambda: doc(settings, drop / "notes.md")["status"] == "withdrawn", what="withdrawal")
            assert doc(settings, drop / "notes.md")["sentences"], "mark mode keeps the contributions"
        finally:
            watcher.stop()
            thread.join(60)
    # withdraw_mode = "remove": contributions leave the graph, the Document stays as a record.
    remove = settings.model_copy(update={"withdraw_mode": "remove"})
    assert ledger.withdraw_paths([str(drop / "tip.eml")], remove)
    rows = read("MATCH (d:Document) WHERE d.path STARTS WITH $p OPTIONAL MATCH (s:Sentence)-[:IN]->(d) "
                "RETURN d.path AS path, d.status AS status, count(s) AS sentences", {"p": str(drop / "tip.eml")},
                settings=settings)
    assert len(rows) == 3  # the e-mail and its two attachments
    assert all(r["status"] == "withdrawn" and r["sentences"] == 0 for r in rows)


def test_watch_cli_polling(graph_db, tmp_path):
    """`casegraph ingest watch DIR --interval 0.5`: polling mode, through the real command."""
    drop = tmp_path / "share"
    drop.mkdir()
    proc = subprocess.Popen([str(CASEGRAPH), "ingest", "watch", str(drop), "--interval", "0.5", "--settle", "0.5"],
                            env=cli_env(graph_db), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            cwd=tmp_path)
    try:
        shutil.copy(fixtures_dir() / "good" / "log.txt", drop / "log.txt")
        shutil.copy(fixtures_dir() / "bad" / "corrupt.pdf", drop / "corrupt.pdf")
        wait_for(lambda: (doc(graph_db, drop / "log.txt") or {}).get("status") == "ingested", what="log.txt")
        wait_for((tmp_path / "quarantine" / "corrupt.pdf").exists, what="quarantined corrupt.pdf")
        assert doc(graph_db, drop / "corrupt.pdf")["status"] == "failed"
        (drop / "log.txt").unlink()
        wait_for(lambda: doc(graph_db, drop / "log.txt")["status"] == "withdrawn", what="withdrawal")
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    assert "polling every 0.5 s" in out and "failed" in out and "corrupt PDF" in out


def test_schedule_cli_runs_again(graph_db, tmp_path):
    """`casegraph ingest --schedule "every 1 second" --runs 2 DIR`: the second run finds nothing new."""
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(fixtures_dir() / "good" / "protokol-cp1251.txt", drop)
    proc = subprocess.run([str(CASEGRAPH), "ingest", "--schedule", "every 1 second", "--runs", "2", str(drop)],
                          env=cli_env(graph_db) | {"COLUMNS": "200"}, capture_output=True, text=True, timeout=300)
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    assert out.count("ingest summary") == 2
    first, second = out.split("ingest summary")[1:]
    assert re.search(r"ingested documents\s*│\s*1\s", first) and re.search(r"unchanged files\s*│\s*0\s", first)
    assert re.search(r"ingested documents\s*│\s*0\s", second) and re.search(r"unchanged files\s*│\s*1\s", second)
    assert doc(graph_db, drop / "protokol-cp1251.txt")["status"] == "ingested"


def test_parse_schedule():
    assert parse_schedule("every 15 minutes") == 900
    assert parse_schedule("every minute") == 60
    assert parse_schedule("every 2 hours") == 7200
    assert parse_schedule("every 30 s") == 30
    assert parse_schedule("daily") == 86400
    for bad in ("15 minutes", "every fortnight", "sometimes", "every 0 minutes"):
        with pytest.raises(ScheduleError):
            parse_schedule(bad)


def test_run_every_keeps_the_interval_start_to_start():
    calls: list[float] = []
    fired: list[datetime] = []
    assert run_every(0.2, lambda: calls.append(time.monotonic()), runs=3, fired=fired) == 3
    assert len(calls) == 3 and len(fired) == 3
    assert interval_of(fired) == [timedelta(seconds=0.2)] * 2


def test_run_every_stops_on_a_failing_run():
    def fail() -> None:
        raise RuntimeError("Neo4j went away")

    with pytest.raises(RuntimeError, match="went away"):
        run_every(0.1, fail, runs=5)
