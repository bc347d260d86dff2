"""The link chart: one callback per action (add a search hit, expand, show more, double-click,
collapse, remove, pin, undo, clear, show a path, re-filter, resize), each a module-level function.

Every action has the same four outputs (CHART_OUTPUTS: the elements, the undo history, the
expansion offsets, the chart message; `allow_duplicate`, as several callbacks write them) and
ends with the same states (CHART_STATES: elements, history, expanded, the resolved filters, the
size mode); its own trigger and states come first. A new chart action is a function of that shape
plus one row in `dashboard.callbacks.registry.CHART_ACTIONS`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dash import Input, Output, State, ctx, no_update

from casegraph.core.settings import Settings
from dashboard import elements as el
from dashboard import ids, panels
from dashboard.callbacks.common import filters_of, names_of, problem
from dashboard.style import layout_options
from graph import read as gr
from graph.read import Filters

HISTORY_DEPTH = 10
Elements = list[dict[str, Any]]
Update = tuple[Any, Any, Any, Any]
NOTHING: Update = (no_update, no_update, no_update, no_update)


def chart_outputs() -> list[Output]:
    return [Output(ids.CHART, "elements", allow_duplicate=True),
            Output(ids.STORE_HISTORY, "data", allow_duplicate=True),
            Output(ids.STORE_EXPANDED, "data", allow_duplicate=True),
            Output(ids.CHART_MESSAGE, "children", allow_duplicate=True)]


def chart_states() -> list[State]:
    return [State(ids.CHART, "elements"), State(ids.STORE_HISTORY, "data"), State(ids.STORE_EXPANDED, "data"),
            State(ids.STORE_FILTERS, "data"), State(ids.SIZE_BY, "value")]


@dataclass
class Chart:
    """The chart as an action finds it; `update` gives the four outputs after the change."""

    elements: Elements
    history: list[Any]
    expanded: dict[str, int | None]
    filters: Filters
    size_mode: str
    settings: Settings

    @classmethod
    def of(cls, elements: Elements | None, history: list[Any] | None, expanded: dict[str, int | None] | None,
           filters: dict[str, Any] | None, size_by: str | None, *, settings: Settings) -> Chart:
        return cls(list(elements or []), list(history or []), dict(expanded or {}), filters_of(filters),
                   size_by if size_by in el.SIZE_MODES else "degree", settings)

    def update(self, elements: Elements, expanded: dict[str, int | None] | None = None, msg: Any = no_update
               ) -> Update:
        """The new chart, with the old one on the undo history when anything changed."""
        history = self.history
        if elements != self.elements:
            history = el.push_history(history, self.elements, self.expanded, HISTORY_DEPTH)
        return el.finalize(elements), history, self.expanded if expanded is None else expanded, msg

    def relink(self, elements: Elements) -> Elements:
        """The links among the chart's nodes under the filters; nodes of other types hidden."""
        links = gr.links_among(el.node_keys(elements), filters=self.filters, settings=self.settings)
        return el.filter_types(el.set_links(elements, links), self.filters.types)

    def add(self, entities: list[Any]) -> tuple[Elements, list[Any], int]:
        return el.add_entities(self.elements, entities, self.size_mode, self.settings.dashboard_max_nodes)


