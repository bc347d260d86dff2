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


# Junk refused after decoding, by two measures taken on real text (tests/unit/ingest/test_junk_text.py;
# docs/ingest.md has the figures): the share of control, unassigned and replacement characters
# (0 in real text of any encoding), and charset-normalizer's mess ratio (at most 0.004 on English,
# Russian, German, CSV and source code; 0.2 for random printable ASCII, above 2 for text read in the
# wrong code page).
MAX_CONTROL_RATIO = 0.1
MAX_MESS_RATIO = 0.1
# The measures are taken on a few windows of this many characters (start, middle, end): bounded
# time on any size, and junk anywhere in a long file is still seen.
SAMPLE_CHARS = 32_768
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


def decode(data: bytes, what: str = "text") -> str:
    """Decode text in any common encoding; raise `BadFileError("undecodable text ...")` when no
    encoding reads it, or what it reads is mostly control characters or noise."""
    text = _decode(data, what)
    refuse_junk(text, what)
    return text


def refuse_junk(text: str, what: str = "text") -> None:
    """Raise `BadFileError("undecodable …")` for decoded text that is no text: mostly control or
    unassigned characters, or noise by charset-normalizer's mess measure."""
    from charset_normalizer.md import mess_ratio

    for sample in _samples(text):
        control = sum(1 for c in sample if _is_control(c)) / len(sample)
        if control > MAX_CONTROL_RATIO:
            raise BadFileError(f"undecodable {what}: {control:.0%} of it is control or unassigned characters "
                               "(binary data?)")
        mess = mess_ratio(sample, maximum_threshold=1.0)
        if mess > MAX_MESS_RATIO:
            raise BadFileError(f"undecodable {what}: it reads as noise, not words (mess ratio {mess:.2f}; "
                               f"text stays under {MAX_MESS_RATIO})")


def _samples(text: str) -> list[str]:
    if len(text) <= 3 * SAMPLE_CHARS:
        return [text] if text else []
    middle = len(text) // 2 - SAMPLE_CHARS // 2
    return [text[:SAMPLE_CHARS], text[middle : middle + SAMPLE_CHARS], text[-SAMPLE_CHARS:]]


def _is_control(c: str) -> bool:
    return c == "\ufffd" or (unicodedata.category(c) in {"Cc", "Cs", "Co", "Cn"} and c not in _ALLOWED_CONTROLS)


def utf16_without_bom(data: bytes) -> str | None:
    """The codec of UTF-16 text without a byte-order mark, told by its NUL bytes: they all lie at
    odd (little-endian) or even (big-endian) positions, the high bytes of Latin letters, spaces and
    punctuation. Binary data has them on both sides; a false guess fails the junk measures after."""
    head = data[:4096]
    if len(head) < 16 or len(head) % 2:
        head = head[: len(head) - len(head) % 2]
    if len(head) < 16:
        return None
    even, odd = head[0::2], head[1::2]
    for codec, high, low in (("utf_16_le", odd, even), ("utf_16_be", even, odd)):
        if high.count(0) >= 0.05 * len(high) and low.count(0) <= 0.01 * len(low):
            return codec
    return None


def _decode(data: bytes, what: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    codec = utf16_without_bom(data)
    if codec:
        try:
            return data.decode(codec).removeprefix("\ufeff")
        except UnicodeDecodeError:
            pass
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
