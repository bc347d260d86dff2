"""Bad local conditions for `casegraph ingest`, in real processes against the real Neo4j.

- **Work directory full / read-only** (where runs keep their resolution snapshot and the KB): the
  directory is a tiny tmpfs, filled up or mounted read-only, in a private mount namespace
  (`unshare`; as a non-root user through a user namespace). The run stops before writing anything,
  with one clear line; the graph and the KB are exactly as they were; no half-written file stays.
- **Unreadable file and a FIFO**: tests run as root, for whom `chmod 000` stops nothing, so the run
  is made in a user namespace without a uid mapping (`unshare --user`: the overflow user, to whom
  root's files are anybody's); a FIFO, which would block a reader forever, sits beside it. Both are
  reported with their reason, the other files are ingested, and after `chmod 644` a re-run ingests
  the file: the graph then equals a clean run.

Each part skips, with the reason, where the machine cannot do what it needs.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from casegraph.bench.ingest import make_corpus
from graph.db import read
from tests.factories.database import graph_state, wipe
from tests.factories.paths import CASEGRAPH
from tests.factories.processes import cli_env, ingest


def _unshare_prefix() -> list[str] | None:
    """A command prefix giving a private mount namespace in which we may mount, or None."""
    if not shutil.which("unshare"):
        return None
    prefix = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "--user", "--map-root-user", "--mount"]
    probe = subprocess.run([*prefix, "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt 2>/dev/null || "
                            "mount -t tmpfs -o size=64k tmpfs \"$TMPDIR\""], capture_output=True,
                           env={**os.environ, "TMPDIR": tempfile.gettempdir()})
    return prefix if probe.returncode == 0 else None


@pytest.fixture()
def case(graph_db: Any, tmp_path: Path) -> dict[str, Any]:
    """Two files already ingested with a good work directory (which holds the built KB); a third
    file waiting in the drop."""
    drop, made = tmp_path / "drop", tmp_path / "made"
    drop.mkdir()
    made.mkdir()
    files = make_corpus(made, 3, paragraphs=1)
    for f in files[:2]:
        shutil.copy(f, drop / f.name)
    work = tmp_path / "work"
    env = cli_env(graph_db) | {"CASEGRAPH_WORK_DIR": str(work)}
    first = ingest([drop], env)
    assert first.returncode == 0, first.stdout + first.stderr
    shutil.copy(files[2], drop / files[2].name)
    kb = work / "kb" / "casegraph_kb.db"
    assert kb.is_file()
    return {"settings": graph_db, "drop": drop, "env": env, "kb": kb, "before": graph_state(graph_db)}


def _in_tmpfs(prefix: list[str], setup: str, env: dict[str, str], drop: Path, workdir: Path, kb: Path,
              ) -> subprocess.CompletedProcess[str]:
    """Run the ingest with a fresh tmpfs as its work directory (holding a copy of the KB), after
    `setup` (fill it up, remount it read-only); then print the KB's SHA-256 and what is in state/."""
    script = (
        'set -u; mount -t tmpfs -o size=512k tmpfs "$WD" && mkdir "$WD/kb" && cp "$KB" "$WD/kb/" && '
        f'{setup}; "$CASEGRAPH" ingest "$DROP" --workers 1; rc=$?; '
        'echo "kb-sha256: $(sha256sum "$WD/kb/casegraph_kb.db" | cut -d" " -f1)"; '
        'echo "state: $(ls -A "$WD/state" 2>/dev/null | tr "\\n" " ")"; exit $rc'
    )
    workdir.mkdir(exist_ok=True)
    return subprocess.run([*prefix, "sh", "-c", script], capture_output=True, text=True, timeout=600,
                          env=env | {"WD": str(workdir), "KB": str(kb), "DROP": str(drop),
                                     "CASEGRAPH": str(CASEGRAPH), "CASEGRAPH_WORK_DIR": str(workdir)})


@pytest.mark.parametrize(
    ("condition", "setup", "reason"),
    [
        ("full", 'dd if=/dev/zero of="$WD/filler" bs=4k 2>/dev/null; true', "No space left on device"),
        ("read-only", 'mount -o remount,ro "$WD"', "Read-only file system"),
    ],
)
def test_work_directory_full_or_read_only(case: dict[str, Any], tmp_path: Path, condition: str, setup: str,
                                          reason: str) -> None:
    prefix = _unshare_prefix()
    if prefix is None:
        pytest.skip("cannot mount a tmpfs here (no unshare, or mount and user namespaces are not allowed)")
    kb_sha = hashlib.sha256(case["kb"].read_bytes()).hexdigest()
    run = _in_tmpfs(prefix, setup, case["env"], case["drop"], tmp_path / f"wd-{condition}", case["kb"])
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert "Traceback" not in output
    error = next(ln for ln in output.splitlines() if ln.startswith("error:"))
    assert error.startswith(f"error: cannot write to the work directory {tmp_path / f'wd-{condition}'} ({reason})")
    assert "CASEGRAPH_WORK_DIR" in error
    # Nothing corrupted: the graph is as it was, the KB is intact, no half-written snapshot.
    assert graph_state(case["settings"]) == case["before"]
    assert f"kb-sha256: {kb_sha}" in run.stdout
    assert re.search(r"^state: *$", run.stdout, re.MULTILINE), run.stdout
    # With room again, the same command completes the job.
    again = ingest([case["drop"]], case["env"])
    assert again.returncode == 0, again.stdout + again.stderr
    after = graph_state(case["settings"])
    wipe(case["settings"])
    clean = ingest([case["drop"]], case["env"])
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert after == graph_state(case["settings"])


