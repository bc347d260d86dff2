"""Users in the real SQLite store: argon2 hashes, login, lockout, disabling, password changes."""

from __future__ import annotations

import sqlite3

import pytest

from casegraph.access import AccessError, LoginLocked, LoginRefused, Role
from casegraph.access import sessions as s
from casegraph.access import users as u
from tests.unit.access.conftest import PASSWORD


def test_password_is_stored_as_argon2_hash_only(store, people):
    row = sqlite3.connect(store.path).execute("SELECT password_hash FROM users WHERE name = 'vera'").fetchone()
    assert row[0].startswith("$argon2id$") and PASSWORD not in row[0]
    assert PASSWORD.encode() not in store.path.read_bytes()
    assert store.path.stat().st_mode & 0o077 == 0  # owner-only file


def test_bad_input_is_refused(store, people):
    with pytest.raises(AccessError, match="exists already"):
        u.add(store, "vera", Role.VIEWER, PASSWORD)
    with pytest.raises(AccessError, match="at least 12"):
        u.add(store, "short", Role.VIEWER, "abc")
    with pytest.raises(AccessError, match="user name"):
        u.add(store, "a:b", Role.VIEWER, PASSWORD)
    with pytest.raises(AccessError, match="no user"):
        u.get(store, "nobody")


def test_authenticate(store, people):
    assert u.authenticate(store, "anna", PASSWORD).role is Role.ANALYST
    with pytest.raises(LoginRefused, match="wrong name or password"):
        u.authenticate(store, "anna", PASSWORD + "x")
    # An unknown name gets the same answer as a wrong password.
    with pytest.raises(LoginRefused, match="wrong name or password"):
        u.authenticate(store, "nobody", PASSWORD)


def test_wrong_password_lockout(store, people):
    for _ in range(3):
        with pytest.raises(LoginRefused) as refused:
            u.authenticate(store, "vera", "not the password", max_failures=3)
        assert not isinstance(refused.value, LoginLocked)
    # Locked: even the right password is refused now, for this name only.
    with pytest.raises(LoginLocked, match="too many failed logins"):
        u.authenticate(store, "vera", PASSWORD, max_failures=3)
    assert u.authenticate(store, "anna", PASSWORD, max_failures=3).name == "anna"
    # Failures older than the window no longer count.
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE login_failures SET at = at - 1000")
    assert u.authenticate(store, "vera", PASSWORD, max_failures=3, window_s=900).name == "vera"


def test_success_clears_earlier_failures(store, people):
    for _ in range(2):
        with pytest.raises(LoginRefused):
            u.authenticate(store, "vera", "nope", max_failures=3)
    u.authenticate(store, "vera", PASSWORD, max_failures=3)
    for _ in range(2):
        with pytest.raises(LoginRefused):
            u.authenticate(store, "vera", "nope", max_failures=3)
    assert u.authenticate(store, "vera", PASSWORD, max_failures=3).name == "vera"


def test_disabled_user_cannot_log_in_and_loses_sessions(store, people):
    sid = s.create(store, people["anna"])
    u.set_disabled(store, "anna")
    assert s.load(store, sid, idle_s=3600, max_s=3600) is None
    with pytest.raises(LoginRefused, match="wrong name or password"):
        u.authenticate(store, "anna", PASSWORD)
    u.set_disabled(store, "anna", False)
    assert u.authenticate(store, "anna", PASSWORD).name == "anna"


def test_password_change_ends_sessions(store, people):
    sid = s.create(store, people["vera"])
    assert s.load(store, sid, idle_s=3600, max_s=3600) == people["vera"]
    u.set_password(store, "vera", "a brand new passphrase")
    assert s.load(store, sid, idle_s=3600, max_s=3600) is None
    with pytest.raises(LoginRefused):
        u.authenticate(store, "vera", PASSWORD)
    assert u.authenticate(store, "vera", "a brand new passphrase").name == "vera"


def test_role_change(store, people):
    u.set_role(store, "vera", Role.ANALYST)
    assert u.get(store, "vera").role is Role.ANALYST
    assert [x.name for x in u.all_users(store)] == ["anna", "root", "vera"]
