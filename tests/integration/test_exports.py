"""Exports of the gang case (tests/factories/query_case) from the real Neo4j: FtM validated by
followthemoney's model and re-imported as KB entries, GraphML/GEXF read back with networkx, the
i2 CSV's schema, and the `$cases` filter."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import networkx as nx
from followthemoney import model

from casegraph.exchange.ftm import kb_entries, read_ftm, to_ftm, write_ftm
from casegraph.exchange.graphfiles import case_graph, write_graph
from casegraph.exchange.i2 import COLUMNS, write_i2_csv
from graph.db import write
from graph.export import export_case
from tests.factories.query_case import ARREST_RELATIONS, SURVEILLANCE_RELATIONS, TIP_RELATIONS, write_case_graph

ALL_RELATIONS = len(ARREST_RELATIONS) + len(SURVEILLANCE_RELATIONS) + len(TIP_RELATIONS)


def _case_graph(settings: Any) -> None:
    docs = write_case_graph(settings)
    # The tip is another case: exports of "Harbor" must not reach it.
    for doc, case in zip(docs, ["Harbor", "Harbor", "Tipline"], strict=True):
        write("MATCH (d:Document {id: $id}) SET d.case = $case", {"id": doc.document.id, "case": case}, settings)


def test_ftm_export_validates_and_imports_as_kb(graph_db: Any, tmp_path: Path) -> None:
    _case_graph(graph_db)
    export = export_case(cases=None, settings=graph_db)
    out = tmp_path / "case.jsonl"
    n = write_ftm(to_ftm(export), out)
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert n == len(lines)
    for data in lines:  # followthemoney's own model checks every property against its schema
        proxy = model.get_proxy(data, cleaned=False)
        assert proxy.schema.validate(data) is None
    by_schema: dict[str, list[dict[str, Any]]] = {}
    for data in lines:
        by_schema.setdefault(data["schema"], []).append(data)
    assert len(by_schema["Document"]) == 3
    assert {p["properties"]["name"][0] for p in by_schema["Person"]} == {"Carlos Mendez", "Dana Price",
                                                                         "Luis Ortega", "Maria Vega"}
    gang = next(p for p in by_schema["Organization"] if p["properties"]["name"] == ["Sureños"])
    assert gang["properties"]["topics"] == ["crime"]
    memberships = by_schema["Membership"]
    assert len(memberships) == 2  # Carlos (arrest) and Luis (surveillance) are members of the Sureños
    assert all(m["properties"]["organization"] == [gang["id"]] for m in memberships)
    docs = {d["id"] for d in by_schema["Document"]}
    assert all(m["properties"]["proof"][0] in docs and "member of the Sureños" in m["properties"]["description"][0]
               for m in memberships)
    assert "El Flaco" in next(p for p in by_schema["Person"]
                              if p["properties"]["name"] == ["Carlos Mendez"])["properties"]["alias"]
    entries = {e.name: e for e in kb_entries(read_ftm(out))}
    assert entries["Carlos Mendez"].type == "PERSON" and "El Flaco" in entries["Carlos Mendez"].aliases
    assert entries["Sureños"].type == "GANG_ORG"
    assert entries["Luis Ortega"].member_of == [entries["Sureños"].kb_id]


def test_graph_files_read_back_with_the_same_counts(graph_db: Any, tmp_path: Path) -> None:
    _case_graph(graph_db)
    graph = case_graph(export_case(cases=None, settings=graph_db))
    assert graph.number_of_nodes() == 10
    assert graph.number_of_edges() == ALL_RELATIONS  # every test relation is its own (pair, predicate)
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        path = tmp_path / f"case.{fmt}"
        write_graph(graph, path, fmt)
        back = reader(path)
        assert (back.number_of_nodes(), back.number_of_edges()) == (10, ALL_RELATIONS), fmt
        carlos = back.nodes["person:carlos mendez"]
        assert carlos["type"] == "PERSON" and "El Flaco" in carlos["aliases"].split("|")
        assert carlos["mentions"] == 5  # arrest: 2 + "El Flaco"; surveillance: 1; tip: 1
    edge = graph.edges["person:luis ortega", "weapon:glock pistol", "carried"]
    assert edge["evidence"] == 1 and edge["confidence"] == 0.3


def test_case_filter_and_i2_csv(graph_db: Any, tmp_path: Path) -> None:
    _case_graph(graph_db)
    harbor = export_case(cases=["Harbor"], settings=graph_db)
    assert len(harbor.documents) == 2
    assert len(harbor.relations) == len(ARREST_RELATIONS) + len(SURVEILLANCE_RELATIONS)
    assert "person:maria vega" not in {e["key"] for e in harbor.entities}  # named only in the tip
    assert export_case(cases=[], settings=graph_db).entities == []
    out = tmp_path / "links.csv"
    assert write_i2_csv(harbor, out) == len(harbor.relations)
    with out.open(newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS
        rows = list(reader)
    member = next(r for r in rows if r["link_type"] == "member_of" and r["entity1_label"] == "Luis Ortega")
    assert member["entity2_label"] == "Sureños" and member["entity2_type"] == "GANG_ORG"
    assert member["sentence"] == "Luis Ortega is a member of the Sureños." and member["case"] == "Harbor"


def test_cli_exports_are_audited(graph_db: Any, tmp_path: Path) -> None:
    import subprocess

    from casegraph.access import audit, open_path
    from tests.factories.paths import CASEGRAPH
    from tests.factories.processes import cli_env

    _case_graph(graph_db)
    env = {**cli_env(graph_db), "CASEGRAPH_WORK_DIR": str(tmp_path / "work")}
    for fmt, name in (("ftm", "c.jsonl"), ("graphml", "c.graphml"), ("gexf", "c.gexf"), ("i2", "c.csv")):
        done = subprocess.run([str(CASEGRAPH), "export", fmt, "--case", "Harbor", str(tmp_path / name)],
                              capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
    back = nx.read_graphml(tmp_path / "c.graphml")
    assert "person:maria vega" not in back.nodes and back.number_of_nodes() > 0
    logged = audit.entries(open_path(tmp_path / "work" / "access.db"))
    assert [(e.action, e.query, e.params["cases"]) for e in logged] == [
        ("export", f"export_{fmt}", ["Harbor"]) for fmt in ("ftm", "graphml", "gexf", "i2")]
    assert all(e.user.startswith("cli:") for e in logged)
