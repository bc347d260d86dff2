"""Users: names, roles and argon2 password hashes; login with lockout after repeated failures."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from casegraph.access.errors import AccessError, LoginLocked, LoginRefused
from casegraph.access.policy import Role
from casegraph.access.store import AccessStore, iso, utc_now

MIN_PASSWORD_CHARS = 12
MAX_NAME_CHARS = 64

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the name is unknown, so a wrong name costs as long as a wrong password
    (made on first use: hashing costs time, importing this module should not)."""
    return _hasher.hash("casegraph-no-such-user")


REFUSED = "wrong name or password"


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    disabled: bool = False
    id: int | None = None  # None for principals not kept in the store (service account, local dev)


# Principals that are not rows of the store.
LOCAL_DEVELOPER = User(name="local", role=Role.ADMIN)  # settings.auth == "off"
API_KEY_SERVICE = User(name="service:api-key", role=Role.ADMIN)  # the legacy shared CASEGRAPH_API_KEY


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME_CHARS or not name.isprintable() or ":" in name:
        raise AccessError(f"a user name is 1-{MAX_NAME_CHARS} printable characters without ':'")
    return name


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccessError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")


def _user(row: sqlite3.Row) -> User:
    return User(name=row["name"], role=Role(row["role"]), disabled=bool(row["disabled"]), id=row["id"])


def add(store: AccessStore, name: str, role: Role, password: str) -> User:
    name = _check_name(name)
    _check_password(password)
    with store.transaction() as conn:
        if conn.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
            raise AccessError(f"user {name!r} exists already")
        cur = conn.execute("INSERT INTO users (name, role, password_hash, created) VALUES (?, ?, ?, ?)",
                           (name, role.value, _hasher.hash(password), iso(utc_now())))
    return User(name=name, role=role, id=cur.lastrowid)


def get(store: AccessStore, name: str) -> User:
    with store.connect() as conn:
        row = conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise AccessError(f"no user {name!r} (see `casegraph users list`)")
    return _user(row)


def all_users(store: AccessStore) -> list[User]:
    with store.connect() as conn:
        return [_user(r) for r in conn.execute("SELECT * FROM users ORDER BY name")]


def set_password(store: AccessStore, name: str, password: str) -> None:
    """A new password; the user's open sessions end (a stolen session dies with the old password)."""
    _check_password(password)
    user = get(store, name)
    with store.transaction() as conn:
        conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (_hasher.hash(password), user.id))
        conn.execute("DELETE FROM sessions WHERE user_id = ?", (user.id,))
        conn.execute("DELETE FROM login_failures WHERE name = ?", (user.name,))


def set_role(store: AccessStore, name: str, role: Role) -> None:
    user = get(store, name)
    with store.transaction() as conn:
        conn.execute("UPDATE users SET role = ? WHERE id = ?", (role.value, user.id))


def set_disabled(store: AccessStore, name: str, disabled: bool = True) -> None:
    """Disabling ends the user's sessions and revokes their API tokens."""
    user = get(store, name)
    with store.transaction() as conn:
        conn.execute("UPDATE users SET disabled = ? WHERE id = ?", (int(disabled), user.id))
        if disabled:
            conn.execute("DELETE FROM sessions WHERE user_id = ?", (user.id,))
            conn.execute("UPDATE tokens SET revoked = 1 WHERE user_id = ?", (user.id,))


def authenticate(store: AccessStore, name: str, password: str, *, client: str | None = None,
                 max_failures: int = 5, window_s: float = 900.0) -> User:
    """The user, when `password` is theirs and the name is not locked; otherwise LoginRefused
    (LoginLocked once `max_failures` wrong passwords fell within the last `window_s` seconds:
    then even the right password is refused until the window has passed)."""
    name = name.strip()
    now = time.time()
    with store.connect() as conn:
        failures = conn.execute("SELECT count(*) FROM login_failures WHERE name = ? AND at > ?",
                                (name, now - window_s)).fetchone()[0]
        row = conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
    if failures >= max_failures:
        raise LoginLocked("too many failed logins for this name: try again later")
    stored = row["password_hash"] if row is not None and row["password_hash"] else _dummy_hash()
    try:
        _hasher.verify(stored, password)
        ok = row is not None and not row["disabled"]
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        with store.transaction() as conn:
            conn.execute("INSERT INTO login_failures (name, at, client) VALUES (?, ?, ?)", (name, now, client))
            conn.execute("DELETE FROM login_failures WHERE at < ?", (now - 30 * 86400,))  # keep it small
        raise LoginRefused(REFUSED)
    assert row is not None
    with store.transaction() as conn:
        conn.execute("DELETE FROM login_failures WHERE name = ?", (name,))
        if _hasher.check_needs_rehash(stored):  # argon2 parameters raised since the hash was made
            conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (_hasher.hash(password), row["id"]))
    return _user(row)


def verify_password(store: AccessStore, name: str, password: str) -> None:
    """LoginRefused unless `password` is `name`'s (no lockout bookkeeping: not a login attempt)."""
    with store.connect() as conn:
        row = conn.execute("SELECT password_hash FROM users WHERE name = ?", (name,)).fetchone()
    try:
        _hasher.verify(row["password_hash"] if row and row["password_hash"] else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        raise LoginRefused(REFUSED) from None
    if row is None:
        raise LoginRefused(REFUSED)
