"""The API key: required on every /api route (but /api/health) when `settings.api_key` is set,
as `X-API-Key: KEY` or `Authorization: Bearer KEY`. Without a configured key the API is open:
bind it to localhost (the default host) or put it behind a proxy that authenticates."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from dashboard.api.errors import ApiError

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                              description="The API key (CASEGRAPH_API_KEY), when one is configured")
bearer = HTTPBearer(auto_error=False, description="The API key as a bearer token, when one is configured")

_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def require_key(request: Request, header_key: Annotated[str | None, Depends(api_key_header)],
                credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
    configured = request.app.state.settings.api_key
    if configured is None:
        return
    expected = configured.get_secret_value().encode()
    offered = [k for k in (header_key, credentials.credentials if credentials else None) if k]
    if not offered:
        raise ApiError(401, "unauthorized", "this API needs a key: send it as `X-API-Key: KEY` "
                                            "or `Authorization: Bearer KEY`", _CHALLENGE)
    # compare_digest on bytes: constant time, and no error for non-ASCII input.
    if not any(secrets.compare_digest(k.encode(), expected) for k in offered):
        raise ApiError(401, "unauthorized", "the API key is not valid", _CHALLENGE)
