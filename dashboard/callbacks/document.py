"""The document view: a drawer with the document's text and every mention highlighted, opened
from any "open the document" link (pattern-matching ids), closed by its × button."""

from __future__ import annotations

from typing import Any

from dash import ctx, no_update

from casegraph.core.settings import Settings
from dashboard import panels
from dashboard.callbacks.common import problem
from graph import read as gr

OPEN, CLOSED = "drawer open", "drawer closed"


def open_document(clicks: list[int | None], *, settings: Settings) -> tuple[Any, Any, Any]:
    """(drawer class, drawer body, STORE_DOC) for the clicked link's document."""
    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or not ctx.triggered[0]["value"]:
        return no_update, no_update, no_update  # links redrawn, none clicked
    doc_id = str(trigger.get("doc") or "")
    try:
        body = panels.document_panel(gr.document_view(doc_id, settings=settings), doc_id)
    except Exception as exc:  # noqa: BLE001
        body = [panels.message(problem(exc), "error")]
    return OPEN, body, doc_id


def close_document(_n: int | None) -> tuple[Any, Any]:
    return CLOSED, None
