"""`casegraph ingest …`: a thin typer front over `casegraph.pipeline.runner`, `casegraph.pipeline.watch` and the ledger.

`casegraph ingest PATH…` is `casegraph ingest run PATH…`: the first argument is taken as a
sub-command only when it names one (to ingest a file called `watch`, write `./watch`).
"""

from __future__ import annotations

import logging
import signal
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

DEFAULT_COMMAND = "run"


class _DefaultToRun(TyperGroup):
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


app = typer.Typer(cls=_DefaultToRun, no_args_is_help=True,
                  help="Ingest document drops: `casegraph ingest PATH…` (files, folders, globs), "
                       "`casegraph ingest watch DIR`, `casegraph ingest status`.")


def _settings() -> Any:
    from casegraph.core.settings import get_settings

    return get_settings()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop_on_sigterm() -> None:
    # A service manager stops us with SIGTERM: leave like Ctrl-C, through the finally blocks.
    signal.signal(signal.SIGTERM, _interrupt)


@app.command(DEFAULT_COMMAND)
def run(
    paths: list[str] = typer.Argument(..., help="Files, folders or glob patterns (quote globs)."),
    recursive: bool = typer.Option(False, "--recursive", "-r", help="Descend into sub-folders."),
    workers: int | None = typer.Option(None, "--workers", "-w", min=1,
                                       help="Worker processes for parsing and NLP (default: settings)."),
    schedule: str | None = typer.Option(None, "--schedule",
                                        help='Run again and again, e.g. "every 15 minutes" (Ctrl-C stops).'),
    runs: int | None = typer.Option(None, "--runs", min=1, help="With --schedule: stop after this many runs."),
) -> None:
    """Ingest files, folders and globs (the default command). Exit code 1 when any document failed."""
    from rich.console import Console

    from casegraph.cli.progress import RichProgress, print_summary
    from casegraph.pipeline.runner import Ingestor, IngestReport
    from casegraph.pipeline.schedule import ScheduleError, parse_schedule, run_every
    from ingest.discover import discover

    settings = _settings()
    # A long run that waits out a Neo4j outage says so: the driver's "will be retried in …" warnings stay visible.
    logging.getLogger("neo4j").setLevel(logging.WARNING)
    console = Console()
    interval = None
    if schedule:
        try:
            interval = parse_schedule(schedule)
        except ScheduleError as exc:
            raise typer.BadParameter(str(exc), param_hint="--schedule") from exc
    last = IngestReport()
    _stop_on_sigterm()
    with Ingestor(settings, workers) as ingestor:

        def once() -> None:
            nonlocal last
            found = discover(paths, recursive=recursive)
            with RichProgress() as bar:
                ingestor.progress = bar
                last = ingestor.ingest(found.files, found.missing)
            print_summary(last, console)

        try:
            if interval is None:
                once()
            else:
                console.print(f"ingesting {' '.join(paths)} every {interval:g} s (Ctrl-C stops)", soft_wrap=True)
                run_every(interval, once, runs=runs)
        except KeyboardInterrupt:
            console.print("stopped")
    raise typer.Exit(0 if last.ok else 1)


@app.command()
def watch(
    directory: Path = typer.Argument(..., help="The drop folder (created if missing)."),
    interval: float | None = typer.Option(None, "--interval", min=0.1,
                                          help="Poll every N seconds instead of OS notifications "
                                               "(network shares)."),
    settle: float = typer.Option(2.0, "--settle", min=0.0,
                                 help="Seconds a file must stay unchanged before it is ingested."),
    quarantine: Path | None = typer.Option(None, "--quarantine",
                                           help="Where failed files go (default: quarantine/ beside DIR)."),
    workers: int | None = typer.Option(None, "--workers", "-w", min=1, help="Worker processes."),
) -> None:
    """Watch a drop folder: ingest new and changed files, quarantine failures, withdraw deleted files."""
    from datetime import datetime

    from rich.console import Console

    from casegraph.pipeline.runner import Ingestor, IngestReport
    from casegraph.pipeline.watch import DropFolderWatcher

    settings = _settings()
    console = Console()

    def show(report: IngestReport) -> None:
        stamp = datetime.now().strftime("%H:%M:%S")
        console.print(f"{stamp} ingested {len(report.ingested)}, unchanged {len(report.unchanged)}, "
                      f"failed {len(report.failed)}, quarantined {len(report.quarantined)}", highlight=False,
                      soft_wrap=True)
        for path, reason in report.failed:
            console.print(f"  [red]failed[/red] {path}: {reason}", highlight=False, soft_wrap=True)

    _stop_on_sigterm()
    with Ingestor(settings, workers) as ingestor:
        watcher = DropFolderWatcher(directory, ingestor, settings, interval=interval, settle=settle,
                                    quarantine=quarantine, on_report=show)
        mode = f"polling every {interval:g} s" if interval else "OS notifications"
        console.print(f"watching {watcher.folder} ({mode}); quarantine: {watcher.quarantine}; Ctrl-C stops",
                      soft_wrap=True, highlight=False)
        try:
            watcher.run()
        except KeyboardInterrupt:
            watcher.stop()
        totals = watcher.totals
    console.print(f"stopped: ingested {len(totals.ingested)}, failed {len(totals.failed)}, "
                  f"quarantined {len(totals.quarantined)}, withdrawn {len(totals.withdrawn)}", soft_wrap=True)


@app.command()
def status(
    failed: bool = typer.Option(False, "--failed", help="List failed documents with their reasons."),
    limit: int = typer.Option(100, help="At most this many failed documents."),
) -> None:
    """The ingestion ledger: documents by status (and the failures)."""
    from rich.console import Console
    from rich.table import Table

    from casegraph.pipeline import ledger

    settings = _settings()
    console = Console()
    table = Table(title="ingestion ledger")
    for col in ("status", "documents", "pages"):
        table.add_column(col, justify="left" if col == "status" else "right")
    for row in ledger.summary(settings):
        table.add_row(row["status"], str(row["documents"]), str(row["pages"]))
    console.print(table)
    if failed:
        for row in ledger.failed(settings, limit):
            console.print(f"[red]failed[/red] {row['path']}: {row['error']}", highlight=False, soft_wrap=True)
