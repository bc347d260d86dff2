"""`casegraph bench …`: speed figures, printed and written to docs/BENCHMARKS.md (a thin typer front
over casegraph/bench; each benchmark's `run(...)` returns its tables)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from casegraph.core.tables import ReportTable

app = typer.Typer(no_args_is_help=True, help="Benchmarks: figures and ratios to a plain baseline (not tests).")

BENCHES = ("graph", "ingest", "nlp", "dashboard", "upload")
Out = Annotated[Path, typer.Option("--out", "-o", help="Markdown file whose section this run rewrites.")]
Write = Annotated[bool, typer.Option("--write/--no-write", help="Rewrite this benchmark's section of --out.")]
DEFAULT_OUT = Path("docs/BENCHMARKS.md")


def _publish(name: str, command: str, tables: Sequence[ReportTable], out: Path, write: bool) -> None:
    from rich.console import Console

    from casegraph.bench.report import section, update

    console = Console()
    for table in tables:
        console.print(table.rich())
    if write:
        console.print(f"wrote {update(out, name, section(name, command, tables), BENCHES)}", soft_wrap=True)


def _run(name: str, **options: object) -> list[ReportTable]:
    run: Callable[..., list[ReportTable]] = importlib.import_module(f"casegraph.bench.{name}").run
    return run(**options)


def _command(name: str, tables: Sequence[ReportTable]) -> str:
    return tables[0].command if tables else f"casegraph bench {name}"


@app.command()
def graph(
    docs: Annotated[int, typer.Option(min=10, help="Synthetic documents (100 relations each).")] = 2000,
    batch_size: Annotated[int, typer.Option(min=1, help="Documents per writer batch.")] = 50,
    out: Out = DEFAULT_OUT, write: Write = True,
) -> None:
    """The graph writer's relations/s against raw `UNWIND … CREATE` on a throw-away Neo4j."""
    tables = _run("graph", docs=docs, batch_size=batch_size)
    _publish("graph", _command("graph", tables), tables, out, write)


@app.command()
def ingest(
    docs: Annotated[int, typer.Option(min=1, envvar="CASEGRAPH_BENCH_INGEST_DOCS",
                                      help="Generated 2-page PDFs.")] = 200,
    out: Out = DEFAULT_OUT, write: Write = True,
) -> None:
    """The parsing stage's documents/min against raw pdfminer.six on generated PDFs."""
    tables = _run("ingest", docs=docs)
    _publish("ingest", _command("ingest", tables), tables, out, write)


@app.command()
def nlp(
    docs: Annotated[int, typer.Option(min=2, help="Case-style documents.")] = 20,
    words: Annotated[int, typer.Option(min=50, help="Words per document.")] = 1000,
    repeats: Annotated[int, typer.Option(min=1, help="Runs per variant (the best counts).")] = 3,
    out: Out = DEFAULT_OUT, write: Write = True,
) -> None:
    """The casegraph pipeline's words/s against plain spaCy `nlp.pipe`."""
    tables = _run("nlp", docs=docs, words=words, repeats=repeats)
    _publish("nlp", _command("nlp", tables), tables, out, write)


@app.command()
def dashboard(
    entities: Annotated[int, typer.Option(min=1000, help="Generated entities.")] = 100_000,
    relations: Annotated[int, typer.Option(min=10_000, help="Generated RELATED edges.")] = 1_000_000,
    runs: Annotated[int, typer.Option(min=10, help="Timed runs per query.")] = 200,
    heap: Annotated[str, typer.Option(envvar="CASEGRAPH_BENCH_HEAP", help="Neo4j heap.")] = "1g",
    pagecache: Annotated[str, typer.Option(envvar="CASEGRAPH_BENCH_PAGECACHE", help="Neo4j page cache.")] = "1g",
    out: Out = DEFAULT_OUT, write: Write = True,
) -> None:
    """p50/p95 of the link chart's read queries on a big generated graph."""
    tables = _run("dashboard", entities=entities, relations=relations, runs=runs, heap=heap, pagecache=pagecache)
    _publish("dashboard", _command("dashboard", tables), tables, out, write)


@app.command()
def upload(
    uploads: Annotated[int, typer.Option(min=2, help="Documents uploaded one after another.")] = 6,
    out: Out = DEFAULT_OUT, write: Write = True,
) -> None:
    """How fast POST /api/documents answers 202 on a cold `casegraph api` process."""
    tables = _run("upload", uploads=uploads)
    _publish("upload", _command("upload", tables), tables, out, write)


@app.command("all")
def all_(out: Out = DEFAULT_OUT, write: Write = True) -> None:
    """Every benchmark with its defaults, in turn; each rewrites its section of --out."""
    for name in BENCHES:
        tables = _run(name)
        _publish(name, _command(name, tables), tables, out, write)
