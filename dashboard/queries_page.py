"""The dashboard's "Queries" page: run a saved query from a generated form, or ad-hoc Cypher in a
read-only console, and see the result as a table and, for nodes, relationships and paths, on a
link chart. Everything runs through `cypher.runner` (read transaction, timeout, row cap).

Self-contained; the dashboard mounts it with its two entry points:

    from dashboard import queries_page
    page = queries_page.layout()                 # a Div for the "Queries" route/tab (PAGE_PATH)
    queries_page.register_callbacks(app)         # once, on the Dash app

Component ids all start with `cq-`, so they cannot collide with the rest of the dashboard.
"""

from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import dash_cytoscape as cyto
from dash import ALL, Dash, Input, Output, State, ctx, dash_table, dcc, html

from casegraph.core.domain import load_domain
from casegraph.core.errors import CasegraphError
from casegraph.core.settings import Settings, get_settings
from cypher.results import QueryResult, to_text
from cypher.runner import adhoc_query, run
from cypher.saved import Param, QueryError, SavedQuery, list_queries, load_query

log = logging.getLogger(__name__)

PAGE_PATH = "/queries"
PAGE_TITLE = "Queries"
PARAM = "cq-param"  # pattern-matching id type of the generated form's inputs

CONSOLE_EXAMPLE = ("MATCH (p:Person)-[r:RELATED]-(g:GangOrg)\n"
                   "WHERE g.name = $gang\n"
                   "RETURN p, r, g")


@dataclass
class PageResult:
    """What one run puts on the page."""

    message: str
    ok: bool
    columns: list[dict[str, str]] = field(default_factory=list)
    data: list[dict[str, str]] = field(default_factory=list)
    elements: list[dict[str, Any]] = field(default_factory=list)


# ------------------------------------------------------------------ plain functions (tested directly)
def query_options() -> list[dict[str, str]]:
    return [{"label": q.name.replace("_", " "), "value": q.name} for q in list_queries()]


def param_input(p: Param) -> Any:
    """One form field for a parameter, typed as the header declares it."""
    pid = {"type": PARAM, "name": p.name}
    default = p.default
    if p.type == "entity_type":
        types = sorted(load_domain().types)
        return dcc.Dropdown(id=pid, options=types, value=default, clearable=not p.required,
                            placeholder="any type")
    if p.type == "bool":
        return dcc.Dropdown(id=pid, options=["true", "false"], value="true" if default else "false",
                            clearable=False)
    if p.type in ("int", "float"):
        return dcc.Input(id=pid, type="number", value=default, step=1 if p.type == "int" else "any",
                         debounce=True, style={"width": "8em"})
    placeholder = {
        "entity": "key, name or alias" + (f" ({'/'.join(p.entity_types)})" if p.entity_types else ""),
        "date": "YYYY-MM-DD",
        "datetime": "YYYY-MM-DD or YYYY-MM-DDTHH:MM",
    }.get(p.type, "")
    value = default.isoformat() if isinstance(default, date | datetime) else default
    return dcc.Input(id=pid, type="text", value=value, placeholder=placeholder, debounce=True,
                     style={"width": "100%"})


def param_form(name: str | None) -> tuple[str, list[Any]]:
    """The description and form fields of a saved query."""
    if not name:
        return "", []
    query = load_query(name)
    fields = []
    for p in query.params:
        fields.append(html.Div([
            html.Label([html.Code(p.signature()), html.Span(f"  {p.description}" if p.description else "",
                                                             className="cq-param-help")],
                       style={"display": "block", "fontSize": "0.9em"}),
            param_input(p),
        ], style={"marginBottom": "0.5em"}))
    return query.description, fields


def execute(query: SavedQuery, values: dict[str, Any], settings: Settings | None = None) -> PageResult:
    """Run a query for the page: every refusal or error becomes a message, never an exception."""
    try:
        result = run(query, values, settings or get_settings())
    except CasegraphError as exc:
        return PageResult(str(exc), ok=False)
    except Exception:  # the page must stay usable whatever happens below it
        log.exception("query %s failed", query.name)
        return PageResult(f"{query.name}: unexpected error (see the server log)", ok=False)
    columns, data = table(result)
    return PageResult(_message(result), ok=True, columns=columns, data=data, elements=elements(result))


def run_saved_for_page(name: str | None, values: dict[str, Any],
                       settings: Settings | None = None) -> PageResult:
    if not name:
        return PageResult("choose a saved query first", ok=False)
    try:
        query = load_query(name)
    except QueryError as exc:
        return PageResult(str(exc), ok=False)
    return execute(query, values, settings)


def run_console_for_page(text: str | None, params_json: str | None,
                         settings: Settings | None = None) -> PageResult:
    if not text or not text.strip():
        return PageResult("type a Cypher query first", ok=False)
    try:
        params = json.loads(params_json) if params_json and params_json.strip() else {}
    except json.JSONDecodeError as exc:
        return PageResult(f"parameters must be a JSON object: {exc}", ok=False)
    if not isinstance(params, dict):
        return PageResult("parameters must be a JSON object, e.g. {\"gang\": \"Sureños\"}", ok=False)
    try:
        query = adhoc_query(text)
    except QueryError as exc:
        return PageResult(str(exc), ok=False)
    return execute(query, params, settings)


def _message(result: QueryResult) -> str:
    text = f"{result.name}: {result.summary()}"
    if result.truncated:
        text += f" — more rows exist; only the first {result.row_cap} are shown"
    return text


def table(result: QueryResult) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    columns = [{"name": c, "id": c} for c in result.columns]
    data = [{c: to_text(v) for c, v in zip(result.columns, row, strict=True)} for row in result.rows]
    return columns, data


