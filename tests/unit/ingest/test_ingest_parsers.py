"""Parsing every supported format for real (no Neo4j): text, page numbers, e-mail people,
attachments and archive members, bad input with its one-line reason, and no network access."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from ingest.documents import Extracted, extract
from ingest.parsers import ParseOptions
from tests.fixtures.make_fixtures import BAD_LIMITS, BAD_REASONS, EMAIL_PEOPLE, EXPECTED, fixtures_dir

MB = 1024 * 1024
OPTIONS = ParseOptions()
BAD_OPTIONS = ParseOptions(max_file_bytes=int(BAD_LIMITS["max_file_mb"] * MB),
                           archive_max_total_bytes=int(BAD_LIMITS["archive_max_total_mb"] * MB),
                           archive_max_members=int(BAD_LIMITS["archive_max_members"]))
TOP_FILES = sorted({name.split("!/")[0] for name in EXPECTED})


@pytest.fixture(scope="module")
def extracted() -> dict[str, Extracted]:
    good = fixtures_dir() / "good"
    return {name: extract(name, (good / name).read_bytes(), OPTIONS) for name in TOP_FILES}


def _documents(extracted: dict[str, Extracted]):  # type: ignore[no-untyped-def]
    return {d.document.path: d for ex in extracted.values() for d in ex.parsed}


def test_every_format_parses_without_failures(extracted):
    failures = [(f.path, f.error) for ex in extracted.values() for f in ex.failed]
    assert failures == []
    docs = _documents(extracted)
    assert set(EXPECTED) <= set(docs)
    kinds = {d.document.mime for d in docs.values()}
    assert {"application/pdf", "image/png", "image/jpeg", "image/tiff", "application/msword", "application/rtf",
            "application/vnd.oasis.opendocument.text", "text/html", "text/markdown", "text/plain",
            "message/rfc822", "application/vnd.ms-outlook", "application/zip"} <= kinds


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_key_phrases_on_their_pages(extracted, name):
    doc = _documents(extracted)[name]
    for phrase, page in EXPECTED[name]:
        offset = doc.text.find(phrase)
        assert offset >= 0, f"{phrase!r} not in {name}: {doc.text[:300]!r}"
        assert doc.page_at(offset) == (page or 1), f"{phrase!r} on page {doc.page_at(offset)} of {name}"
        span = next(s for s in doc.pages if s.start <= offset < s.end)
        assert doc.text[span.start:span.end].find(phrase) >= 0  # the span really holds the phrase


def test_page_counts_and_titles(extracted):
    docs = _documents(extracted)
    assert docs["report.pdf"].document.pages == 2
    assert docs["report.pdf"].document.title == "Incident report 2024-117"
    assert docs["scanned.pdf"].document.pages == 2 and extracted["scanned.pdf"].ocr_pages == 2
    assert docs["fax.tiff"].document.pages == 2
    assert docs["statement.odt"].document.pages == 2
    assert docs["tip.eml"].document.title == "Re: Thursday"
    assert docs["bulletin.html"].document.title == "Wanted bulletin"
    assert "tracking" not in docs["bulletin.html"].text  # scripts are not text


def test_email_people_and_attachments(extracted):
    docs = _documents(extracted)
    for name, people in EMAIL_PEOPLE.items():
        mail = docs[name]
        assert people <= set(mail.known_entities)
        children = [d for d in docs.values() if d.document.parent_id == mail.document.id]
        assert {c.document.path for c in children} == {k for k in EXPECTED if k.startswith(name + "!/")}
    # children come before their parent: the parent is written last
    order = extracted["tip.eml"].order
    assert order[-1] == docs["tip.eml"].document.id


def test_archive_members_keep_their_path(extracted):
    docs = _documents(extracted)
    archive = docs["case-17.zip"].document
    members = sorted(d.document.path for d in docs.values() if d.document.parent_id == archive.id)
    assert members == ["case-17.zip!/case-17/summary.md", "case-17.zip!/case-17/witness-utf16.txt"]
    assert docs["case-17.zip!/case-17/witness-utf16.txt"].document.filename == "witness-utf16.txt"


def test_identity_is_content_hash(extracted):
    import hashlib

    good = fixtures_dir() / "good"
    for name in TOP_FILES:
        assert _documents(extracted)[name].document.id == hashlib.sha256((good / name).read_bytes()).hexdigest()


def test_encrypted_pdf_opens_with_configured_password():
    data = (fixtures_dir() / "bad" / "encrypted.pdf").read_bytes()
    locked = extract("encrypted.pdf", data, OPTIONS)
    assert locked.failed[0].error.startswith("encrypted PDF")
    opened = extract("encrypted.pdf", data, ParseOptions(pdf_passwords=("wrong", "s3cret")))
    assert not opened.failed
    assert "the informant is Rosa Diaz" in opened.parsed[0].text


@pytest.mark.parametrize("name", sorted(n for n in BAD_REASONS if n != "dangling-link.txt"))
def test_bad_file_reason(name):
    path = fixtures_dir() / "bad" / name
    result = extract(name, path.read_bytes(), BAD_OPTIONS)
    assert result.parsed == [], f"{name} should not yield documents"
    [failed] = result.failed
    assert failed.status == "failed" and failed.path == name
    assert BAD_REASONS[name] in failed.error
    assert "\n" not in failed.error and len(failed.error) <= 200


def test_bad_member_fails_alone():
    """One unreadable member does not reject an archive; the good members are ingested."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("ok.txt", "Officer Dale Cooper filed the report.")
        zf.writestr("broken.pdf", b"%PDF-1.4 nothing here")
    result = extract("mixed.zip", buf.getvalue(), OPTIONS)
    assert [d.document.path for d in result.parsed] == ["mixed.zip!/ok.txt", "mixed.zip"]
    assert [(f.path, f.error.split(":")[0]) for f in result.failed] == [("mixed.zip!/broken.pdf", "corrupt PDF")]


