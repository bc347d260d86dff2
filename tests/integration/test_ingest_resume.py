"""`kill -9` in the middle of an ingest, then the same command again: the graph equals a clean
single run (same counts, no duplicates, no file lost)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from casegraph.bench.ingest import make_corpus
from graph.db import counts, read
from tests.factories.database import wipe
from tests.factories.paths import CASEGRAPH
from tests.factories.processes import cli_env

N_DOCS = 40


def _ingested(settings) -> int:  # type: ignore[no-untyped-def]
    return read("MATCH (d:Document {status: 'ingested'}) RETURN count(d) AS n", settings=settings)[0]["n"]


def _snapshot(settings) -> tuple[dict[str, int], list[tuple[str, str, int]]]:  # type: ignore[no-untyped-def]
    docs = read("MATCH (d:Document) OPTIONAL MATCH (s:Sentence)-[:IN]->(d) "
                "RETURN d.id AS id, d.path AS path, count(s) AS sentences ORDER BY id", settings=settings)
    return counts(settings), [(r["id"], r["path"], r["sentences"]) for r in docs]


def _run(corpus: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CASEGRAPH), "ingest", str(corpus), "--workers", "1"], capture_output=True,
                          text=True, env=env, timeout=600)


def test_sigkill_midway_then_resume_equals_clean_run(graph_db, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    make_corpus(corpus, N_DOCS, paragraphs=2)
    env = cli_env(graph_db) | {"CASEGRAPH_INGEST_BATCH_DOCS": "4"}

    log = tmp_path / "killed-run.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([str(CASEGRAPH), "ingest", str(corpus), "--workers", "1"], env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 300
    try:
        while _ingested(graph_db) < 4:
            assert proc.poll() is None, f"the ingest ended before it could be killed:\n{log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, "no document written within 300 s"
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its worker processes, mid-write or mid-parse
        proc.wait(timeout=30)
    partial = _ingested(graph_db)
    assert 4 <= partial < N_DOCS, f"killed after {partial} of {N_DOCS}: not mid-way\n{log.read_text()[-3000:]}"

    resumed = _run(corpus, env)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    after_resume = _snapshot(graph_db)
    assert _ingested(graph_db) == N_DOCS

    wipe(graph_db)
    clean = _run(corpus, env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    after_clean = _snapshot(graph_db)
    assert after_resume[0] == after_clean[0], (after_resume[0], after_clean[0])
    assert after_resume[1] == after_clean[1]
    ids = [doc_id for doc_id, _, _ in after_resume[1]]
    assert len(ids) == len(set(ids)) == N_DOCS
