"""Power users' Cypher: saved read-only queries, their runner and guard, and the console."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from graph.statements import load_statement

CYPHER_DIR = Path(__file__).parent


@cache
def statement(name: str) -> str:
    """The text of `cypher/<name>.cypher`, e.g. `statement("console/resolve_entity")`."""
    return load_statement(CYPHER_DIR, name)
