"""Size limits on what analysis hands the graph: one rule each, used where keys, entities and
sentences are finalised (nlp.pipeline) and again at the writer boundary (graph.writer).

Neo4j refuses a transaction whose indexed property is over its index key limit (about 8 KB for a
range index), so whatever the input — a megabyte without whitespace, one character repeated — a
key, a name or a sentence stays within the bounds set in `casegraph.core.settings`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from casegraph.core.settings import Settings, get_settings

DIGEST = "sha256"
# "#" + a hex SHA-256: the fixed-length tail of a key that was too long to keep whole.
DIGEST_TAIL_BYTES = 1 + 2 * hashlib.new(DIGEST).digest_size
# A sentence ends at ". ", "! ", "? " (and their CJK/ellipsis forms) or at a line break.
_SENTENCE_END = re.compile(r"[.!?。…]\s|\n")
_WHITESPACE = re.compile(r"\s")


@dataclass(frozen=True)
class Limits:
    name: int = 200  # characters of an entity's name, alias or mention
    sentence: int = 3000  # characters of a sentence
    key_bytes: int = 1024  # UTF-8 bytes of an entity key or any other indexed string
    aliases: int = 100  # aliases of one entity
    path_bytes: int = 4096  # UTF-8 bytes of a document's path (indexed; an archive member's may be any length)

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Limits:
        s = settings or get_settings()
        return cls(s.max_name_chars, s.max_sentence_chars, s.max_key_bytes, s.max_aliases, s.max_path_bytes)


def bounded_key(key: str, max_bytes: int) -> str:
    """`key` itself when it fits in `max_bytes` of UTF-8; else a readable prefix and the digest of
    the whole key (two different long keys stay different, the same one maps to the same key).
    Bounding a bounded key changes nothing."""
    data = key.encode("utf-8")
    if len(data) <= max_bytes:
        return key
    if max_bytes < 2 * DIGEST_TAIL_BYTES:
        raise ValueError(f"a key limit of {max_bytes} bytes leaves no room for a readable prefix")
    prefix = data[: max_bytes - DIGEST_TAIL_BYTES].decode("utf-8", errors="ignore")
    return f"{prefix}#{hashlib.new(DIGEST, data).hexdigest()}"


def is_name_sized(text: str, max_chars: int) -> bool:
    """Whether a span is short enough to be an entity's name: longer spans are no entity (a run of
    capitalised words, a giant token), however the model labelled them."""
    return 0 < len(text) <= max_chars


def clip(text: str, max_chars: int) -> str:
    """Display text cut to `max_chars` characters, an ellipsis marking the cut."""
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


def sentence_pieces(text: str, max_chars: int) -> list[tuple[int, str]]:
    """(offset, piece) pairs covering `text` so that no stretch between two sentence ends (or line
    breaks) inside a piece is longer than `max_chars`: such a stretch is cut at its last whitespace
    within the limit (or, in a run without whitespace, at the limit) into pieces of its own. Text
    of ordinary sentences comes back as one piece. Linear in the length of `text`."""
    out: list[tuple[int, str]] = []
    start = prev = 0  # start of the piece being gathered; end of the last sentence in it
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    for end in [*ends, len(text)]:
        if end - prev > max_chars:
            if prev > start:
                out.append((start, text[start:prev]))
            out += [(a, text[a:b]) for a, b in _cuts(text, prev, end, max_chars)]
            start = end
        prev = end
    if start < len(text) or not out:
        out.append((start, text[start:]))
    return out


def _cuts(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    spans = []
    while end - start > max_chars:
        window = text[start : start + max_chars]
        space = max((m.start() for m in _WHITESPACE.finditer(window, max_chars // 2)), default=-1)
        cut = start + (space + 1 if space >= 0 else max_chars)
        spans.append((start, cut))
        start = cut
    spans.append((start, end))
    return spans
