"""The read-only guarantee, against the real Neo4j: every write form is refused with a clear
message and leaves the graph exactly as it was — by the runner as a whole, and by each of its
layers on its own (the lexer, Neo4j's EXPLAIN plan, the READ transaction)."""

from __future__ import annotations

import time

import pytest
from neo4j.exceptions import Neo4jError

from casegraph.core.errors import Neo4jUnavailableError
from cypher.guard import WriteRefusedError, check_plan, check_text, tokens
from cypher.runner import QuerySyntaxError, QueryTimeoutError, fetch, run_text, translate
from cypher.saved import ParameterError, QueryError
from graph.db import counts, read, session
from graph.server import free_port
from graph.writer import GraphWriter
from tests.factories.query_case import CARLOS, case_graph

# (form, query, what the refusal message must say)
WRITE_FORMS = [
    ("CREATE", "CREATE (:Entity:Person {key: 'person:x', name: 'X'})", "CREATE writes to the graph"),
    ("MERGE", "MERGE (e:Entity {key: 'person:new'}) RETURN e", "MERGE writes to the graph"),
    ("SET", "MATCH (e:Entity) SET e.name = 'changed' RETURN count(e)", "SET writes to the graph"),
    ("REMOVE", "MATCH (e:Entity) REMOVE e.name", "REMOVE writes to the graph"),
    ("DELETE", "MATCH ()-[r:RELATED]->() DELETE r", "DELETE writes to the graph"),
    ("DETACH DELETE", "MATCH (e:Entity) DETACH DELETE e", "DETACH DELETE writes to the graph"),
    ("LOAD CSV", "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", "LOAD CSV reads files or URLs"),
    ("LOAD CSV + CREATE", "LOAD CSV WITH HEADERS FROM 'http://127.0.0.1:9/x.csv' AS row CREATE (:Entity {key: row.k})",
     "LOAD CSV reads files or URLs"),
    ("CALL dbms.*", "CALL dbms.components() YIELD name RETURN name", "dbms.* procedures administer the server"),
    ("CALL dbms.* quoted", "CALL `dbms`.`components`()", "dbms.* procedures administer the server"),
    ("admin procedure", "CALL db.clearQueryCaches()", "only read procedures on the allow-list"),
    ("write procedure", "CALL db.createLabel('Intruder')", "only read procedures on the allow-list"),
    ("IN TRANSACTIONS (write)", "MATCH (e:Entity) CALL (e) { DETACH DELETE e } IN TRANSACTIONS OF 10 ROWS",
     "writes to the graph"),
    ("IN TRANSACTIONS (read)", "CALL () { MATCH (n) RETURN count(n) AS c } IN TRANSACTIONS RETURN c",
     "IN TRANSACTIONS commits on its own"),
    ("schema", "CREATE INDEX intruder IF NOT EXISTS FOR (e:Entity) ON (e.name)", "CREATE writes"),
    ("DROP", "DROP INDEX entity_names", "DROP changes the schema"),
    ("SHOW USERS", "SHOW USERS", "SHOW is allowed for indexes, constraints"),
    ("USE", "USE system SHOW DATABASES", "USE switches database"),
    ("two statements", "MATCH (n) RETURN count(n); MATCH (n) DETACH DELETE n", "one statement at a time"),
]
IDS = [f[0] for f in WRITE_FORMS]


def snapshot(settings) -> tuple[dict[str, int], list[dict], list[str], list[str]]:
    """Everything a refused query could have touched: counts, names, labels and indexes."""
    names = read("MATCH (e:Entity) RETURN e.key AS key, e.name AS name ORDER BY key", settings=settings)
    labels = [r["label"] for r in read("CALL db.labels() YIELD label RETURN label ORDER BY label",
                                       settings=settings)]
    indexes = [r["name"] for r in read("SHOW INDEXES YIELD name RETURN name ORDER BY name", settings=settings)]
    return counts(settings), names, labels, indexes


@pytest.fixture()
def case_db(graph_db):
    GraphWriter(graph_db).write(case_graph())
    return graph_db


