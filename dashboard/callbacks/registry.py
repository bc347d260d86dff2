"""Every callback of the link chart page, wired into the app in one place.

The functions live in one module per panel; `settings` (and the filter-options cache) are bound
here as keywords, so a test calls the same function with the same positional values Dash sends.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from dash import ALL, ClientsideFunction, Dash, Input, Output, State

from casegraph.core.settings import Settings
from dashboard import ids
from dashboard.callbacks import chart, document, evidence, export, filters, paths, search, status
from dashboard.callbacks.chart import action_inputs

# The chart's actions: (function, its trigger, its own states before CHART_STATES).
CHART_ACTIONS: list[tuple[Callable[..., Any], Input, list[State]]] = [
    (chart.add_hit, Input({"type": ids.SEARCH_HIT, "key": ALL}, "n_clicks"), []),
    (chart.expand, Input(ids.EXPAND, "n_clicks"), [State(ids.STORE_SELECTED, "data")]),
    (chart.more, Input(ids.MORE, "n_clicks"), [State(ids.STORE_SELECTED, "data")]),
    (chart.double_tap, Input(ids.STORE_DOUBLE_TAP, "data"), []),
    (chart.collapse, Input(ids.COLLAPSE, "n_clicks"), [State(ids.STORE_SELECTED, "data")]),
    (chart.remove, Input(ids.REMOVE, "n_clicks"),
     [State(ids.STORE_SELECTED, "data"), State(ids.CHART, "selectedNodeData")]),
    (chart.pin, Input(ids.PIN, "n_clicks"), [State(ids.STORE_SELECTED, "data"), State(ids.CHART, "selectedNodeData")]),
    (chart.undo, Input(ids.UNDO, "n_clicks"), []),
    (chart.clear, Input(ids.CLEAR, "n_clicks"), []),
    (chart.show_path, Input(ids.STORE_PATH, "data"), []),
]


def _bind(func: Callable[..., Any], **keywords: Any) -> Callable[..., Any]:
    @functools.wraps(func)
    def call(*args: Any) -> Any:
        return func(*args, **keywords)

    return call


def register_callbacks(app: Dash, settings: Settings, queries_path: str | None = None) -> None:
    cb = app.callback
    if queries_path:
        cb(Output(ids.PAGE_CHART, "style"), Output(ids.PAGE_QUERIES, "style"),
           Input(ids.URL, "pathname"))(_bind(status.route, queries_path=queries_path))
    cb(Output(ids.STATUS, "children"), Input(ids.STATUS_POLL, "n_intervals"))(_bind(status.status, settings=settings))

    # Filters: their options, and the choices resolved once into STORE_FILTERS for every panel.
    cb(Output(ids.FILTER_PREDICATES, "options"), Output(ids.FILTER_DOCS, "options"),
       Input(ids.STATUS_POLL, "n_intervals"))(
        _bind(filters.filter_options, settings=settings, cache=filters.options_cache()))
    cb(Output(ids.STORE_FILTERS, "data"), Output(ids.CHART_MESSAGE, "children", allow_duplicate=True),
       Input(ids.FILTER_TYPES, "value"), Input(ids.FILTER_PREDICATES, "value"), Input(ids.FILTER_DOCS, "value"),
       Input(ids.FILTER_DATES, "start_date"), Input(ids.FILTER_DATES, "end_date"),
       Input(ids.FILTER_MIN_EVIDENCE, "value"), prevent_initial_call=True)(
        _bind(filters.resolve_filters, settings=settings))

    cb(Output(ids.SEARCH_RESULTS, "children"), Input(ids.SEARCH, "value"), Input(ids.SEARCH_TYPES, "value"))(
        _bind(search.search, settings=settings))

    # The chart. A double-click on a node reaches STORE_DOUBLE_TAP through assets/casegraph.js,
    # which hooks into the chart once it exists.
    app.clientside_callback(
        ClientsideFunction(namespace="casegraph", function_name="hookDoubleTap"),
        Output(ids.STORE_CHART_HOOKED, "data"), Input(ids.CHART, "elements"),
        State(ids.CHART, "id"), State(ids.STORE_DOUBLE_TAP, "id"),
    )
    for func, trigger, own_states in CHART_ACTIONS:
        cb(*chart.chart_outputs(), *action_inputs(trigger, *own_states), prevent_initial_call=True)(
            _bind(func, settings=settings))
    cb(*chart.chart_outputs(), Input(ids.STORE_FILTERS, "data"), State(ids.CHART, "elements"),
       State(ids.STORE_HISTORY, "data"), State(ids.STORE_EXPANDED, "data"), State(ids.SIZE_BY, "value"),
       prevent_initial_call=True)(_bind(chart.refilter, settings=settings))
    cb(Output(ids.CHART, "elements", allow_duplicate=True), Input(ids.SIZE_BY, "value"),
       State(ids.CHART, "elements"), prevent_initial_call=True)(chart.resize)
    cb(Output(ids.MORE, "disabled"), Input(ids.STORE_SELECTED, "data"), Input(ids.STORE_EXPANDED, "data"))(
        chart.more_disabled)
    cb(Output(ids.CHART, "layout"), Input(ids.LAYOUT, "value"), Input(ids.FIT, "n_clicks"),
       State(ids.CHART, "elements"))(chart.layout)

    # Details and evidence.
    cb(Output(ids.DETAILS, "children"), Output(ids.STORE_SELECTED, "data"), Input(ids.CHART, "tapNodeData"),
       prevent_initial_call=True)(_bind(evidence.details, settings=settings))
    cb(Output(ids.EVIDENCE, "children"), Output(ids.STORE_EVIDENCE, "data"), Input(ids.CHART, "tapEdgeData"),
       State(ids.CHART, "elements"), State(ids.STORE_FILTERS, "data"), prevent_initial_call=True)(
        _bind(evidence.evidence, settings=settings))

    # Paths.
    cb(Output(ids.PATH_FROM, "options"), Output(ids.PATH_TO, "options"), Input(ids.CHART, "elements"))(
        paths.path_options)
    for button, target in ((ids.PATH_SET_FROM, ids.PATH_FROM), (ids.PATH_SET_TO, ids.PATH_TO)):
        cb(Output(target, "value"), Input(button, "n_clicks"), State(ids.STORE_SELECTED, "data"),
           prevent_initial_call=True)(paths.use_selected)
    cb(Output(ids.PATH_RESULT, "children"), Output(ids.STORE_PATH, "data"), Input(ids.PATH_FIND, "n_clicks"),
       State(ids.PATH_FROM, "value"), State(ids.PATH_TO, "value"), State(ids.PATH_HOPS, "value"),
       State(ids.STORE_FILTERS, "data"), prevent_initial_call=True)(_bind(paths.find_paths, settings=settings))

    # The document view.
    cb(Output(ids.DOC_VIEW, "className"), Output(ids.DOC_BODY, "children"), Output(ids.STORE_DOC, "data"),
       Input({"type": ids.OPEN_DOC, "doc": ALL, "where": ALL}, "n_clicks"), prevent_initial_call=True)(
        _bind(document.open_document, settings=settings))
    cb(Output(ids.DOC_VIEW, "className", allow_duplicate=True), Output(ids.STORE_DOC, "data", allow_duplicate=True),
       Input(ids.DOC_CLOSE, "n_clicks"), prevent_initial_call=True)(document.close_document)

    # Exports.
    cb(Output(ids.CHART, "generateImage"), Input(ids.EXPORT_PNG, "n_clicks"), prevent_initial_call=True)(export.png)
    cb(Output(ids.DOWNLOAD_JSON, "data"), Input(ids.EXPORT_JSON, "n_clicks"), State(ids.CHART, "elements"),
       prevent_initial_call=True)(export.chart_json)
    cb(Output(ids.DOWNLOAD_CSV, "data"), Input(ids.EXPORT_CSV, "n_clicks"), State(ids.STORE_EVIDENCE, "data"),
       prevent_initial_call=True)(export.evidence_csv)
