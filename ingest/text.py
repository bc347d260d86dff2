"""Plain text from bytes, and document text assembled from page-tagged blocks with page spans."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from casegraph.core.models import PageSpan
from ingest.errors import BadFileError

# When several encodings read the bytes equally well, the most common one for case files wins
# (charset-normalizer otherwise picks e.g. cp1250 for short French text written in cp1252).
PREFERRED_ENCODINGS = ["utf_8", "cp1252", "latin_1", "cp1251", "koi8_r", "utf_16", "utf_32", "iso8859_15"]
BLOCK_SEPARATOR = "\n\n"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_HYPHEN_BREAK = re.compile(r"(?<=[a-zа-яё])-\n(?=[a-zа-яё])")


def decode(data: bytes, what: str = "text") -> str:
    """Decode text in any common encoding; raise `BadFileError("undecodable text ...")` otherwise."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    results = list(charset_normalizer.from_bytes(data))
    if not results:
        raise BadFileError(f"undecodable {what}: no known text encoding reads it (binary data?)")
    best = min(results, key=lambda r: (r.chaos, -r.coherence, _preference(r.encoding)))
    if best.chaos > 0.3:
        raise BadFileError(f"undecodable {what}: best guess {best.encoding} reads it as {best.chaos:.0%} noise")
    return str(best)


def _preference(encoding: str) -> int:
    return PREFERRED_ENCODINGS.index(encoding) if encoding in PREFERRED_ENCODINGS else len(PREFERRED_ENCODINGS)


def clean(text: str) -> str:
    """Normalise a block: NFC, no control characters, single spaces, re-joined hyphenated words."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = _HYPHEN_BREAK.sub("", text)
    lines = [_SPACES.sub(" ", ln).strip() for ln in text.split("\n")]
    return "\n".join(lines).strip()


def unwrap(text: str) -> str:
    """Join the hard-wrapped lines of one paragraph (PDF text boxes, OCR blocks) with spaces."""
    return " ".join(ln for ln in clean(text).split("\n") if ln)


@dataclass
class TextBuilder:
    """Concatenates blocks into the document text and records which characters lie on which page."""

    parts: list[str] = field(default_factory=list)
    pages: list[PageSpan] = field(default_factory=list)
    length: int = 0
    page_count: int = 0

    def add(self, block: str, page: int | None = None) -> None:
        block = block.strip()
        page = page or 1
        self.page_count = max(self.page_count, page)
        if not block:
            return
        if self.parts:
            self.parts.append(BLOCK_SEPARATOR)
            self.length += len(BLOCK_SEPARATOR)
        start = self.length
        self.parts.append(block)
        self.length += len(block)
        if self.pages and self.pages[-1].page == page:
            self.pages[-1].end = self.length
        else:
            self.pages.append(PageSpan(page=page, start=start, end=self.length))

    def text(self) -> str:
        return "".join(self.parts)
