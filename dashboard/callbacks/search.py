"""Search as you type: entity hits by name or alias, each a button that puts it on the chart
(`dashboard.callbacks.chart.add_hit`)."""

from __future__ import annotations

from typing import Any

from casegraph.core.settings import Settings
from dashboard import panels
from dashboard.callbacks.common import problem
from graph import read as gr

MAX_TEXT = 200
HITS = 12


def search(text: str | None, types: list[str] | None, *, settings: Settings) -> list[Any]:
    text = (text or "")[:MAX_TEXT]
    if not text.strip():
        return []
    try:
        return panels.search_results(gr.search_entities(text, types=types, limit=HITS, settings=settings), text)
    except Exception as exc:  # noqa: BLE001
        return [panels.message(problem(exc), "error")]