@pytest.fixture()
def world_readable_tmp() -> Iterator[Path]:
    # pytest's tmp_path sits below a 0700 directory that `nobody` cannot enter.
    folder = Path(tempfile.mkdtemp(prefix="casegraph-faults-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_unreadable_file_and_fifo(graph_db: Any, world_readable_tmp: Path) -> None:
    as_user: list[str] = []
    if os.geteuid() == 0:
        # A user namespace with no mapping runs the ingest as the overflow user, to whom files of
        # the real root are as to anybody else: a chmod 000 file is unreadable.
        if not shutil.which("unshare") or subprocess.run(["unshare", "--user", "true"]).returncode:
            pytest.skip("running as root without user namespaces: chmod 000 cannot make a file unreadable")
        as_user = ["unshare", "--user", "--"]
    drop = world_readable_tmp / "drop"
    drop.mkdir()
    files = make_corpus(drop, 3, paragraphs=1)
    locked = files[1]
    locked.chmod(0o000)
    fifo = drop / "pipe.txt"
    os.mkfifo(fifo)
    work = world_readable_tmp / "work"
    work.mkdir()
    work.chmod(0o777)
    env = cli_env(graph_db) | {"CASEGRAPH_WORK_DIR": str(work), "HOME": str(work)}
    run = ingest([drop], env, prefix=as_user)
    output = run.stdout + run.stderr
    assert run.returncode == 1, output  # some documents failed
    assert "Traceback" not in output
    rows = read("MATCH (d:Document) RETURN d.path AS path, d.status AS status, d.error AS error", settings=graph_db)
    by_path = {r["path"]: r for r in rows}
    assert str(locked) in by_path, (rows, output)
    assert by_path[str(locked)]["status"] == "failed"
    assert by_path[str(locked)]["error"] == "unreadable: Permission denied"
    assert by_path[str(fifo)]["status"] == "failed" and by_path[str(fifo)]["error"] == "not a regular file"
    assert {by_path[str(f)]["status"] for f in (files[0], files[2])} == {"ingested"}
    assert f"{locked}: unreadable: Permission denied" in " ".join(output.split())

    # Readable again: the re-run ingests it (the FIFO still fails), and the graph equals a clean
    # run of the same drop.
    locked.chmod(0o644)
    again = ingest([drop], env, prefix=as_user)
    assert again.returncode == 1, again.stdout + again.stderr
    after = graph_state(graph_db)
    at_locked = [d for d in after["documents"] if d[1] == str(locked)]
    assert len(at_locked) == 1 and at_locked[0][2] == "ingested", at_locked
    wipe(graph_db)
    clean = ingest([drop], env, prefix=as_user)
    assert clean.returncode == 1, clean.stdout + clean.stderr
    assert after == graph_state(graph_db)


# ------------------------------------------------------------------ a parser that kills its worker


def _dies_on_crash_files(task: Any) -> Any:
    """Stands in for `casegraph.pipeline.worker.process_file` in the worker processes (imported there by name):
    the process dies on a file named `crash*`, as a segfaulting parser would."""
    from casegraph.pipeline.worker import FileOutcome

    if Path(task.path).name.startswith("crash"):
        os._exit(1)
    return FileOutcome(path=task.path, doc_id="ok")


@pytest.mark.parametrize("crash_at", [0, 7, 19])
def test_worker_crash_fails_that_file_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, crash_at: int) -> None:
    """The file that kills its worker is reported as failed; every other file of the batch, those
    the broken pool had not started included, still gets its outcome, once."""
    import casegraph.pipeline.runner as runner
    from casegraph.core.settings import Settings
    from casegraph.pipeline.worker import FileTask

    monkeypatch.setattr(runner, "GraphWriter", lambda *a, **k: None)  # no graph needed here
    monkeypatch.setattr(runner, "process_file", _dies_on_crash_files)
    names = [f"{'crash' if i == crash_at else 'doc'}-{i:02d}.txt" for i in range(20)]
    for name in names:
        (tmp_path / name).write_text(name)
    with runner.Ingestor(Settings(), workers=2, nlp=False) as ingestor:
        tasks = [FileTask(str(tmp_path / n), ingestor.options, nlp=False) for n in names]
        outcomes = {o.path: o for o in ingestor._outcomes(tasks)}
    assert sorted(outcomes) == sorted(t.path for t in tasks)
    crashed = outcomes.pop(str(tmp_path / names[crash_at]))
    assert crashed.file_failed
    assert crashed.results[-1].document.error == "parser crashed: the worker process died on this file"
    assert crashed.doc_id == hashlib.sha256(names[crash_at].encode()).hexdigest()
    assert {o.doc_id for o in outcomes.values()} == {"ok"}
