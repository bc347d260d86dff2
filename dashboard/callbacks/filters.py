"""The filters: their options (predicates and documents in the graph, cached a few minutes for
all sessions) and the analyst's choices resolved once into STORE_FILTERS, which the chart,
evidence and path panels read (a date range becomes the documents ingested in it)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from cachetools import TTLCache
from dash import no_update

from casegraph.core.settings import Settings
from dashboard import panels
from dashboard.callbacks.common import make_filters, problem
from graph import read as gr

log = logging.getLogger(__name__)

OPTIONS_SECONDS = 300
# TTLCache is not thread-safe, and Dash serves callbacks from several threads.
_lock = threading.Lock()


def options_cache() -> TTLCache[str, Any]:
    """One per app: slow, rarely changing answers shared by all its sessions."""
    return TTLCache(maxsize=8, ttl=OPTIONS_SECONDS)


def _cached(cache: TTLCache[str, Any], name: str, compute: Callable[[], Any]) -> Any:
    with _lock:
        if name in cache:
            return cache[name]
    value = compute()
    with _lock:
        cache[name] = value
    return value


def filter_options(_n: int | None, *, settings: Settings, cache: TTLCache[str, Any]) -> tuple[Any, Any]:
    try:
        preds = _cached(cache, "predicates", lambda: gr.predicates(settings=settings))
        docs = _cached(cache, "documents", lambda: gr.documents(settings=settings))
    except Exception as exc:  # noqa: BLE001
        log.warning("filter options unavailable: %s", problem(exc))
        return no_update, no_update
    return ([{"label": f"{p} ({n:,})", "value": p} for p, n in preds],
            [{"label": d.title or d.filename or d.id[:12], "value": d.id} for d in docs])


def resolve_filters(types: Any, preds: Any, docs: Any, start: Any, end: Any, min_ev: Any, *,
                    settings: Settings) -> tuple[Any, Any]:
    """(STORE_FILTERS data, chart message): the choices as one `Filters`, as JSON."""
    in_range = None
    try:
        if start or end:
            in_range = [d.id for d in gr.documents(since=start, until=end, cap=1_000_000, settings=settings)]
    except Exception as exc:  # noqa: BLE001
        return no_update, panels.message(problem(exc), "error")
    return make_filters(types, preds, docs, in_range, min_ev).model_dump(), no_update
