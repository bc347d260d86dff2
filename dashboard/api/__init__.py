"""casegraph's HTTP API (FastAPI): `create_api(settings)`, served by `casegraph api`."""

from dashboard.api.app import create_api, export_openapi, openapi_spec

__all__ = ["create_api", "export_openapi", "openapi_spec"]
