"""`casegraph api`: serve the HTTP API, or write its OpenAPI spec."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(help="Serve the JSON HTTP API (OpenAPI docs at /api/docs).")


@app.callback(invoke_without_command=True)
def api(
    host: str | None = typer.Option(None, help="Interface to bind (default: CASEGRAPH_DASHBOARD_HOST, 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port (default: CASEGRAPH_API_PORT, 8051)."),
    openapi: Path | None = typer.Option(None, "--openapi", help="Write the OpenAPI spec to this file and exit."),
) -> None:
    """Serve the API on http://HOST:PORT/api, or with --openapi write its spec."""
    if openapi is not None:
        from dashboard.api.app import export_openapi

        typer.echo(f"wrote {export_openapi(openapi)}")
        return
    from dashboard.api.app import serve

    serve(host=host, port=port)
