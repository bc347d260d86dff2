"""Ingesting every fixture format into the real Neo4j with the real NLP pipeline: Document nodes,
sentences on their pages, attachments, e-mail people; idempotency, replacement, bad input via the
CLI (exit code, one-line reasons)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from casegraph.pipeline.runner import Ingestor
from graph.db import counts, read
from tests.factories.database import wipe
from tests.factories.paths import CASEGRAPH
from tests.factories.processes import cli_env
from tests.fixtures.make_fixtures import BAD_LIMITS, BAD_REASONS, EMAIL_PEOPLE, EXPECTED, fixtures_dir


@pytest.fixture(scope="module")
def good_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("drop") / "good"
    shutil.copytree(fixtures_dir() / "good", dest)
    return dest


@pytest.fixture(scope="module")
def ingested(good_copy: Path, neo4j_settings) -> dict[str, object]:  # type: ignore[no-untyped-def]
    wipe(neo4j_settings)
    with Ingestor(neo4j_settings, workers=2) as ingestor:
        report = ingestor.ingest(sorted(good_copy.iterdir()))
        again = ingestor.ingest(sorted(good_copy.iterdir()))
    return {"report": report, "again": again, "counts": counts(neo4j_settings)}


def _path(good_copy: Path, name: str) -> str:
    return str(good_copy / name)


def test_every_fixture_is_a_document(ingested, good_copy, neo4j_settings):
    report = ingested["report"]
    assert report.failed == []
    rows = read("MATCH (d:Document) RETURN d.path AS path, d.status AS status, d.pages AS pages, d.mime AS mime",
                settings=neo4j_settings)
    by_path = {r["path"]: r for r in rows}
    for name in EXPECTED:
        assert by_path[_path(good_copy, name)]["status"] == "ingested", name
    assert by_path[_path(good_copy, "report.pdf")]["pages"] == 2
    assert by_path[_path(good_copy, "case-17.zip")]["mime"] == "application/zip"
    assert sorted(report.ingested) == sorted(by_path)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sentences_hold_phrases_on_their_pages(ingested, good_copy, neo4j_settings, name):
    rows = read("MATCH (s:Sentence)-[:IN]->(d:Document {path: $path}) RETURN s.text AS text, s.page AS page, "
                "s.start AS start, s.end AS end ORDER BY s.idx", {"path": _path(good_copy, name)},
                settings=neo4j_settings)
    assert rows, f"no sentences for {name}"
    for phrase, page in EXPECTED[name]:
        hits = [r for r in rows if phrase in r["text"]]
        assert hits, f"{phrase!r} is in no sentence of {name}: {[r['text'] for r in rows]}"
        assert hits[0]["page"] == (page or 1)
        assert hits[0]["end"] - hits[0]["start"] == len(hits[0]["text"])


def test_attachments_and_members_are_linked(ingested, good_copy, neo4j_settings):
    rows = read("MATCH (c:Document)-[:ATTACHED_TO]->(p:Document) RETURN c.path AS child, p.path AS parent",
                settings=neo4j_settings)
    links = {(r["child"], r["parent"]) for r in rows}
    for name in EXPECTED:
        if "!/" in name:
            parent = name.split("!/")[0]
            assert (_path(good_copy, name), _path(good_copy, parent)) in links


def test_email_senders_and_recipients_become_entities(ingested, good_copy, neo4j_settings):
    for name, people in EMAIL_PEOPLE.items():
        rows = read("MATCH (e:Entity)-[:MENTIONED_IN]->(:Sentence)-[:IN]->(:Document {path: $path}) "
                    "RETURN DISTINCT e.type AS type, e.name AS name", {"path": _path(good_copy, name)},
                    settings=neo4j_settings)
        found = {(r["type"], r["name"].lower()) for r in rows}
        for type_, value in people:
            assert (type_, value.lower()) in found, f"{type_} {value} missing from {name}: {sorted(found)}"


def test_unchanged_reingest_is_a_hash_check(ingested, neo4j_settings):
    again = ingested["again"]
    assert again.ingested == [] and again.failed == []
    assert len(again.unchanged) == len(ingested["report"].unchanged) + len(
        [p for p in ingested["report"].ingested if "!/" not in p])
    assert counts(neo4j_settings) == ingested["counts"]


def test_changed_file_replaces_its_old_version(ingested, good_copy, neo4j_settings, tmp_path):
    path = good_copy / "log.txt"
    old_id = read("MATCH (d:Document {path: $p}) RETURN d.id AS id", {"p": str(path)}, settings=neo4j_settings)
    original = path.read_bytes()
    try:
        path.write_text("PATROL LOG 7 (corrected)\n\nPatrol unit 9 stopped a white Toyota on Route 4.\n")
        with Ingestor(neo4j_settings, workers=1) as ingestor:
            report = ingestor.ingest([path])
        assert report.replaced == 1 and report.ingested == [str(path)]
        rows = read("MATCH (d:Document {path: $p}) OPTIONAL MATCH (s:Sentence)-[:IN]->(d) "
                    "RETURN d.id AS id, collect(s.text) AS sentences", {"p": str(path)}, settings=neo4j_settings)
        assert len(rows) == 1 and rows[0]["id"] != old_id[0]["id"]
        assert any("white Toyota" in s for s in rows[0]["sentences"])
        assert not any("Ford Focus" in s for s in rows[0]["sentences"])
    finally:
        path.write_bytes(original)
        with Ingestor(neo4j_settings, workers=1) as ingestor:
            ingestor.ingest([path])


def test_bad_corpus_via_cli(graph_db, tmp_path):
    """`casegraph ingest PATH… --recursive --workers 2`: every bad file reported with its reason,
    the good files ingested, exit code 1, failures recorded in the graph."""
    drop = tmp_path / "drop"
    shutil.copytree(fixtures_dir() / "bad", drop / "bad", symlinks=True)
    good = drop / "good"
    good.mkdir()
    for name in ("report.pdf", "notes.md", "tip.eml"):
        shutil.copy(fixtures_dir() / "good" / name, good / name)
    env = cli_env(graph_db)
    env.update({"CASEGRAPH_MAX_FILE_MB": str(BAD_LIMITS["max_file_mb"]),
                "CASEGRAPH_ARCHIVE_MAX_TOTAL_MB": str(BAD_LIMITS["archive_max_total_mb"]),
                "CASEGRAPH_ARCHIVE_MAX_MEMBERS": str(BAD_LIMITS["archive_max_members"]),
                "COLUMNS": "400"})
    proc = subprocess.run([str(CASEGRAPH), "ingest", str(drop), "--recursive", "--workers", "2"],
                          capture_output=True, text=True, env=env, timeout=600, cwd=tmp_path)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert len(BAD_REASONS) >= 12
    for name, reason in BAD_REASONS.items():
        line = next((ln for ln in out.splitlines() if f"{drop / 'bad' / name}:" in ln), None)
        assert line is not None, f"{name} not reported:\n{out}"
        assert reason in line, line
    rows = read("MATCH (d:Document) WHERE d.parent_id IS NULL RETURN d.path AS path, d.status AS status, "
                "d.error AS error", settings=graph_db)
    status = {Path(r["path"]).name: (r["status"], r["error"]) for r in rows}
    for name in ("report.pdf", "notes.md", "tip.eml"):
        assert status[name] == ("ingested", None)
    # Empty files share one hash (one Document); every other bad file has its own failed Document.
    for name, reason in BAD_REASONS.items():
        if name in status:
            assert status[name][0] == "failed" and reason in status[name][1]
    assert sum(1 for s, _ in status.values() if s == "failed") >= 12
    assert "ingest summary" in out
    ledger_out = subprocess.run([str(CASEGRAPH), "ingest", "status", "--failed"], capture_output=True, text=True,
                                env=env, timeout=120).stdout
    assert "ingested" in ledger_out and "failed" in ledger_out
    assert f"{drop / 'bad' / 'corrupt.zip'}: corrupt ZIP archive" in ledger_out
