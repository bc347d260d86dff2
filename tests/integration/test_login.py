"""Login on the real Dash app (its Flask server, through Flask's test client) and per-user tokens on
the real FastAPI app: lockout, session expiry, CSRF on every state-changing request, cookie flags,
logout, auth off only on loopback — with a real access store, real argon2, the session's Neo4j."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from casegraph.access import AuthConfigError, Role, audit, open_store, tokens, users
from casegraph.access.config import check_bind
from dashboard.api import create_api
from dashboard.app import create_app

PASSWORD = "integration passphrase"


@pytest.fixture()
def settings(graph_db, tmp_path):
    return graph_db.model_copy(update={"auth": "on", "access_db": tmp_path / "access.db", "work_dir": tmp_path,
                                       "data_dir": tmp_path / "data", "login_max_failures": 3})


@pytest.fixture()
def store(settings):
    store = open_store(settings)
    users.add(store, "vera", Role.VIEWER, PASSWORD)
    return store


@pytest.fixture()
def client(settings, store):
    return create_app(settings).server.test_client()


def csrf_of(page: bytes) -> str:
    found = re.search(rb'name="csrf_token" value="([^"]+)"', page)
    assert found is not None, page[:500]
    return found.group(1).decode()


def log_in(client, name="vera", password=PASSWORD, next_url="/"):
    token = csrf_of(client.get("/login").data)
    return client.post("/login", data={"username": name, "password": password, "csrf_token": token,
                                       "next": next_url})


def describe_query(client, headers=None):
    """A real callback of the mounted Queries page, posted the way Dash's renderer posts it."""
    payload = {"output": "..cq-description.children...cq-form.children..",
               "outputs": [{"id": "cq-description", "property": "children"},
                           {"id": "cq-form", "property": "children"}],
               "inputs": [{"id": "cq-query", "property": "value", "value": "co_occurring"}], "state": [],
               "changedPropIds": ["cq-query.value"]}
    return client.post("/_dash-update-component", json=payload, headers=headers or {})


def test_everything_but_the_login_page_needs_a_login(client):
    page = client.get("/")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login?next=/")
    assert client.get("/_dash-layout").status_code == 401
    assert describe_query(client).status_code == 401
    assert client.get("/login").status_code == 200