def test_parsing_never_touches_the_network(monkeypatch):
    """unstructured downloads en_core_web_sm and pings telemetry unless wired offline: parse every
    format with socket connections raising, after dropping the cached spaCy model."""
    import spacy
    import unstructured.nlp.tokenize as tokenize
    import unstructured.utils

    from ingest.offline import DownloadRefusedError, prepare_unstructured

    attempts: list[object] = []

    def refuse(self, address, *args, **kwargs):  # type: ignore[no-untyped-def]
        attempts.append(address)
        raise OSError(f"network access attempted: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    prepare_unstructured()
    tokenize._get_nlp.cache_clear()
    tokenize._process_cached.cache_clear()
    # The name unstructured asks for is not installed: without the wiring it would download it.
    with pytest.raises(OSError):
        spacy.load("en_core_web_sm")
    with pytest.raises(DownloadRefusedError):
        tokenize._install_spacy_model()
    assert os.environ["DO_NOT_TRACK"] == "1" and unstructured.utils._telemetry_opt_out()
    good = fixtures_dir() / "good"
    for name in ("bulletin.html", "notes.md", "statement.docx", "log.txt", "tip.eml"):
        result = extract(name, (good / name).read_bytes(), OPTIONS)
        assert not result.failed, result.failed
    assert tokenize.sent_tokenize("Officer Smith arrived. He left.") == ["Officer Smith arrived.", "He left."]
    assert attempts == []


def test_text_encodings_are_detected():
    from ingest.text import decode

    assert decode("Le témoin a déclaré à l'agent Dupont qu'il était à Paris.".encode("cp1252")) \
        == "Le témoin a déclaré à l'agent Dupont qu'il était à Paris."
    russian = "Протокол допроса свидетеля. Свидетель Иванов Пётр Сергеевич показал, что видел автомобиль."
    assert decode(russian.encode("koi8_r")) == russian
    assert decode(russian.encode("cp1251")) == russian
    assert decode("\ufeffBOM text".encode("utf-8")) == "BOM text"


def test_detection_trusts_bytes_over_names(tmp_path: Path):
    from ingest.documents import extract as run

    pdf = (fixtures_dir() / "good" / "report.pdf").read_bytes()
    renamed = run("report.txt", pdf, OPTIONS)  # a PDF with the wrong extension is still a PDF
    assert renamed.parsed[0].document.mime == "application/pdf"
    assert renamed.parsed[0].document.pages == 2
