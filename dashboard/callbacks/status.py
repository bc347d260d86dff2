"""The header: the Neo4j status line, and which page (link chart or queries) the URL shows."""

from __future__ import annotations

from typing import Any

from casegraph.core.settings import Settings
from dashboard import panels
from dashboard.callbacks.common import problem
from graph import read as gr


def status(_n: int | None, *, settings: Settings) -> list[Any]:
    try:
        return panels.status_line(gr.graph_stats(settings))
    except Exception as exc:  # noqa: BLE001 - the status line reports whatever went wrong
        return panels.status_line(None, problem(exc))


def route(path: str | None, *, queries_path: str) -> tuple[dict[str, str], dict[str, str]]:
    """Both pages stay in the DOM (the chart keeps its elements and positions); the URL picks one."""
    on_queries = (path or "").rstrip("/") == queries_path.rstrip("/")
    return ({"display": "none"}, {}) if on_queries else ({}, {"display": "none"})
