"""POST /api/documents end to end: a real text file uploaded, parsed, run through NLP and written
to the real Neo4j by the ingest package, then read back through the API."""

from __future__ import annotations

import hashlib

from tests.api_helpers import api_settings, assert_error, client_for, path_segment

REPORT = (b"Detective Carlos Mendez arrested Dana Price in Fresno on 12 March 2024.\n\n"
          b"Dana Price was carrying methamphetamine and a Glock pistol.\n")


def test_upload_ingests_a_text_file_end_to_end(graph_db, tmp_path):
    doc_id = hashlib.sha256(REPORT).hexdigest()
    with client_for(api_settings(graph_db, tmp_path)) as c:
        response = c.post("/api/documents", files={"file": ("arrest report.txt", REPORT, "text/plain")})
        assert response.status_code == 201, response.text
        body = response.json()
        assert (body["id"], body["status"], body["error"], body["documents"]) == (doc_id, "ingested", None, 1)
        saved = tmp_path / "uploads" / doc_id / "arrest report.txt"
        assert body["path"] == str(saved.absolute()) and saved.read_bytes() == REPORT

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

        # The same bytes again: nothing new to do.
        again = c.post("/api/documents", files={"file": ("arrest report.txt", REPORT, "text/plain")})
        assert again.status_code == 200 and again.json()["status"] == "unchanged"

        # A file that cannot be parsed is recorded as a failed document, with the reason.
        broken = c.post("/api/documents", files={"file": ("scan.pdf", b"%PDF-1.4 not really a pdf", "application/pdf")})
        assert broken.status_code == 201, broken.text
        failed = broken.json()
        assert failed["status"] == "failed" and failed["error"]
        assert c.get(f"/api/documents/{failed['id']}").json()["document"]["status"] == "failed"


def test_upload_bad_input(graph_db, tmp_path):
    with client_for(api_settings(graph_db, tmp_path)) as c:
        assert_error(c.post("/api/documents", files={"file": ("empty.txt", b"", "text/plain")}), 400, "empty_file")
        assert_error(c.post("/api/documents"), 422, "invalid_request")
        assert_error(c.post("/api/documents", data={"file": "not a file"}), 422, "invalid_request")
        assert_error(c.post("/api/documents", json={"file": "x"}), 422, "invalid_request")
        # A path in the client's file name never leaves the uploads folder.
        response = c.post("/api/documents", files={"file": ("../../../etc/.passwd", b"root", "text/plain")})
        assert response.status_code in (200, 201), response.text
        saved = tmp_path / "uploads" / response.json()["id"] / "passwd"
        assert response.json()["path"] == str(saved.absolute()) and saved.read_bytes() == b"root"
    assert not list((tmp_path / "uploads").glob("*.part"))
