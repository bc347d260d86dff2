"""The audit trail: who did what, when, from where, allowed or refused — append-only and
tamper-evident. Each entry carries the sha256 of the previous one, computed over a canonical JSON
form of the entry; `verify` walks the chain and compares its end with the head file kept beside
the database, so an edited, deleted or cut-off entry is found.

Front ends call `record(...)` once per request (or `authorize`, which checks the role first and
records a refusal as well as an allowed action).
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from casegraph.access.errors import Forbidden
from casegraph.access.policy import Action, can
from casegraph.access.store import AccessStore, iso, utc_now
from casegraph.access.users import User

GENESIS = "0" * 64


class Event(StrEnum):
    """What an entry records. Each maps to the role action it needs (EVENT_ACTION)."""

    SEARCH = "search"
    ENTITY_VIEW = "entity_view"
    EVIDENCE_VIEW = "evidence_view"
    DOCUMENT_VIEW = "document_view"
    PATH_QUERY = "path_query"
    EXPORT = "export"
    SAVED_QUERY = "saved_query"
    CONSOLE_QUERY = "console_query"
    UPLOAD = "upload"
    INGEST = "ingest"
    DECISION = "decision"
    LOGIN = "login"
    LOGOUT = "logout"
    USER_ADMIN = "user_admin"
    CASE_GRANT = "case_grant"
    TOKEN_ISSUE = "token_issue"


EVENT_ACTION: dict[Event, Action | None] = {
    Event.SEARCH: Action.READ,
    Event.ENTITY_VIEW: Action.READ,
    Event.EVIDENCE_VIEW: Action.READ,
    Event.DOCUMENT_VIEW: Action.READ,
    Event.PATH_QUERY: Action.READ,
    Event.EXPORT: Action.READ,
    Event.SAVED_QUERY: Action.RUN_SAVED_QUERY,
    Event.CONSOLE_QUERY: Action.CONSOLE,
    Event.UPLOAD: Action.UPLOAD,
    Event.INGEST: Action.INGEST,
    Event.DECISION: Action.DECIDE,
    Event.LOGIN: None,  # anyone may try
    Event.LOGOUT: None,
    Event.USER_ADMIN: Action.MANAGE_USERS,
    Event.CASE_GRANT: Action.MANAGE_CASES,
    Event.TOKEN_ISSUE: Action.MANAGE_USERS,
}


@dataclass(frozen=True)
class Entry:
    id: int
    time: str
    user: str
    action: str
    targets: list[str]
    query: str | None
    params: dict[str, Any]
    client: str | None
    allowed: bool
    prev_hash: str
    hash: str

    def canonical(self) -> bytes:
        return canonical(self.id, self.time, self.user, self.action, self.targets, self.query, self.params,
                         self.client, self.allowed, self.prev_hash)


def canonical(entry_id: int, time: str, user: str, action: str, targets: Sequence[str], query: str | None,
              params: Mapping[str, Any], client: str | None, allowed: bool, prev_hash: str) -> bytes:
    """The bytes an entry's hash is taken over: sorted keys, no spaces, UTF-8."""
    doc = {"id": entry_id, "time": time, "user": user, "action": action, "targets": list(targets),
           "query": query, "params": params, "client": client, "allowed": allowed, "prev": prev_hash}
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _jsonable(params: Mapping[str, Any] | None) -> dict[str, Any]:
    # Round-trip once, so the stored text and the hashed form are the same value (tuples -> lists,
    # dates -> strings): verify re-hashes what it reads back.
    return json.loads(json.dumps(dict(params or {}), default=str, ensure_ascii=False))  # type: ignore[no-any-return]


@contextmanager
def _writer_lock(store: AccessStore) -> Iterator[None]:
    """One writer at a time across processes (dashboard, API, CLI), held until the head file is
    written too: the head then always names the last committed entry."""
    fd = os.open(store.lock_path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _write_head(store: AccessStore, entry_id: int, entry_hash: str) -> None:
    tmp = store.head_path.with_name(store.head_path.name + ".tmp")
    tmp.write_text(json.dumps({"id": entry_id, "hash": entry_hash}) + "\n")
    tmp.chmod(0o600)
    os.replace(tmp, store.head_path)


def record(store: AccessStore, *, user: str, action: str, targets: Sequence[str] = (), query: str | None = None,
           params: Mapping[str, Any] | None = None, client: str | None = None, allowed: bool = True) -> Entry:
    """Append one entry: `action` an Event (or another short name), `targets` the ids touched
    (entity keys, document ids, user names), `query` the query name, `params` its parameters."""
    targets = [str(t) for t in targets]
    params_doc = _jsonable(params)
    when = iso(utc_now())
    with _writer_lock(store):
        with store.transaction() as conn:
            last = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
            prev = last["hash"] if last else GENESIS
            entry_id = (last["id"] if last else 0) + 1
            digest = hashlib.sha256(canonical(entry_id, when, user, str(action), targets, query, params_doc,
                                              client, allowed, prev)).hexdigest()
            conn.execute(
                "INSERT INTO audit (id, time, user, action, targets, query, params, client, allowed, prev_hash, "
                "hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (entry_id, when, user, str(action), json.dumps(targets, ensure_ascii=False), query,
                 json.dumps(params_doc, ensure_ascii=False, sort_keys=True), client, int(allowed), prev, digest))
        _write_head(store, entry_id, digest)  # after the commit, still under the lock
    return Entry(entry_id, when, user, str(action), targets, query, params_doc, client, allowed, prev, digest)


