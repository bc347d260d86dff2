"""The dashboard's Queries page: its form, its runs (saved and console) and its link-chart
elements, against the real Neo4j; and its callbacks wired into a real Dash app, driven over HTTP."""

from __future__ import annotations

import json

import pytest
from dash import Dash, dcc

from dashboard import queries_page as page
from graph.db import counts
from graph.writer import GraphWriter
from tests.factories.query_case import CARLOS, DANA, LUIS, PHONE, case_graph


@pytest.fixture()
def case_db(graph_db):
    GraphWriter(graph_db).write(case_graph())
    return graph_db


def find(component, predicate) -> list:
    """Every component in a Dash tree that satisfies `predicate`."""
    found = [component] if predicate(component) else []
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children] if children is not None else []:
        if hasattr(child, "to_plotly_json"):
            found.extend(find(child, predicate))
    return found


def test_form_is_generated_from_the_header():
    description, fields = page.param_form("brokers")
    assert description.startswith("Entities with the most distinct connections")
    inputs = [c for f in fields for c in find(f, lambda c: isinstance(getattr(c, "id", None), dict))]
    assert [i.id["name"] for i in inputs] == ["type", "min_confidence", "limit"]
    etype, conf, limit = inputs
    assert isinstance(etype, dcc.Dropdown) and "GANG_ORG" in etype.options and etype.value is None
    assert isinstance(conf, dcc.Input) and conf.type == "number" and conf.value == 0.0
    assert limit.value == 10 and limit.step == 1
    _, fields = page.param_form("drugs_linked")
    entity, flag = [c for f in fields for c in find(f, lambda c: isinstance(getattr(c, "id", None), dict))]
    assert entity.placeholder == "key, name or alias (PERSON/GANG_ORG)" and flag.value == "false"


def test_layout_lists_every_saved_query():
    root = page.layout()
    dropdown = find(root, lambda c: getattr(c, "id", None) == "cq-query")[0]
    assert {o["value"] for o in dropdown.options} == {q["value"] for q in page.query_options()}
    assert find(root, lambda c: getattr(c, "id", None) == "cq-chart")
    ids = [c.id for c in find(root, lambda c: isinstance(getattr(c, "id", None), str))]
    assert all(i.startswith("cq-") for i in ids)


def test_saved_query_gives_table_and_chart(case_db):
    res = page.run_saved_for_page("shortest_paths", {"from": "Dana Price", "to": "Luis Ortega", "max_hops": 3},
                                  case_db)
    assert res.ok and res.message.startswith("shortest_paths: 2 rows")
    assert [c["id"] for c in res.columns] == ["route", "hops", "variants", "path"]
    assert res.data[1]["path"] == "Dana Price -[called]-> 555-0142 <-[called]- Luis Ortega"
    nodes = [e for e in res.elements if "source" not in e["data"]]
    edges = [e for e in res.elements if "source" in e["data"]]
    assert sorted(n["data"]["key"] for n in nodes) == sorted([DANA, CARLOS, LUIS, PHONE])
    assert {n["classes"] for n in nodes} == {"Person", "Phone"}
    node_ids = {n["data"]["id"] for n in nodes}
    assert all(e["data"]["source"] in node_ids and e["data"]["target"] in node_ids for e in edges)
    assert sorted(e["data"]["label"] for e in edges) == ["called", "called", "drove", "met"]


def test_console_runs_read_only_cypher(case_db):
    res = page.run_console_for_page(page.CONSOLE_EXAMPLE, '{"gang": "Sureños"}', case_db)
    assert res.ok, res.message
    assert len(res.data) == 3  # Carlos: member_of; Luis: member_of, recruits_for
    assert sorted({e["data"]["label"] for e in res.elements if "source" in e["data"]}) == [
        "member_of", "recruits_for"]
    before = counts(case_db)
    refused = page.run_console_for_page("MATCH (n) DETACH DELETE n", "", case_db)
    assert not refused.ok and "DETACH DELETE writes to the graph" in refused.message
    assert refused.elements == [] and refused.data == []
    assert counts(case_db) == before
    assert "JSON object" in page.run_console_for_page("RETURN $x", "{x: 1}", case_db).message
    assert "needs parameter(s): x" in page.run_console_for_page("RETURN $x AS x", "{}", case_db).message


