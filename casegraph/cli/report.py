"""`casegraph report …`: quality reports (a thin typer front over `casegraph.eval.quality`)."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(no_args_is_help=True, help="Quality reports: NER, coreference, entity resolution.")


@app.callback()
def _group() -> None:
    """Quality reports (a group, so `casegraph report quality` keeps its name)."""


@app.command()
def quality(
    limit: int | None = typer.Option(None, "--limit", min=1,
                                     help="At most N documents per data set (default: all)."),
    only: str | None = typer.Option(None, "--only",
                                    help="Comma-separated parts: ner, coref, ru, resolution (default: all)."),
    model: list[str] = typer.Option(["en_core_web_md"], "--model", "-m",
                                    help="spaCy model(s) for the NER tables (repeatable)."),
    out: Path = typer.Option(Path("docs/QUALITY.md"), "--out", "-o", help="Markdown report to write."),
    write: bool = typer.Option(True, "--write/--no-write", help="Write the Markdown report."),
) -> None:
    """NER P/R/F1 (LitBank, gold sentences), coreference CoNLL F1 (LitBank), Russian NER
    (factRuEval-2016) and entity resolution on the demo case; printed and written to docs/QUALITY.md."""
    from rich.console import Console

    from casegraph.eval.quality import PARTS, build_report, render, write_markdown

    parts = [p.strip() for p in only.split(",") if p.strip()] if only else list(PARTS)
    bad = sorted(set(parts) - set(PARTS))
    if bad:
        raise typer.BadParameter(f"unknown part(s) {', '.join(bad)}; choose from {', '.join(PARTS)}",
                                 param_hint="--only")
    console = Console()
    report = build_report(parts, limit, model, progress=lambda msg: console.print(f"[dim]… {msg}[/dim]"))
    render(report, console)
    if write:
        console.print(f"wrote {write_markdown(report, out)}")
