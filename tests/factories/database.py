"""The test Neo4j: empty it, and take the state two graphs built from the same files must share."""

from __future__ import annotations

from typing import Any

from graph.db import counts, read, session


def wipe(settings: Any) -> None:
    """Delete every node and relationship; constraints and indexes stay."""
    # CALL { } IN TRANSACTIONS needs an auto-commit transaction, hence session.run.
    with session(settings) as s:
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def graph_state(settings: Any) -> dict[str, Any]:
    """What must be equal between two graphs built from the same files: node and relationship
    counts by label and type, every entity key, and every document with its status and sentences."""
    docs = read("MATCH (d:Document) OPTIONAL MATCH (s:Sentence)-[:IN]->(d) "
                "RETURN d.id AS id, d.path AS path, d.status AS status, count(s) AS sentences ORDER BY id",
                settings=settings)
    keys = read("MATCH (e:Entity) RETURN e.key AS key ORDER BY key", settings=settings)
    return {"counts": counts(settings), "entities": [r["key"] for r in keys],
            "documents": [(r["id"], r["path"], r["status"], r["sentences"]) for r in docs]}
