"""Shared pieces of the HTTP API tests: an app on the session's real Neo4j, holding the gang case
of tests/factories/query_case.py, with uploads under a temporary data directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient
from pydantic import SecretStr

from casegraph.core.settings import Settings
from dashboard.api import create_api


def api_settings(base: Settings, data_dir: Path, **changes: Any) -> Settings:
    # model_copy does not validate: secrets must be given as the type the field holds.
    if isinstance(changes.get("api_key"), str):
        changes["api_key"] = SecretStr(changes["api_key"])
    return base.model_copy(update={"data_dir": data_dir, **changes})


def client_for(settings: Settings) -> TestClient:
    # Server errors come back as responses (as a client would see them), not as raised exceptions.
    return TestClient(create_api(settings), raise_server_exceptions=False)


def path_segment(text: str) -> str:
    """An entity key or relation id as one URL path segment."""
    return quote(text, safe="")


def assert_error(response: Any, status: int, error: str | None = None) -> dict[str, Any]:
    """An error answer: the status, a JSON `{"error", "detail"}` body and no traceback."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "detail"}
    if error is not None:
        assert body["error"] == error, body
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body  # type: ignore[no-any-return]
