"""One bad file never costs the batch (issue 14).

- The writer meets Neo4j's own refusal (its key bound switched off, a 14.5 KB entity key reaches
  the `entity_key` index): the batch is split down to the culprit, every other document is
  written, the culprit is a failed Document with a one-line reason.
- With the bound on, the same document is written, its key a readable prefix plus a digest.
- The acceptance drop: ordinary files, texts that once yielded >10 KB "entities", and malformed
  files, through `casegraph ingest` in a real process: every good file in the graph once, every bad
  one reported by name with its reason, exit code 1, no traceback; a re-run changes nothing.
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path
from typing import Any

from casegraph.bench.ingest import make_corpus, write_pdf
from casegraph.core.limits import DIGEST_TAIL_BYTES
from graph.db import read
from graph.writer import GraphWriter
from tests.factories.database import graph_state
from tests.factories.documents import case_document
from tests.factories.files import zip_bytes
from tests.factories.processes import cli_env, ingest

HUGE_NAME = " ".join(["Harbor", "Street", "Gang", "Task", "Force"] * 500)  # 14,499 characters


def _documents(settings: Any) -> dict[str, dict[str, Any]]:
    rows = read("MATCH (d:Document) RETURN d.path AS path, d.status AS status, d.error AS error", settings=settings)
    return {r["path"]: r for r in rows}


def _batch() -> tuple[list[Any], Any]:
    good = [case_document([f"Officer Lee {i} arrested Marco Diaz at the pier."], path=f"reports/r{i}.txt",
                          entities=[("person:marco diaz", "Marco Diaz", "PERSON")]) for i in range(5)]
    bad = case_document([f"The suspects were {HUGE_NAME}."], path="reports/huge.txt",
                        entities=[("org:" + HUGE_NAME.lower(), HUGE_NAME, "ORG")])
    return [*good[:3], bad, *good[3:]], bad


def test_a_refused_document_costs_only_itself(graph_db: Any) -> None:
    docs, bad = _batch()
    writer = GraphWriter(graph_db, batch_size=50)
    writer.limits = dataclasses.replace(writer.limits, key_bytes=10**6, name=10**6)  # Neo4j decides
    stats = writer.write(docs)
    assert list(stats.failed) == [bad.document.id]
    assert "too large" in stats.failed[bad.document.id].lower(), stats.failed
    assert stats.documents == 5
    state = _documents(graph_db)
    assert {p for p, r in state.items() if r["status"] == "ingested"} == {f"reports/r{i}.txt" for i in range(5)}
    assert state["reports/huge.txt"]["status"] == "failed"
    assert state["reports/huge.txt"]["error"] == stats.failed[bad.document.id]
    assert "\n" not in state["reports/huge.txt"]["error"]
    assert read("MATCH (s:Sentence {doc_id: $id}) RETURN count(s) AS n", {"id": bad.document.id},
                graph_db)[0]["n"] == 0


def test_an_overlong_key_is_bounded_at_the_writer(graph_db: Any) -> None:
    docs, bad = _batch()
    writer = GraphWriter(graph_db)
    assert not writer.write(docs).failed
    assert not writer.write(docs).failed  # the same bounded key again: no duplicate
    keys = [r["key"] for r in read("MATCH (e:Entity) WHERE e.key STARTS WITH 'org:' RETURN e.key AS key",
                                   settings=graph_db)]
    assert len(keys) == 1
    assert len(keys[0].encode()) <= writer.limits.key_bytes
    assert keys[0].startswith("org:harbor street gang")
    assert len(keys[0].rsplit("#", 1)[1]) == DIGEST_TAIL_BYTES - 1
    names = read("MATCH (e:Entity) RETURN max(size(e.name)) AS n", settings=graph_db)[0]["n"]
    assert names <= writer.limits.name


# ---------------------------------------------------------------------------------- the drop
_WORDS = ["the", "officer", "saw", "a", "van", "near", "pier", "seven", "and", "the", "witness", "said",
          "it", "left", "before", "noon"]


def _good(drop: Path) -> list[Path]:
    files = make_corpus(drop, 3, paragraphs=1)
    for i, (who, where) in enumerate([("Detective Ana Ruiz", "Harbor Motel"), ("Sergeant Tom Hale", "Pier 7"),
                                      ("Agent Lisa Wong", "Elm Street")]):
        path = drop / f"note-{i}.txt"
        path.write_text(f"{who} met the informant at the {where} on Monday.\n\nThe informant named Victor Crane.\n")
        files.append(path)
    (drop / "memo.md").write_text("# Memo\n\nLieutenant Omar Reyes reviewed the case file with Dana Price.\n")
    files.append(drop / "memo.md")
    # Texts that once yielded >10 KB "entities": a capitalised run, one giant token, a character repeated.
    (drop / "capitalised-run.txt").write_text(f"The report names {HUGE_NAME} as the crew.\n")
    (drop / "giant-token.txt").write_text("Contact: " + "x" * 15_000 + "@example.com today.\n")
    (drop / "repeated.txt").write_text("A" * 50_000)
    (drop / "huge-line.txt").write_text(" ".join(random.Random(3).choice(_WORDS) for _ in range(6_000)))
    return [*files, drop / "capitalised-run.txt", drop / "giant-token.txt", drop / "repeated.txt",
            drop / "huge-line.txt"]


def _bad(drop: Path) -> dict[str, str]:
    """file name → the start of the reason it must be reported with."""
    rng = random.Random(11)
    (drop / "random-bytes.txt").write_bytes(rng.randbytes(50_000))
    (drop / "random-ascii.txt").write_bytes(bytes(rng.randrange(32, 127) for _ in range(50_000)))
    (drop / "controls.txt").write_bytes(bytes(rng.choice(b"\x01\x02\x03\x07\x08\x0e\x10\x1bAB") for _ in range(5000)))
    (drop / "nul.md").write_bytes(b"# Notes\n\x00\x00" + rng.randbytes(3000))
    (drop / "garbled.txt").write_bytes(bytes(rng.randrange(128, 256) for _ in range(4000)))
    (drop / "empty.txt").write_bytes(b"")
    (drop / "truncated.pdf").write_bytes(b"%PDF-1.7\n" + rng.randbytes(3000))
    write_pdf(drop / "cut.pdf", [["A whole page."]])
    (drop / "cut.pdf").write_bytes((drop / "cut.pdf").read_bytes()[:400])
    docx = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document>" + b"x" * 5000})
    (drop / "truncated.docx").write_bytes(docx[: len(docx) // 2])
    (drop / "page.docx").write_text("<html><body>not a document</body></html>")  # wrong extension
    (drop / "image.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + rng.randbytes(800))  # wrong extension
    return {"random-bytes.txt": "undecodable text", "random-ascii.txt": "undecodable text",
            "controls.txt": "undecodable text", "nul.md": "undecodable text", "garbled.txt": "undecodable text",
            "empty.txt": "empty file", "truncated.pdf": "", "cut.pdf": "", "truncated.docx": "",
            "page.docx": "corrupt DOCX", "image.pdf": "corrupt PDF"}


def test_the_bad_drop_ingests_to_the_end(graph_db: Any, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    good, bad = _good(drop), _bad(drop)
    env = cli_env(graph_db) | {"CASEGRAPH_WORK_DIR": str(tmp_path / "work"), "CASEGRAPH_INGEST_BATCH_DOCS": "4"}
    run = ingest([drop], env)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    docs = _documents(graph_db)
    for path in good:
        assert docs.get(str(path), {}).get("status") == "ingested", (path, docs.get(str(path)), run.stdout)
    ids = read("MATCH (d:Document) WHERE d.path IN $paths RETURN d.path AS path, count(*) AS n",
               {"paths": [str(p) for p in good]}, graph_db)
    assert all(r["n"] == 1 for r in ids) and len(ids) == len(good)
    for name, reason in bad.items():
        doc = docs[str(drop / name)]
        assert doc["status"] == "failed" and doc["error"], (name, doc)
        assert doc["error"].startswith(reason), (name, doc["error"])
        assert "\n" not in doc["error"]
        assert name in run.stdout, f"{name} is not reported:\n{run.stdout}"
    longest = read("MATCH (e:Entity) RETURN max(size(e.name)) AS name, max(size(e.key)) AS key", settings=graph_db)[0]
    assert longest["name"] <= 200 and longest["key"] <= 1024, longest

    before = graph_state(graph_db)
    again = ingest([drop], env)
    assert again.returncode == 1, again.stdout + again.stderr
    assert "Traceback" not in again.stdout + again.stderr
    assert graph_state(graph_db) == before
