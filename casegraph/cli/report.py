"""`casegraph report …`: quality figures, a thin typer front over `casegraph.eval`.

`quality` is every figure in one report (docs/QUALITY.md); `coref`, `russian` and `resolution` run one
evaluator each (NER is `casegraph nlp evaluate`). Data paths default to the settings
(`CASEGRAPH_EVAL_DATA`, `CASEGRAPH_DEMO_CASE_DIR`; see casegraph/eval/datasets.py).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import Console

app = typer.Typer(no_args_is_help=True, help="Quality reports: NER, coreference, Russian NER, entity resolution.")

Limit = Annotated[int | None, typer.Option("--limit", min=1, help="At most N documents (default: all).")]


def _console() -> Console:
    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() else 140)


@app.command()
def quality(
    limit: Annotated[int | None, typer.Option("--limit", min=1,
                                              help="At most N documents per data set (default: all).")] = None,
    only: Annotated[str | None, typer.Option(
        "--only", help="Comma-separated parts: ner, realcases, coref, ru, resolution (default: all).")] = None,
    model: Annotated[list[str], typer.Option(
        "--model", "-m", help="spaCy model(s) for the NER tables (repeatable).")] = ["en_core_web_md"],  # noqa: B006
    data_dir: Annotated[Path | None, typer.Option(
        "--data-dir", help="Shared evaluation data (default: CASEGRAPH_EVAL_DATA, ../shared/data).")] = None,
    demo_case: Annotated[Path | None, typer.Option(
        "--demo-case", help="Demo case directory (default: CASEGRAPH_DEMO_CASE_DIR, examples/demo_case).")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Markdown report to write.")] = Path("docs/QUALITY.md"),
    write: Annotated[bool, typer.Option("--write/--no-write", help="Write the Markdown report.")] = True,
) -> None:
    """NER P/R/F1 (LitBank, gold sentences), coreference CoNLL F1 (LitBank), Russian NER
    (factRuEval-2016) and entity resolution on the demo case; printed and written to docs/QUALITY.md."""
    from rich.console import Console

    from casegraph.core.settings import get_settings
    from casegraph.eval.quality import PARTS, build_report, render, write_markdown

    parts = [p.strip() for p in only.split(",") if p.strip()] if only else list(PARTS)
    bad = sorted(set(parts) - set(PARTS))
    if bad:
        raise typer.BadParameter(f"unknown part(s) {', '.join(bad)}; choose from {', '.join(PARTS)}",
                                 param_hint="--only")
    update = {k: v for k, v in (("eval_data_dir", data_dir), ("demo_case_dir", demo_case)) if v is not None}
    settings = get_settings().model_copy(update=update)
    console = Console()
    report = build_report(parts, limit, model, progress=lambda msg: console.print(f"[dim]… {msg}[/dim]"),
                          settings=settings)
    render(report, console)
    if write:
        console.print(f"wrote {write_markdown(report, out)}", soft_wrap=True)


@app.command()
def coref(
    data: Annotated[Path | None, typer.Option(
        help="LitBank coref directory of .conll files (default: <eval data>/litbank/coref).")] = None,
    limit: Limit = None,
    backend: Annotated[str, typer.Option(help="rules or fastcoref.")] = "rules",
    model: Annotated[str | None, typer.Option(help="fastcoref model directory.")] = None,
    spacy_model: Annotated[str, typer.Option(help="spaCy model the mentions are found with.")] = "en_core_web_md",
) -> None:
    """MUC, B³, CEAF-e and CoNLL F1 of a coreference backend on LitBank."""
    import time

    from casegraph.eval.coref import BACKENDS, evaluate, table

    if backend not in BACKENDS:
        raise typer.BadParameter(f"choose from {', '.join(BACKENDS)}", param_hint="--backend")
    started = time.perf_counter()
    results = evaluate(data, limit, backend, model, spacy_model)
    title = f"LitBank coreference, backend={backend} ({time.perf_counter() - started:.0f} s)"
    _console().print(table(results, title))


@app.command()
def russian(
    data: Annotated[Path | None, typer.Option(
        help="factRuEval-2016 devset directory (default: <eval data>/factrueval-2016/devset).")] = None,
    limit: Limit = None,
    locorg: Annotated[str, typer.Option(help="LocOrg gold spans: location, either or ignore.")] = "location",
    out: Annotated[Path | None, typer.Option(help="JSON report path (default: <work_dir>/reports/).")] = None,
    natasha_only: Annotated[bool, typer.Option(help="Score bare natasha NER instead (the baseline).")] = False,
) -> None:
    """Per-type precision/recall/F1 (exact and partial overlap) of the Russian NER on factRuEval-2016."""
    from casegraph.eval.russian import LOCORG_MODES, evaluate, table, write_json

    if locorg not in LOCORG_MODES:
        raise typer.BadParameter(f"choose from {', '.join(LOCORG_MODES)}", param_hint="--locorg")
    report = evaluate(data, limit, locorg, natasha_only)  # type: ignore[arg-type]
    _console().print(table(report))
    typer.echo(f"wrote {write_json(report, out)}")


@app.command()
def resolution(
    fixture: Annotated[Path | None, typer.Argument(
        exists=True, dir_okay=False,
        help="Mentions with their true entities, JSON (default: the package's hand-written set).")] = None,
    kb: Annotated[bool, typer.Option("--kb/--no-kb", help="Resolve with the seed KB.")] = True,
    threshold: Annotated[float | None, typer.Option(help="Fuzzy threshold (default: settings).")] = None,
    errors: Annotated[bool, typer.Option("--errors", help="List the wrongly keyed mentions.")] = False,
) -> None:
    """Pairwise and B³ precision/recall/F1 of the entity resolver on a mention set."""
    from casegraph.eval.datasets import RESOLUTION_MENTIONS
    from casegraph.eval.resolution import score_fixture, table

    path = fixture or RESOLUTION_MENTIONS
    scores, wrong = score_fixture(path, use_kb=kb, threshold=threshold)
    _console().print(table(scores, f"Entity resolution: {path.name}"))
    if errors:
        for line in wrong:
            typer.echo(line)