def test_login_sets_secure_cookies_and_opens_the_dashboard(client, store):
    done = log_in(client, next_url="/queries")
    assert done.status_code == 302 and done.headers["Location"] == "/queries"
    cookie = next(c for c in done.headers.getlist("Set-Cookie") if c.startswith("casegraph_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    index = client.get("/")
    assert index.status_code == 200 and b'id="_dash-config"' in index.data
    assert client.get_cookie("_csrf_token") is not None  # what Dash's renderer sends back as X-CSRFToken
    entry = audit.entries(store)[-1]
    assert (entry.user, entry.action, entry.allowed, entry.params) == ("vera", "login", True, {"outcome": "ok"})


def test_secure_flag_when_served_over_https(settings, store):
    client = create_app(settings.model_copy(update={"session_cookie_secure": True})).server.test_client()
    cookies = log_in(client).headers.getlist("Set-Cookie")
    assert all("Secure" in c for c in cookies if c.startswith("casegraph_session="))


def test_open_redirects_are_refused(client):
    assert log_in(client, next_url="//evil.example/x").headers["Location"] == "/"
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/logout").data)})
    assert log_in(client, next_url="https://evil.example/").headers["Location"] == "/"


def test_wrong_password_lockout(client, store):
    for _ in range(3):
        wrong = log_in(client, password="not the password")
        assert wrong.status_code == 401 and b"wrong name or password" in wrong.data
    locked = log_in(client)  # the right password, too late
    assert locked.status_code == 429 and b"too many failed logins" in locked.data
    assert client.get("/").status_code == 302
    outcomes = [e.params["outcome"] for e in audit.entries(store) if e.action == "login"]
    assert outcomes == ["refused"] * 3 + ["locked"]
    # Another name is not locked by vera's failures.
    users.add(store, "anna", Role.ANALYST, PASSWORD)
    assert log_in(client, name="anna").status_code == 302


def test_missing_csrf_token_is_refused(client):
    # The login form without its token.
    client.get("/login")
    no_token = client.post("/login", data={"username": "vera", "password": PASSWORD})
    assert no_token.status_code == 400 and b"form expired" in no_token.data
    assert client.get("/").status_code == 302
    # A callback without the X-CSRFToken header, then with a forged one, then with the real one.
    log_in(client)
    client.get("/")
    refused = describe_query(client)
    assert refused.status_code == 400 and refused.json["error"] == "csrf_failed"
    assert describe_query(client, {"X-CSRFToken": "forged"}).status_code == 400
    ok = describe_query(client, {"X-CSRFToken": client.get_cookie("_csrf_token").value})
    assert ok.status_code == 200
    assert json.loads(ok.data)["response"]["cq-description"]["children"].startswith("Who co-occurs most")
    # Logging out is state-changing too.
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_expired_session(client, store, settings):
    log_in(client)
    assert client.get("/").status_code == 200
    idle = settings.session_idle_minutes * 60
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE sessions SET last_seen = last_seen - ?", (idle + 60,))
    expired = client.get("/")
    assert expired.status_code == 302 and expired.headers["Location"].startswith("/login")
    assert sqlite3.connect(store.path).execute("SELECT count(*) FROM sessions").fetchone()[0] == 0


def test_logout_and_disabling_end_the_session(client, store):
    log_in(client)
    client.get("/")
    out = client.post("/logout", data={"csrf_token": csrf_of(client.get("/logout").data)})
    assert out.status_code == 302 and client.get("/").status_code == 302
    log_in(client)
    assert client.get("/").status_code == 200
    users.set_disabled(store, "vera")
    assert client.get("/").status_code == 302


def test_auth_off_only_on_loopback(settings):
    off = settings.model_copy(update={"auth": "off"})
    assert create_app(off).server.test_client().get("/").status_code == 200  # no login
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        check_bind(off, host)
    for host in ("0.0.0.0", "192.168.1.20", "casegraph.example.org"):
        with pytest.raises(AuthConfigError, match="local development"):
            check_bind(off, host)
    check_bind(settings, "0.0.0.0")  # with auth on, any address


# ------------------------------------------------------------------------------------ the API
def test_api_per_user_tokens(settings, store):
    analyst_token = tokens.issue(store, "vera", "tests")
    with TestClient(create_api(settings.model_copy(update={"api_key": SecretStr("legacy-shared-key")})),
                               raise_server_exceptions=False) as api:
        url, params = "/api/entities", {"q": "carlos"}
        missing = api.get(url, params=params)
        assert missing.status_code == 401 and "Bearer TOKEN" in missing.json()["detail"]
        assert api.get(url, params=params, headers={"Authorization": "Bearer cg_not-a-real-token"}).status_code == 401
        assert api.get(url, params=params, headers={"Authorization": f"Bearer {analyst_token}"}).status_code == 200
        # The legacy shared key: an admin service account.
        assert api.get(url, params=params, headers={"X-API-Key": "legacy-shared-key"}).status_code == 200
        assert api.get("/api/health").status_code == 200  # open
        users.set_disabled(store, "vera")
        assert api.get(url, params=params, headers={"Authorization": f"Bearer {analyst_token}"}).status_code == 401
    refused = [e for e in audit.entries(store) if not e.allowed]
    assert len(refused) == 2 and all(e.params == {"via": "api", "outcome": "refused"} for e in refused)


def test_api_without_any_key_needs_a_token(settings, store):
    with TestClient(create_api(settings), raise_server_exceptions=False) as api:
        assert api.get("/api/entities", params={"q": "x"}).status_code == 401
        token = tokens.issue(store, "vera")
        assert api.get("/api/entities", params={"q": "x"}, headers={"Authorization": f"Bearer {token}"}).json() == []