# ------------------------------------------------------------------ the runner as a whole
@pytest.mark.parametrize(("form", "query", "message"), WRITE_FORMS, ids=IDS)
def test_runner_refuses_each_write_form_and_leaves_the_graph_unchanged(case_db, form, query, message):
    before = snapshot(case_db)
    with pytest.raises(WriteRefusedError) as err:
        run_text(query, {}, case_db)
    text = str(err.value)
    assert message in text
    assert "read-only" in text and "\n" not in text  # one clear line
    assert snapshot(case_db) == before
    assert before[0]["Entity"] == 10


# ------------------------------------------------------------------ layer 1: the lexer, alone
@pytest.mark.parametrize(("form", "query", "message"), WRITE_FORMS, ids=IDS)
def test_lexer_refuses_each_write_form(form, query, message):
    with pytest.raises(WriteRefusedError, match="refused \\(line 1\\)"):
        check_text(query)


@pytest.mark.parametrize("query", [
    "MATCH (n) WHERE n.name = 'CREATE (x)' RETURN n",           # keywords inside strings
    "// DELETE everything\nMATCH (n) RETURN n /* SET n.x = 1 */",  # ... and comments
    "MATCH (n) RETURN n.set, n.create, n.delete",                  # property names
    "MATCH (n:`Create`)-[:`DELETE`]->(m) RETURN {merge: 1, set: 2} AS m",  # quoted names, map keys
    "MATCH (n) RETURN 'it\\'s CREATE' AS s",                       # escaped quote inside a string
    "CALL db.index.fulltext.queryNodes('entity_names', 'x') YIELD node RETURN node",
    "CALL db . labels ( )",
    "SHOW INDEXES YIELD name RETURN name",
    "CALL (n) { RETURN 1 AS one } RETURN one",
    "MATCH (n) RETURN n;",
    "MATCH (n) WHERE n.name STARTS WITH 'Car' AND n.x IN [1, 2] RETURN n",
])
def test_lexer_lets_reads_through(query):
    check_text(query)


@pytest.mark.parametrize("query", [
    "MATCH (n) /* hidden */ CrEaTe (m)",
    "RETURN 'unterminated CREATE (n)",      # an unterminated string cannot hide a keyword
    "MATCH (n) RETURN n /* unterminated comment SET n.x = 1",
    "MATCH (n)\nWITH n\nMERGE (m {k: 1})",
])
def test_lexer_cannot_be_fooled(query):
    with pytest.raises(WriteRefusedError):
        check_text(query)


def test_lexer_reports_the_line():
    with pytest.raises(WriteRefusedError, match="line 3"):
        check_text("MATCH (n)\nWITH n\nSET n.x = 1")
    assert [t.text for t in tokens("RETURN $`odd name`, 'a // b' // c")] == ["RETURN", "$`odd name`", ",", "'a // b'"]


# ------------------------------------------------------------------ layer 2: Neo4j's plan, alone
def explain(settings, query: str) -> tuple[str, dict]:
    with session(settings, read_only=True) as s:
        summary = s.execute_read(lambda tx: tx.run("EXPLAIN " + query).consume())
    return summary.query_type, summary.plan


PLAN_REFUSED = [f for f in WRITE_FORMS if f[0] not in ("two statements", "USE", "CALL dbms.* quoted", "DROP")]


@pytest.mark.parametrize(("form", "query", "message"), PLAN_REFUSED, ids=[f[0] for f in PLAN_REFUSED])
def test_plan_check_refuses_what_the_lexer_would_miss(case_db, form, query, message):
    before = snapshot(case_db)
    query_type, plan = explain(case_db, query)
    with pytest.raises(WriteRefusedError, match="refused"):
        check_plan(query_type, plan)
    assert snapshot(case_db) == before


def test_plan_check_passes_reads(case_db):
    for query in ("MATCH (e:Entity)-[r:RELATED]-(o) RETURN e, r, o",
                  "CALL db.index.fulltext.queryNodes('entity_names', 'Carlos') YIELD node RETURN node",
                  "SHOW INDEXES YIELD name RETURN name"):
        check_plan(*explain(case_db, query))


