"""The entity-linking KB: a SQLite file in spacy-entity-linker's schema, plus a reader.

spacy-entity-linker (1.0.3) reads three tables, found in its `DatabaseConnection.py`:
- `joined(item_id, en_label, en_description, views, inlinks)`: one row per entity; `views` is
  the prior its classifier maximises among equally good candidates;
- `aliases(item_id, en_alias, en_alias_lowercase)`: looked up by lower-cased mention text;
- `statements(source_item_id, edge_property_id, target_item_id)`: P31 "instance of" / P279
  "subclass of" edges that its category helpers walk.
`item_id` is Wikidata's Q-number where the seed gives one; other entries get a stable id from a
hash of their key in a range far above Wikidata's. casegraph adds `casegraph_entities` (item id →
key, type) — extra tables do not disturb the linker — and one item per entity type, which each
entity is an instance of.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import sqlite3
import uuid
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from casegraph.core.domain import load_domain
from casegraph.core.errors import CasegraphError
from casegraph.core.settings import Settings, get_settings
from nlp.kb.entries import KBEntry, merge_entries, read_entries, seed_files

log = logging.getLogger(__name__)

P_INSTANCE_OF = 31
# Wikidata's Q-numbers are below 2^31 for the foreseeable future; local ids live above 2^40.
LOCAL_ID_BASE = 1 << 40
KB_FILENAME = "casegraph_kb.db"

SCHEMA = """
CREATE TABLE joined (
    item_id INTEGER PRIMARY KEY, en_label TEXT, en_description TEXT, views INTEGER, inlinks INTEGER
);
CREATE TABLE aliases (item_id INTEGER NOT NULL, en_alias TEXT NOT NULL, en_alias_lowercase TEXT NOT NULL);
CREATE TABLE statements (
    source_item_id INTEGER NOT NULL, edge_property_id INTEGER NOT NULL, target_item_id INTEGER NOT NULL
);
CREATE INDEX aliases_lowercase ON aliases (en_alias_lowercase);
CREATE INDEX statements_source ON statements (source_item_id, edge_property_id);
CREATE INDEX statements_target ON statements (target_item_id, edge_property_id);
CREATE TABLE casegraph_entities (
    item_id INTEGER PRIMARY KEY, kb_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, name TEXT NOT NULL,
    source TEXT
);
CREATE TABLE casegraph_facts (item_id INTEGER NOT NULL, property TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX facts_item ON casegraph_facts (item_id);
"""
# KBEntry fields kept as facts (one row per value): birth_date, phones, identifiers, member_of.
FACT_FIELDS = ("birth_date", "phones", "identifiers", "member_of")


def kb_path(settings: Settings | None = None) -> Path:
    settings = settings or get_settings()
    return settings.kb_path or settings.work_dir / "kb" / KB_FILENAME


def imports_dir(settings: Settings | None = None) -> Path:
    """Where `casegraph kb import` keeps analyst lists, so that a rebuild keeps them."""
    return kb_path(settings).parent / "imports"


def item_id(kb_id: str) -> int:
    if kb_id.startswith("Q") and kb_id[1:].isdigit():
        return int(kb_id[1:])
    digest = hashlib.sha256(kb_id.encode("utf-8")).digest()
    return LOCAL_ID_BASE + int.from_bytes(digest[:5], "big")



@dataclass(frozen=True)
class KBStats:
    path: Path
    entities: int
    aliases: int
    by_type: dict[str, int]
    sources: list[str]


def build_kb(
    path: Path | None = None,
    extra_files: Iterable[Path] = (),
    seed_dir: Path | None = None,
) -> KBStats:
    """Write the KB from the seed files and `extra_files` (analyst lists), atomically."""
    path = path or kb_path()
    files = [*(seed_files(seed_dir) if seed_dir else seed_files()), *extra_files]
    entries = merge_entries(e for f in files for e in read_entries(f))
    path.parent.mkdir(parents=True, exist_ok=True)
    # A temporary file of this build's own: two processes building at once (two ingest runs sharing
    # a work directory) each write a whole KB, and the last rename wins.
    tmp = path.with_name(f"{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")
    try:
        with sqlite3.connect(tmp) as conn:
            conn.executescript(SCHEMA)
            n_aliases = _write(conn, entries)
        conn.close()
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):  # nothing left behind, whatever stopped the build
            tmp.unlink(missing_ok=True)
    stats = KBStats(path, len(entries), n_aliases, dict(Counter(e.type for e in entries)), [f.name for f in files])
    log.info("KB %s: %d entities, %d aliases from %d files", path, stats.entities, n_aliases, len(files))
    return stats


def _write(conn: sqlite3.Connection, entries: list[KBEntry]) -> int:
    domain = load_domain()
    ids: dict[int, str] = {}

    def claim(kb_id: str) -> int:
        iid = item_id(kb_id)
        if ids.setdefault(iid, kb_id) != kb_id:
            raise CasegraphError(f"KB id clash: {kb_id} and {ids[iid]} hash to the same item id")
        return iid

    type_items = {}
    for type_name in sorted({e.type for e in entries}):
        t = domain.entity_type(type_name)
        iid = claim(f"kb:type:{type_name.lower()}")
        type_items[type_name] = iid
        conn.execute("INSERT INTO joined VALUES (?, ?, ?, 0, 0)", (iid, t.label, t.description))
    n_aliases = 0
    for e in entries:
        iid = claim(e.kb_id)
        conn.execute("INSERT INTO joined VALUES (?, ?, ?, ?, ?)", (iid, e.name, e.description, e.prior, 0))
        conn.execute("INSERT INTO casegraph_entities VALUES (?, ?, ?, ?, ?)", (iid, e.kb_id, e.type, e.name, e.source))
        conn.execute("INSERT INTO statements VALUES (?, ?, ?)", (iid, P_INSTANCE_OF, type_items[e.type]))
        for prop in FACT_FIELDS:
            value = getattr(e, prop)
            values = value if isinstance(value, list) else [value] if value else []
            conn.executemany("INSERT INTO casegraph_facts VALUES (?, ?, ?)", [(iid, prop, v) for v in values])
        rows = [(iid, n, n.lower()) for n in e.names()]
        conn.executemany("INSERT INTO aliases VALUES (?, ?, ?)", rows)
        n_aliases += len(rows)
    return n_aliases


def import_file(file: Path, settings: Settings | None = None) -> KBStats:
    """Validate an analyst list, keep a copy beside the KB and rebuild the KB with it."""
    read_entries(file)  # fail before anything is copied
    target_dir = imports_dir(settings)
    target_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(file, target_dir / file.name)
    return rebuild(settings)


def import_entries(entries: Iterable[KBEntry], name: str, settings: Settings | None = None) -> KBStats:
    """Keep converted entries (a roster, an FtM file) as the analyst list `<name>.jsonl` and rebuild.

    The file name is the entries' source tag: importing under the same name again replaces that
    source's previous entries and nothing else (other lists, and the analysts' decisions, which
    live in the graph, stay as they are)."""
    if not name or Path(name).name != name or name.startswith("."):
        raise CasegraphError(f"not a usable KB source name: {name!r}")
    target_dir = imports_dir(settings)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{name}.jsonl"
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    lines = [e.model_dump_json(exclude={"source"}, exclude_defaults=True) for e in entries]
    tmp.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    os.replace(tmp, target)
    return rebuild(settings)


def rebuild(settings: Settings | None = None) -> KBStats:
    """The seeds plus every imported analyst list."""
    folder = imports_dir(settings)
    extra = sorted(p for p in folder.iterdir() if p.suffix in {".csv", ".jsonl"}) if folder.is_dir() else []
    return build_kb(kb_path(settings), extra)


def ensure_kb(settings: Settings | None = None) -> Path:
    """The KB path, built from the seeds first if it does not exist yet, or again when a seed
    file changed since (offline, < 1 s)."""
    path = kb_path(settings)
    if (settings or get_settings()).kb_path is not None:
        if not path.is_file():
            raise CasegraphError(f"KB {path} (CASEGRAPH_KB_PATH) does not exist")
        return path
    if not path.is_file() or path.stat().st_mtime < max(f.stat().st_mtime for f in seed_files()):
        rebuild(settings)
    return path


@dataclass(frozen=True)
class KBHit:
    kb_id: str
    item_id: int
    name: str
    type: str | None  # None in a plain Wikidata KB
    description: str
    prior: int


class KnowledgeBase:
    """Read-only lookups in a KB file (ours or a full spacy-entity-linker Wikidata KB)."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise CasegraphError(f"KB {path} does not exist: run `casegraph kb build`")
        self.path = path
        # check_same_thread=False: ingestion workers share one read-only connection.
        self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.typed = bool(self.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'casegraph_entities'").fetchone())

    def lookup(self, alias: str, types: Collection[str] | None = None) -> list[KBHit]:
        """Entities having `alias` (case-insensitive), best prior first, optionally of `types`."""
        rows = self.conn.execute(
            "SELECT DISTINCT j.item_id, j.en_label, j.en_description, j.views FROM aliases a "
            "JOIN joined j ON a.item_id = j.item_id WHERE a.en_alias_lowercase = ?",
            (alias.strip().lower(),),
        ).fetchall()
        hits = [self._hit(*row) for row in rows]
        if types is not None:
            hits = [h for h in hits if h.type is None or h.type in types]
        return sorted(hits, key=lambda h: (-h.prior, h.kb_id))

    def entity(self, item: int) -> KBHit | None:
        row = self.conn.execute(
            "SELECT item_id, en_label, en_description, views FROM joined WHERE item_id = ?", (item,)
        ).fetchone()
        return self._hit(*row) if row else None

    def get(self, kb_id: str) -> KBHit | None:
        return self.entity(item_id(kb_id))

    def facts(self, kb_id: str) -> dict[str, list[str]]:
        """An entry's record facts (birth_date, phones, identifiers, member_of); {} in an older KB."""
        if not self.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'casegraph_facts'").fetchone():
            return {}
        out: dict[str, list[str]] = {}
        for prop, value in self.conn.execute(
            "SELECT property, value FROM casegraph_facts WHERE item_id = ? ORDER BY rowid", (item_id(kb_id),)
        ):
            out.setdefault(prop, []).append(value)
        return out

    def _hit(self, iid: int, label: str | None, description: str | None, views: int | None) -> KBHit:
        kb_id, type_ = f"Q{iid}", None
        if self.typed:
            row = self.conn.execute("SELECT kb_id, type FROM casegraph_entities WHERE item_id = ?", (iid,)).fetchone()
            if row:
                kb_id, type_ = row
        return KBHit(kb_id, iid, label or "", type_, description or "", views or 0)

    def close(self) -> None:
        self.conn.close()
