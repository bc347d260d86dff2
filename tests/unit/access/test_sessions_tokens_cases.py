"""Sessions (idle and absolute expiry), API tokens (hashed, revocable) and case grants."""

from __future__ import annotations

import sqlite3

from casegraph.access import cases as c
from casegraph.access import sessions as s
from casegraph.access import tokens as t
from casegraph.access import users as u
from casegraph.access.tokens import digest


def test_session_idle_expiry(store, people):
    sid = s.create(store, people["vera"], client="10.0.0.5")
    assert s.load(store, sid, idle_s=600, max_s=3600).name == "vera"
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE sessions SET last_seen = last_seen - 601")
    assert s.load(store, sid, idle_s=600, max_s=3600) is None
    # Expired sessions are deleted, not just ignored.
    assert sqlite3.connect(store.path).execute("SELECT count(*) FROM sessions").fetchone()[0] == 0


def test_session_absolute_expiry_and_logout(store, people):
    old, live = s.create(store, people["vera"]), s.create(store, people["anna"])
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE sessions SET created = created - 7200 WHERE id_hash = ?", (digest(old),))
    assert s.load(store, old, idle_s=600, max_s=3600) is None  # used just now, but too old
    assert s.load(store, live, idle_s=600, max_s=3600).name == "anna"
    s.end(store, live)
    assert s.load(store, live, idle_s=600, max_s=3600) is None
    assert s.load(store, "made-up-session-id", idle_s=600, max_s=3600) is None


def test_session_id_is_stored_hashed(store, people):
    sid = s.create(store, people["vera"])
    assert sid.encode() not in store.path.read_bytes()
    assert s.purge_expired(store, idle_s=-1, max_s=3600) == 1


def test_tokens(store, people):
    token = t.issue(store, "anna", "etl job")
    assert token.startswith(t.PREFIX) and len(token) > 40
    assert t.resolve(store, token).name == "anna"
    rows = sqlite3.connect(store.path).execute("SELECT token_hash FROM tokens").fetchall()
    assert rows == [(digest(token),)] and token.encode() not in store.path.read_bytes()
    assert t.resolve(store, token + "x") is None and t.resolve(store, "no-prefix") is None
    [info] = t.list_tokens(store, "anna")
    assert info.label == "etl job" and info.last_used is not None and not info.revoked
    assert t.revoke(store, info.id) and not t.revoke(store, info.id)
    assert t.resolve(store, token) is None


def test_disabling_a_user_revokes_their_tokens(store, people):
    token = t.issue(store, "vera")
    u.set_disabled(store, "vera")
    assert t.resolve(store, token) is None
    u.set_disabled(store, "vera", False)
    assert t.resolve(store, token) is None  # revoked for good, not just while disabled


def test_case_grants(store, people):
    c.grant(store, "vera", "case-b")
    c.grant(store, "vera", "case-a")
    c.grant(store, "vera", "case-a")  # idempotent
    c.grant(store, "anna", "case-c")
    assert c.readable_cases(store, people["vera"]) == ["case-a", "case-b"]
    assert c.readable_cases(store, people["anna"]) == ["case-c"]
    # An admin reads every case the store knows, granted or not.
    c.register(store, "case-d")
    assert c.readable_cases(store, people["root"]) == ["case-a", "case-b", "case-c", "case-d"]
    assert c.revoke(store, "vera", "case-b") and not c.revoke(store, "vera", "case-b")
    assert c.readable_cases(store, people["vera"]) == ["case-a"]


def test_nobody_and_disabled_users_read_no_case(store, people):
    c.grant(store, "vera", "case-a")
    u.set_disabled(store, "vera")
    assert c.readable_cases(store, u.get(store, "vera")) == []
    assert c.readable_cases(store, None) == []
    assert c.readable_cases(store, u.User("local", u.Role.VIEWER)) == []  # not a row: no grants
