"""What kind of document a file is: by its leading bytes first, the file name second.

Names lie (a `.pdf` that is an HTML error page, a `.txt` that is a ZIP), so the magic bytes decide
whenever they are conclusive; the extension only separates formats that share a container (OLE: DOC
vs MSG) or that have no magic at all (plain text, Markdown, HTML, e-mail).
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Literal

from ingest.text import utf16_without_bom

Kind = Literal["pdf", "image", "docx", "doc", "rtf", "odt", "html", "markdown", "text", "eml", "msg", "zip"]

MIME: dict[str, str] = {
    "pdf": "application/pdf",
    "image": "image",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "rtf": "application/rtf",
    "odt": "application/vnd.oasis.opendocument.text",
    "html": "text/html",
    "markdown": "text/markdown",
    "text": "text/plain",
    "eml": "message/rfc822",
    "msg": "application/vnd.ms-outlook",
    "zip": "application/zip",
}
IMAGE_MIME = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg", b"II*\x00": "image/tiff",
              b"MM\x00*": "image/tiff"}

TEXT_EXTENSIONS = {".txt", ".text", ".log", ".csv", ".tsv", ".me", ""}
MARKDOWN_EXTENSIONS = {".md", ".markdown", ".mdown"}
HTML_EXTENSIONS = {".html", ".htm", ".xhtml"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EMAIL_HEADER = re.compile(rb"^(Return-Path|Received|From|Message-ID|MIME-Version|Delivered-To|Date|To|Subject):",
                           re.IGNORECASE | re.MULTILINE)


class UnsupportedTypeError(ValueError):
    pass


def _zip_kind(data: bytes | None) -> Kind:
    if data is None:
        return "zip"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "mimetype" in names and zf.read("mimetype").strip() == MIME["odt"].encode():
                return "odt"
            if "[Content_Types].xml" in names or "mimetype" in names:
                kind = "spreadsheet or presentation" if "xl/workbook.xml" in names or "ppt/presentation.xml" in names \
                    else "office document"
                raise UnsupportedTypeError(f"unsupported file type: {kind} (only text documents are ingested)")
    except zipfile.BadZipFile:
        return "zip"  # the archive parser reports the damage
    return "zip"


def _ole_kind(suffix: str, data: bytes | None) -> Kind:
    if data is not None:
        import olefile

        try:
            with olefile.OleFileIO(io.BytesIO(data)) as ole:
                if ole.exists("EncryptedPackage"):
                    return "docx"  # an encrypted OOXML file: the DOCX parser says "encrypted"
                if ole.exists("WordDocument"):
                    return "doc"
                if ole.exists("__properties_version1.0"):
                    return "msg"
                streams = ", ".join("/".join(s) for s in ole.listdir()[:3])
                raise UnsupportedTypeError(f"unsupported file type: OLE compound file ({streams})")
        except UnsupportedTypeError:
            raise
        except Exception:  # olefile raises anything on damage: the name decides, the parser reports it
            pass
    return "msg" if suffix == ".msg" else "doc"


def detect(filename: str, head: bytes, data: bytes | None = None) -> Kind:
    """The document kind of a file from its first bytes (`head`, ≥ 2 KB when the file has them),
    its name, and optionally all of its bytes (to look inside containers)."""
    suffix = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename.rsplit("/", 1)[-1] else ""
    if head.startswith(b"%PDF-") or (b"%PDF-" in head[:1024] and suffix == ".pdf"):
        return "pdf"
    if suffix == ".pdf":
        raise UnsupportedTypeError("corrupt PDF: the file does not start with a PDF header")
    if head.startswith(tuple(IMAGE_MIME)):
        return "image"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(data)
    if head.startswith(OLE_MAGIC):
        return _ole_kind(suffix, data)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if suffix in {".docx", ".odt", ".zip", ".doc", ".msg", ".rtf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}:
        raise UnsupportedTypeError(f"corrupt {suffix[1:].upper()} file: its content is not that format")
    if _looks_binary(head):
        if suffix in TEXT_EXTENSIONS | MARKDOWN_EXTENSIONS | HTML_EXTENSIONS | {".eml"}:
            raise UnsupportedTypeError("undecodable text: the file holds binary data (NUL bytes)")
        raise UnsupportedTypeError(f"unsupported file type: {suffix or 'no extension'} ({_describe(head)})")
    if suffix in HTML_EXTENSIONS:
        return "html"
    if suffix in MARKDOWN_EXTENSIONS:
        return "markdown"
    if suffix == ".eml" or (suffix in {"", ".txt"} and len(_EMAIL_HEADER.findall(head[:2048])) >= 3):
        return "eml"
    stripped = head.lstrip()[:256].lower()
    if stripped.startswith((b"<!doctype html", b"<html")):
        return "html"
    if suffix in TEXT_EXTENSIONS:
        return "text"
    raise UnsupportedTypeError(f"unsupported file type: {suffix or 'no extension'} ({_describe(head)})")


def _looks_binary(head: bytes) -> bool:
    """NUL bytes mean binary for every text encoding casegraph decodes except UTF-16/32, which start
    with a byte-order mark or (UTF-16 without one) have their NULs at every other byte."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")) or utf16_without_bom(head):
        return False
    return b"\x00" in head[:4096]


def _describe(head: bytes) -> str:
    try:
        import magic

        return str(magic.from_buffer(head[:4096]))[:80]
    except Exception:  # libmagic is optional: the description only decorates the message
        return "binary data"


def mime_of(kind: Kind, head: bytes) -> str:
    if kind == "image":
        for magic, mime in IMAGE_MIME.items():
            if head.startswith(magic):
                return mime
    return MIME[kind]
