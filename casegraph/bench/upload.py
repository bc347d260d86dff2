"""`casegraph bench upload`: how fast `POST /api/documents` is accepted on a cold API process.

Starts `casegraph api` in a fresh process on a free port with a throw-away work dir, waits until
it answers /api/health, then uploads generated documents one after another and times each
request from send to its 202 answer (client side, over loopback). The first upload is the cold
one: nothing loaded yet, the job worker idle; the next ones arrive while the worker loads the NLP
models and ingests, which is when an in-request ingest used to time out. Only acceptance is
measured; the jobs themselves go on (or fail, with no reachable Neo4j) after the answer.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from casegraph.bench.ingest import write_pdf
from casegraph.core.tables import ReportTable

STARTUP_SECONDS = 180
PAGES = 20


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _casegraph() -> list[str]:
    script = Path(sys.executable).with_name("casegraph")
    return [str(script)] if script.exists() else [sys.executable, "-m", "casegraph"]


def _documents(folder: Path, count: int) -> list[Path]:
    """A multi-page PDF first (the cold upload), then text reports of a few paragraphs."""
    paragraph = ("Detective Carlos Mendez arrested Dana Price in Fresno on 12 March 2024. Dana Price was "
                 "carrying methamphetamine and a Glock pistol; Luis Ortega drove the white van.")
    docs = [write_pdf(folder / "report-0.pdf", [[paragraph] * 12] * PAGES, title="Cold upload")]
    for i in range(1, count):
        path = folder / f"note-{i}.txt"
        path.write_text(f"Note {i}.\n\n" + "\n\n".join([paragraph] * (5 + i)), encoding="utf-8")
        docs.append(path)
    return docs


def measure(uploads: int = 6) -> dict[str, Any]:
    import httpx

    with tempfile.TemporaryDirectory(prefix="casegraph-bench-upload-") as tmp:
        work = Path(tmp)
        docs = _documents(work, uploads)
        port = _free_port()
        # An open API on loopback (no key, no login): the bench times the upload, not the auth.
        env = {**os.environ, "CASEGRAPH_DATA_DIR": str(work / "data"), "CASEGRAPH_AUTH": "off"}
        env.pop("CASEGRAPH_API_KEY", None)
        started = time.perf_counter()
        proc = subprocess.Popen([*_casegraph(), "api", "--host", "127.0.0.1", "--port", str(port)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            with httpx.Client(base_url=base, timeout=120) as client:
                while True:
                    try:
                        client.get("/api/health")
                        break
                    except httpx.TransportError:
                        if proc.poll() is not None or time.perf_counter() - started > STARTUP_SECONDS:
                            raise RuntimeError("`casegraph api` did not start") from None
                        time.sleep(0.2)
                ready = time.perf_counter() - started
                times, statuses = [], []
                for path in docs:
                    with path.open("rb") as fh:
                        sent = time.perf_counter()
                        response = client.post("/api/documents", files={"file": (path.name, fh)})
                        times.append((time.perf_counter() - sent) * 1000)
                    statuses.append(response.status_code)
        finally:
            proc.terminate()
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return {"ready_s": ready, "times_ms": times, "statuses": statuses}


def run(uploads: int = 6) -> list[ReportTable]:
    r = measure(uploads)
    times = r["times_ms"]
    rest = times[1:] or times
    accepted = sum(1 for s in r["statuses"] if s == 202)
    return [ReportTable(
        title="Upload accepted (POST /api/documents → 202) on a cold `casegraph api` process",
        command=f"casegraph bench upload --uploads {uploads}",
        columns=["request", "ms"],
        rows=[[f"first upload, cold process ({PAGES}-page PDF)", f"{times[0]:,.1f}"],
              [f"next {len(rest)} uploads, worker busy: median", f"{statistics.median(rest):,.1f}"],
              [f"next {len(rest)} uploads, worker busy: max", f"{max(rest):,.1f}"],
              ["answered 202 Accepted", f"{accepted} of {len(times)}"]],
        notes=[f"Upload accepted in **{times[0]:,.0f} ms** on a cold process. The API process answered "
               f"/api/health {r['ready_s']:.1f} s after it was started; the machine's load average was "
               f"{os.getloadavg()[0]:.1f}."],
    )]
