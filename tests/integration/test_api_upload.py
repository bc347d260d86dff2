"""POST /api/documents end to end: a real text file uploaded and accepted as a job, which the job
worker parses, runs through NLP and writes to the real Neo4j; then read back through the API.
The contract is asserted (202 with a job id, the job's states, the document in the graph, no
accepted upload lost across a restart), never how long anything takes."""

from __future__ import annotations

import hashlib
import time
from typing import Any

from fastapi.testclient import TestClient

from casegraph.core.settings import Settings
from casegraph.pipeline.jobs import JobQueue, JobWorker
from dashboard.api import create_api
from tests.factories.api import api_settings, assert_error, client_for, path_segment

REPORT = (b"Detective Carlos Mendez arrested Dana Price in Fresno on 12 March 2024.\n\n"
          b"Dana Price was carrying methamphetamine and a Glock pistol.\n")
# Generous: the first job of a process loads the NLP models in its worker.
JOB_TIMEOUT = 600


def accepted(response: Any) -> dict[str, Any]:
    """A 202 answer with the job's id and where to poll it."""
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["status_url"] == f"/api/jobs/{body['job_id']}" == response.headers["location"]
    return body  # type: ignore[no-any-return]


def finished(client: TestClient, status_url: str) -> dict[str, Any]:
    """Poll the job until it is done or failed; its states only ever move forward."""
    order = ["queued", "running", "done"]
    seen = "queued"
    deadline = time.monotonic() + JOB_TIMEOUT
    while True:
        job = client.get(status_url).json()
        if job["status"] == "failed":
            return job  # type: ignore[no-any-return]
        assert order.index(job["status"]) >= order.index(seen), (seen, job)
        seen = job["status"]
        if seen == "done":
            return job  # type: ignore[no-any-return]
        assert time.monotonic() < deadline, f"job still {seen} after {JOB_TIMEOUT} s: {job}"
        time.sleep(0.2)


def test_upload_is_a_job_that_puts_the_document_in_the_graph(graph_db, tmp_path):
    doc_id = hashlib.sha256(REPORT).hexdigest()
    with client_for(api_settings(graph_db, tmp_path)) as c:
        body = accepted(c.post("/api/documents", files={"file": ("arrest report.txt", REPORT, "text/plain")}))
        saved = tmp_path / "uploads" / doc_id / "arrest report.txt"
        assert (body["document_id"], body["filename"]) == (doc_id, "arrest report.txt")
        assert body["path"] == str(saved.absolute()) and saved.read_bytes() == REPORT

        job = finished(c, body["status_url"])
        assert (job["status"], job["outcome"], job["document_id"], job["error"], job["documents"]) == (
            "done", "ingested", doc_id, None, 1)
        assert job["created_at"] <= job["started_at"] <= job["finished_at"]

        doc = c.get(f"/api/documents/{doc_id}").json()
        assert doc["document"]["status"] == "ingested" and doc["document"]["filename"] == "arrest report.txt"
        assert doc["language"] == "en" and doc["sentence_count"] == 2
        text = REPORT.decode()
        names = {text[m["start"]:m["end"]]: m["type"] for m in doc["mentions"]}
        assert names["Carlos Mendez"] == "PERSON" and names["Dana Price"] == "PERSON"
        assert names["methamphetamine"] == "DRUG"

        # The uploaded document's entities are in the graph, linked to it.
        hits = c.get("/api/entities", params={"q": "dana price"}).json()
        assert hits[0]["key"] == "person:dana price"
        details = c.get(f"/api/entities/{path_segment('person:dana price')}").json()
        assert [d["id"] for d in details["documents"]] == [doc_id]

        # The same bytes again: a new job, with nothing new to do.
        again = accepted(c.post("/api/documents", files={"file": ("arrest report.txt", REPORT, "text/plain")}))
        assert again["job_id"] != body["job_id"]
        assert (finished(c, again["status_url"])["outcome"], again["document_id"]) == ("unchanged", doc_id)

        # A file that cannot be parsed: the job fails with the reason; the document is recorded as failed.
        broken = accepted(c.post("/api/documents",
                                 files={"file": ("scan.pdf", b"%PDF-1.4 not really a pdf", "application/pdf")}))
        failed = finished(c, broken["status_url"])
        assert failed["status"] == "failed" and failed["outcome"] == "failed" and failed["error"]
        assert c.get(f"/api/documents/{broken['document_id']}").json()["document"]["status"] == "failed"


def test_accepted_uploads_survive_a_restart(graph_db, tmp_path):
    """Uploads accepted while no worker runs (or while one died mid-job) are ingested by the next."""
    settings: Settings = api_settings(graph_db, tmp_path)
    with TestClient(create_api(settings, worker=False), raise_server_exceptions=False) as c:
        first = accepted(c.post("/api/documents", files={"file": ("arrest report.txt", REPORT, "text/plain")}))
        second = accepted(c.post("/api/documents", files={"file": ("note.txt", b"Luis Ortega met Dana Price.\n",
                                                                   "text/plain")}))
        assert c.get(first["status_url"]).json()["status"] == "queued"
    # A worker took the first job and stopped before finishing it (the process was killed).
    interrupted = JobQueue(settings).claim()
    assert interrupted is not None and interrupted.id == first["job_id"]
    assert JobQueue(settings).get(first["job_id"]).status == "running"  # type: ignore[union-attr]

    # A new process: its worker puts the interrupted job back and works off both.
    with client_for(settings) as c:
        jobs = [finished(c, first["status_url"]), finished(c, second["status_url"])]
        assert [(j["status"], j["outcome"]) for j in jobs] == [("done", "ingested"), ("done", "ingested")]
        for job in jobs:
            assert c.get(f"/api/documents/{job['document_id']}").json()["document"]["status"] == "ingested"
    assert JobQueue(settings).pending() == []


def test_worker_records_a_vanished_upload_as_failed(graph_db, tmp_path):
    settings = api_settings(graph_db, tmp_path)
    queue = JobQueue(settings)
    gone = tmp_path / "uploads" / ("0" * 64) / "gone.txt"
    job = queue.enqueue(gone, "0" * 64)
    JobWorker(settings, queue).run(queue.claim())  # type: ignore[arg-type]
    after = queue.get(job.id)
    assert after is not None and after.status == "failed" and "is gone" in (after.error or "")


def test_upload_bad_input(graph_db, tmp_path):
    with client_for(api_settings(graph_db, tmp_path)) as c:
        assert_error(c.post("/api/documents", files={"file": ("empty.txt", b"", "text/plain")}), 400, "empty_file")
        assert_error(c.post("/api/documents"), 422, "invalid_request")
        assert_error(c.post("/api/documents", data={"file": "not a file"}), 422, "invalid_request")
        assert_error(c.post("/api/documents", json={"file": "x"}), 422, "invalid_request")
        # A path in the client's file name never leaves the uploads folder.
        body = accepted(c.post("/api/documents", files={"file": ("../../../etc/.passwd", b"root", "text/plain")}))
        saved = tmp_path / "uploads" / body["document_id"] / "passwd"
        assert body["path"] == str(saved.absolute()) and saved.read_bytes() == b"root"
        # Job ids are checked before any lookup; an unknown one is a 404.
        assert_error(c.get("/api/jobs/not-a-job"), 422, "invalid_request")
        assert_error(c.get(f"/api/jobs/{'f' * 32}"), 404, "not_found")
    assert not list((tmp_path / "uploads").glob("*.part"))
