"""unstructured elements → document text with page spans."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ingest.parsers.base import Parsed
from ingest.text import TextBuilder, clean

# Running headers, footers and page numbers repeat on every page and carry no facts.
SKIPPED_CATEGORIES = {"Header", "Footer", "PageBreak", "PageNumber", "Image"}


def from_elements(elements: Iterable[Any], title: str | None = None) -> Parsed:
    builder = TextBuilder()
    for el in elements:
        if el.category in SKIPPED_CATEGORIES:
            continue
        text = clean(el.text or "")
        if not text:
            continue
        if title is None and el.category == "Title":
            title = text[:200]
        builder.add(text, getattr(el.metadata, "page_number", None))
    return Parsed(text=builder.text(), pages=builder.pages, page_count=max(builder.page_count, 1), title=title)
