"""The read-only guarantee for user-supplied Cypher, in three layers:

1. `check_text` — before anything reaches the server: a small Cypher lexer (strings, comments and
   quoted names cannot hide or fake a keyword) refuses write clauses, LOAD CSV, USE, administration
   commands, `CALL { … } IN TRANSACTIONS`, procedures off the allow-list and multiple statements,
   each with a message naming the clause and its line.
2. `check_plan` — the server's own parse: `EXPLAIN` must report query type `r` (read-only), and the
   plan may hold no LoadCSV or transactional-batch operator and only allow-listed procedures. This
   catches whatever the lexer might misread, since it is Neo4j's parser that decides.
3. The runner executes in a READ transaction (`execute_read`, `default_access_mode=READ`) with a
   timeout and a row cap: Neo4j itself refuses any write (`Neo.ClientError.Statement.AccessMode`).

LOAD CSV, `dbms.*` procedures and SHOW commands pass layer 3 (Neo4j treats them as reads), which
is why layers 1 and 2 exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cypher.saved import QueryError


class WriteRefusedError(QueryError):
    """The query would change the graph or the server: the console is read-only."""


# Read procedures a saved or ad-hoc query may call (names are case-sensitive in Neo4j).
ALLOWED_PROCEDURES = frozenset({
    "db.index.fulltext.queryNodes",
    "db.index.fulltext.queryRelationships",
    "db.index.vector.queryNodes",
    "db.index.vector.queryRelationships",
    "db.labels",
    "db.relationshipTypes",
    "db.propertyKeys",
    "db.schema.visualization",
    "db.schema.nodeTypeProperties",
    "db.schema.relTypeProperties",
    "apoc.path.expand",
    "apoc.path.expandConfig",
    "apoc.path.subgraphNodes",
    "apoc.path.subgraphAll",
    "apoc.path.spanningTree",
})

_WRITE_CLAUSES = {
    "CREATE": "CREATE writes to the graph",
    "MERGE": "MERGE writes to the graph",
    "SET": "SET writes to the graph",
    "REMOVE": "REMOVE writes to the graph",
    "DELETE": "DELETE writes to the graph",
    "DETACH": "DETACH DELETE writes to the graph",
    "FOREACH": "FOREACH only serves to write",
    "DROP": "DROP changes the schema or the server",
    "ALTER": "ALTER is an administration command",
    "RENAME": "RENAME is an administration command",
    "GRANT": "GRANT is an administration command",
    "DENY": "DENY is an administration command",
    "REVOKE": "REVOKE is an administration command",
    "START": "START is an administration command",
    "STOP": "STOP is an administration command",
    "ENABLE": "ENABLE is an administration command",
    "DEALLOCATE": "DEALLOCATE is an administration command",
    "REALLOCATE": "REALLOCATE is an administration command",
    "TERMINATE": "TERMINATE is an administration command",
    "USE": "USE switches database: queries run on the configured one",
    "EXPLAIN": "EXPLAIN/PROFILE are added by the runner: leave them out",
    "PROFILE": "EXPLAIN/PROFILE are added by the runner: leave them out",
}
# SHOW is allowed for these only (SHOW USERS, SETTINGS, TRANSACTIONS, ... administer the server).
_SHOW_OK = {"INDEX", "INDEXES", "CONSTRAINT", "CONSTRAINTS", "PROCEDURE", "PROCEDURES",
            "FUNCTION", "FUNCTIONS"}
_PLAN_REFUSED = {
    "LoadCSV": "LOAD CSV reads files or URLs from the server",
    "TransactionApply": "CALL { … } IN TRANSACTIONS commits on its own",
    "TransactionForeach": "CALL { … } IN TRANSACTIONS commits on its own",
}

_LEX = re.compile(
    r"""(?P<ws>\s+)
      |(?P<comment>//[^\n]*|/\*.*?\*/)
      |(?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      |(?P<quoted>`(?:[^`]|``)*`)
      |(?P<param>\$(?:[^\W\d]\w*|\d+|`(?:[^`]|``)*`))
      |(?P<word>[^\W\d]\w*)
      |(?P<number>\d[\w.]*)
      |(?P<punct>.)""",
    re.X | re.S,
)


@dataclass(frozen=True)
class Token:
    kind: str  # word, quoted, param, string, number, punct
    text: str
    line: int

    @property
    def upper(self) -> str:
        return self.text.upper()


def tokens(text: str) -> list[Token]:
    """Cypher tokens without whitespace and comments. An unterminated string or comment falls
    back to punctuation and words, which can only make the check stricter."""
    out: list[Token] = []
    line = 1
    for m in _LEX.finditer(text):
        kind = m.lastgroup or "punct"
        if kind not in ("ws", "comment"):
            out.append(Token(kind, m.group(), line))
        line += m.group().count("\n")
    return out


def parameter_names(text: str) -> list[str]:
    """`$name` parameters the query uses, in order of first use."""
    seen: dict[str, None] = {}
    for t in tokens(text):
        if t.kind == "param":
            seen[t.text[1:].strip("`")] = None
    return list(seen)


def _keyword_positions(toks: list[Token]) -> Iterator[int]:
    """Indexes of words used as keywords: not a property (`n.set`), label or type (`:Create`),
    map key (`{delete: 1}`) or parameter."""
    for i, t in enumerate(toks):
        if t.kind != "word":
            continue
        prev = toks[i - 1].text if i else ""
        nxt = toks[i + 1].text if i + 1 < len(toks) else ""
        if prev in (".", ":", "$") or nxt == ":":
            continue
        yield i


def _procedure_name(toks: list[Token], i: int) -> str | None:
    """The dotted name after CALL at i, or None for a subquery `CALL {` / `CALL (x) {`."""
    parts: list[str] = []
    j = i + 1
    while j < len(toks) and toks[j].kind in ("word", "quoted"):
        parts.append(toks[j].text.strip("`"))
        if j + 1 < len(toks) and toks[j + 1].text == ".":
            j += 2
            continue
        break
    return ".".join(parts) or None


def refuse_procedure(name: str) -> str | None:
    if name.lower().startswith("dbms."):
        return f"CALL {name}: dbms.* procedures administer the server"
    if name not in ALLOWED_PROCEDURES:
        return (f"CALL {name}: only read procedures on the allow-list may be called "
                f"({', '.join(sorted(ALLOWED_PROCEDURES))})")
    return None


def check_text(text: str) -> None:
    """Layer 1: refuse anything but one read-only statement, naming the offending clause."""
    toks = tokens(text)
    if not toks:
        raise QueryError("the query is empty")
    semis = [i for i, t in enumerate(toks) if t.text == ";"]
    if semis and semis[0] != len(toks) - 1:
        raise WriteRefusedError(f"refused (line {toks[semis[0]].line}): one statement at a time; "
                                "the query console is read-only")
    for i in _keyword_positions(toks):
        t = toks[i]
        word = t.upper
        after = [x.upper for x in toks[i + 1:i + 5]]
        reason = _WRITE_CLAUSES.get(word)
        if word == "LOAD" and after[:1] == ["CSV"]:
            reason = "LOAD CSV reads files or URLs from the server"
        elif word == "IN" and "TRANSACTIONS" in after[:3]:
            reason = "CALL { … } IN TRANSACTIONS commits on its own"
        elif word == "SHOW" and not _SHOW_OK & set(after[:3]):
            reason = "SHOW is allowed for indexes, constraints, procedures and functions only"
        elif word == "CALL":
            name = _procedure_name(toks, i)
            reason = refuse_procedure(name) if name else None
        if reason:
            raise WriteRefusedError(f"refused (line {t.line}): {reason}; the query console is read-only")


def _walk(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("children", []):
        yield from _walk(child)


def check_plan(query_type: str | None, plan: dict[str, Any] | None) -> None:
    """Layer 2: judge what Neo4j compiled (`EXPLAIN`'s summary), not what the text looks like."""
    if query_type != "r":
        does = {"rw": "reads and writes", "w": "writes", "s": "changes the schema or administers the server"}
        what = does.get(query_type or "", "is not a plain read")
        raise WriteRefusedError(f"refused: Neo4j reports that this query {what} (query type {query_type!r}); "
                                "the query console is read-only")
    for op in _walk(plan or {}):
        operator = str(op.get("operatorType", "")).split("@")[0]
        if operator in _PLAN_REFUSED:
            raise WriteRefusedError(f"refused: {_PLAN_REFUSED[operator]}; the query console is read-only")
        if operator.startswith("ProcedureCall"):
            details = str(op.get("args", {}).get("Details", ""))
            reason = refuse_procedure(details.split("(")[0].strip())
            if reason:
                raise WriteRefusedError(f"refused: {reason}; the query console is read-only")
