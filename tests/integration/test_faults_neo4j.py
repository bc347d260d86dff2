"""Neo4j stops in the middle of `casegraph ingest` (its own throw-away server, never the session's).

1. The server is stopped and started again while the run is writing: the run rides out the restart
   (retries with back-off) and completes.
2. The server stays down longer than `CASEGRAPH_NEO4J_RETRY_SECONDS`: the run stops with one clear
   line and exit code 3; once the server is back, the same command completes the job.
In both cases the final graph equals a clean run into an emptied database: the same counts by label
and type, the same entity keys, the same documents with the same sentences.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from casegraph.bench.ingest import make_corpus
from casegraph.core.settings import Settings
from graph import server
from graph.db import read
from tests.factories.database import graph_state, wipe
from tests.factories.paths import CASEGRAPH, REPO
from tests.factories.processes import cli_env, ingest, last_line

pytestmark = pytest.mark.slow

N_DOCS = 40


def _ingested(settings: Any) -> int:
    return int(read("MATCH (d:Document {status: 'ingested'}) RETURN count(d) AS n", settings=settings)[0]["n"])


def _start_run(corpus: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with open(log, "wb") as out:
        return subprocess.Popen([str(CASEGRAPH), "ingest", str(corpus), "--workers", "1"], env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)


def _stop_mid_run(settings: Any, proc: subprocess.Popen[bytes], log: Path) -> int:
    """Wait until the run has written a few documents, then stop the server under it."""
    deadline = time.monotonic() + 300
    while (done := _ingested(settings)) < 4:
        assert proc.poll() is None, f"the run ended before Neo4j could be stopped:\n{log.read_text()[-3000:]}"
        assert time.monotonic() < deadline, "no document written within 300 s"
        time.sleep(0.1)
    assert proc.poll() is None and done < N_DOCS, "the run finished before Neo4j went down: not mid-run"
    server.stop(settings)
    return done


def _wait(proc: subprocess.Popen[bytes], timeout: float) -> int:
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise


def test_neo4j_restart_mid_run(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    make_corpus(corpus, N_DOCS, paragraphs=2)
    with server.temporary_server(Settings(cache_dir=REPO / ".casegraph" / "cache")) as settings:
        env = cli_env(settings) | {"CASEGRAPH_INGEST_BATCH_DOCS": "4", "CASEGRAPH_WORK_DIR": str(tmp_path / "work")}

        # 1. Stopped and started again mid-run: the run retries and completes.
        log = tmp_path / "restart.log"
        proc = _start_run(corpus, env | {"CASEGRAPH_NEO4J_RETRY_SECONDS": "120"}, log)
        _stop_mid_run(settings, proc, log)
        time.sleep(3)  # the run meets the outage
        server.start(settings)
        rc = _wait(proc, 400)
        output = log.read_text()
        assert rc == 0, output[-3000:]
        # The driver's managed transactions retry ("will be retried in"), then the runner ("retrying in").
        assert re.search(r"retried in|retrying in", output), f"the run never met the outage:\n{output[-3000:]}"
        assert "Traceback" not in output
        restarted = graph_state(settings)
        assert _ingested(settings) == N_DOCS

        # 2. Down for longer than the run waits: one clear line, exit code 3; the re-run completes.
        wipe(settings)
        log = tmp_path / "down.log"
        proc = _start_run(corpus, env | {"CASEGRAPH_NEO4J_RETRY_SECONDS": "2"}, log)
        partial = _stop_mid_run(settings, proc, log)
        rc = _wait(proc, 300)
        output = log.read_text()
        assert rc == 3, output[-3000:]
        assert "Traceback" not in output
        assert last_line(output).startswith(f"error: cannot reach Neo4j at {settings.bolt_uri}"), output[-3000:]
        server.start(settings)
        assert _ingested(settings) >= partial  # what was written before the outage is still there
        rerun = ingest([corpus], env)
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
        resumed = graph_state(settings)

        # The clean run both must equal.
        wipe(settings)
        clean = ingest([corpus], env)
        assert clean.returncode == 0, clean.stdout + clean.stderr
        expected = graph_state(settings)
    assert len(expected["documents"]) == N_DOCS
    assert restarted == expected
    assert resumed == expected
