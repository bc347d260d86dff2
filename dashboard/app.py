"""The dashboard: a Dash app around a Cytoscape link chart.

`create_app(settings)` builds it (no database access: the page loads even when Neo4j is down and
says so in its status area); `run(host, port, debug)` serves it — `casegraph serve` calls it.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from types import ModuleType

import dash_cytoscape as cyto
from dash import Dash

from casegraph.access.config import check_bind
from casegraph.core.settings import Settings, get_settings
from dashboard.auth import install_login
from dashboard.callbacks.registry import register_callbacks
from dashboard.layout import build

log = logging.getLogger(__name__)

ASSETS = Path(__file__).with_name("assets")
TITLE = "casegraph — link chart"


def _queries_page() -> ModuleType | None:
    """The saved-queries page, when installed (it is a separate module of this package)."""
    try:
        return importlib.import_module("dashboard.queries_page")
    except ModuleNotFoundError as exc:
        if exc.name != "dashboard.queries_page":
            raise
        return None


def create_app(settings: Settings | None = None) -> Dash:
    settings = settings or get_settings()
    # fcose and dagre layouts: a bigger bundle, served from the package like the rest (no CDN).
    cyto.load_extra_layouts()
    app = Dash(__name__, title=TITLE, assets_folder=str(ASSETS), serve_locally=True,
               suppress_callback_exceptions=False, update_title="")
    page = _queries_page()
    install_login(app.server, settings)  # login, sessions, CSRF (dashboard/auth.py, docs/access.md)
    app.layout = build(page)
    register_callbacks(app, settings, queries_path=getattr(page, "PAGE_PATH", "/queries") if page else None)
    if page is not None:
        page.register_callbacks(app, settings)
    return app


def run(host: str | None = None, port: int | None = None, debug: bool = False) -> None:
    settings = get_settings()
    host = host or settings.dashboard_host
    port = port or settings.dashboard_port
    check_bind(settings, host)  # CASEGRAPH_AUTH=off only on loopback
    app = create_app(settings)
    log.info("dashboard on http://%s:%s (Neo4j at %s)", host, port, settings.bolt_uri)
    app.run(host=host, port=port, debug=debug)
