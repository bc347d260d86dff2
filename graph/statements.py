"""The store's Cypher, kept apart from Python as data: schema, write, read and decision statements."""

from __future__ import annotations

from functools import cache
from pathlib import Path

CYPHER_DIR = Path(__file__).parent / "cypher"


def load_statement(folder: Path, name: str) -> str:
    """The text of `<folder>/<name>.cypher`; a name that leaves the folder is refused."""
    path = (folder / f"{name}.cypher").resolve()
    if folder.resolve() not in path.parents:
        raise ValueError(f"not a casegraph Cypher file: {name}")
    return path.read_text(encoding="utf-8")


@cache
def statement(name: str) -> str:
    """The text of `graph/cypher/<name>.cypher`, e.g. `statement("write/merge_documents")`."""
    return load_statement(CYPHER_DIR, name)


def split_statements(text: str) -> list[str]:
    """Split a file of `;`-terminated statements, dropping `//` comment lines."""
    lines = [ln for ln in text.splitlines() if not ln.strip().startswith("//")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def schema_statements() -> list[str]:
    out: list[str] = []
    for path in sorted((CYPHER_DIR / "schema").glob("*.cypher")):
        out.extend(split_statements(path.read_text(encoding="utf-8")))
    return out
