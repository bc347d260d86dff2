"""The FastAPI application: `create_api(settings)`; `casegraph api` serves it with uvicorn.

The OpenAPI spec is served at /api/openapi.json (interactive docs at /api/docs) and written to
docs/openapi.json by `casegraph api --openapi docs/openapi.json`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from casegraph.access.config import check_bind
from casegraph.core.settings import Settings, get_settings
from casegraph.pipeline.jobs import JobQueue, JobWorker
from dashboard.api.errors import BodyLimit, CatchAll, install_handlers
from dashboard.api.routes import health_router, router

log = logging.getLogger(__name__)

DESCRIPTION = """\
JSON API over casegraph's knowledge graph and NLP.

- Errors are `{"error": code, "detail": ...}`; 503 `database_unavailable` when Neo4j is down.
- Every /api route but /api/health needs `Authorization: Bearer TOKEN`: a user's API token
  (`casegraph users token NAME`); a configured shared key (`CASEGRAPH_API_KEY`, also as
  `X-API-Key: KEY`) acts as an admin service account.
- Entity keys and relation ids (`KEY_A|KEY_B`) go URL-encoded into paths.
"""


def _version() -> str:
    try:
        return version("casegraph")
    except PackageNotFoundError:
        return "0.0.0"


def create_api(settings: Settings | None = None, *, worker: bool = True) -> FastAPI:
    """The app. With `worker` its lifespan runs a `JobWorker` thread that ingests uploads (and the
    jobs a previous run left pending); without, uploads are only queued, for another worker."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if worker:
            app.state.worker = JobWorker(settings, app.state.jobs).start()
        try:
            yield
        finally:
            if app.state.worker is not None:
                app.state.worker.stop()
                app.state.worker = None

    app = FastAPI(title="casegraph API", version=_version(), description=DESCRIPTION, lifespan=lifespan,
                  openapi_url="/api/openapi.json", docs_url="/api/docs", redoc_url=None,
                  generate_unique_id_function=lambda route: route.name)
    app.state.settings = settings
    app.state.jobs = JobQueue(settings)
    app.state.worker = None
    install_handlers(app)
    app.include_router(health_router)
    app.include_router(router)
    # Outermost last: CatchAll wraps everything, so even a body-limit failure answers JSON.
    app.add_middleware(BodyLimit, limit=int(settings.api_max_body_mb * 1024 * 1024))
    app.add_middleware(CatchAll)
    return app


def openapi_spec(settings: Settings | None = None) -> dict[str, Any]:
    return create_api(settings).openapi()


def export_openapi(path: Path, settings: Settings | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(openapi_spec(settings), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def serve(host: str | None = None, port: int | None = None, settings: Settings | None = None) -> None:
    import uvicorn

    settings = settings or get_settings()
    host = host or settings.dashboard_host
    port = port or settings.api_port
    check_bind(settings, host)  # CASEGRAPH_AUTH=off only on loopback
    log.info("API on http://%s:%s/api (docs at /api/docs; Neo4j at %s)", host, port, settings.bolt_uri)
    uvicorn.run(create_api(settings), host=host, port=port, log_level="info")