# ------------------------------------------------------------------ layer 3: the READ transaction, alone
SERVER_REFUSED = [f for f in WRITE_FORMS if f[0] in (
    "CREATE", "MERGE", "SET", "REMOVE", "DELETE", "DETACH DELETE", "LOAD CSV + CREATE", "write procedure",
    "IN TRANSACTIONS (write)", "IN TRANSACTIONS (read)", "schema", "DROP")]


@pytest.mark.parametrize(("form", "query", "message"), SERVER_REFUSED, ids=[f[0] for f in SERVER_REFUSED])
def test_read_transaction_refuses_writes_without_the_other_layers(case_db, form, query, message):
    before = snapshot(case_db)
    with session(case_db, read_only=True) as s, pytest.raises(Neo4jError) as err:
        s.execute_read(lambda tx: fetch(tx, query, {}, 10))
    refused = translate(err.value, case_db)
    assert isinstance(refused, WriteRefusedError), refused
    assert "read-only" in str(refused)
    assert snapshot(case_db) == before


# ------------------------------------------------------------------ timeout, row cap, errors
def test_timeout_stops_a_runaway_query(case_db):
    quick = case_db.model_copy(update={"query_timeout": 0.5})
    started = time.perf_counter()
    with pytest.raises(QueryTimeoutError, match="ran past the 0.5 s limit"):
        run_text("UNWIND range(1, 20000) AS a UNWIND range(1, 20000) AS b "
                 "WITH a, b WHERE a * b = -1 RETURN count(*) AS n", {}, quick)
    assert time.perf_counter() - started < 20


def test_row_cap_truncates_and_says_so(case_db):
    capped = case_db.model_copy(update={"query_row_cap": 5})
    result = run_text("UNWIND range(1, 100) AS x RETURN x", {}, capped)
    assert result.column("x") == [1, 2, 3, 4, 5]
    assert result.truncated and result.row_cap == 5 and "row cap of 5" in result.summary()
    assert run_text("UNWIND range(1, 100) AS x RETURN x", {}, capped, max_rows=3).column("x") == [1, 2, 3]
    assert len(run_text("UNWIND range(1, 100) AS x RETURN x", {}, capped, max_rows=50).rows) == 5
    exact = run_text("UNWIND range(1, 5) AS x RETURN x", {}, capped)
    assert not exact.truncated and len(exact.rows) == 5


def test_syntax_error_points_at_the_users_line(case_db):
    with pytest.raises(QuerySyntaxError) as err:
        run_text("MATCH (n)\nWHERE n.name =\nRETURN n", {}, case_db)
    assert str(err.value).startswith("Cypher syntax error: Invalid input")
    assert "(line 3, column 8" in str(err.value)


def test_adhoc_parameters_are_checked(case_db):
    with pytest.raises(ParameterError, match="needs parameter\\(s\\): key"):
        run_text("MATCH (e:Entity {key: $key}) RETURN e.name AS name", {}, case_db)
    with pytest.raises(ParameterError, match="has no parameter\\(s\\) other"):
        run_text("MATCH (e:Entity {key: $key}) RETURN e.name AS name", {"key": CARLOS, "other": 1}, case_db)
    got = run_text("MATCH (e:Entity {key: $key}) RETURN e.name AS name", {"key": CARLOS}, case_db)
    assert got.column("name") == ["Carlos Mendez"]


def test_unreachable_neo4j_is_one_clear_line(graph_db):
    nowhere = graph_db.model_copy(update={"neo4j_uri": f"bolt://127.0.0.1:{free_port()}"})
    with pytest.raises(Neo4jUnavailableError, match="cannot reach Neo4j at bolt://127.0.0.1:"):
        run_text("RETURN 1 AS one", {}, nowhere)


def test_other_server_errors_are_one_line(case_db):
    with pytest.raises(QueryError, match="Neo4j: / by zero"):
        run_text("RETURN 1 / 0 AS x", {}, case_db)
