"""`casegraph export`: the case graph as FollowTheMoney, GraphML/GEXF and i2 CSV (docs/exchange.md)."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Export the graph for FtM/Aleph, Gephi and i2 Analyst's Notebook.", no_args_is_help=True)

CASE = typer.Option("--case", help="Only this case (repeatable); default every case.")
TYPED = typer.Option("--typed-only", help="Leave out the weak co-occurrence links.")


def _read(fmt: str, out: Path, cases: list[str] | None, typed_only: bool) -> object:
    from casegraph.access import audit, open_store
    from casegraph.core.settings import get_settings
    from graph.export import export_case

    settings = get_settings()
    audit.record(open_store(settings), user=f"cli:{getpass.getuser()}", action=audit.Event.EXPORT,
                 query=f"export_{fmt}", params={"cases": cases, "typed_only": typed_only, "out": str(out)},
                 client="cli")
    return export_case(cases=cases or None, typed_only=typed_only, settings=settings)


@app.command()
def ftm(out: Annotated[Path, typer.Argument(dir_okay=False, help="OUT.jsonl")],
        case: Annotated[list[str] | None, CASE] = None, typed_only: Annotated[bool, TYPED] = False) -> None:
    """FollowTheMoney entities, one JSON object a line."""
    from casegraph.exchange.ftm import to_ftm, write_ftm
    from graph.export import CaseExport

    export = _read("ftm", out, case, typed_only)
    assert isinstance(export, CaseExport)
    typer.echo(f"{write_ftm(to_ftm(export), out)} FtM entities → {out}")


def _graph(fmt: str, out: Path, case: list[str] | None, typed_only: bool) -> None:
    from casegraph.exchange.graphfiles import case_graph, write_graph
    from graph.export import CaseExport

    export = _read(fmt, out, case, typed_only)
    assert isinstance(export, CaseExport)
    graph = case_graph(export)
    write_graph(graph, out, fmt)
    typer.echo(f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges → {out}")


@app.command()
def graphml(out: Annotated[Path, typer.Argument(dir_okay=False, help="OUT.graphml")],
            case: Annotated[list[str] | None, CASE] = None, typed_only: Annotated[bool, TYPED] = False) -> None:
    """GraphML (Gephi, yEd, Cytoscape desktop)."""
    _graph("graphml", out, case, typed_only)


@app.command()
def gexf(out: Annotated[Path, typer.Argument(dir_okay=False, help="OUT.gexf")],
         case: Annotated[list[str] | None, CASE] = None, typed_only: Annotated[bool, TYPED] = False) -> None:
    """GEXF (Gephi)."""
    _graph("gexf", out, case, typed_only)


@app.command()
def i2(out: Annotated[Path, typer.Argument(dir_okay=False, help="OUT.csv")],
       case: Annotated[list[str] | None, CASE] = None) -> None:
    """i2 Analyst's Notebook link CSV: one row per typed relation (co-occurrence left out)."""
    from casegraph.exchange.i2 import write_i2_csv
    from graph.export import CaseExport

    export = _read("i2", out, case, True)
    assert isinstance(export, CaseExport)
    typer.echo(f"{write_i2_csv(export, out)} links → {out}")
