"""The HTTP API's contract for failure: JSON `{"error", "detail"}` bodies, never a traceback;
the API key; body and text limits; Neo4j down → 503; and a real uvicorn server."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from dashboard.api import create_api
from graph.server import free_port
from tests.factories.api import api_settings, assert_error, client_for
from tests.factories.query_case import CARLOS, write_case_graph

KEY = "s3cret-key-for-tests"


@pytest.fixture()
def client(graph_db, tmp_path):
    with client_for(api_settings(graph_db, tmp_path)) as c:
        yield c


def test_unknown_route_and_method(client):
    assert_error(client.get("/api/nothing-here"), 404, "not_found")
    assert_error(client.delete("/api/entities"), 405, "method_not_allowed")


def test_unexpected_error_is_a_generic_500_and_logged(graph_db, tmp_path, caplog):
    app = create_api(api_settings(graph_db, tmp_path))

    def boom() -> None:
        raise RuntimeError("internal detail that must not leak")

    app.add_api_route("/api/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.get("/api/boom")
    body = assert_error(response, 500, "internal_error")
    assert "must not leak" not in response.text and "RuntimeError" not in response.text
    assert body["detail"].startswith("an unexpected error occurred")
    assert any("must not leak" in (r.exc_text or "") for r in caplog.records)


# ------------------------------------------------------------------------------------ API key
def test_api_key_required_when_configured(graph_db, tmp_path):
    write_case_graph(graph_db)
    with client_for(api_settings(graph_db, tmp_path, api_key=KEY)) as c:
        url, params = "/api/entities", {"q": "carlos"}
        missing = c.get(url, params=params)
        assert "X-API-Key" in assert_error(missing, 401, "unauthorized")["detail"]
        assert missing.headers["www-authenticate"] == "Bearer"
        assert_error(c.get(url, params=params, headers={"X-API-Key": "wrong"}), 401, "unauthorized")
        assert_error(c.get(url, params=params, headers={"Authorization": "Bearer wrong"}), 401, "unauthorized")
        assert_error(c.get(url, params=params, headers={"Authorization": f"Basic {KEY}"}), 401)
        assert_error(c.post("/api/ner", json={"text": "x"}), 401, "unauthorized")
        assert_error(c.post("/api/cypher/aliases", json={"params": {"entity": CARLOS}}), 401)

        assert c.get(url, params=params, headers={"X-API-Key": KEY}).json()[0]["key"] == CARLOS
        assert c.get(url, params=params, headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
        # A wrong header beside the right one still gets in: either way of sending it works.
        both = c.get(url, params=params, headers={"X-API-Key": "wrong", "Authorization": f"Bearer {KEY}"})
        assert both.status_code == 200
        # Health and the spec need no key.
        assert c.get("/api/health").json() == {"status": "ok", "neo4j": "up"}
        assert c.get("/api/openapi.json").status_code == 200


def test_no_key_configured_means_open(graph_db, tmp_path):
    write_case_graph(graph_db)
    with client_for(api_settings(graph_db, tmp_path)) as c:
        assert c.get("/api/entities", params={"q": "carlos"}).status_code == 200
        assert c.get("/api/entities", params={"q": "carlos"}, headers={"X-API-Key": "anything"}).status_code == 200


# ------------------------------------------------------------------------------------ limits
def test_body_over_the_limit_is_refused(graph_db, tmp_path):
    settings = api_settings(graph_db, tmp_path, api_max_body_mb=0.001)  # 1,048 bytes
    with client_for(settings) as c:
        body = assert_error(c.post("/api/ner", json={"text": "word " * 1000}), 413, "payload_too_large")
        assert "CASEGRAPH_API_MAX_BODY_MB" in body["detail"]

        def chunks():  # no Content-Length: the limit is enforced as the body streams in
            yield b'{"text": "'
            for _ in range(100):
                yield b"word " * 20
            yield b'"}'

        streamed = c.post("/api/ner", content=chunks(), headers={"content-type": "application/json"})
        assert_error(streamed, 413, "payload_too_large")
        upload = c.post("/api/documents", files={"file": ("big.txt", b"x" * 5000, "text/plain")})
        assert_error(upload, 413, "payload_too_large")
    assert not list((tmp_path / "uploads").rglob("*.txt"))


def test_text_over_the_limit_is_refused(graph_db, tmp_path):
    with client_for(api_settings(graph_db, tmp_path, api_max_text_chars=50)) as c:
        body = assert_error(c.post("/api/ner", json={"text": "a" * 51}), 413, "payload_too_large")
        assert "51 characters" in body["detail"] and "CASEGRAPH_API_MAX_TEXT_CHARS" in body["detail"]


# ------------------------------------------------------------------------------------ Neo4j down
def test_neo4j_down_is_503(tmp_path):
    from casegraph.core.settings import Settings

    down = Settings(neo4j_uri=f"bolt://127.0.0.1:{free_port()}", neo4j_password="unused", data_dir=tmp_path)
    with client_for(down) as c:
        # (Each read retries for a few seconds first: one of each kind is enough.)
        for response in (c.get("/api/entities", params={"q": "carlos"}),
                         c.post("/api/cypher/aliases", json={"params": {"entity": CARLOS}})):
            body = assert_error(response, 503, "database_unavailable")
            assert "cannot reach Neo4j" in body["detail"]
            assert response.headers["retry-after"] == "10"
        # Uploads are jobs (issue 14): the upload is stored and accepted even while Neo4j is down.
        upload = c.post("/api/documents", files={"file": ("note.txt", b"A short note.", "text/plain")})
        assert upload.status_code == 202 and upload.json()["job_id"]
        health = c.get("/api/health")
        assert health.status_code == 503 and health.json()["status"] == "degraded"
    unconfigured = Settings(neo4j_uri="bolt://127.0.0.1:7687", neo4j_password=None, data_dir=tmp_path)
    with client_for(unconfigured) as c:
        body = assert_error(c.get("/api/entities", params={"q": "carlos"}), 503, "database_unavailable")
        assert "NEO4J_PASSWORD" in body["detail"]
    # The upload is kept durably under the data dir for the job worker.
    assert any(p.is_file() for p in tmp_path.rglob("*") if "upload" in str(p.relative_to(tmp_path)))


# ------------------------------------------------------------------------------------ a real server
def test_served_by_uvicorn(graph_db, tmp_path):
    write_case_graph(graph_db)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_api(api_settings(graph_db, tmp_path, api_key=KEY)),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        hits = httpx.get(f"{base}/api/entities", params={"q": "mendez"}, headers={"X-API-Key": KEY}, timeout=30)
        assert hits.status_code == 200 and hits.json()[0]["key"] == CARLOS
        assert_error(httpx.get(f"{base}/api/entities", params={"q": "mendez"}, timeout=30), 401, "unauthorized")
        spec = httpx.get(f"{base}/api/openapi.json", timeout=30).json()
        assert "/api/relations/{relation_id}/evidence" in spec["paths"]
    finally:
        server.should_exit = True
        thread.join(timeout=30)
