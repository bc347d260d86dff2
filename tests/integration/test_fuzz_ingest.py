"""Fuzzing the whole ingest: hypothesis makes malformed and random files of every supported type
(truncated, random bytes, giant single tokens, deep nesting, huge lines, wrong extensions, mixed
encodings) and drops them beside good files; the real runner (`Ingestor`, as `casegraph ingest`
runs it: worker processes, parsing, NLP, batched writes) ingests the drop into the real Neo4j.

Whatever the files, the run completes, every file is ingested or reported with a reason, every
good file is in the graph exactly once, and a second run changes nothing. Few examples, no
deadline: each one is a real ingest (the worker pool and its models stay up between examples)."""

from __future__ import annotations

import email.message
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casegraph.bench.ingest import write_pdf
from casegraph.pipeline.runner import Ingestor
from graph.db import read
from tests.factories.database import graph_state, wipe
from tests.factories.files import zip_bytes

EXTENSIONS = [".txt", ".md", ".html", ".eml", ".pdf", ".docx", ".doc", ".odt", ".rtf", ".msg", ".zip", ".png",
              ".jpg", ".tiff", ""]
GOOD = {
    "arrest.txt": "Detective Ana Ruiz arrested Victor Crane at the Harbor Motel on Monday.\n",
    "memo.md": "# Memo\n\nSergeant Tom Hale met the informant near Pier 7 with Dana Price.\n",
}
SENTENCE = "Agent Lisa Wong saw Omar Reyes load the van on Elm Street. "


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _pdf(text: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        return write_pdf(Path(tmp) / "f.pdf", [[text]]).read_bytes()


def _eml(text: str) -> bytes:
    msg = email.message.EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "Ana Ruiz <ana@pd.example>", "tips@pd.example", "Tip"
    msg.set_content(text)
    return msg.as_bytes()


VALID = {".pdf": _pdf, ".docx": _docx, ".eml": _eml, ".zip": lambda t: zip_bytes({"inner.txt": t.encode()}),
         ".html": lambda t: f"<html><body><p>{t}</p></body></html>".encode(), ".txt": str.encode,
         ".rtf": lambda t: ("{\\rtf1\\ansi " + t + "}").encode()}


@st.composite
def bad_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """(extension, bytes) of one malformed or random file."""
    kind = draw(st.sampled_from(["random", "truncated", "giant token", "deep nesting", "huge line",
                                 "wrong extension", "mixed encodings"]))
    ext = draw(st.sampled_from(EXTENSIONS))
    if kind == "random":
        return ext, draw(st.binary(min_size=1, max_size=20_000))
    if kind == "truncated":
        ext = draw(st.sampled_from(sorted(VALID)))
        data = VALID[ext](SENTENCE * 20)
        return ext, data[: draw(st.integers(1, max(1, len(data) - 1)))]
    if kind == "giant token":
        char = draw(st.characters(codec="utf-8", exclude_categories=["Cs", "Zs", "Cc"]))
        token = char * draw(st.integers(5_000, 30_000))
        return draw(st.sampled_from([".txt", ".md", ".html"])), f"Seized from {token} today.".encode()
    if kind == "deep nesting":
        depth = draw(st.integers(500, 5_000))
        if draw(st.booleans()):
            return ".html", ("<div>" * depth + SENTENCE + "</div>" * depth).encode()
        return ".md", ("> " * depth + SENTENCE).encode()
    if kind == "huge line":
        return ".txt", (SENTENCE.rstrip(". ") + ", ") .encode() * draw(st.integers(60, 400))
    if kind == "wrong extension":
        source = draw(st.sampled_from(sorted(VALID)))
        return draw(st.sampled_from([e for e in EXTENSIONS if e != source])), VALID[source](SENTENCE)
    parts = draw(st.lists(st.sampled_from(["utf_8", "cp1251", "latin_1", "utf_16", "koi8_r", "cp1252"]),
                          min_size=2, max_size=4))
    texts = ["Свидетель Иван Петров видел фургон. ", "Le témoin a vu la camionnette à Élancourt. ", SENTENCE]
    return ".txt", b"".join(texts[i % 3].encode(enc, "replace") for i, enc in enumerate(parts))


@pytest.fixture(scope="module")
def ingestor(neo4j_settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Ingestor, Any]]:
    run_settings = neo4j_settings.model_copy(update={"work_dir": tmp_path_factory.mktemp("fuzz-work")})
    with Ingestor(run_settings, workers=1, batch_docs=3) as ing:
        yield ing, run_settings


@settings(max_examples=5, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(bad=st.lists(bad_file(), min_size=1, max_size=4))
def test_any_drop_ingests_to_the_end(ingestor: tuple[Ingestor, Any], bad: list[tuple[str, bytes]]) -> None:
    ing, run_settings = ingestor
    wipe(run_settings)
    with tempfile.TemporaryDirectory(prefix="casegraph-fuzz-") as tmp:
        drop = Path(tmp)
        good = []
        for name, text in GOOD.items():
            (drop / name).write_text(text)
            good.append(str(drop / name))
        files = sorted(good)
        for i, (ext, data) in enumerate(bad):
            (drop / f"bad-{i}{ext}").write_bytes(data)
            files.append(str(drop / f"bad-{i}{ext}"))
        paths = [Path(f) for f in files]

        report = ing.ingest(paths)
        failed = dict(report.failed)
        for f in files:
            assert f in report.ingested or failed.get(f) or f in report.unchanged, (f, report)
        for f in good:
            assert f in report.ingested, (f, failed.get(f))
        rows = read("MATCH (d:Document) WHERE d.path IN $paths RETURN d.path AS path, d.status AS status",
                    {"paths": good}, run_settings)
        assert sorted((r["path"], r["status"]) for r in rows) == [(f, "ingested") for f in sorted(good)]

        before = graph_state(run_settings)
        again = ing.ingest(paths)
        assert graph_state(run_settings) == before
        assert set(again.ingested) <= set(report.ingested)  # nothing new: what failed fails again
