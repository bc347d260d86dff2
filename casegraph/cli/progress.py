"""The rich progress bar (documents/s) and the end-of-run summary."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from casegraph.pipeline.runner import IngestReport

MAX_LISTED_FAILURES = 50


class DocsPerSecond(ProgressColumn):
    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        docs = task.fields.get("docs", 0)
        rate = docs / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:5.1f} docs/s", style="progress.data.speed")


class RichProgress:
    """Implements `casegraph.pipeline.runner.Progress`; use as a context manager around a run."""

    def __init__(self, console: Console | None = None):
        self.console = console or Console(stderr=True)
        self.bar = Progress(SpinnerColumn(), TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("files"), DocsPerSecond(), TimeElapsedColumn(),
                            TextColumn("[dim]{task.fields[current]}"), console=self.console)
        self.task: TaskID | None = None

    def __enter__(self) -> RichProgress:
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def start(self, total: int) -> None:
        if self.task is None:
            self.task = self.bar.add_task("ingest", total=total, docs=0, current="")
        else:
            self.bar.update(self.task, total=total, completed=0, docs=0)

    def advance(self, path: str, documents: int) -> None:
        if self.task is None:
            return
        docs = self.bar.tasks[self.task].fields.get("docs", 0) + documents
        self.bar.update(self.task, advance=1, docs=docs, current=Path(path).name[:40])


def print_summary(report: IngestReport, console: Console | None = None) -> None:
    console = console or Console()
    rate = len(report.ingested) / report.seconds if report.seconds > 0 else 0.0
    table = Table(title="ingest summary", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("ingested documents", str(len(report.ingested)))
    table.add_row("unchanged files", str(len(report.unchanged)))
    table.add_row("failed", f"[red]{len(report.failed)}" if report.failed else "0")
    table.add_row("quarantined", str(len(report.quarantined)))
    if report.withdrawn:
        table.add_row("withdrawn", str(len(report.withdrawn)))
    if report.replaced:
        table.add_row("replaced older versions", str(report.replaced))
    table.add_row("pages (OCR)", f"{report.pages} ({report.ocr_pages})")
    table.add_row("time", f"{report.seconds:.1f} s, {rate:.1f} docs/s")
    console.print(table)
    for path, reason in report.failed[:MAX_LISTED_FAILURES]:
        console.print(f"[red]failed[/red] {path}: {reason}", highlight=False, soft_wrap=True)
    if len(report.failed) > MAX_LISTED_FAILURES:
        console.print(f"… and {len(report.failed) - MAX_LISTED_FAILURES} more failures "
                      "(`casegraph ingest status --failed` lists them)")
