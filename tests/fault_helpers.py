"""Shared by the fault tests: run `casegraph ingest` as a real process, and compare whole graphs."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from graph.db import counts, read, session
from tests.integration.test_ingest_graph import CASEGRAPH, cli_env

__all__ = ["CASEGRAPH", "cli_env", "graph_state", "ingest", "last_line", "wipe"]


def wipe(settings: Any) -> None:
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


def ingest(paths: Sequence[Path | str], env: dict[str, str], *, prefix: Sequence[str] = (), timeout: float = 600,
           ) -> subprocess.CompletedProcess[str]:
    """`casegraph ingest PATHS --workers 1` in a new process (behind `prefix`: unshare, setpriv, …)."""
    return subprocess.run([*prefix, str(CASEGRAPH), "ingest", *map(str, paths), "--workers", "1"],
                          capture_output=True, text=True, env=env, timeout=timeout)


def last_line(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return lines[-1] if lines else ""
