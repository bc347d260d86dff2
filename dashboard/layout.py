"""The page: a header with the status area, the link chart page (search, filters, paths on the
left; the chart in the middle; details, evidence and paths on the right), the document view
drawer, and the Queries page when `dashboard.queries_page` is installed."""

from __future__ import annotations

from typing import Any

import dash_cytoscape as cyto
from dash import dcc, html

from dashboard import ids
from dashboard.panels import legend_panel, message, status_line
from dashboard.style import DEFAULT_LAYOUT, LAYOUTS, layout_options, legend, stylesheet
from graph.read import Filters

CHART_PATH = "/"


def _section(title: str, *children: Any, **kwargs: Any) -> html.Div:
    return html.Div([html.H2(title), *children], className="section", **kwargs)


def _button(label: str, id_: str, title: str = "", **kwargs: Any) -> html.Button:
    return html.Button(label, id=id_, n_clicks=0, title=title, className="tool", **kwargs)


def sidebar() -> html.Div:
    type_options = [{"label": t["label"], "value": t["type"]} for t in legend()]
    return html.Div([
        _section(
            "Search",
            dcc.Input(id=ids.SEARCH, type="search", placeholder="name or alias…", debounce=False,
                      autoComplete="off", className="search-input"),
            dcc.Dropdown(id=ids.SEARCH_TYPES, options=type_options, multi=True, placeholder="any type"),
            html.Div(id=ids.SEARCH_RESULTS, className="search-results"),
        ),
        _section(
            "Filters",
            html.Label("Entity types"),
            dcc.Dropdown(id=ids.FILTER_TYPES, options=type_options, multi=True, placeholder="all types"),
            html.Label("Predicates"),
            dcc.Dropdown(id=ids.FILTER_PREDICATES, options=[], multi=True, placeholder="all predicates"),
            html.Label("Documents"),
            dcc.Dropdown(id=ids.FILTER_DOCS, options=[], multi=True, placeholder="all documents"),
            html.Label("Ingested between"),
            dcc.DatePickerRange(id=ids.FILTER_DATES, clearable=True, display_format="YYYY-MM-DD",
                                start_date_placeholder_text="from", end_date_placeholder_text="to"),
            html.Label("Minimum supporting sentences"),
            dcc.Input(id=ids.FILTER_MIN_EVIDENCE, type="number", min=1, step=1, value=1, debounce=True,
                      className="num-input"),
        ),
        _section(
            "Paths",
            html.Label("From"),
            dcc.Dropdown(id=ids.PATH_FROM, options=[], placeholder="an entity on the chart"),
            _button("← selected node", ids.PATH_SET_FROM, "use the selected node as the start"),
            html.Label("To"),
            dcc.Dropdown(id=ids.PATH_TO, options=[], placeholder="an entity on the chart"),
            _button("← selected node", ids.PATH_SET_TO, "use the selected node as the end"),
            html.Label("At most hops"),
            dcc.Input(id=ids.PATH_HOPS, type="number", min=1, max=8, step=1, value=4, debounce=True,
                      className="num-input"),
            html.Button("Find shortest paths", id=ids.PATH_FIND, n_clicks=0, className="primary"),
        ),
    ], className="sidebar")


def toolbar() -> html.Div:
    return html.Div([
        _button("Expand", ids.EXPAND, "add the selected node's neighbours (or double-click the node)"),
        _button("Show more", ids.MORE, "add the next page of the selected node's neighbours", disabled=True),
        _button("Collapse", ids.COLLAPSE, "remove neighbours linked only to the selected node"),
        _button("Remove", ids.REMOVE, "take the selected node(s) off the chart"),
        _button("Pin", ids.PIN, "pin / unpin the selected node(s) in place"),
        _button("Undo", ids.UNDO, "undo the last change to the chart"),
        _button("Clear", ids.CLEAR, "empty the chart"),
        html.Span(className="spacer"),
        dcc.Dropdown(id=ids.LAYOUT, options=[{"label": label, "value": k} for k, (label, _) in LAYOUTS.items()],
                     value=DEFAULT_LAYOUT, clearable=False, className="layout-choice"),
        _button("Re-layout", ids.FIT, "run the layout again and fit the chart"),
        dcc.RadioItems(id=ids.SIZE_BY, options=[{"label": "size by links", "value": "degree"},
                                                {"label": "by mentions", "value": "mentions"}],
                       value="degree", inline=True, className="size-by"),
        _button("PNG", ids.EXPORT_PNG, "download the chart as an image"),
        _button("JSON", ids.EXPORT_JSON, "download the chart's elements"),
    ], className="toolbar")


