"""The embedded server and what users see when Neo4j is not there."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from casegraph.core.errors import Neo4jSetupError, Neo4jUnavailableError
from casegraph.core.settings import Settings
from graph import server
from graph.db import read, server_version
from graph.server import free_port
from tests.factories.paths import REPO


def test_server_answers_with_5_26(neo4j_settings):
    assert server_version(neo4j_settings).startswith("5.26")
    st = server.status(neo4j_settings)
    assert st.answering


def test_conf_is_local_and_quiet(neo4j_settings):
    conf = server.render_conf(neo4j_settings, server.layout(neo4j_settings))
    assert "server.default_listen_address=127.0.0.1" in conf
    assert "dbms.usage_report.enabled=false" in conf
    assert "client.allow_telemetry=false" in conf
    assert "dbms.security.auth_enabled=true" in conf


def test_wrong_password_is_refused(neo4j_settings):
    bad = neo4j_settings.model_copy(update={"neo4j_password": "wrong"})
    from pydantic import SecretStr

    bad = neo4j_settings.model_copy(update={"neo4j_password": SecretStr("wrong-password")})
    with pytest.raises(Neo4jUnavailableError):
        read("RETURN 1", settings=bad)


def test_unreachable_neo4j_gives_clear_error(tmp_path):
    settings = Settings(neo4j_uri=f"bolt://127.0.0.1:{free_port()}", neo4j_password="x", work_dir=tmp_path)
    with pytest.raises(Neo4jUnavailableError, match="cannot reach Neo4j"):
        read("RETURN 1", settings=settings)


def test_cli_reports_unreachable_without_traceback(tmp_path):
    env = {"NEO4J_URI": f"bolt://127.0.0.1:{free_port()}", "NEO4J_PASSWORD": "x", "PATH": "/usr/bin:/bin",
           "CASEGRAPH_WORK_DIR": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "casegraph", "neo4j", "status"], capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=60)
    assert proc.returncode == 3
    assert "cannot reach Neo4j" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_port_in_use_is_reported(tmp_path):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        settings = Settings(work_dir=tmp_path, cache_dir=REPO / ".casegraph" / "cache",
                            neo4j_bolt_port=port, neo4j_http_port=free_port(), neo4j_password="x-password")
        with pytest.raises(Neo4jSetupError, match=f"port {port} .* already in use"):
            server.start(settings)
