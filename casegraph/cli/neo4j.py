"""`casegraph neo4j start|stop|status`."""

from __future__ import annotations

import typer

from casegraph.core.settings import get_settings
from graph import server

app = typer.Typer(no_args_is_help=True)


@app.command()
def start() -> None:
    """Assemble (once, from Maven Central), configure and start the local Neo4j; wait for Bolt."""
    settings = get_settings()
    pid = server.start(settings)
    from graph.db import apply_schema

    apply_schema(settings)
    typer.echo(f"Neo4j running (pid {pid}) at {settings.bolt_uri}; Browser: "
               f"http://127.0.0.1:{settings.neo4j_http_port}/browser/ (user {settings.neo4j_user}, "
               f"password in {settings.neo4j_home / 'password'})")


@app.command()
def stop() -> None:
    """Shut the local Neo4j down cleanly."""
    stopped = server.stop(get_settings())
    typer.echo("Neo4j stopped" if stopped else "Neo4j was not running")


@app.command()
def status() -> None:
    """Report whether Neo4j answers, its version and pid. Exit code 3 when it does not answer."""
    st = server.status(get_settings())
    typer.echo(st.message + (f" (pid {st.pid})" if st.pid else ""))
    if not st.answering:
        raise typer.Exit(3)


@app.command()
def password() -> None:
    """Print the password of the embedded server (generated on first start)."""
    typer.echo(get_settings().password())
