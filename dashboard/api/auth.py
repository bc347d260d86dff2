"""Who calls the API: every /api route but /api/health needs `Authorization: Bearer TOKEN` with a
user's API token (`casegraph users token NAME`, stored hashed in the access store). The legacy
shared key (CASEGRAPH_API_KEY, as `X-API-Key: KEY` or a bearer token) still works, as an
admin-scoped service account. With CASEGRAPH_AUTH=off (local development, loopback only) the API
is open as before: a configured key is then still required. docs/access.md."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from casegraph.access import audit, tokens
from casegraph.access.audit import Event
from casegraph.access.store import AccessStore, open_path
from casegraph.access.users import API_KEY_SERVICE, LOCAL_DEVELOPER, User
from dashboard.api.errors import ApiError

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                              description="The legacy shared key (CASEGRAPH_API_KEY): an admin service account")
bearer = HTTPBearer(auto_error=False, description="A user's API token (`casegraph users token NAME`), "
                                                  "or the legacy shared key")

_CHALLENGE = {"WWW-Authenticate": "Bearer"}


@lru_cache(maxsize=8)
def _store(path: Path) -> AccessStore:
    return open_path(path)


def _is_key(offered: str, configured: str) -> bool:
    # compare_digest on bytes: constant time, and no error for non-ASCII input.
    return secrets.compare_digest(offered.encode(), configured.encode())


def require_user(request: Request, header_key: Annotated[str | None, Depends(api_key_header)],
                 credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> User:
    """The caller, also left in `request.state.user` for the routes; 401 when there is none."""
    settings = request.app.state.settings
    offered = [k for k in (header_key, credentials.credentials if credentials else None) if k]
    key = settings.api_key.get_secret_value() if settings.api_key is not None else None
    user: User | None = None
    if key is not None and any(_is_key(k, key) for k in offered):
        user = API_KEY_SERVICE
    elif settings.auth == "off" and key is None:
        user = LOCAL_DEVELOPER
    elif not offered:
        how = "send a user's API token as `Authorization: Bearer TOKEN` (`casegraph users token NAME`)"
        if key is not None:
            how += " or the service key as `X-API-Key: KEY`"
        raise ApiError(401, "unauthorized", f"this API needs a login: {how}", _CHALLENGE)
    elif settings.auth == "on":
        store = _store(settings.access_db_path)
        user = next((u for u in (tokens.resolve(store, k) for k in offered) if u is not None), None)
        if user is None:
            client = request.client.host if request.client else None
            audit.record(store, user="anonymous", action=Event.LOGIN, client=client,
                         params={"via": "api", "outcome": "refused"}, allowed=False)
    if user is None:
        raise ApiError(401, "unauthorized", "the API token is not valid", _CHALLENGE)
    request.state.user = user
    return user


# The name the routes' dependency had when it checked one shared key.
require_key = require_user
