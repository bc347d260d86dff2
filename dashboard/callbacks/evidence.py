"""The side panels: a clicked node's details, a clicked edge's supporting sentences (kept in
STORE_EVIDENCE for the CSV export)."""

from __future__ import annotations

from typing import Any

from dash import no_update

from casegraph.core.settings import Settings
from dashboard import elements as el
from dashboard import panels
from dashboard.callbacks.common import filters_of, names_of, problem
from graph import read as gr


def details(node: dict[str, Any] | None, *, settings: Settings) -> tuple[Any, Any]:
    """(details panel, STORE_SELECTED): the clicked node becomes the selected one."""
    key = (node or {}).get("id")
    if not key:
        return no_update, no_update
    try:
        return panels.details_panel(gr.node_details(key, settings=settings), key), key
    except Exception as exc:  # noqa: BLE001
        return [panels.message(problem(exc), "error")], key


def evidence(edge: dict[str, Any] | None, elements: list[dict[str, Any]] | None, filters: dict[str, Any] | None,
             *, settings: Settings) -> tuple[Any, Any]:
    """(evidence panel, STORE_EVIDENCE rows) for the clicked edge, under the filters."""
    a, b = (edge or {}).get("source"), (edge or {}).get("target")
    if not a or not b:
        return no_update, no_update
    try:
        ev = gr.edge_evidence(a, b, limit=settings.query_row_cap, filters=filters_of(filters), settings=settings)
    except Exception as exc:  # noqa: BLE001
        return [panels.message(problem(exc), "error")], []
    names = names_of(elements)
    return panels.evidence_panel(ev, names), el.evidence_rows(ev, names)
