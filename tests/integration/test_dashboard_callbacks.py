"""The link chart's callbacks, called as Dash calls them (the same positional Input/State values,
the triggering prop in the callback context) against the real Neo4j holding the chart case."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from dash import Dash, no_update
from dash._callback_context import context_value
from dash._utils import AttributeDict

from casegraph.core.settings import Settings
from dashboard import ids
from dashboard.app import create_app
from dashboard.callbacks import chart, document, evidence, export, filters, paths, search, status
from graph.read import Filters
from graph.server import free_port
from tests.factories.chart_case import CARLOS, DANA, GLOCK, LUIS, METH, MOTEL, write_case
from tests.factories.database import wipe


def text(component: Any) -> str:
    """All the text a component tree shows."""
    if component is None or isinstance(component, (bool, int, float)):
        return ""
    if isinstance(component, str):
        return component
    if isinstance(component, (list, tuple)):
        return "".join(text(c) for c in component)
    return text(getattr(component, "children", None))


@contextmanager
def triggered(component_id: str | dict[str, Any], prop: str, value: Any) -> Iterator[None]:
    """The callback context Dash sets up when `component_id.prop` changed to `value`."""
    cid = json.dumps(component_id, sort_keys=True, separators=(",", ":")) if isinstance(component_id, dict) \
        else component_id
    token = context_value.set(AttributeDict(triggered_inputs=[{"prop_id": f"{cid}.{prop}", "value": value}]))
    try:
        yield
    finally:
        context_value.reset(token)


@pytest.fixture()
def s(graph_db: Settings) -> Settings:
    write_case(graph_db)
    # Three neighbours per expansion, so "Show more" has something to show on this small case.
    return graph_db.model_copy(update={"dashboard_expand_limit": 3})


NO_FILTERS: dict[str, Any] = {}


def nodes(elements: list[dict[str, Any]]) -> set[str]:
    return {e["data"]["id"] for e in elements if "source" not in e["data"]}


def edges(elements: list[dict[str, Any]]) -> set[str]:
    return {e["data"]["id"] for e in elements if "source" in e["data"]}


def on_chart(s: Settings, key: str) -> tuple[Any, ...]:
    """The chart after clicking `key`'s search hit on an empty chart."""
    hit = {"type": ids.SEARCH_HIT, "key": key}
    with triggered(hit, "n_clicks", 1):
        return chart.add_hit([1], [], [], {}, NO_FILTERS, "degree", settings=s)


def test_search_finds_by_name_and_survives_bad_input(s):
    hits = search.search("dana pr", None, settings=s)
    assert [h.id["key"] for h in hits] == [DANA] and "Dana Price" in text(hits)
    assert search.search("   ", None, settings=s) == []
    assert "no entity matches" in text(search.search("zzzz", None, settings=s))
    assert isinstance(search.search('"((', ["PERSON"], settings=s), list)


def test_search_hit_expand_more_undo(s):
    elements, history, expanded, msg = on_chart(s, DANA)
    assert nodes(elements) == {DANA} and history == [{"elements": [], "expanded": {}}]
    assert "Dana Price is on the chart" in text(msg)
    # A redrawn result list (no clicks) changes nothing.
    with triggered({"type": ids.SEARCH_HIT, "key": DANA}, "n_clicks", 0):
        assert chart.add_hit([0], elements, history, expanded, NO_FILTERS, "degree", settings=s) == chart.NOTHING

    elements, history, expanded, msg = chart.expand(1, DANA, elements, history, expanded, NO_FILTERS, "degree",
                                                    settings=s)
    assert len(nodes(elements)) == 4 and {CARLOS, LUIS} <= nodes(elements)
    assert "3 of 4 shown" in text(msg) and expanded == {DANA: 3}
    assert chart.more_disabled(DANA, expanded) is False and chart.more_disabled(CARLOS, expanded) is True

    elements, history, expanded, msg = chart.more(1, DANA, elements, history, expanded, NO_FILTERS, "degree",
                                                  settings=s)
    assert nodes(elements) == {DANA, CARLOS, LUIS, GLOCK, MOTEL} and "4 of 4 shown" in text(msg)
    assert expanded == {DANA: None} and len(history) == 3
    folded = next(e for e in elements if e["data"]["id"] == f"{CARLOS}\u2194{DANA}")
    assert folded["data"]["evidence"] == 2

    back, history_after, expanded_after, msg = chart.undo(1, elements, history, expanded, NO_FILTERS, "degree",
                                                           settings=s)
    assert len(nodes(back)) == 4 and expanded_after == {DANA: 3} and len(history_after) == 2
    assert "undone" in text(msg)
    assert "nothing to undo" in text(chart.undo(1, [], [], {}, NO_FILTERS, "degree", settings=s)[3])


