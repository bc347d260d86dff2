"""casegraph's entity-linking knowledge base: seed lists (this folder's *.csv / *.jsonl), the
SQLite builder in spacy-entity-linker's schema, and a reader."""

from nlp.kb.entries import KBEntry, read_entries, seed_files
from nlp.kb.store import (
    KBHit,
    KBStats,
    KnowledgeBase,
    build_kb,
    ensure_kb,
    import_entries,
    import_file,
    kb_path,
    rebuild,
)

__all__ = [
    "KBEntry",
    "KBHit",
    "KBStats",
    "KnowledgeBase",
    "build_kb",
    "ensure_kb",
    "import_entries",
    "import_file",
    "kb_path",
    "read_entries",
    "rebuild",
    "seed_files",
]
