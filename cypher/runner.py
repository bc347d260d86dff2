"""Runs saved and ad-hoc Cypher safely: read-only, with a timeout and a row cap.

    from cypher.runner import run_saved, run_text
    result = run_saved("co_occurring", {"entity": "Carlos Mendez", "limit": "5"})
    result.columns, result.rows, result.truncated, result.graph()

Every query goes through the same steps: parameters checked against the header
(`cypher.saved.bind`), the text checked by the lexer (`guard.check_text`), then one READ
transaction with the configured timeout that resolves entity parameters, has Neo4j compile the
query (`EXPLAIN`, judged by `guard.check_plan`), runs it and reads at most `row cap + 1` records.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from typing import Any

from neo4j import ManagedTransaction, unit_of_work
from neo4j.exceptions import Neo4jError

from casegraph.core.settings import Settings, get_settings
from cypher import statement
from cypher.guard import WriteRefusedError, check_plan, check_text, parameter_names
from cypher.results import QueryResult, from_driver
from cypher.saved import (
    Param,
    ParameterError,
    QueryError,
    SavedQuery,
    bind,
    header_lines,
    load_query,
    parse_query,
)
from graph.db import session

log = logging.getLogger(__name__)

# Prefixed on its own line so a syntax error's column stays the user's (its line is shifted back).
_EXPLAIN = "EXPLAIN\n"
_LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/]|&&|\|\|)')


class QuerySyntaxError(QueryError):
    pass


class QueryTimeoutError(QueryError):
    pass


def adhoc_query(text: str, name: str = "adhoc") -> SavedQuery:
    """A query typed by a user or read from a file. With a header it is checked like a saved one;
    without, each `$param` it uses is required and takes a JSON literal or text."""
    if any(line.startswith("@") for _, line in header_lines(text)):
        return parse_query(text)
    params = tuple(Param(p, "any", required=True) for p in parameter_names(text))
    return SavedQuery(name, "ad-hoc query", params, text)


def undeclared_parameters(query: SavedQuery) -> list[str]:
    declared = {p.name for p in query.params}
    return [p for p in parameter_names(query.text) if p not in declared]


def run_saved(name: str, params: Mapping[str, Any] | None = None, settings: Settings | None = None,
              max_rows: int | None = None) -> QueryResult:
    return run(load_query(name), params, settings, max_rows)


def run_text(text: str, params: Mapping[str, Any] | None = None, settings: Settings | None = None,
             max_rows: int | None = None) -> QueryResult:
    return run(adhoc_query(text), params, settings, max_rows)


def run(query: SavedQuery, params: Mapping[str, Any] | None = None, settings: Settings | None = None,
        max_rows: int | None = None) -> QueryResult:
    """Validate, check and run `query` read-only. `max_rows` may lower the configured row cap,
    never raise it."""
    settings = settings or get_settings()
    check_text(query.text)
    missing = undeclared_parameters(query)
    if missing:
        raise ParameterError(f"query {query.name!r} uses ${', $'.join(missing)} "
                             "but its header does not declare it")
    values = bind(query, params or {})
    cap = settings.query_row_cap if max_rows is None else max(0, min(max_rows, settings.query_row_cap))

    @unit_of_work(timeout=settings.query_timeout)
    def work(tx: ManagedTransaction) -> tuple[list[str], list[list[Any]], bool]:
        bound = _resolve_entities(tx, query, values)
        summary = tx.run(_EXPLAIN + query.text, bound).consume()
        check_plan(summary.query_type, summary.plan)
        return fetch(tx, query.text, bound, cap)

    started = time.perf_counter()
    with session(settings, read_only=True) as s:
        try:
            columns, rows, truncated = s.execute_read(work)
        except Neo4jError as exc:
            raise translate(exc, settings) from None
    elapsed = (time.perf_counter() - started) * 1000
    log.debug("query %s: %d rows in %.0f ms", query.name, len(rows), elapsed)
    return QueryResult(query.name, columns, rows, truncated, cap, elapsed, values)


def fetch(tx: ManagedTransaction, text: str, params: dict[str, Any],
          cap: int) -> tuple[list[str], list[list[Any]], bool]:
    """Run `text` and read at most `cap` rows (one more is read to know whether there were more;
    the rest is discarded by the server)."""
    result = tx.run(text, params)
    records = result.fetch(cap + 1)
    keys = list(result.keys())
    return keys, [[from_driver(v) for v in r.values()] for r in records[:cap]], len(records) > cap


# ------------------------------------------------------------------ entity parameters
def _resolve_entities(tx: ManagedTransaction, query: SavedQuery, values: dict[str, Any]) -> dict[str, Any]:
    bound = dict(values)
    for p in query.params:
        if p.type == "entity" and values.get(p.name) is not None:
            bound[p.name] = resolve_entity(tx, p, values[p.name])
    return bound


def resolve_entity(tx: ManagedTransaction, param: Param, text: str) -> str:
    """The key of the one entity `text` names (key, name or alias, any case), or a clear error:
    none (with near misses from the full-text index) or several (with their keys)."""
    types = list(param.entity_types) or None
    rows = [r.data() for r in tx.run(statement("console/resolve_entity"), text=text.strip(), types=types)]
    if rows and rows[0]["by_key"]:
        return str(rows[0]["key"])
    if len(rows) == 1:
        return str(rows[0]["key"])
    kind = f" of type {'/'.join(param.entity_types)}" if param.entity_types else ""
    if rows:
        options = "; ".join(f"{r['name']} ({r['type']}, key {r['key']!r})" for r in rows)
        raise ParameterError(f"parameter {param.name!r}: {text!r} names several entities{kind}: {options}. "
                             "Pass the key instead.")
    lucene = lucene_fuzzy(text)
    suggestions = [r.data() for r in tx.run(statement("console/suggest_entities"), lucene=lucene, types=types)
                   ] if lucene else []
    hint = ("; did you mean " + ", ".join(f"{r['name']} ({r['key']!r})" for r in suggestions) + "?"
            if suggestions else "")
    raise ParameterError(f"parameter {param.name!r}: no entity{kind} has the key, name or alias "
                         f"{text!r}{hint}")


def lucene_fuzzy(text: str) -> str:
    """Each word of `text`, escaped for Lucene and made fuzzy: `Carlos Mendes` → `carlos~ mendes~`.
    Lower case because fuzzy terms are not analysed, and so that `AND`/`OR`/`NOT` stay words."""
    words = [_LUCENE_SPECIAL.sub(r"\\\1", w) for w in text.lower().split()]
    return " ".join(f"{w}~" for w in words if w)


# ------------------------------------------------------------------ errors
_POSITION = re.compile(r"\(line (\d+), column (\d+) \(offset: (\d+)\)\)")


def translate(exc: Neo4jError, settings: Settings) -> QueryError:
    """One clear line (two for a syntax error's caret) for each way Neo4j can say no."""
    code = exc.code or ""
    message = (exc.message or str(exc)).strip()
    if code.endswith("Statement.AccessMode"):
        return WriteRefusedError(f"refused by Neo4j: {message}; the query console is read-only")
    if "TransactionTimedOut" in code or code.endswith("Transaction.Terminated"):
        return QueryTimeoutError(f"the query ran past the {settings.query_timeout:g} s limit and was stopped "
                                 "(CASEGRAPH_QUERY_TIMEOUT sets the limit)")
    if code.endswith("Statement.SyntaxError"):
        return QuerySyntaxError("Cypher syntax error: " + _unshift(message))
    if code.endswith("Statement.ParameterMissing"):
        return ParameterError(message)
    if "IN TRANSACTIONS" in message:
        return WriteRefusedError("refused: CALL { … } IN TRANSACTIONS commits on its own; "
                                 "the query console is read-only")
    return QueryError(f"Neo4j: {message} [{code}]")


def _unshift(message: str) -> str:
    """Positions as in the user's text, not in `EXPLAIN\\n` + text."""
    def fix(m: re.Match[str]) -> str:
        line, col, offset = (int(g) for g in m.groups())
        if line <= 1:
            return m.group(0)
        return f"(line {line - 1}, column {col} (offset: {max(0, offset - len(_EXPLAIN))}))"

    return _POSITION.sub(fix, message)