def elements(result: QueryResult) -> list[dict[str, Any]]:
    """Cytoscape elements for every node, relationship and path in the result."""
    nodes, rels = result.graph()
    out: list[dict[str, Any]] = []
    for n in nodes:
        out.append({"data": {"id": n.id, "label": n.caption if n.labels else "", "kind": n.label,
                             "key": n.props.get("key", "")},
                    "classes": n.label if n.labels else "Unknown"})
    for r in rels:
        out.append({"data": {"id": r.id, "source": r.start, "target": r.end, "label": r.caption,
                             "type": r.type, "sentence_id": r.props.get("sentence_id", "")},
                    "classes": r.type})
    return out


def stylesheet() -> list[dict[str, Any]]:
    """Node colours and shapes from casegraph/core/domain.toml, as on the main link chart."""
    style: list[dict[str, Any]] = [
        {"selector": "node", "style": {"label": "data(label)", "font-size": "10px",
                                       "background-color": "#999", "text-valign": "bottom",
                                       "text-margin-y": "3px"}},
        {"selector": "edge", "style": {"label": "data(label)", "font-size": "8px", "curve-style": "bezier",
                                       "target-arrow-shape": "triangle", "width": 1.5, "line-color": "#bbb",
                                       "target-arrow-color": "#bbb", "text-rotation": "autorotate"}},
        {"selector": "node.Document", "style": {"shape": "rectangle", "background-color": "#555"}},
        {"selector": "node.Sentence", "style": {"shape": "round-rectangle", "background-color": "#ccc"}},
    ]
    seen = set()
    for t in load_domain().types.values():
        if t.label in seen:
            continue
        seen.add(t.label)
        style.append({"selector": f"node.{t.label}",
                      "style": {"background-color": t.color, "shape": t.shape}})
    return style


# ------------------------------------------------------------------ Dash
def layout() -> html.Div:
    options = query_options()
    first = options[0]["value"] if options else None
    description, form = param_form(first)
    return html.Div([
        html.H2(PAGE_TITLE),
        html.Div([
            html.Div([
                html.H4("Saved query"),
                dcc.Dropdown(id="cq-query", options=options, value=first, clearable=False),
                html.P(description, id="cq-description", style={"fontSize": "0.9em"}),
                html.Div(form, id="cq-form"),
                html.Button("Run", id="cq-run", n_clicks=0),
                html.H4("Console", style={"marginTop": "1.5em"}),
                html.P("Read-only Cypher: writes, LOAD CSV, dbms.* and admin commands are refused; "
                       "a timeout and a row cap apply.", style={"fontSize": "0.8em"}),
                dcc.Textarea(id="cq-console", value=CONSOLE_EXAMPLE,
                             style={"width": "100%", "height": "9em", "fontFamily": "monospace"}),
                dcc.Input(id="cq-console-params", type="text", value='{"gang": "Sureños"}',
                          placeholder='parameters as JSON, e.g. {"gang": "Sureños"}',
                          style={"width": "100%"}),
                html.Button("Run console query", id="cq-console-run", n_clicks=0),
            ], style={"flex": "0 0 24em", "paddingRight": "1em"}),
            html.Div([
                dcc.Loading(html.Div(id="cq-status", className="cq-status")),
                cyto.Cytoscape(id="cq-chart", elements=[], layout={"name": "cose", "animate": False},
                               stylesheet=stylesheet(), style={"width": "100%", "height": "420px",
                                                               "border": "1px solid #ddd"}),
                dash_table.DataTable(  # type: ignore[attr-defined]  # dash ships no stub for it
                    id="cq-table", columns=[], data=[], page_size=25, sort_action="native",
                    filter_action="native", style_table={"overflowX": "auto"},
                    style_cell={"whiteSpace": "normal", "height": "auto", "textAlign": "left",
                                "fontSize": "0.85em", "maxWidth": "40em"}),
            ], style={"flex": "1 1 auto", "minWidth": 0}),
        ], style={"display": "flex"}),
    ], id="cq-page")


def show_form(name: str | None) -> tuple[str, list[Any]]:
    """The chosen query's description and its parameter form."""
    try:
        return param_form(name)
    except QueryError as exc:
        return str(exc), []


def run_for_page(_saved: int | None, _console: int | None, name: str | None, values: list[Any],
                 ids: list[dict[str, str]], text: str | None, params_json: str | None, *,
                 settings: Settings | None = None) -> tuple[Any, Any, Any, Any]:
    """"Run" (the saved query with the form's values) or "Run Cypher" (the console), whichever
    was clicked: (status, table columns, table rows, chart elements)."""
    if ctx.triggered_id == "cq-console-run":
        res = run_console_for_page(text, params_json, settings)
    else:
        form = {i["name"]: v for i, v in zip(ids, values, strict=True) if v is not None}
        res = run_saved_for_page(name, form, settings)
    status = html.Span(res.message, style={"color": "#2c7a2c" if res.ok else "#b00020"})
    return status, res.columns, res.data, res.elements


def register_callbacks(app: Dash, settings: Settings | None = None) -> None:
    """Wire the page into `app`. `settings` defaults to `get_settings()` at each run."""
    app.callback(Output("cq-description", "children"), Output("cq-form", "children"),
                 Input("cq-query", "value"))(show_form)
    app.callback(
        Output("cq-status", "children"), Output("cq-table", "columns"), Output("cq-table", "data"),
        Output("cq-chart", "elements"),
        Input("cq-run", "n_clicks"), Input("cq-console-run", "n_clicks"),
        State("cq-query", "value"), State({"type": PARAM, "name": ALL}, "value"),
        State({"type": PARAM, "name": ALL}, "id"), State("cq-console", "value"),
        State("cq-console-params", "value"),
        prevent_initial_call=True,
    )(functools.partial(run_for_page, settings=settings))
