"""API tokens: random, shown once, kept only as their sha256 (a 256-bit random token needs no slow
hash: nobody can guess it from its digest)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from casegraph.access import users
from casegraph.access.store import AccessStore, iso, utc_now
from casegraph.access.users import User

PREFIX = "cg_"  # tells a token from the legacy shared API key, and makes a leaked one easy to grep for


@dataclass(frozen=True)
class TokenInfo:
    id: int
    user: str
    label: str
    created: str
    last_used: str | None
    revoked: bool


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def issue(store: AccessStore, user: str, label: str = "") -> str:
    """A new token for `user`: returned once, never stored in the clear."""
    owner = users.get(store, user)
    token = PREFIX + secrets.token_urlsafe(32)
    with store.transaction() as conn:
        conn.execute("INSERT INTO tokens (user_id, token_hash, label, created) VALUES (?, ?, ?, ?)",
                     (owner.id, digest(token), label.strip(), iso(utc_now())))
    return token


def resolve(store: AccessStore, token: str) -> User | None:
    """The enabled user a live token belongs to, else None."""
    if not token.startswith(PREFIX):
        return None
    with store.connect() as conn:
        row = conn.execute(
            "SELECT t.id AS token_id, u.* FROM tokens t JOIN users u ON u.id = t.user_id "
            "WHERE t.token_hash = ? AND t.revoked = 0 AND u.disabled = 0", (digest(token),)).fetchone()
        if row is None:
            return None
        conn.execute("UPDATE tokens SET last_used = ? WHERE id = ?", (iso(utc_now()), row["token_id"]))
    return users.get(store, row["name"])


def list_tokens(store: AccessStore, user: str | None = None) -> list[TokenInfo]:
    sql = ("SELECT t.*, u.name AS user_name FROM tokens t JOIN users u ON u.id = t.user_id"
           + (" WHERE u.name = ?" if user else "") + " ORDER BY t.id")
    with store.connect() as conn:
        rows = conn.execute(sql, (user,) if user else ()).fetchall()
    return [TokenInfo(r["id"], r["user_name"], r["label"], r["created"], r["last_used"], bool(r["revoked"]))
            for r in rows]


def revoke(store: AccessStore, token_id: int) -> bool:
    with store.transaction() as conn:
        return conn.execute("UPDATE tokens SET revoked = 1 WHERE id = ? AND revoked = 0", (token_id,)).rowcount > 0
