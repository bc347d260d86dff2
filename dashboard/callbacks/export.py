"""Exports: the chart as PNG (drawn by Cytoscape in the browser) and JSON, the evidence as CSV."""

from __future__ import annotations

from typing import Any

from dash import dcc, no_update

from dashboard import elements as el

PNG = {"type": "png", "action": "download", "filename": "casegraph-chart",
       "options": {"full": True, "scale": 2, "bg": "#ffffff"}}


def png(_n: int | None) -> dict[str, Any]:
    return PNG


def chart_json(_n: int | None, elements: list[dict[str, Any]] | None) -> Any:
    return dcc.send_string(el.elements_to_json(elements), "casegraph-chart.json")


def evidence_csv(_n: int | None, rows: list[dict[str, Any]] | None) -> Any:
    if not rows:
        return no_update
    return dcc.send_string(el.rows_to_csv(rows), "casegraph-evidence.csv")
