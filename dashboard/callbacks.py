"""The link chart's callbacks: read the graph through `graph.read`, build elements and panels
with the pure functions of `dashboard.elements` and `dashboard.panels`.

Every callback survives an unreachable database, an empty result and bad input: it answers with
a message on the page, never an exception (a Dash error would leave the page half-updated).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, dcc, no_update

from casegraph.core.errors import CasegraphError
from casegraph.core.settings import Settings
from dashboard import elements as el
from dashboard import ids, panels
from dashboard.style import layout_options
from graph import read as gr
from graph.db import refused_query_message
from graph.read import Filters

log = logging.getLogger(__name__)

HISTORY_DEPTH = 10
T = TypeVar("T")


class TTLCache:
    """A few slow, rarely changing answers (filter options) shared by all sessions."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._lock = threading.Lock()
        self._data: dict[str, tuple[float, Any]] = {}

    def get(self, name: str, compute: Callable[[], T]) -> T:
        with self._lock:
            hit = self._data.get(name)
            if hit and time.monotonic() - hit[0] < self.seconds:
                return hit[1]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            self._data[name] = (time.monotonic(), value)
        return value


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


def names_of(elements: list[dict[str, Any]] | None) -> dict[str, str]:
    return {e["data"]["id"]: e["data"].get("label", e["data"]["id"]) for e in elements or [] if not el.is_edge(e)}


