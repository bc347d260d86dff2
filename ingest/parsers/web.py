"""Plain text, Markdown and HTML."""

from __future__ import annotations

import re

from ingest.errors import BadFileError, one_line
from ingest.parsers.base import Parsed, ParseOptions
from ingest.parsers.elements import from_elements
from ingest.text import TextBuilder, clean, decode

_PARAGRAPHS = re.compile(r"\n\s*\n")
_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def parse_text(data: bytes, options: ParseOptions) -> Parsed:
    """Text keeps its line structure; a form feed starts a new page (as printers and many report
    exporters use it)."""
    text = decode(data)
    builder = TextBuilder()
    pages = text.split("\f")
    for page_no, page in enumerate(pages, start=1):
        for para in _PARAGRAPHS.split(page):
            builder.add(clean(para), page_no)
    builder.page_count = len(pages)
    return Parsed(text=builder.text(), pages=builder.pages, page_count=len(pages))


def html_to_parsed(html: str) -> Parsed:
    from ingest.offline import prepare_unstructured

    prepare_unstructured()
    from unstructured.partition.html import partition_html

    match = _HTML_TITLE.search(html[:20000])
    title = clean(re.sub(r"<[^>]+>", "", match.group(1))) if match else None
    try:
        elements = partition_html(text=html)
    except Exception as exc:  # lxml and unstructured raise a variety of errors on broken markup
        raise BadFileError(f"unreadable HTML: {one_line(exc)}") from exc
    return from_elements(elements, title=title or None)


def parse_html(data: bytes, options: ParseOptions) -> Parsed:
    return html_to_parsed(decode(data, "HTML"))


def parse_markdown(data: bytes, options: ParseOptions) -> Parsed:
    from markdown_it import MarkdownIt

    return html_to_parsed(MarkdownIt("commonmark").enable("table").render(decode(data, "Markdown")))
