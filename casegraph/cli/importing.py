"""`casegraph import ftm IN.jsonl --as-kb`: FollowTheMoney entities as knowledge-base entries."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Import entities from other tools.", no_args_is_help=True)


@app.command()
def ftm(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="FtM JSON lines.")],
        as_kb: Annotated[bool, typer.Option("--as-kb", help="Load as knowledge-base entries.")] = False) -> None:
    """Load FtM entities (names, aliases, identifiers) into the KB; re-importing the file replaces them."""
    from casegraph.exchange.ftm import kb_entries, read_ftm
    from nlp.kb import import_entries

    if not as_kb:
        raise typer.BadParameter("only --as-kb is supported: FtM entities become KB entries")
    entries = kb_entries(read_ftm(file))
    stats = import_entries(entries, f"ftm-{file.stem}")
    typer.echo(f"{len(entries)} KB entries from {file}; KB now {stats.entities} entities")