def register_callbacks(app: Dash, settings: Settings, queries_path: str | None = None) -> None:
    options_cache = TTLCache(300)

    def filters_from(types: Any, preds: Any, docs: Any, start: Any, end: Any, min_ev: Any) -> Filters:
        in_range = None
        if start or end:
            in_range = [d.id for d in gr.documents(since=start, until=end, cap=1_000_000, settings=settings)]
        return make_filters(types, preds, docs, in_range, min_ev)

    filter_states = [State(ids.FILTER_TYPES, "value"), State(ids.FILTER_PREDICATES, "value"),
                     State(ids.FILTER_DOCS, "value"), State(ids.FILTER_DATES, "start_date"),
                     State(ids.FILTER_DATES, "end_date"), State(ids.FILTER_MIN_EVIDENCE, "value")]

    # ------------------------------------------------------------------ pages
    # Both pages stay in the DOM (the chart keeps its elements and positions); the URL picks one.
    if queries_path:
        @app.callback(Output(ids.PAGE_CHART, "style"), Output(ids.PAGE_QUERIES, "style"),
                      Input(ids.URL, "pathname"))
        def _route(path: str | None) -> tuple[dict[str, str], dict[str, str]]:
            on_queries = (path or "").rstrip("/") == queries_path.rstrip("/")
            return ({"display": "none"}, {}) if on_queries else ({}, {"display": "none"})

    # ------------------------------------------------------------------ status and filter options
    @app.callback(Output(ids.STATUS, "children"), Input(ids.STATUS_POLL, "n_intervals"))
    def _status(_n: int) -> list[Any]:
        try:
            return panels.status_line(gr.graph_stats(settings))
        except Exception as exc:  # noqa: BLE001 - the status line reports whatever went wrong
            return panels.status_line(None, problem(exc))

    @app.callback(Output(ids.FILTER_PREDICATES, "options"), Output(ids.FILTER_DOCS, "options"),
                  Input(ids.STATUS_POLL, "n_intervals"))
    def _filter_options(_n: int) -> tuple[Any, Any]:
        try:
            preds = options_cache.get("predicates", lambda: gr.predicates(settings=settings))
            docs = options_cache.get("documents", lambda: gr.documents(settings=settings))
        except Exception as exc:  # noqa: BLE001
            log.warning("filter options unavailable: %s", problem(exc))
            return no_update, no_update
        return ([{"label": f"{p} ({n:,})", "value": p} for p, n in preds],
                [{"label": d.title or d.filename or d.id[:12], "value": d.id} for d in docs])

    # ------------------------------------------------------------------ search
    @app.callback(Output(ids.SEARCH_RESULTS, "children"), Input(ids.SEARCH, "value"),
                  Input(ids.SEARCH_TYPES, "value"))
    def _search(text: str | None, types: list[str] | None) -> list[Any]:
        text = (text or "")[:200]
        if not text.strip():
            return []
        try:
            return panels.search_results(gr.search_entities(text, types=types, limit=12, settings=settings), text)
        except Exception as exc:  # noqa: BLE001
            return [panels.message(problem(exc), "error")]

    # ------------------------------------------------------------------ the chart
    # A double-click on a node expands it: Cytoscape's dbltap reaches STORE_DOUBLE_TAP through
    # assets/casegraph.js, which hooks into the chart once it exists.
    app.clientside_callback(
        ClientsideFunction(namespace="casegraph", function_name="hookDoubleTap"),
        Output(ids.STORE_CHART_HOOKED, "data"), Input(ids.CHART, "elements"),
        State(ids.CHART, "id"), State(ids.STORE_DOUBLE_TAP, "id"),
    )

    @app.callback(Output(ids.MORE, "disabled"), Input(ids.STORE_SELECTED, "data"), Input(ids.STORE_EXPANDED, "data"))
    def _more(selected: str | None, expanded: dict[str, int | None] | None) -> bool:
        return not (selected and (expanded or {}).get(selected))

    @app.callback(
        Output(ids.CHART, "elements"), Output(ids.STORE_HISTORY, "data"), Output(ids.STORE_EXPANDED, "data"),
        Output(ids.CHART_MESSAGE, "children"),
        Input({"type": ids.SEARCH_HIT, "key": ALL}, "n_clicks"),
        Input(ids.EXPAND, "n_clicks"), Input(ids.MORE, "n_clicks"), Input(ids.COLLAPSE, "n_clicks"),
        Input(ids.REMOVE, "n_clicks"), Input(ids.PIN, "n_clicks"), Input(ids.UNDO, "n_clicks"),
        Input(ids.CLEAR, "n_clicks"), Input(ids.STORE_DOUBLE_TAP, "data"), Input(ids.STORE_PATH, "data"),
        Input(ids.FILTER_TYPES, "value"), Input(ids.FILTER_PREDICATES, "value"), Input(ids.FILTER_DOCS, "value"),
        Input(ids.FILTER_DATES, "start_date"), Input(ids.FILTER_DATES, "end_date"),
        Input(ids.FILTER_MIN_EVIDENCE, "value"), Input(ids.SIZE_BY, "value"),
        State(ids.CHART, "elements"), State(ids.STORE_HISTORY, "data"), State(ids.STORE_EXPANDED, "data"),
        State(ids.STORE_SELECTED, "data"), State(ids.CHART, "selectedNodeData"),
        prevent_initial_call=True,
    )
    def _chart(_hits: list[int | None], _e: int, _m: int, _c: int, _r: int, _p: int, _u: int, _cl: int,
               double_tap: dict[str, Any] | None, path: dict[str, Any] | None, f_types: Any, f_preds: Any,
               f_docs: Any, f_start: Any, f_end: Any, f_min: Any, size_mode: str | None,
               elements: list[dict[str, Any]] | None, history: list[Any] | None,
               expanded: dict[str, int | None] | None, selected: str | None,
               selected_nodes: list[dict[str, Any]] | None) -> tuple[Any, ...]:
        trigger = ctx.triggered_id
        elements = list(elements or [])
        expanded = dict(expanded or {})
        size_mode = size_mode if size_mode in el.SIZE_MODES else "degree"
        selection = [n["id"] for n in selected_nodes or [] if n.get("id")] or ([selected] if selected else [])
        if trigger == ids.STORE_DOUBLE_TAP:
            if not double_tap or not double_tap.get("id"):
                return no_update, no_update, no_update, no_update
            trigger, selected = "double-tap", double_tap["id"]
        if trigger == ids.UNDO:
            if not history:
                return no_update, no_update, no_update, panels.message("nothing to undo", "muted")
            last = history[-1]
            return (el.finalize(last.get("elements")), history[:-1], last.get("expanded") or {},
                    panels.message("undone", "muted"))
        if isinstance(trigger, dict) and not ctx.triggered[0]["value"]:
            # The search results were redrawn (new buttons, no clicks): nothing to do.
            return no_update, no_update, no_update, no_update

        try:
            filters = filters_from(f_types, f_preds, f_docs, f_start, f_end, f_min)
            before, expanded_before = elements, dict(expanded)
            msg: Any = no_update
            if isinstance(trigger, dict) and trigger.get("type") == ids.SEARCH_HIT:
                key = trigger["key"]
                found = gr.entities([key], settings=settings)
                if not found:
                    msg = panels.message("that entity is no longer in the graph", "warning")
                else:
                    elements, added, _ = el.add_entities(elements, found, size_mode, settings.dashboard_max_nodes)
                    elements = _relink(elements, filters)
                    msg = panels.message(f"{found[0].name} is on the chart" if added else
                                         f"{found[0].name} was already on the chart", "muted")
            elif trigger in (ids.EXPAND, ids.MORE, "double-tap"):
                if not selected:
                    msg = panels.message("select a node first (click it)", "warning")
                else:
                    # "Show more" and a repeated double-click go on from where the last page ended.
                    offset = 0 if trigger == ids.EXPAND else (expanded.get(selected) or 0)
                    elements, expanded, msg = _expand(elements, expanded, selected, offset, filters, size_mode)
            elif trigger == ids.COLLAPSE:
                if not selected:
                    msg = panels.message("select a node first (click it)", "warning")
                else:
                    elements = el.collapse(elements, selected)
                    expanded.pop(selected, None)
            elif trigger == ids.REMOVE:
                elements = el.remove_nodes(elements, selection)
                for k in selection:
                    expanded.pop(k, None)
            elif trigger == ids.PIN:
                elements = el.toggle_pin(elements, selection)
            elif trigger == ids.CLEAR:
                elements, expanded = [], {}
            elif trigger == ids.STORE_PATH:
                if not path or not path.get("paths"):
                    return no_update, no_update, no_update, no_update
                ents = [gr.EntitySummary(**e) for e in path.get("entities", [])]
                elements, _, left_out = el.add_entities(elements, ents, size_mode, settings.dashboard_max_nodes)
                elements = el.mark_paths(_relink(elements, filters), path["paths"])
                if left_out:
                    msg = panels.message(f"the chart is full: {left_out} path entities left out", "warning")
            elif trigger == ids.SIZE_BY:
                return el.finalize(el.resize(elements, size_mode)), no_update, no_update, no_update
            else:  # a filter changed: recount the links under the new filters, hide other types
                elements = _relink(elements, filters)
                expanded = {}
        except Exception as exc:  # noqa: BLE001
            return no_update, no_update, no_update, panels.message(problem(exc), "error")
        if elements != before:
            history = el.push_history(history, before, expanded_before, HISTORY_DEPTH)
        return el.finalize(elements), history or [], expanded, msg

    def _relink(elements: list[dict[str, Any]], filters: Filters) -> list[dict[str, Any]]:
        links = gr.links_among(el.node_keys(elements), filters=filters, settings=settings)
        return el.filter_types(el.set_links(elements, links), filters.types)

    def _expand(elements: list[dict[str, Any]], expanded: dict[str, int | None], key: str, offset: int,
                filters: Filters, size_mode: str) -> tuple[list[dict[str, Any]], dict[str, int | None], Any]:
        page = gr.expand(key, limit=settings.dashboard_expand_limit, offset=offset, filters=filters,
                         settings=settings)
        name = names_of(elements).get(key, key)
        if page.total == 0:
            return elements, expanded, panels.message(f"{name} has no links that pass the filters", "muted")
        elements, added, left_out = el.add_entities(elements, page.neighbours, size_mode,
                                                    settings.dashboard_max_nodes)
        elements = _relink(elements, filters)
        expanded = {**expanded, key: page.next_offset}
        shown = page.offset + len(page.neighbours)
        text = f"{name}: {len(added)} neighbour(s) added, {shown} of {page.total} shown"
        if page.next_offset:
            text += " — “Show more” for the next ones"
        if left_out:
            return elements, expanded, panels.message(
                f"{text}; the chart is full ({settings.dashboard_max_nodes} entities): {left_out} left out",
                "warning")
        return elements, expanded, panels.message(text, "info")

    @app.callback(Output(ids.CHART, "layout"), Input(ids.LAYOUT, "value"), Input(ids.FIT, "n_clicks"),
                  State(ids.CHART, "elements"))
    def _layout(name: str | None, _fit: int, elements: list[dict[str, Any]] | None) -> dict[str, Any]:
        pinned = [e["data"]["id"] for e in elements or [] if not el.is_edge(e) and el.flag(e, "pinned")]
        # `run` changes with every click, so Cytoscape sees a new layout and runs it again.
        return {**layout_options(name, roots=pinned or el.node_keys(elements)[:1]), "fit": True, "padding": 30,
                "run": _fit or 0}

    # ------------------------------------------------------------------ details and evidence
    @app.callback(Output(ids.DETAILS, "children"), Output(ids.STORE_SELECTED, "data"),
                  Input(ids.CHART, "tapNodeData"), prevent_initial_call=True)
    def _details(node: dict[str, Any] | None) -> tuple[Any, Any]:
        key = (node or {}).get("id")
        if not key:
            return no_update, no_update
        try:
            return panels.details_panel(gr.node_details(key, settings=settings), key), key
        except Exception as exc:  # noqa: BLE001
            return [panels.message(problem(exc), "error")], key

    @app.callback(Output(ids.EVIDENCE, "children"), Output(ids.STORE_EVIDENCE, "data"),
                  Input(ids.CHART, "tapEdgeData"), State(ids.CHART, "elements"), *filter_states,
                  prevent_initial_call=True)
    def _evidence(edge: dict[str, Any] | None, elements: list[dict[str, Any]] | None, *filter_values: Any
                  ) -> tuple[Any, Any]:
        a, b = (edge or {}).get("source"), (edge or {}).get("target")
        if not a or not b:
            return no_update, no_update
        try:
            ev = gr.edge_evidence(a, b, limit=settings.query_row_cap, filters=filters_from(*filter_values),
                                  settings=settings)
        except Exception as exc:  # noqa: BLE001
            return [panels.message(problem(exc), "error")], []
        names = names_of(elements)
        return panels.evidence_panel(ev, names), el.evidence_rows(ev, names)

    # ------------------------------------------------------------------ paths
    @app.callback(Output(ids.PATH_FROM, "options"), Output(ids.PATH_TO, "options"), Input(ids.CHART, "elements"))
    def _path_options(elements: list[dict[str, Any]] | None) -> tuple[Any, Any]:
        options = sorted(({"label": name, "value": key} for key, name in names_of(elements).items()),
                         key=lambda o: o["label"].lower())
        return options, options

    @app.callback(Output(ids.PATH_FROM, "value"), Input(ids.PATH_SET_FROM, "n_clicks"),
                  State(ids.STORE_SELECTED, "data"), prevent_initial_call=True)
    def _path_from(_n: int, selected: str | None) -> Any:
        return selected or no_update

    @app.callback(Output(ids.PATH_TO, "value"), Input(ids.PATH_SET_TO, "n_clicks"),
                  State(ids.STORE_SELECTED, "data"), prevent_initial_call=True)
    def _path_to(_n: int, selected: str | None) -> Any:
        return selected or no_update

    @app.callback(Output(ids.PATH_RESULT, "children"), Output(ids.STORE_PATH, "data"),
                  Input(ids.PATH_FIND, "n_clicks"), State(ids.PATH_FROM, "value"), State(ids.PATH_TO, "value"),
                  State(ids.PATH_HOPS, "value"), *filter_states, prevent_initial_call=True)
    def _paths(_n: int, source: str | None, target: str | None, hops: Any, *filter_values: Any) -> tuple[Any, Any]:
        if not source or not target:
            return [panels.message("pick both ends of the path", "warning")], no_update
        if source == target:
            return [panels.message("pick two different entities", "warning")], no_update
        try:
            result = gr.shortest_paths(source, target, max_hops=bounded_int(hops, 4, 1, gr.MAX_HOPS), limit=3,
                                       filters=filters_from(*filter_values), settings=settings)
        except Exception as exc:  # noqa: BLE001
            return [panels.message(problem(exc), "error")], no_update
        store = {"paths": [p.keys for p in result.paths],
                 "entities": [e.model_dump() for e in result.entities.values()]}
        return panels.path_panel(result), store

    # ------------------------------------------------------------------ document view
    @app.callback(Output(ids.DOC_VIEW, "className"), Output(ids.DOC_BODY, "children"),
                  Output(ids.STORE_DOC, "data"),
                  Input({"type": ids.OPEN_DOC, "doc": ALL, "where": ALL}, "n_clicks"), Input(ids.DOC_CLOSE, "n_clicks"),
                  prevent_initial_call=True)
    def _document(clicks: list[int | None], _close: int) -> tuple[Any, Any, Any]:
        trigger = ctx.triggered_id
        if trigger == ids.DOC_CLOSE:
            return "drawer closed", no_update, None
        if not isinstance(trigger, dict) or not ctx.triggered[0]["value"]:
            return no_update, no_update, no_update
        doc_id = str(trigger.get("doc") or "")
        try:
            body = panels.document_panel(gr.document_view(doc_id, settings=settings), doc_id)
        except Exception as exc:  # noqa: BLE001
            body = [panels.message(problem(exc), "error")]
        return "drawer open", body, doc_id

    # ------------------------------------------------------------------ exports
    @app.callback(Output(ids.CHART, "generateImage"), Input(ids.EXPORT_PNG, "n_clicks"), prevent_initial_call=True)
    def _png(_n: int) -> dict[str, Any]:
        return {"type": "png", "action": "download", "filename": "casegraph-chart",
                "options": {"full": True, "scale": 2, "bg": "#ffffff"}}

    @app.callback(Output(ids.DOWNLOAD_JSON, "data"), Input(ids.EXPORT_JSON, "n_clicks"),
                  State(ids.CHART, "elements"), prevent_initial_call=True)
    def _json(_n: int, elements: list[dict[str, Any]] | None) -> Any:
        return dcc.send_string(el.elements_to_json(elements), "casegraph-chart.json")

    @app.callback(Output(ids.DOWNLOAD_CSV, "data"), Input(ids.EXPORT_CSV, "n_clicks"),
                  State(ids.STORE_EVIDENCE, "data"), prevent_initial_call=True)
    def _csv(_n: int, rows: list[dict[str, Any]] | None) -> Any:
        if not rows:
            return no_update
        return dcc.send_string(el.rows_to_csv(rows), "casegraph-evidence.csv")
