"""Dashboard login sessions, kept server-side: the cookie carries a random id (its sha256 is the
key here), so logging out, a password change or disabling a user ends a session at once."""

from __future__ import annotations

import secrets
import time

from casegraph.access import users
from casegraph.access.store import AccessStore
from casegraph.access.tokens import digest
from casegraph.access.users import User

# Writing last_seen on every request would make each read a write: once a minute is precise enough.
_TOUCH_EVERY_S = 60.0


def create(store: AccessStore, user: User, client: str | None = None) -> str:
    """A new session for `user`; returns its id (to be kept in the signed session cookie only)."""
    session_id = secrets.token_urlsafe(32)
    now = time.time()
    with store.transaction() as conn:
        conn.execute("INSERT INTO sessions (id_hash, user_id, created, last_seen, client) VALUES (?, ?, ?, ?, ?)",
                     (digest(session_id), user.id, now, now, client))
    return session_id


def load(store: AccessStore, session_id: str, *, idle_s: float, max_s: float) -> User | None:
    """The session's user while it is live: used within `idle_s`, younger than `max_s`, its user
    enabled. An expired session is deleted."""
    key = digest(session_id)
    now = time.time()
    with store.connect() as conn:
        row = conn.execute("SELECT s.created, s.last_seen, u.name, u.disabled FROM sessions s "
                           "JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?", (key,)).fetchone()
        if row is None:
            return None
        if row["disabled"] or now - row["last_seen"] > idle_s or now - row["created"] > max_s:
            conn.execute("DELETE FROM sessions WHERE id_hash = ?", (key,))
            return None
        if now - row["last_seen"] > _TOUCH_EVERY_S:
            conn.execute("UPDATE sessions SET last_seen = ? WHERE id_hash = ?", (now, key))
    return users.get(store, row["name"])


def end(store: AccessStore, session_id: str) -> None:
    with store.transaction() as conn:
        conn.execute("DELETE FROM sessions WHERE id_hash = ?", (digest(session_id),))


def purge_expired(store: AccessStore, *, idle_s: float, max_s: float) -> int:
    now = time.time()
    with store.transaction() as conn:
        return conn.execute("DELETE FROM sessions WHERE last_seen < ? OR created < ?",
                            (now - idle_s, now - max_s)).rowcount
