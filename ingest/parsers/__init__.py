"""One parser per document kind; `parse` picks it from the file's bytes and name."""

from __future__ import annotations

from collections.abc import Callable

from ingest.detect import Kind, UnsupportedTypeError, detect, mime_of
from ingest.errors import BadFileError
from ingest.parsers.archive import Budget, parse_zip
from ingest.parsers.base import Child, Parsed, ParseOptions
from ingest.parsers.mail import parse_eml, parse_msg
from ingest.parsers.ocr import parse_image
from ingest.parsers.office import parse_docx, parse_via_libreoffice
from ingest.parsers.pdf import parse_pdf
from ingest.parsers.web import parse_html, parse_markdown, parse_text

__all__ = ["Budget", "Child", "ParseOptions", "Parsed", "parse"]

PARSERS: dict[str, Callable[[bytes, ParseOptions], Parsed]] = {
    "pdf": parse_pdf,
    "image": parse_image,
    "docx": parse_docx,
    "doc": lambda data, opts: parse_via_libreoffice(data, "doc", opts),
    "rtf": lambda data, opts: parse_via_libreoffice(data, "rtf", opts),
    "odt": lambda data, opts: parse_via_libreoffice(data, "odt", opts),
    "html": parse_html,
    "markdown": parse_markdown,
    "text": parse_text,
    "eml": parse_eml,
    "msg": parse_msg,
}


def sniff(filename: str, data: bytes) -> tuple[Kind, str]:
    """The kind and MIME type of a file, or `BadFileError` for what casegraph cannot read."""
    if not data:
        raise BadFileError("empty file (0 bytes)")
    try:
        kind = detect(filename, data[:8192], data)
    except UnsupportedTypeError as exc:
        raise BadFileError(str(exc)) from exc
    return kind, mime_of(kind, data[:16])


def parse(kind: Kind, data: bytes, options: ParseOptions, budget: Budget | None = None) -> Parsed:
    if kind == "zip":
        return parse_zip(data, options, budget)
    return PARSERS[kind](data, options)
