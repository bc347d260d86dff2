"""Settings-level rules of access: the session-signing secret, where auth may be off, and the
demo's generated admin."""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from casegraph.access import users
from casegraph.access.errors import AccessError, AuthConfigError, LoginRefused
from casegraph.access.policy import Role
from casegraph.access.store import AccessStore, open_store
from casegraph.core.settings import Settings

ADMIN_NAME = "admin"


def _keep_secret(path: Path, make: str) -> str:
    """`make`, written once to `path` with owner-only permissions; the kept value on later calls."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(make)
    return make


def session_secret(settings: Settings) -> str:
    """Signs the dashboard's session cookie: configured, or generated once in the work dir (so a
    restart or a second worker keeps everyone logged in)."""
    if settings.session_secret is not None:
        return settings.session_secret.get_secret_value()
    return _keep_secret(settings.work_dir / "session-secret", secrets.token_hex(32))


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(settings: Settings, host: str) -> None:
    """Refuse to serve without login on an address others can reach."""
    if settings.auth == "off" and not is_loopback(host):
        raise AuthConfigError(f"CASEGRAPH_AUTH=off is for local development: it cannot serve on {host} "
                              "(bind 127.0.0.1, or turn auth on)")


@dataclass(frozen=True)
class AdminLogin:
    name: str
    password: str | None  # None: the admin's password is no longer the generated one
    created: bool
    kept_at: Path


def ensure_admin(settings: Settings, store: AccessStore | None = None) -> AdminLogin:
    """The demo's admin: created once with a generated password kept (owner-only) in the work dir,
    like the embedded Neo4j's password, so `make demo` can print the login again."""
    store = store or open_store(settings)
    kept_at = settings.work_dir / "admin-password"
    try:
        users.get(store, ADMIN_NAME)
    except AccessError:
        kept_at.unlink(missing_ok=True)  # a password file without its user is stale
        password = _keep_secret(kept_at, secrets.token_urlsafe(15))
        users.add(store, ADMIN_NAME, Role.ADMIN, password)
        return AdminLogin(ADMIN_NAME, password, True, kept_at)
    if not kept_at.exists():
        return AdminLogin(ADMIN_NAME, None, False, kept_at)
    password = kept_at.read_text().strip()
    try:
        # Checked without touching the lockout counter: the kept file may be out of date.
        users.verify_password(store, ADMIN_NAME, password)
    except LoginRefused:
        return AdminLogin(ADMIN_NAME, None, False, kept_at)
    return AdminLogin(ADMIN_NAME, password, False, kept_at)
