"""Cases and who may read them. A case is a name (every Document carries one); a user reads the
cases granted to them, an admin every case the store knows (docs/access.md: how read paths use it)."""

from __future__ import annotations

from casegraph.access import users
from casegraph.access.errors import AccessError
from casegraph.access.policy import Role
from casegraph.access.store import AccessStore, iso, utc_now
from casegraph.access.users import User

MAX_CASE_CHARS = 200


def _check_case(case: str) -> str:
    case = case.strip()
    if not case or len(case) > MAX_CASE_CHARS or not case.isprintable():
        raise AccessError(f"a case name is 1-{MAX_CASE_CHARS} printable characters")
    return case


def register(store: AccessStore, case: str) -> str:
    """Make `case` known (idempotent): ingest front ends call it for the case they write into."""
    case = _check_case(case)
    with store.transaction() as conn:
        conn.execute("INSERT OR IGNORE INTO cases (name, created) VALUES (?, ?)", (case, iso(utc_now())))
    return case


def all_cases(store: AccessStore) -> list[str]:
    with store.connect() as conn:
        return [r[0] for r in conn.execute("SELECT name FROM cases ORDER BY name")]


def grant(store: AccessStore, user: str, case: str) -> None:
    """Let `user` read `case` (registering the case when new)."""
    target = users.get(store, user)
    case = register(store, case)
    with store.transaction() as conn:
        conn.execute("INSERT OR IGNORE INTO grants (user_id, case_name, granted) VALUES (?, ?, ?)",
                     (target.id, case, iso(utc_now())))


def revoke(store: AccessStore, user: str, case: str) -> bool:
    """Take `case` from `user`; False when it was not granted."""
    target = users.get(store, user)
    with store.transaction() as conn:
        cur = conn.execute("DELETE FROM grants WHERE user_id = ? AND case_name = ?", (target.id, case.strip()))
    return cur.rowcount > 0


def granted_cases(store: AccessStore, user: User) -> list[str]:
    if user.id is None:
        return []
    with store.connect() as conn:
        return [r[0] for r in conn.execute(
            "SELECT case_name FROM grants WHERE user_id = ? ORDER BY case_name", (user.id,))]


def readable_cases(store: AccessStore, user: User | None) -> list[str]:
    """The cases `user` may read, sorted: the `$cases` parameter of every read query. Nobody and a
    disabled user read nothing; an admin reads every case the store knows."""
    if user is None or user.disabled:
        return []
    if user.role is Role.ADMIN:
        return all_cases(store)
    return granted_cases(store, user)
