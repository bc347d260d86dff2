"""casegraph's Cypher, kept apart from Python: schema, write statements and saved queries."""

from __future__ import annotations

from functools import cache
from pathlib import Path

CYPHER_DIR = Path(__file__).parent


@cache
def statement(name: str) -> str:
    """The text of `cypher/<name>.cypher`, e.g. `statement("write/merge_documents")`."""
    path = (CYPHER_DIR / f"{name}.cypher").resolve()
    if CYPHER_DIR.resolve() not in path.parents:
        raise ValueError(f"not a casegraph Cypher file: {name}")
    return path.read_text(encoding="utf-8")


def split_statements(text: str) -> list[str]:
    """Split a file of `;`-terminated statements, dropping `//` comment lines."""
    lines = [ln for ln in text.splitlines() if not ln.strip().startswith("//")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def schema_statements() -> list[str]:
    out: list[str] = []
    for path in sorted((CYPHER_DIR / "schema").glob("*.cypher")):
        out.extend(split_statements(path.read_text(encoding="utf-8")))
    return out
