"""The `casegraph` command: a thin typer front over plain functions in each package.

Sub-apps live beside the code they drive (`casegraph/cli/ingest.py`, `casegraph/cli/nlp.py`, ...) and import their
heavy dependencies inside the commands, so `casegraph --help` stays fast.
"""

from __future__ import annotations

import importlib
import logging
import sys

import typer

from casegraph.core.errors import CasegraphError

app = typer.Typer(help="casegraph: case documents → knowledge graph.", no_args_is_help=True)
bench_app = typer.Typer(help="Benchmarks: print figures and ratios (not tests).", no_args_is_help=True)

# (name, module, attribute, help) — each module exposes a typer app.
SUBAPPS: list[tuple[str, str, str]] = [
    ("neo4j", "casegraph.cli.neo4j", "Run the embedded local Neo4j server."),
    ("ingest", "casegraph.cli.ingest", "Ingest document drops."),
    ("nlp", "casegraph.cli.nlp", "NER: train, evaluate, pre-annotate."),
    ("kb", "casegraph.cli.kb", "Entity-linking knowledge base."),
    ("entity", "casegraph.cli.entity", "Analyst decisions: merge, split, alias."),
    ("cypher", "casegraph.cli.cypher", "Saved read-only Cypher queries."),
    ("api", "casegraph.cli.api", "Serve the JSON HTTP API (OpenAPI at /api/docs)."),
    ("report", "casegraph.cli.report", "Quality reports: NER, coreference, entity resolution."),
]

BENCHES: list[tuple[str, str]] = [
    ("graph", "casegraph.bench.graph"),
    ("ingest", "casegraph.bench.ingest"),
    ("nlp", "casegraph.bench.nlp"),
    ("dashboard", "casegraph.bench.dashboard"),
]


def _mount() -> None:
    for name, module, help_text in SUBAPPS:
        try:
            sub = importlib.import_module(module).app
        except ModuleNotFoundError as exc:
            if exc.name != module:  # a real missing dependency, not an absent sub-app
                raise
            continue
        app.add_typer(sub, name=name, help=help_text)
    from casegraph.cli.ingest import watch  # `casegraph watch DIR`, the same as `casegraph ingest watch DIR`

    app.command("watch", help="Watch a drop folder and ingest what arrives (= ingest watch).")(watch)
    for name, module in BENCHES:
        _add_bench(name, module)
    app.add_typer(bench_app, name="bench")


def _add_bench(name: str, module: str) -> None:
    def run_bench() -> None:
        importlib.import_module(module).main()

    run_bench.__doc__ = f"Benchmark: {name}."
    bench_app.command(name)(run_bench)


@bench_app.command("all")
def bench_all() -> None:
    """Run every benchmark in turn."""
    for _name, module in BENCHES:
        importlib.import_module(module).main()


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
def _root(verbose: bool = typer.Option(False, "--verbose", "-v", help="Debug logging.")) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def main() -> None:
    _mount()
    try:
        app()
    except CasegraphError as exc:
        # Users get one clear line, not a stack trace.
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        sys.exit(exc.exit_code)