def chart_action(func: Callable[..., Update]) -> Callable[..., Update]:
    """A failing read leaves the chart as it was and says why in the chart message."""

    @functools.wraps(func)
    def safely(*args: Any, **kwargs: Any) -> Update:
        try:
            return func(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            return no_update, no_update, no_update, panels.message(problem(exc), "error")

    return safely


def _select_first() -> Update:
    return no_update, no_update, no_update, panels.message("select a node first (click it)", "warning")


def _selection(selected: str | None, selected_nodes: list[dict[str, Any]] | None) -> list[str]:
    """Box- or shift-selected nodes, else the last clicked one."""
    return [n["id"] for n in selected_nodes or [] if n.get("id")] or ([selected] if selected else [])


@chart_action
def add_hit(clicks: list[int | None], *state: Any, settings: Settings) -> Update:
    """A click on a search hit puts that entity on the chart, linked to what is there."""
    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or not ctx.triggered[0]["value"]:
        return NOTHING  # the search results were redrawn (new buttons, no clicks): nothing to do
    chart = Chart.of(*state, settings=settings)
    found = gr.entities([trigger["key"]], settings=settings)
    if not found:
        return chart.update(chart.elements, msg=panels.message("that entity is no longer in the graph", "warning"))
    elements, added, _ = chart.add(found)
    text = f"{found[0].name} is on the chart" if added else f"{found[0].name} was already on the chart"
    return chart.update(chart.relink(elements), msg=panels.message(text, "muted"))


def _expand(chart: Chart, key: str | None, offset: int) -> Update:
    if not key:
        return _select_first()
    s = chart.settings
    page = gr.expand(key, limit=s.dashboard_expand_limit, offset=offset, filters=chart.filters, settings=s)
    name = names_of(chart.elements).get(key, key)
    if page.total == 0:
        return chart.update(chart.elements, msg=panels.message(f"{name} has no links that pass the filters", "muted"))
    elements, added, left_out = chart.add(page.neighbours)
    shown = page.offset + len(page.neighbours)
    text = f"{name}: {len(added)} neighbour(s) added, {shown} of {page.total} shown"
    if page.next_offset:
        text += " — “Show more” for the next ones"
    msg = panels.message(text, "info")
    if left_out:
        msg = panels.message(f"{text}; the chart is full ({s.dashboard_max_nodes} entities): {left_out} left out",
                             "warning")
    return chart.update(chart.relink(elements), {**chart.expanded, key: page.next_offset}, msg)


@chart_action
def expand(_n: int | None, selected: str | None, *state: Any, settings: Settings) -> Update:
    """The selected node's most connected neighbours, first page."""
    return _expand(Chart.of(*state, settings=settings), selected, 0)


@chart_action
def more(_n: int | None, selected: str | None, *state: Any, settings: Settings) -> Update:
    """The next page of the selected node's neighbours, from where the last one ended."""
    chart = Chart.of(*state, settings=settings)
    return _expand(chart, selected, chart.expanded.get(selected or "") or 0)


@chart_action
def double_tap(tap: dict[str, Any] | None, *state: Any, settings: Settings) -> Update:
    """A double-click expands the node; a repeated one goes on from where the last page ended.
    (Cytoscape's dbltap reaches STORE_DOUBLE_TAP through assets/casegraph.js.)"""
    key = (tap or {}).get("id")
    if not key:
        return NOTHING
    chart = Chart.of(*state, settings=settings)
    return _expand(chart, key, chart.expanded.get(key) or 0)


@chart_action
def collapse(_n: int | None, selected: str | None, *state: Any, settings: Settings) -> Update:
    if not selected:
        return _select_first()
    chart = Chart.of(*state, settings=settings)
    expanded = {k: v for k, v in chart.expanded.items() if k != selected}
    return chart.update(el.collapse(chart.elements, selected), expanded)


@chart_action
def remove(_n: int | None, selected: str | None, selected_nodes: list[dict[str, Any]] | None, *state: Any,
           settings: Settings) -> Update:
    chart = Chart.of(*state, settings=settings)
    gone = _selection(selected, selected_nodes)
    expanded = {k: v for k, v in chart.expanded.items() if k not in gone}
    return chart.update(el.remove_nodes(chart.elements, gone), expanded)


@chart_action
def pin(_n: int | None, selected: str | None, selected_nodes: list[dict[str, Any]] | None, *state: Any,
        settings: Settings) -> Update:
    chart = Chart.of(*state, settings=settings)
    return chart.update(el.toggle_pin(chart.elements, _selection(selected, selected_nodes)))


@chart_action
def undo(_n: int | None, *state: Any, settings: Settings) -> Update:
    chart = Chart.of(*state, settings=settings)
    if not chart.history:
        return no_update, no_update, no_update, panels.message("nothing to undo", "muted")
    last = chart.history[-1]
    return (el.finalize(last.get("elements")), chart.history[:-1], last.get("expanded") or {},
            panels.message("undone", "muted"))


@chart_action
def clear(_n: int | None, *state: Any, settings: Settings) -> Update:
    chart = Chart.of(*state, settings=settings)
    return chart.update([], {})


@chart_action
def show_path(path: dict[str, Any] | None, *state: Any, settings: Settings) -> Update:
    """The shortest paths found in the Paths panel (STORE_PATH): their entities added, marked."""
    if not path or not path.get("paths"):
        return NOTHING
    chart = Chart.of(*state, settings=settings)
    elements, _, left_out = chart.add([gr.EntitySummary(**e) for e in path.get("entities", [])])
    elements = el.mark_paths(chart.relink(elements), path["paths"])
    msg = panels.message(f"the chart is full: {left_out} path entities left out", "warning") if left_out else no_update
    return chart.update(elements, msg=msg)


@chart_action
def refilter(filters: dict[str, Any] | None, elements: Elements | None, history: list[Any] | None,
             expanded: dict[str, int | None] | None, size_by: str | None, *, settings: Settings) -> Update:
    """The filters changed: recount the links under them, hide other types, restart paging."""
    chart = Chart.of(elements, history, expanded, filters, size_by, settings=settings)
    if not chart.elements:
        return NOTHING
    return chart.update(chart.relink(chart.elements), {})


def resize(size_by: str | None, elements: Elements | None) -> Any:
    size_mode = size_by if size_by in el.SIZE_MODES else "degree"
    return el.finalize(el.resize(list(elements or []), size_mode))


def more_disabled(selected: str | None, expanded: dict[str, int | None] | None) -> bool:
    """"Show more" only when the selected node has a next page."""
    return not (selected and (expanded or {}).get(selected))


def layout(name: str | None, fit: int | None, elements: Elements | None) -> dict[str, Any]:
    pinned = [e["data"]["id"] for e in elements or [] if not el.is_edge(e) and el.flag(e, "pinned")]
    # `run` changes with every click, so Cytoscape sees a new layout and runs it again.
    return {**layout_options(name, roots=pinned or el.node_keys(elements)[:1]), "fit": True, "padding": 30,
            "run": fit or 0}


def action_inputs(trigger: Input, *own_states: State) -> list[Any]:
    """An action's dependencies: its trigger, its own states, then CHART_STATES."""
    return [trigger, *own_states, *chart_states()]