def chart_page() -> html.Div:
    return html.Div([
        sidebar(),
        html.Div([
            toolbar(),
            html.Div(message("Search an entity and click it to put it on the chart; double-click a node to "
                             "expand it, click an edge for its evidence.", "muted"), id=ids.CHART_MESSAGE),
            cyto.Cytoscape(
                id=ids.CHART, elements=[], stylesheet=stylesheet(), layout=layout_options(DEFAULT_LAYOUT),
                style={"width": "100%", "height": "100%"}, className="chart", responsive=True,
                minZoom=0.1, maxZoom=2, boxSelectionEnabled=True,
            ),
            html.Div(legend_panel(), id=ids.LEGEND, className="legend"),
        ], className="main"),
        html.Div([
            _section("Details", html.Div(message("click a node for its details", "muted"), id=ids.DETAILS)),
            _section("Evidence",
                     html.Div(message("click an edge for the sentences behind it", "muted"), id=ids.EVIDENCE),
                     _button("Evidence CSV", ids.EXPORT_CSV, "download the evidence table")),
            _section("Path", html.Div(id=ids.PATH_RESULT)),
        ], className="panels"),
    ], id=ids.PAGE_CHART, className="chart-page")


def document_drawer() -> html.Div:
    return html.Div([
        html.Button("×", id=ids.DOC_CLOSE, n_clicks=0, className="close", title="close the document"),
        dcc.Loading(html.Div(id=ids.DOC_BODY)),
    ], id=ids.DOC_VIEW, className="drawer closed")


def stores() -> list[Any]:
    return [
        dcc.Store(id=ids.STORE_HISTORY, data=[]),
        dcc.Store(id=ids.STORE_EXPANDED, data={}),
        dcc.Store(id=ids.STORE_SELECTED, data=None),
        dcc.Store(id=ids.STORE_CHART_HOOKED, data=None),
        dcc.Store(id=ids.STORE_DOUBLE_TAP, data=None),
        dcc.Store(id=ids.STORE_EVIDENCE, data=[]),
        dcc.Store(id=ids.STORE_PATH, data=None),
        dcc.Store(id=ids.STORE_FILTERS, data=Filters().model_dump()),
        dcc.Store(id=ids.STORE_DOC, data=None),
        dcc.Download(id=ids.DOWNLOAD_JSON),
        dcc.Download(id=ids.DOWNLOAD_CSV),
        dcc.Interval(id=ids.STATUS_POLL, interval=20_000, n_intervals=0),
    ]


def build(queries_page: Any | None = None) -> html.Div:
    """The whole page. `queries_page` is the optional Queries module (`layout()` and `PAGE_PATH`)."""
    nav = [dcc.Link("Link chart", href=CHART_PATH, className="nav-link")]
    pages: list[Any] = [chart_page()]
    if queries_page is not None:
        nav.append(dcc.Link(getattr(queries_page, "PAGE_TITLE", "Queries"),
                            href=getattr(queries_page, "PAGE_PATH", "/queries"), className="nav-link"))
        pages.append(html.Div(queries_page.layout(), id=ids.PAGE_QUERIES, className="queries-page",
                              style={"display": "none"}))
    return html.Div([
        dcc.Location(id=ids.URL, refresh=False),
        html.Header([
            html.Span("casegraph", className="brand"),
            html.Nav(nav, className="nav"),
            html.Div(status_line(None), id=ids.STATUS, className="status"),
        ], className="header"),
        *pages,
        document_drawer(),
        *stores(),
    ], className="app")
