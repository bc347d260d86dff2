"""Every error the API answers is JSON `{"error": code, "detail": ...}`, never a stack trace.

- `ApiError` and Starlette's `HTTPException` (unknown route, wrong method): their status.
- Request validation: 422 `invalid_request` with one `{loc, msg, type}` per problem.
- Neo4j unreachable or not configured: 503 `database_unavailable` with the one-line reason.
- Saved-query problems (`cypher.saved.QueryError`): 404 unknown query, 400 bad parameters or a
  refused query, 504 past the query timeout.
- Anything else: 500 `internal_error`, with the traceback in the server log only.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from casegraph.core.errors import Neo4jSetupError, Neo4jUnavailableError
from cypher.runner import QueryTimeoutError
from cypher.saved import QueryError, UnknownQueryError
from dashboard.api.models import ErrorBody

log = logging.getLogger(__name__)

# Retry-After on 503: the driver gives up on an unreachable server within a few seconds.
RETRY_AFTER_SECONDS = 10


class ApiError(Exception):
    def __init__(self, status: int, error: str, detail: Any = None, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.error = error
        self.detail = detail
        self.headers = headers


def error_code(status: int) -> str:
    """`not_found` for 404, `payload_too_large` for 413 (Starlette's phrase is "Content Too Large")."""
    special = {413: "payload_too_large", 422: "invalid_request", 500: "internal_error", 503: "database_unavailable"}
    if status in special:
        return special[status]
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


def error_response(status: int, error: str, detail: Any = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": error, "detail": detail}, status_code=status, headers=headers)


# Error responses documented on every operation.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in ((401, "API key missing or wrong (only when one is configured)"),
                       (413, "Request body or text over the configured limit"),
                       (422, "Invalid request"),
                       (500, "Unexpected error (logged on the server)"),
                       (503, "Neo4j unreachable"))
}


def _validation_problems(exc: RequestValidationError) -> list[dict[str, Any]]:
    # Only where and what: pydantic's `input` echo may be large and `ctx` may not be JSON.
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in exc.errors()]


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.error, exc.detail, headers=exc.headers)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        return error_response(exc.status_code, error_code(exc.status_code), exc.detail,
                              headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid_request", _validation_problems(exc))

    @app.exception_handler(Neo4jUnavailableError)
    @app.exception_handler(Neo4jSetupError)
    async def _neo4j_down(request: Request, exc: Neo4jUnavailableError | Neo4jSetupError) -> JSONResponse:
        log.warning("%s %s: %s", request.method, request.url.path, exc)
        return error_response(503, "database_unavailable", str(exc),
                              headers={"Retry-After": str(RETRY_AFTER_SECONDS)})

    @app.exception_handler(QueryError)
    async def _query(request: Request, exc: QueryError) -> JSONResponse:
        if isinstance(exc, UnknownQueryError):
            return error_response(404, "unknown_query", str(exc))
        if isinstance(exc, QueryTimeoutError):
            return error_response(504, "query_timeout", str(exc))
        return error_response(400, "query_refused", str(exc))


class CatchAll:
    """Turns an exception that no handler took into a JSON 500 and logs it once.

    (Starlette's own `Exception` handler answers too, but then re-raises, so the server logs the
    traceback a second time.)"""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unhandled error in %s %s", scope.get("method"), scope.get("path"))
            if started:  # too late for a clean answer: let the server drop the connection
                raise
            response = error_response(500, "internal_error", "an unexpected error occurred; "
                                                              "it has been logged on the server")
            await response(scope, receive, send)


class BodyTooLargeError(HTTPException):
    def __init__(self, limit: int):
        super().__init__(413, f"the request body is over the {_mb(limit)} limit (CASEGRAPH_API_MAX_BODY_MB)")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


class BodyLimit:
    """Refuses a body over `limit` bytes: at once from its Content-Length, or as it streams in
    (chunked uploads), before the application has buffered it."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _content_length(scope)
        if length is not None and length > self.limit:
            exc = BodyTooLargeError(self.limit)
            await error_response(413, "payload_too_large", exc.detail)(scope, receive, send)
            return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLargeError(self.limit)
            return message

        await self.app(scope, limited_receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None