def test_double_tap_expands_and_goes_on(s):
    elements, history, expanded, _ = on_chart(s, DANA)
    elements, history, expanded, _ = chart.double_tap({"id": DANA, "ts": 1}, elements, history, expanded,
                                                      NO_FILTERS, "degree", settings=s)
    assert len(nodes(elements)) == 4
    elements, history, expanded, msg = chart.double_tap({"id": DANA, "ts": 2}, elements, history, expanded,
                                                        NO_FILTERS, "degree", settings=s)
    assert len(nodes(elements)) == 5 and "4 of 4 shown" in text(msg)
    assert chart.double_tap(None, elements, history, expanded, NO_FILTERS, "degree", settings=s) == chart.NOTHING


def test_collapse_remove_pin_clear_need_a_selection(s):
    elements, history, expanded, _ = on_chart(s, DANA)
    elements, history, expanded, _ = chart.expand(1, DANA, elements, history, expanded, NO_FILTERS, "degree",
                                                  settings=s)
    state = (elements, history, expanded, NO_FILTERS, "degree")
    assert "select a node first" in text(chart.expand(1, None, *state, settings=s)[3])
    assert "select a node first" in text(chart.collapse(1, None, *state, settings=s)[3])

    collapsed, _, after, _ = chart.collapse(1, DANA, *state, settings=s)
    # Carlos hangs on Dana alone; Luis and the motel are linked to each other as well, and stay.
    assert nodes(collapsed) == nodes(elements) - {CARLOS} and DANA not in after
    removed, _, after, _ = chart.remove(1, DANA, [{"id": CARLOS}, {"id": LUIS}], *state, settings=s)
    assert CARLOS not in nodes(removed) and LUIS not in nodes(removed) and DANA in nodes(removed)
    pinned, _, _, _ = chart.pin(1, CARLOS, None, *state, settings=s)
    assert next(e for e in pinned if e["data"]["id"] == CARLOS)["locked"] is True
    cleared, history_after, after, _ = chart.clear(1, *state, settings=s)
    assert cleared == [] and after == {} and history_after[-1]["elements"] == elements


def test_filters_resolve_once_and_refilter_the_chart(s):
    elements, history, expanded, _ = on_chart(s, DANA)
    for action in (chart.expand, chart.more):
        elements, history, expanded, _ = action(1, DANA, elements, history, expanded, NO_FILTERS, "degree",
                                                settings=s)
    assert len(edges(elements)) == 5

    store, msg = filters.resolve_filters(None, None, None, None, None, "2", settings=s)
    assert Filters.model_validate(store) == Filters(min_evidence=2) and msg is no_update
    two, _, after, _ = chart.refilter(store, elements, history, expanded, "degree", settings=s)
    assert edges(two) == {f"{CARLOS}\u2194{DANA}", f"{DANA}\u2194{LUIS}"} and after == {}
    assert chart.refilter(store, [], [], {}, "degree", settings=s) == chart.NOTHING

    # A date range becomes the documents ingested in it; picked documents intersect with it.
    april, _ = filters.resolve_filters(["PERSON"], None, None, "2024-04-01", None, 1, settings=s)
    (surveillance,) = april["doc_ids"]
    assert april["types"] == ["PERSON"]
    people, _, _, _ = chart.refilter(april, elements, history, expanded, "degree", settings=s)
    hidden = {e["data"]["id"] for e in people if "filtered" in e["classes"].split()}
    assert hidden == {GLOCK, MOTEL}
    assert f"{DANA}\u2194{LUIS}" in edges(people) and f"{DANA}\u2194{GLOCK}" not in edges(people)

    # The evidence panel reads the same store: only the surveillance log's sentences.
    panel, rows = evidence.evidence({"source": DANA, "target": LUIS}, elements, april, settings=s)
    assert {r["sentence"] for r in rows} == {"Dana Price met Luis Ortega at the Harbor Motel.",
                                             "Luis Ortega paid Dana Price in cash."}
    assert all(r["document"] == "Surveillance log" for r in rows) and surveillance


