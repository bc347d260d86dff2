"""`casegraph kb`: build the entity-linking KB and import analyst lists."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Entity-linking knowledge base (SQLite, spacy-entity-linker schema).", no_args_is_help=True)


def _report(stats: object) -> None:
    from rich.console import Console
    from rich.table import Table

    from nlp.kb import KBStats

    assert isinstance(stats, KBStats)
    table = Table(title=f"KB {stats.path}")
    table.add_column("type")
    table.add_column("entities", justify="right")
    for type_name, n in sorted(stats.by_type.items()):
        table.add_row(type_name, str(n))
    table.add_row("all", f"{stats.entities} ({stats.aliases} names)")
    Console().print(table)


@app.command()
def build(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="KB file (default: settings kb_path).")] = None,
) -> None:
    """Build the KB from the seed lists (nlp/kb/*.csv|jsonl) and every imported analyst list."""
    from nlp.kb import build_kb, rebuild
    from nlp.kb.store import imports_dir

    if output is None:
        _report(rebuild())
        return
    folder = imports_dir()
    extra = sorted(p for p in folder.iterdir() if p.suffix in {".csv", ".jsonl"}) if folder.is_dir() else []
    _report(build_kb(output, extra))


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Analyst list (.csv or .jsonl).")],
) -> None:
    """Add an analyst list (name, type, aliases, description, wikidata, prior) or an agency roster
    (a CSV with gang, phones, birth_date or identifier columns: see `kb roster`) and rebuild."""
    from casegraph.exchange.roster import is_roster
    from nlp.kb import import_file

    if is_roster(file):
        roster(file)
        return
    _report(import_file(file))


@app.command("roster")
def roster(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Agency roster (.csv).")],
    region: Annotated[str, typer.Option(help="Region for phone numbers without a country code.")] = "US",
) -> None:
    """Import an agency roster (name, type, aliases, birth_date, phones, gang, identifier); re-importing
    a roster of the same file name replaces its previous entries."""
    from casegraph.exchange.roster import read_roster
    from nlp.kb import import_entries

    _report(import_entries(read_roster(file, region), f"roster-{file.stem}"))
