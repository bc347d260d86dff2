"""The OpenAPI spec: every endpoint of the issue, documented errors, and docs/openapi.json kept
equal to what the app serves (`casegraph api --openapi docs/openapi.json` rewrites it)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from casegraph.cli.api import app as api_cli
from casegraph.core.settings import Settings
from dashboard.api import openapi_spec
from tests.factories.paths import REPO

SPEC_FILE = REPO / "docs" / "openapi.json"
ENDPOINTS = {
    ("post", "/api/ner"), ("post", "/api/documents"), ("get", "/api/documents/{doc_id}"),
    ("get", "/api/entities"), ("get", "/api/entities/{key}"), ("get", "/api/entities/{key}/neighbors"),
    ("get", "/api/relations/{relation_id}/evidence"), ("post", "/api/cypher/{name}"), ("get", "/api/jobs/{job_id}"),
}


def test_spec_has_every_endpoint_with_json_errors():
    spec = openapi_spec(Settings())
    operations = {(method, path): op for path, item in spec["paths"].items() for method, op in item.items()}
    assert set(operations) >= ENDPOINTS
    for (_method, path), op in operations.items():
        ok = op["responses"].get("200") or op["responses"].get("201") or op["responses"].get("202")
        assert ok and "application/json" in ok["content"], path
        if path != "/api/health":
            assert op["responses"]["422"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorBody"}
            assert {"APIKeyHeader": []} in op["security"] and {"HTTPBearer": []} in op["security"]
    upload = operations[("post", "/api/documents")]["requestBody"]["content"]
    assert "multipart/form-data" in upload
    # An upload is a job: 202 with its id, its state at /api/jobs/{job_id}.
    accepted = operations[("post", "/api/documents")]["responses"]["202"]["content"]["application/json"]
    assert accepted["schema"] == {"$ref": "#/components/schemas/UploadAccepted"}
    assert set(spec["components"]["schemas"]["UploadAccepted"]["properties"]) >= {"job_id", "status_url"}
    job = spec["components"]["schemas"]["Job"]["properties"]
    assert job["status"]["enum"] == ["queued", "running", "done", "failed"]
    assert set(spec["components"]["schemas"]["ErrorBody"]["properties"]) == {"error", "detail"}


def test_docs_openapi_json_is_current():
    assert SPEC_FILE.is_file(), "run `casegraph api --openapi docs/openapi.json`"
    assert json.loads(SPEC_FILE.read_text(encoding="utf-8")) == openapi_spec(Settings()), (
        "docs/openapi.json is out of date: run `casegraph api --openapi docs/openapi.json`")


def test_cli_writes_the_spec(tmp_path):
    out = tmp_path / "spec" / "openapi.json"
    result = CliRunner().invoke(api_cli, ["--openapi", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8")) == openapi_spec(Settings())
    help_text = CliRunner().invoke(api_cli, ["--help"]).output
    assert "--host" in help_text and "--port" in help_text