def authorize(store: AccessStore, user: User | None, event: Event, *, targets: Sequence[str] = (),
              query: str | None = None, params: Mapping[str, Any] | None = None,
              client: str | None = None) -> User:
    """Check that `user`'s role allows `event`, record the attempt either way, and return the
    user; raise Forbidden (after recording the refusal) when it does not."""
    needed = EVENT_ACTION[event]
    allowed = needed is None or can(user, needed)
    record(store, user=user.name if user else "anonymous", action=event, targets=targets, query=query,
           params=params, client=client, allowed=allowed)
    if not allowed:
        raise Forbidden(f"the {user.role.value if user else 'anonymous'} role may not do this: {event.value}")
    assert user is not None
    return user


def _entry(row: sqlite3.Row) -> Entry:
    return Entry(row["id"], row["time"], row["user"], row["action"], json.loads(row["targets"]), row["query"],
                 json.loads(row["params"]), row["client"], bool(row["allowed"]), row["prev_hash"], row["hash"])


def entries(store: AccessStore, *, user: str | None = None, since: datetime | None = None,
            limit: int | None = None) -> list[Entry]:
    """Entries oldest first, of `user` only and from `since` on when given."""
    where: list[str] = []
    args: list[str | int] = []
    if user is not None:
        where.append("user = ?")
        args.append(user)
    if since is not None:
        where.append("time >= ?")
        args.append(iso(since))
    sql = "SELECT * FROM audit" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
    if limit is not None:
        sql = f"SELECT * FROM ({sql.replace(' ORDER BY id', ' ORDER BY id DESC')} LIMIT ?) ORDER BY id"
        args.append(limit)
    with store.connect() as conn:
        return [_entry(r) for r in conn.execute(sql, args)]


CSV_COLUMNS = ["id", "time", "user", "action", "targets", "query", "params", "client", "allowed",
               "prev_hash", "hash"]


def export_csv(store: AccessStore, path: Path, **filters: Any) -> int:
    """Write the entries (filtered as `entries`) to a CSV file; returns how many."""
    rows = entries(store, **filters)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for e in rows:
            doc = asdict(e)
            doc["targets"] = json.dumps(e.targets, ensure_ascii=False)
            doc["params"] = json.dumps(e.params, ensure_ascii=False, sort_keys=True)
            writer.writerow(doc)
    return len(rows)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    problem: str | None = None
    entry_id: int | None = None  # the first bad entry


def verify(store: AccessStore) -> Verdict:
    """Walk the chain from the first entry: every id in turn, every hash re-computed, every entry
    naming its predecessor's hash; then the last entry must be the one the head file names."""
    prev, expected_id, checked = GENESIS, 1, 0
    with store.connect() as conn:
        for row in conn.execute("SELECT * FROM audit ORDER BY id"):
            try:
                e = _entry(row)
            except (ValueError, TypeError):
                return Verdict(False, checked, "entry is not readable (edited by hand?)", row["id"])
            if e.id != expected_id:
                return Verdict(False, checked, f"entry {expected_id} is missing (deleted?)", e.id)
            if e.prev_hash != prev:
                return Verdict(False, checked, "entry does not follow the previous one (one deleted or edited?)", e.id)
            if hashlib.sha256(e.canonical()).hexdigest() != e.hash:
                return Verdict(False, checked, "entry was changed after it was written", e.id)
            prev, expected_id, checked = e.hash, e.id + 1, checked + 1
    last_id = expected_id - 1
    try:
        head = json.loads(store.head_path.read_text())
    except FileNotFoundError:
        if checked:
            return Verdict(False, checked, f"the head file {store.head_path} is missing", last_id)
        return Verdict(True, 0)
    except ValueError:
        return Verdict(False, checked, f"the head file {store.head_path} is not readable", last_id)
    if head.get("id") != last_id or head.get("hash") != (prev if checked else None):
        if isinstance(head.get("id"), int) and head["id"] > last_id:
            return Verdict(False, checked, f"the log ends at entry {last_id} but the head file names entry "
                                           f"{head['id']} (entries cut off?)", last_id + 1)
        return Verdict(False, checked, "the head file does not match the last entry", last_id)
    return Verdict(True, checked)
