"""No traceback reaches a user: the installed `casegraph` command failing in different real ways,
each ending in one line on stderr and its exit code (docs/operations.md lists them)."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

from casegraph.core.errors import ExitCode
from tests.factories.paths import CASEGRAPH


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the block ends: nothing listens there


def _casegraph(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("CASEGRAPH_", "NEO4J_"))}
    environ |= {"CASEGRAPH_WORK_DIR": str(cwd / "work"), **env}
    return subprocess.run([str(CASEGRAPH), *args], capture_output=True, text=True, cwd=cwd, env=environ,
                          timeout=300)


def _one_error_line(run: subprocess.CompletedProcess[str]) -> str:
    lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert lines[0].startswith("error: "), lines
    return lines[0]


pytestmark = pytest.mark.skipif(not CASEGRAPH.exists(), reason=f"no casegraph console script at {CASEGRAPH}")


def test_neo4j_not_reachable_is_exit_3(tmp_path: Path) -> None:
    uri = f"bolt://127.0.0.1:{_closed_port()}"
    run = _casegraph("cypher", "run", "aliases", "-p", "entity=El Flaco", cwd=tmp_path,
                     NEO4J_URI=uri, NEO4J_PASSWORD="not-used")
    assert run.returncode == ExitCode.NEO4J_UNAVAILABLE == 3
    line = _one_error_line(run)
    assert f"cannot reach Neo4j at {uri}" in line and "NEO4J_URI" in line  # what happened, what to do


def test_a_bad_argument_is_exit_2_with_the_help_to_read(tmp_path: Path) -> None:
    run = _casegraph("ingest", "--workers", "0", "somewhere", cwd=tmp_path)
    assert run.returncode == ExitCode.USAGE == 2
    line = _one_error_line(run)
    assert "--workers" in line and "see 'casegraph ingest run --help'" in line

    unknown = _casegraph("no-such-command", cwd=tmp_path)
    assert unknown.returncode == 2
    assert "No such command 'no-such-command'" in _one_error_line(unknown)


def test_a_bad_setting_names_the_variable(tmp_path: Path) -> None:
    run = _casegraph("report", "resolution", cwd=tmp_path, CASEGRAPH_FUZZY_THRESHOLD="high")
    assert run.returncode == ExitCode.SETUP == 4
    line = _one_error_line(run)
    assert line.startswith("error: invalid setting CASEGRAPH_FUZZY_THRESHOLD:") and ".env" in line


def test_a_known_error_says_what_to_do(tmp_path: Path) -> None:
    bad = tmp_path / "mentions.json"
    bad.write_text('{"known": [], "mentions": [{"doc": "a"}]}', encoding="utf-8")
    run = _casegraph("report", "resolution", str(bad), cwd=tmp_path)
    assert run.returncode == 2
    line = _one_error_line(run)
    assert f"{bad} is not a resolution fixture" in line and "casegraph/eval/data/" in line
    assert not (tmp_path / "work" / "logs").exists()  # a known error is no bug: nothing to log


def test_an_unexpected_error_is_one_line_and_a_logged_traceback(tmp_path: Path) -> None:
    # A corrupt file where the CLI expects a trained spaCy pipeline directory.
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.cfg").write_text("[nlp\nlang = ", encoding="utf-8")
    (model / "meta.json").write_text("{not json", encoding="utf-8")
    text = tmp_path / "report.txt"
    text.write_text("Carlos Mendez sold heroin in Chicago.", encoding="utf-8")

    run = _casegraph("nlp", "analyze", str(text), "--model", str(model), cwd=tmp_path)
    assert run.returncode == ExitCode.UNEXPECTED == 70
    line = _one_error_line(run)
    log = tmp_path / "work" / "logs" / "casegraph.log"
    assert line.startswith("error: unexpected ") and line.endswith(f"details in {log}")
    logged = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged and f"nlp analyze {text} --model {model}" in logged

    debug = _casegraph("--debug", "nlp", "analyze", str(text), "--model", str(model), cwd=tmp_path)
    assert debug.returncode == 70
    assert "Traceback (most recent call last)" in debug.stderr
    assert debug.stderr.rstrip().splitlines()[-1] == line
    assert log.read_text(encoding="utf-8").count("Traceback (most recent call last)") == 2
