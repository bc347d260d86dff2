"""`casegraph cypher list|show|run` against the real Neo4j."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import casegraph.cli.cypher
from cypher.guard import WriteRefusedError
from cypher.runner import QuerySyntaxError
from cypher.saved import ParameterError, QueryError, UnknownQueryError
from graph.db import counts
from graph.writer import GraphWriter
from tests.factories.paths import REPO
from tests.factories.query_case import case_graph

runner = CliRunner()


@pytest.fixture()
def cli_db(graph_db, monkeypatch):
    GraphWriter(graph_db).write(case_graph())
    monkeypatch.setattr(casegraph.cli.cypher, "get_settings", lambda: graph_db)
    return graph_db


def invoke(*args: str):
    return runner.invoke(casegraph.cli.cypher.app, list(args), terminal_width=200)


def test_list_and_show():
    listed = invoke("list")
    assert listed.exit_code == 0, listed.output
    for name in ("entity_profile", "shortest_paths", "shared_contacts", "two_hop_network"):
        assert name in listed.stdout
    assert "min_evidence: int = 1" in listed.stdout
    shown = invoke("show", "gang_members")
    assert shown.exit_code == 0
    assert "gang: entity(GANG_ORG) = null" in shown.stdout
    assert "MATCH (g:GangOrg)-[r:RELATED]-(p:Person)" in shown.stdout


def test_run_table(cli_db):
    r = invoke("run", "co_occurring", "--param", "entity=Carlos Mendez", "-p", "type=PERSON")
    assert r.exit_code == 0, r.output
    lines = [ln for ln in r.stdout.splitlines() if "Price" in ln or "Ortega" in ln]
    assert "Dana Price (Person)" in lines[0] and "Luis Ortega (Person)" in lines[1]
    assert "co_occurring: 2 rows in" in r.stderr


def test_run_json_and_csv(cli_db):
    r = invoke("run", "shortest_paths", "-p", "from=Dana Price", "-p", "to=Luis Ortega", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [row["route"] for row in rows] == [["Dana Price", "Carlos Mendez", "Luis Ortega"],
                                              ["Dana Price", "555-0142", "Luis Ortega"]]
    path = rows[1]["path"]
    assert [n["key"] for n in path["nodes"]] == ["person:dana price", "phone:5550142", "person:luis ortega"]
    assert [rel["predicate"] for rel in path["relationships"]] == ["called", "called"]
    c = invoke("run", "shared_contacts", "-o", "csv")
    assert c.exit_code == 0, c.output
    table = list(csv.DictReader(io.StringIO(c.stdout)))
    assert [(t["contact"], t["shared_by"], t["sentences"]) for t in table] == [
        ("555-0142 (Phone)", "Dana Price (Person), Luis Ortega (Person)", "2"),
        ("ortega@example.com (Email)", "Luis Ortega (Person), Maria Vega (Person)", "2"),
    ]


def test_run_file_and_row_cap(cli_db, tmp_path):
    q = tmp_path / "people.cypher"
    q.write_text("MATCH (p:Person) WHERE p.mention_count >= $min RETURN p.name AS name ORDER BY name\n")
    r = invoke("run", "--file", str(q), "-p", "min=2", "-o", "json", "--max-rows", "2")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == [{"name": "Carlos Mendez"}, {"name": "Dana Price"}]
    assert "only the first 2 are shown" in r.stderr


def test_errors_are_clear(cli_db, tmp_path):
    unknown = invoke("run", "who_did_it")
    assert isinstance(unknown.exception, UnknownQueryError)
    missing = invoke("run", "co_occurring")
    assert isinstance(missing.exception, ParameterError) and "needs parameter(s): entity" in str(missing.exception)
    assert "(pass them as --param NAME=VALUE)" in str(missing.exception)
    bad = tmp_path / "bad.cypher"
    bad.write_text("MATCH (n RETURN n")
    syntax = invoke("run", "--file", str(bad))
    assert isinstance(syntax.exception, QuerySyntaxError)
    both = invoke("run", "brokers", "--file", str(bad))
    assert isinstance(both.exception, QueryError) and "either" in str(both.exception)
    before = counts(cli_db)
    bad.write_text("MATCH (n) DETACH DELETE n")
    refused = invoke("run", "--file", str(bad))
    assert isinstance(refused.exception, WriteRefusedError)
    assert counts(cli_db) == before


@pytest.mark.skipif(shutil.which("casegraph", path=os.path.dirname(sys.executable)) is None,
                    reason="the casegraph console script is not installed in this environment")
def test_casegraph_command_mounts_cypher(cli_db):
    """The installed command: `casegraph cypher run` prints rows, and refusals as one line."""
    env = {**os.environ, "NEO4J_URI": cli_db.bolt_uri, "NEO4J_PASSWORD": cli_db.password(),
           "NEO4J_DATABASE": cli_db.neo4j_database}
    exe = os.path.join(os.path.dirname(sys.executable), "casegraph")
    ok = subprocess.run([exe, "cypher", "run", "aliases", "-p", "entity=El Flaco", "-o", "json"],
                        capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert [r["form"] for r in json.loads(ok.stdout)] == ["Carlos Mendez", "El Flaco"]
    no = subprocess.run([exe, "cypher", "run", "--file", "/dev/stdin"], input="MATCH (n) SET n.x = 1",
                        capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    assert no.returncode == 2
    assert no.stderr.strip() == ("error: refused (line 1): SET writes to the graph; the query console is read-only")
    assert "Traceback" not in no.stderr
