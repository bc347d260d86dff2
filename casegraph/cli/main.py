"""The `casegraph` command: a thin typer front over plain functions in each package.

One module per command group (`casegraph/cli/ingest.py`, `nlp.py`, `report.py`, `bench.py`, ...), each a
typer app that imports its heavy dependencies inside the commands. `main()` runs the app through
`casegraph.cli.errors.run`, so every way a command can fail ends in one line and an exit code.
"""

from __future__ import annotations

import importlib
import logging

import typer

from casegraph.cli import errors

app = typer.Typer(help="casegraph: case documents → knowledge graph.", no_args_is_help=True,
                  pretty_exceptions_enable=False)

# (name, module, help) — each module exposes a typer app named `app`.
GROUPS: list[tuple[str, str, str]] = [
    ("neo4j", "casegraph.cli.neo4j", "Run the embedded local Neo4j server."),
    ("ingest", "casegraph.cli.ingest", "Ingest document drops."),
    ("nlp", "casegraph.cli.nlp", "NER: train, evaluate, pre-annotate, analyze."),
    ("kb", "casegraph.cli.kb", "Entity-linking knowledge base."),
    ("entity", "casegraph.cli.entity", "Analyst decisions: merge, split, alias."),
    ("cypher", "casegraph.cli.cypher", "Saved read-only Cypher queries."),
    ("api", "casegraph.cli.api", "Serve the JSON HTTP API (OpenAPI at /api/docs)."),
    ("report", "casegraph.cli.report", "Quality reports: NER, coreference, Russian NER, entity resolution."),
    ("bench", "casegraph.cli.bench", "Benchmarks: figures written to docs/BENCHMARKS.md."),
    ("users", "casegraph.cli.users", "Accounts, roles, case grants and API tokens."),
    ("audit", "casegraph.cli.audit", "The tamper-evident audit trail: show, export, verify."),
    ("export", "casegraph.cli.export", "Export for FollowTheMoney, Gephi (GraphML/GEXF) and i2 (CSV)."),
    ("import", "casegraph.cli.importing", "Import FollowTheMoney entities into the KB."),
]


def _mount() -> None:
    for name, module, help_text in GROUPS:
        app.add_typer(importlib.import_module(module).app, name=name, help=help_text)
    from casegraph.cli.ingest import watch  # `casegraph watch DIR`, the same as `casegraph ingest watch DIR`

    app.command("watch", help="Watch a drop folder and ingest what arrives (= ingest watch).")(watch)


@app.command()
def serve(
    host: str | None = typer.Option(None, help="Interface to bind (default from settings)."),
    port: int | None = typer.Option(None, help="Port (default 8050)."),
    debug: bool = typer.Option(False, help="Dash debug mode with hot reload."),
) -> None:
    """Serve the dashboard (link chart) on http://HOST:PORT."""
    from dashboard.app import run

    run(host=host, port=port, debug=debug)


@app.callback()
def _root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Debug logging."),
    debug: bool = typer.Option(False, "--debug", help="On an error, print the traceback too."),
) -> None:
    errors.state.debug = errors.state.debug or debug
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not verbose:  # the driver logs each retry of an unreachable server; the one-line error says it
        logging.getLogger("neo4j").setLevel(logging.ERROR)


_mount()  # at import, so `from casegraph.cli.main import app` is the whole command (tests use it)


def main() -> None:
    errors.main_exit(typer.main.get_command(app))
