"""PDF: the text layer through pdfminer.six page by page (what unstructured's `strategy="fast"`
runs, without its layout-model dependency), and OCR for pages that have no text layer (scans)."""

from __future__ import annotations

import io
import logging

from ingest.errors import BadFileError, one_line
from ingest.parsers.base import Parsed, ParseOptions
from ingest.text import TextBuilder, clean, unwrap

log = logging.getLogger(__name__)

PLACEHOLDER_TITLES = {"untitled", "anonymous", "document", "microsoft word", "title"}


def _decode_info(value: object) -> str | None:
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    value = resolve1(value)
    if isinstance(value, bytes):
        text = decode_text(value)
    elif isinstance(value, str):
        text = value
    else:
        return None
    text = clean(text)
    # Producers fill the field with placeholders or the temporary file name they printed from.
    return None if not text or text.lower() in PLACEHOLDER_TITLES else text


def _open(data: bytes, passwords: tuple[str, ...]):  # type: ignore[no-untyped-def]
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser

    for password in ("", *passwords):
        try:
            return PDFDocument(PDFParser(io.BytesIO(data)), password=password), password
        except PDFPasswordIncorrect:
            continue
        except PDFEncryptionError as exc:
            raise BadFileError(f"encrypted PDF with an unsupported encryption scheme ({one_line(exc)})") from exc
    hint = "none of the configured passwords opens it" if passwords else "set CASEGRAPH_PDF_PASSWORDS to open it"
    raise BadFileError(f"encrypted PDF: password-protected, {hint}")


def page_texts(data: bytes, options: ParseOptions) -> tuple[list[list[str]], str | None, str]:
    """Text blocks of each page (reading order), the title from the PDF metadata, and the
    password that opened it."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTTextContainer
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.psexceptions import PSException

    try:
        document, password = _open(data, options.pdf_passwords)
        title = None
        for info in document.info:
            title = title or _decode_info(info.get("Title"))
        manager = PDFResourceManager(caching=True)
        device = PDFPageAggregator(manager, laparams=LAParams())
        interpreter = PDFPageInterpreter(manager, device)
        pages: list[list[str]] = []
        for page in PDFPage.create_pages(document):
            interpreter.process_page(page)
            layout = device.get_result()
            pages.append([b for el in layout if isinstance(el, LTTextContainer) if (b := unwrap(el.get_text()))])
    except BadFileError:
        raise
    except (PSException, ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError,
            RecursionError) as exc:
        raise BadFileError(f"corrupt PDF: {one_line(exc)}") from exc
    if not pages:
        raise BadFileError("corrupt PDF: no pages")
    return pages, title, password


def parse_pdf(data: bytes, options: ParseOptions) -> Parsed:
    pages, title, password = page_texts(data, options)
    missing = [i for i, blocks in enumerate(pages, start=1) if not blocks]
    if missing:
        from ingest.parsers.ocr import ocr_pdf_pages

        for page_no, blocks in ocr_pdf_pages(data, missing, password, options).items():
            pages[page_no - 1] = blocks
    builder = TextBuilder()
    for page_no, blocks in enumerate(pages, start=1):
        for block in blocks:
            builder.add(block, page_no)
    builder.page_count = len(pages)
    return Parsed(text=builder.text(), pages=builder.pages, page_count=len(pages), title=title,
                  ocr_pages=len(missing))