def test_errors_become_messages(case_db):
    missing = page.run_saved_for_page("co_occurring", {}, case_db)
    assert not missing.ok and "needs parameter(s): entity" in missing.message
    assert "--param" not in missing.message  # command-line advice is for the command line only
    unknown = page.run_saved_for_page("co_occurring", {"entity": "Nobody"}, case_db)
    assert "no entity has the key, name or alias 'Nobody'" in unknown.message
    assert "choose a saved query" in page.run_saved_for_page(None, {}, case_db).message


def _dispatch(client, outputs: list[tuple[str, str]], inputs: list[dict], state: list, changed: str) -> dict:
    payload = {
        "output": ".." + "...".join(f"{i}.{p}" for i, p in outputs) + ".." if len(outputs) > 1
        else f"{outputs[0][0]}.{outputs[0][1]}",
        "outputs": [{"id": i, "property": p} for i, p in outputs] if len(outputs) > 1
        else {"id": outputs[0][0], "property": outputs[0][1]},
        "inputs": inputs, "state": state, "changedPropIds": [changed],
    }
    resp = client.post("/_dash-update-component", json=payload)
    assert resp.status_code == 200, resp.data[:500]
    return json.loads(resp.data)["response"]


def bare_app(settings) -> Dash:
    app = Dash(__name__)
    app.layout = page.layout()
    page.register_callbacks(app, settings=settings)
    return app


def dashboard_app(settings) -> Dash:
    """The page as the dashboard mounts it (dashboard/app.py)."""
    return pytest.importorskip("dashboard.app").create_app(settings)


@pytest.mark.parametrize("make_app", [bare_app, dashboard_app], ids=["alone", "in-dashboard"])
def test_callbacks_over_http(case_db, make_app):
    client = make_app(case_db).server.test_client()
    assert client.get("/").status_code == 200

    form = _dispatch(client, [("cq-description", "children"), ("cq-form", "children")],
                     [{"id": "cq-query", "property": "value", "value": "co_occurring"}], [], "cq-query.value")
    assert form["cq-description"]["children"].startswith("Who co-occurs most")
    assert '"name": "entity"' in json.dumps(form["cq-form"]["children"])

    def pid(name: str) -> dict:
        return {"name": name, "type": page.PARAM}

    values = {"entity": "El Flaco", "type": "PERSON", "limit": None}
    outputs = [("cq-status", "children"), ("cq-table", "columns"), ("cq-table", "data"), ("cq-chart", "elements")]
    state = [
        {"id": "cq-query", "property": "value", "value": "co_occurring"},
        [{"id": pid(n), "property": "value", "value": v} for n, v in values.items()],
        [{"id": pid(n), "property": "id", "value": pid(n)} for n in values],
        {"id": "cq-console", "property": "value", "value": "MATCH (n) SET n.x = 1"},
        {"id": "cq-console-params", "property": "value", "value": ""},
    ]
    saved = _dispatch(client, outputs, [{"id": "cq-run", "property": "n_clicks", "value": 1},
                                        {"id": "cq-console-run", "property": "n_clicks", "value": 0}],
                      state, "cq-run.n_clicks")
    assert saved["cq-status"]["children"]["props"]["children"].startswith("co_occurring: 2 rows")
    assert [row["entity"] for row in saved["cq-table"]["data"]] == ["Dana Price (Person)", "Luis Ortega (Person)"]
    assert len(saved["cq-chart"]["elements"]) == 2

    console = _dispatch(client, outputs, [{"id": "cq-run", "property": "n_clicks", "value": 1},
                                          {"id": "cq-console-run", "property": "n_clicks", "value": 1}],
                        state, "cq-console-run.n_clicks")
    assert "SET writes to the graph" in console["cq-status"]["children"]["props"]["children"]
    assert console["cq-table"]["data"] == []
