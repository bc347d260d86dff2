"""The access store: one SQLite file (settings.access_db_path) beside — never inside — the knowledge
graph, so neither the Cypher console nor a saved query can read users, sessions or the audit log.

Each call opens its own connection (the dashboard serves requests on several threads; SQLite
connections do not cross threads), in WAL mode so readers never wait for the audit writer.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from casegraph.core.settings import Settings

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT,
    disabled INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS cases (
    name TEXT PRIMARY KEY,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS grants (
    user_id INTEGER NOT NULL REFERENCES users(id),
    case_name TEXT NOT NULL REFERENCES cases(name),
    granted TEXT NOT NULL,
    PRIMARY KEY (user_id, case_name)
);
CREATE TABLE IF NOT EXISTS tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    last_used TEXT,
    revoked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created REAL NOT NULL,
    last_seen REAL NOT NULL,
    client TEXT
);
CREATE TABLE IF NOT EXISTS login_failures (
    name TEXT NOT NULL,
    at REAL NOT NULL,
    client TEXT
);
CREATE INDEX IF NOT EXISTS login_failures_name ON login_failures(name, at);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time TEXT NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    targets TEXT NOT NULL,
    query TEXT,
    params TEXT NOT NULL,
    client TEXT,
    allowed INTEGER NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_user_time ON audit(user, time);
-- Append-only through any connection that does not first drop these triggers; the hash chain
-- (casegraph.access.audit.verify) is what catches one that does.
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class AccessStore:
    path: Path

    @property
    def head_path(self) -> Path:
        """The last audit entry's id and hash, kept outside the database: a cut-off tail of the
        log (rows deleted together with the triggers) no longer matches it."""
        return self.path.with_name(self.path.name + ".audit-head")

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection in autocommit mode: callers open `BEGIN IMMEDIATE` where they write."""
        conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            yield conn
        finally:
            conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")


def open_store(settings: Settings) -> AccessStore:
    return open_path(settings.access_db_path)


def open_path(path: Path) -> AccessStore:
    """The store at `path`, created (owner-only permissions) with its schema when new."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    if new:
        # Created empty with 0600 first, so the file is never readable by others, even briefly.
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    store = AccessStore(path)
    with store.connect() as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version < SCHEMA_VERSION:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.executescript(_SCHEMA)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            log.info("access store ready at %s", path)
    return store
