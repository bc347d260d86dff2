"""Two `casegraph ingest` processes at once on overlapping drops (A = files 0–23, B = files 12–35)
build the same graph as one process ingesting all 36 files: the same counts by label and type,
the same entity keys, each document once with the same sentences.

Overlapping documents are written by both processes; the writer locks documents and entities in
key order inside one transaction per batch, so the two wait for each other instead of duplicating
or deadlocking, and the second write of a document replaces the first exactly."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from casegraph.bench.ingest import make_corpus
from tests.factories.database import graph_state, wipe
from tests.factories.paths import CASEGRAPH
from tests.factories.processes import cli_env, ingest

pytestmark = pytest.mark.slow

N_DOCS = 36


def test_two_processes_on_overlapping_drops_equal_one(graph_db: Any, tmp_path: Path) -> None:
    made = tmp_path / "made"
    made.mkdir()
    files = make_corpus(made, N_DOCS, paragraphs=2)
    # The overlap is the same files at the same paths, as two runs over one share would see them.
    drops = [files[:24], files[12:]]
    env = cli_env(graph_db) | {"CASEGRAPH_INGEST_BATCH_DOCS": "4", "CASEGRAPH_WORK_DIR": str(tmp_path / "work")}
    runs = [subprocess.Popen([str(CASEGRAPH), "ingest", *map(str, chosen), "--workers", "1"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for chosen in drops]
    outputs = [p.communicate(timeout=600)[0] for p in runs]
    assert [p.returncode for p in runs] == [0, 0], "\n".join(o[-3000:] for o in outputs)
    assert all("Traceback" not in o for o in outputs)
    together = graph_state(graph_db)

    wipe(graph_db)
    one = ingest(files, env)
    assert one.returncode == 0, one.stdout + one.stderr
    alone = graph_state(graph_db)
    assert len(alone["documents"]) == N_DOCS
    assert together == alone
