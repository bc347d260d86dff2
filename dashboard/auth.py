"""Login for the dashboard: a login page on Dash's Flask server (Flask-Login), sessions kept in the
access store, CSRF protection on every state-changing request (Flask-WTF), lockout after repeated
failures, idle and absolute session expiry. `install_login(server, settings)` wires it all in.

Dash's renderer sends the `_csrf_token` cookie back as an `X-CSRFToken` header on every callback
request; this module sets that cookie, and CSRFProtect checks the header against the session.

Callbacks ask `current_user_or_none()` / `readable_cases()` who is asking (docs/access.md).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import cast
from urllib.parse import urlsplit

from flask import Flask, Response, jsonify, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf

from casegraph.access import audit, cases, sessions, users
from casegraph.access.audit import Event
from casegraph.access.config import session_secret
from casegraph.access.errors import LoginLocked, LoginRefused
from casegraph.access.store import AccessStore, open_store
from casegraph.access.users import LOCAL_DEVELOPER, User
from casegraph.core.settings import Settings

log = logging.getLogger(__name__)

BLUEPRINT = "casegraph_auth"
CSRF_COOKIE = "_csrf_token"  # the name Dash's renderer reads
_EXEMPT = {f"{BLUEPRINT}.login"}
_STATE = "casegraph_access"


@dataclass(frozen=True)
class AuthState:
    settings: Settings
    store: AccessStore

    @property
    def idle_s(self) -> float:
        return self.settings.session_idle_minutes * 60

    @property
    def max_s(self) -> float:
        return self.settings.session_max_hours * 3600


class SessionUser(UserMixin):  # type: ignore[misc]
    """Flask-Login's user: the store's user plus the server-side session id. `get_id` is the
    session id (not the user id), so ending the session in the store logs the browser out."""

    def __init__(self, user: User, session_id: str) -> None:
        self.user = user
        self.session_id = session_id

    def get_id(self) -> str:
        return self.session_id

    @property
    def is_active(self) -> bool:
        return not self.user.disabled


def _state() -> AuthState:
    from flask import current_app

    return cast(AuthState, current_app.extensions[_STATE])


def current_user_or_none() -> User | None:
    """Who the current request is from: the logged-in user, the local developer when auth is off,
    None when nobody is logged in."""
    if _state().settings.auth == "off":
        return LOCAL_DEVELOPER
    if current_user.is_authenticated:
        return cast(SessionUser, current_user).user
    return None


def readable_cases() -> list[str]:
    """The `$cases` of the current request's read queries."""
    state = _state()
    return cases.readable_cases(state.store, current_user_or_none())


def client_address() -> str | None:
    return request.remote_addr


def _safe_next(target: str | None) -> str:
    """Only a path on this server: never an absolute or scheme-relative URL (open redirect)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _login_page(error: str | None = None, status: int = 200, name: str = "") -> ResponseReturnValue:
    return render_template("login.html", error=error, name=name, next=_safe_next(request.values.get("next"))), status


def _login() -> ResponseReturnValue:
    state = _state()
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(_safe_next(request.args.get("next")))
        return _login_page()
    name = request.form.get("username", "").strip()[: users.MAX_NAME_CHARS]
    password = request.form.get("password", "")
    try:
        user = users.authenticate(state.store, name, password, client=client_address(),
                                  max_failures=state.settings.login_max_failures,
                                  window_s=state.settings.login_window_minutes * 60)
    except LoginRefused as exc:
        outcome = "locked" if isinstance(exc, LoginLocked) else "refused"
        audit.record(state.store, user=name or "anonymous", action=Event.LOGIN, client=client_address(),
                     params={"outcome": outcome}, allowed=False)
        return _login_page(str(exc), 429 if outcome == "locked" else 401, name)
    session_id = sessions.create(state.store, user, client_address())
    session.clear()  # a fresh session (and CSRF token) at login: nothing carries over from before
    session.permanent = True
    login_user(SessionUser(user, session_id))
    audit.record(state.store, user=user.name, action=Event.LOGIN, client=client_address(),
                 params={"outcome": "ok"}, allowed=True)
    return redirect(_safe_next(request.form.get("next")))


def _logout() -> ResponseReturnValue:
    state = _state()
    if request.method == "GET":  # a page with a button: logging out changes state, so it is a POST
        return render_template("login.html", logout=True, error=None, name="", next="/")
    if current_user.is_authenticated:
        me = cast(SessionUser, current_user)
        sessions.end(state.store, me.session_id)
        audit.record(state.store, user=me.user.name, action=Event.LOGOUT, client=client_address())
    logout_user()
    session.clear()
    return redirect(url_for(f"{BLUEPRINT}.login"))


def _gate() -> ResponseReturnValue | None:
    """Before every request: only the login page is open to someone not logged in."""
    if request.endpoint in _EXEMPT or current_user.is_authenticated:
        return None
    if request.method != "GET" or request.path.startswith("/_dash"):
        response = jsonify(error="unauthorized", detail="not logged in, or the session expired: log in again")
        response.status_code = 401
        return response
    return redirect(url_for(f"{BLUEPRINT}.login", next=request.full_path.rstrip("?")))


def _csrf_cookie(response: Response) -> Response:
    # Double-submit for Dash: the renderer copies this cookie into the X-CSRFToken header.
    if request.method == "GET" and current_user.is_authenticated:
        response.set_cookie(CSRF_COOKIE, generate_csrf(), samesite="Lax", httponly=False,
                            secure=_state().settings.session_cookie_secure)
    return response


def _csrf_refused(error: CSRFError) -> ResponseReturnValue:
    log.info("CSRF check failed on %s %s: %s", request.method, request.path, error.description)
    if request.endpoint == f"{BLUEPRINT}.login":
        return _login_page("the form expired: please log in again", 400)
    response = jsonify(error="csrf_failed", detail=f"refused: {error.description} (reload the page)")
    response.status_code = 400
    return response


def install_login(server: Flask, settings: Settings) -> None:
    """Put the dashboard behind login (or, with settings.auth == "off", mark every request as the
    local developer's: for local development on loopback only, see casegraph.access.config)."""
    from flask import Blueprint

    state = AuthState(settings, open_store(settings))
    server.extensions[_STATE] = state
    if settings.auth == "off":
        log.warning("dashboard auth is OFF (CASEGRAPH_AUTH=off): no login, every request acts as an admin")
        return
    server.config.update(
        SECRET_KEY=session_secret(settings),
        SESSION_COOKIE_NAME="casegraph_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.session_max_hours),
        # The token lives as long as the session (which expires on its own); a 1-hour token limit
        # would break a dashboard left open for the afternoon.
        WTF_CSRF_TIME_LIMIT=None,
    )
    server.before_request(_gate)  # first: someone not logged in is told so (401), not about CSRF
    CSRFProtect(server)
    manager = LoginManager(server)
    manager.login_view = f"{BLUEPRINT}.login"

    @manager.user_loader  # type: ignore[untyped-decorator,misc]
    def _load(session_id: str) -> SessionUser | None:
        user = sessions.load(state.store, session_id, idle_s=state.idle_s, max_s=state.max_s)
        return SessionUser(user, session_id) if user else None

    pages = Blueprint(BLUEPRINT, __name__, template_folder="templates")
    pages.add_url_rule("/login", "login", _login, methods=["GET", "POST"])
    pages.add_url_rule("/logout", "logout", _logout, methods=["GET", "POST"])
    server.register_blueprint(pages)
    server.after_request(_csrf_cookie)
    server.register_error_handler(CSRFError, _csrf_refused)
