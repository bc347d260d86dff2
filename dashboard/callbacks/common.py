"""What the panels share: one-line error messages, bounded numbers from the page, and the
analyst's filters (resolved once into the STORE_FILTERS store, read by every panel)."""

from __future__ import annotations

import logging
from typing import Any

from casegraph.core.errors import CasegraphError
from dashboard import elements as el
from graph.db import refused_query_message
from graph.read import Filters

log = logging.getLogger(__name__)


def problem(exc: Exception) -> str:
    """One line for the page: database errors as they are, anything else logged."""
    if isinstance(exc, CasegraphError):
        return str(exc)
    if (refused := refused_query_message(exc)) is not None:
        return refused
    log.exception("dashboard callback failed")
    return f"unexpected error ({type(exc).__name__}); see the server log"


def bounded_int(value: Any, default: int, low: int, high: int) -> int:
    """A number typed by a person, as an int within [low, high]; `default` when it is no number."""
    try:
        number = int(float(value))
    except (TypeError, ValueError, OverflowError):
        return default
    return max(low, min(high, number))


def min_evidence(value: Any) -> int:
    return bounded_int(value, 1, 1, 1_000_000)


def make_filters(types: list[str] | None, predicates: list[str] | None, docs: list[str] | None,
                 docs_in_range: list[str] | None, min_ev: Any) -> Filters:
    """The analyst's filter choices as one `Filters`. Picked documents and a date range combine
    as an intersection; `docs_in_range` is None when no date range is set."""
    doc_ids: list[str] | None = list(docs) if docs else None
    if docs_in_range is not None:
        in_range = set(docs_in_range)
        doc_ids = list(docs_in_range) if doc_ids is None else [d for d in doc_ids if d in in_range]
    return Filters(types=list(types) if types else None, predicates=list(predicates) if predicates else None,
                   doc_ids=doc_ids, min_evidence=min_evidence(min_ev))


def filters_of(store: dict[str, Any] | None) -> Filters:
    """The STORE_FILTERS data as `Filters`; no restriction when the store is empty or unreadable."""
    try:
        return Filters.model_validate(store or {})
    except ValueError:
        return Filters()


def names_of(elements: list[dict[str, Any]] | None) -> dict[str, str]:
    return {e["data"]["id"]: e["data"].get("label", e["data"]["id"]) for e in elements or [] if not el.is_edge(e)}
