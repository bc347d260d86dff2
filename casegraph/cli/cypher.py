"""`casegraph cypher list|show|run`: the saved-query library from the command line, read-only."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from casegraph.core.settings import get_settings
from cypher.results import QueryResult, to_csv, to_json, to_text
from cypher.runner import adhoc_query, run
from cypher.saved import MissingParameterError, QueryError, list_queries, load_query, parse_assignments

app = typer.Typer(no_args_is_help=True, help="Saved read-only Cypher queries.")


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, soft_wrap=False)


@app.command("list")
def list_cmd() -> None:
    """List the saved queries with their parameters."""
    table = Table("name", "parameters", "description", show_lines=True)
    for q in list_queries():
        table.add_row(q.name, Text("\n".join(p.signature() for p in q.params)), Text(q.description))
    _console().print(table)


@app.command()
def show(name: str = typer.Argument(..., help="A saved query's name (see `casegraph cypher list`).")) -> None:
    """Print a saved query: its parameters and its Cypher."""
    q = load_query(name)
    out = _console()
    out.print(f"[bold]{q.name}[/bold] — {escape(q.description)}")
    for p in q.params:
        help_text = f"  [dim]{escape(p.description)}[/dim]" if p.description else ""
        out.print(f"  {escape(p.signature())}{help_text}")
    out.print(f"[dim]{escape(str(q.path))}[/dim]")
    out.print(Syntax(q.text, "cypher", theme="ansi_dark", word_wrap=True))


@app.command("run")
def run_cmd(
    name: Annotated[str | None, typer.Argument(help="A saved query's name; or use --file.")] = None,
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="A parameter as NAME=VALUE; repeat for more.")] = None,
    file: Annotated[Path | None, typer.Option(
        "--file", "-f", exists=True, dir_okay=False,
        help="Run the Cypher in this file instead (same safety checks).")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-o", help="Output format.")] = Format.table,
    max_rows: Annotated[int | None, typer.Option(
        "--max-rows", min=0, help="Return at most this many rows (never more than the row cap).")] = None,
) -> None:
    """Run a saved query (or a .cypher file) in a read-only transaction with a timeout and a row cap."""
    if (name is None) == (file is None):
        raise QueryError("give either a saved query's NAME or --file Q.cypher")
    query = load_query(name) if name else adhoc_query(file.read_text(encoding="utf-8"), name="adhoc")  # type: ignore[union-attr]
    try:
        result = run(query, parse_assignments(param or []), get_settings(), max_rows=max_rows)
    except MissingParameterError as exc:
        raise MissingParameterError(f"{exc} (pass them as --param NAME=VALUE)") from None
    _print(result, fmt)


def _print(result: QueryResult, fmt: Format) -> None:
    note = _console(stderr=True)
    if fmt is Format.json:
        sys.stdout.write(to_json(result) + "\n")
    elif fmt is Format.csv:
        sys.stdout.write(to_csv(result))
    else:
        table = Table()
        for column in result.columns:
            table.add_column(Text(column))
        for row in result.rows:
            table.add_row(*(Text(to_text(v)) for v in row))
        _console().print(table)
    note.print(Text(f"{result.name}: {result.summary()}", style="dim"))
    if result.truncated:
        note.print(f"[yellow]more rows were available: only the first {result.row_cap} are shown "
                   "(CASEGRAPH_QUERY_ROW_CAP sets the cap)[/yellow]")
