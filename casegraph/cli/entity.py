"""`casegraph entity merge|split|alias|decisions`: analyst decisions, kept in the graph."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from graph import decisions

app = typer.Typer(no_args_is_help=True)
WHY = typer.Option(None, "--why", help="Why: kept with the decision.")
WHO = typer.Option(None, "--who", help="Who decided (default: your login name).")


@app.command()
def merge(keep: str = typer.Argument(..., help="Key of the entity that stays."),
          others: list[str] = typer.Argument(..., help="Keys merged into it."),
          why: str | None = WHY, who: str | None = WHO) -> None:
    """Merge entities into one: mentions, relations and names move to KEEP; later ingestion follows."""
    decision = decisions.merge(keep, others, why=why, who=who)
    typer.echo(f"merged {', '.join(others)} into {keep} (decision {decision})")


@app.command()
def alias(key: str, name: str, why: str | None = WHY, who: str | None = WHO) -> None:
    """Record another name of an entity (search finds it; resolution uses it)."""
    decision = decisions.add_alias(key, name, why=why, who=who)
    typer.echo(f"{name!r} is now an alias of {key} (decision {decision})")


@app.command()
def split(key: str,
          text: list[str] = typer.Option(..., "--text", help="Mention text to move (repeatable)."),
          name: str = typer.Option(..., "--name", help="Name of the new entity."),
          why: str | None = WHY, who: str | None = WHO) -> None:
    """Split mentions written as TEXT off KEY into a new entity NAME; later ingestion follows."""
    decision, new_key = decisions.split(key, text, name, why=why, who=who)
    typer.echo(f"split {', '.join(text)} off {key} into {new_key} (decision {decision})")


@app.command("decisions")
def list_(limit: int = 50) -> None:
    """List recorded decisions, newest first."""
    table = Table("at", "kind", "who", "what", "why")
    for d in decisions.list_decisions(limit):
        what = {"merge": f"{d['from_keys']} → {d['into_key']}", "alias": f"{d['key']} += {d['name']!r}",
                "split": f"{d['texts']} of {d['key']} → {d['into_key']}"}.get(d["kind"], "")
        table.add_row(d["at"][:19], d["kind"], d["who"], what, d["why"] or "")
    Console().print(table)
