"""The Paths panel: both ends picked among the chart's entities, the shortest paths under the
filters; the result goes to STORE_PATH, which `dashboard.callbacks.chart.show_path` draws."""

from __future__ import annotations

from typing import Any

from dash import no_update

from casegraph.core.settings import Settings
from dashboard import panels
from dashboard.callbacks.common import bounded_int, filters_of, names_of, problem
from graph import read as gr

DEFAULT_HOPS = 4
PATHS = 3


def path_options(elements: list[dict[str, Any]] | None) -> tuple[Any, Any]:
    options = sorted(({"label": name, "value": key} for key, name in names_of(elements).items()),
                     key=lambda o: o["label"].lower())
    return options, options


def use_selected(_n: int | None, selected: str | None) -> Any:
    """"← selected node": the selected node as one end of the path."""
    return selected or no_update


def find_paths(_n: int | None, source: str | None, target: str | None, hops: Any, filters: dict[str, Any] | None,
               *, settings: Settings) -> tuple[Any, Any]:
    if not source or not target:
        return [panels.message("pick both ends of the path", "warning")], no_update
    if source == target:
        return [panels.message("pick two different entities", "warning")], no_update
    try:
        result = gr.shortest_paths(source, target, max_hops=bounded_int(hops, DEFAULT_HOPS, 1, gr.MAX_HOPS),
                                   limit=PATHS, filters=filters_of(filters), settings=settings)
    except Exception as exc:  # noqa: BLE001
        return [panels.message(problem(exc), "error")], no_update
    store = {"paths": [p.keys for p in result.paths],
             "entities": [e.model_dump() for e in result.entities.values()]}
    return panels.path_panel(result), store