def test_filter_options_are_cached_per_app(s):
    cache = filters.options_cache()
    preds, docs = filters.filter_options(0, settings=s, cache=cache)
    assert {"label": "co_occurs_with (3)", "value": "co_occurs_with"} in preds
    assert {d["label"] for d in docs} == {"Arrest report", "Surveillance log"}
    wipe(s)
    assert filters.filter_options(1, settings=s, cache=cache) == (preds, docs)  # within the TTL
    assert filters.filter_options(1, settings=s, cache=filters.options_cache()) == ([], [])


def test_details_evidence_and_csv(s):
    panel, selected = evidence.details({"id": CARLOS}, settings=s)
    assert selected == CARLOS and "Carlos Mendez" in text(panel) and "El Flaco" in text(panel)
    assert evidence.details(None, settings=s) == (no_update, no_update)

    elements = on_chart(s, CARLOS)[0]
    panel, rows = evidence.evidence({"source": CARLOS, "target": DANA}, elements, NO_FILTERS, settings=s)
    assert "2 supporting sentence(s)" in text(panel) and "sold_to" in text(panel)
    sent = export.evidence_csv(1, rows)
    assert sent["filename"] == "casegraph-evidence.csv"
    assert {r["sentence"] for r in csv.DictReader(io.StringIO(sent["content"]))} == {
        "Carlos Mendez sold methamphetamine to Dana Price.", "Dana Price called Carlos Mendez twice."}
    assert export.evidence_csv(1, []) is no_update
    assert json.loads(export.chart_json(1, elements)["content"])["elements"]["nodes"][0]["data"]["id"] == CARLOS
    assert export.png(1)["type"] == "png"


def test_shortest_path_is_found_and_drawn(s):
    assert "pick both ends" in text(paths.find_paths(1, METH, None, 4, NO_FILTERS, settings=s)[0])
    assert "two different" in text(paths.find_paths(1, METH, METH, 4, NO_FILTERS, settings=s)[0])
    panel, store = paths.find_paths(1, METH, LUIS, "x", NO_FILTERS, settings=s)
    assert "shortest path(s), 3 hop(s)" in text(panel)
    assert store["paths"] == [[METH, CARLOS, DANA, LUIS]]
    assert paths.use_selected(1, METH) == METH and paths.use_selected(1, None) is no_update

    elements, _, _, _ = chart.show_path(store, [], [], {}, NO_FILTERS, "degree", settings=s)
    marked = {e["data"]["id"] for e in elements if "path" in e.get("classes", "").split()}
    assert {METH, CARLOS, DANA, LUIS} <= marked
    options, _ = paths.path_options(elements)
    assert [o["label"] for o in options] == ["Carlos Mendez", "Dana Price", "Luis Ortega", "methamphetamine"]


def test_document_drawer_opens_and_closes(s):
    arrest = next(d["value"] for d in filters.filter_options(0, settings=s, cache=filters.options_cache())[1]
                  if d["label"] == "Arrest report")
    link = {"type": ids.OPEN_DOC, "doc": arrest, "where": "ev-0"}
    with triggered(link, "n_clicks", 1):
        cls, body, doc = document.open_document([1], settings=s)
    assert cls == document.OPEN and doc == arrest and "Police seized a Glock pistol" in text(body)
    with triggered(link, "n_clicks", 0):
        assert document.open_document([0], settings=s) == (no_update, no_update, no_update)
    assert document.close_document(1) == (document.CLOSED, None)


def test_unreachable_database_gives_messages_not_errors():
    down = Settings(neo4j_uri=f"bolt://127.0.0.1:{free_port()}", neo4j_password="unused")
    assert "Neo4j unavailable" in text(status.status(0, settings=down))
    assert "cannot reach Neo4j" in text(search.search("dana", None, settings=down))
    assert "cannot reach Neo4j" in text(chart.expand(1, DANA, [], [], {}, NO_FILTERS, "degree", settings=down)[3])
    assert filters.filter_options(0, settings=down, cache=filters.options_cache()) == (no_update, no_update)
    assert "cannot reach Neo4j" in text(filters.resolve_filters(None, None, None, "2024-01-01", None, 1,
                                                                settings=down)[1])


def test_every_callback_is_registered_once():
    app = create_app(Settings())
    assert isinstance(app, Dash)
    outputs = [k for k in app.callback_map]
    # The chart's actions share their outputs (allow_duplicate); one callback per action.
    chart_actions = [k for k in outputs if k.startswith(f"..{ids.CHART}.elements@")]
    assert len(chart_actions) == 11  # ten actions and the re-filter
    assert max(len(cb["inputs"]) + len(cb.get("state", [])) for cb in app.callback_map.values()) <= 8
