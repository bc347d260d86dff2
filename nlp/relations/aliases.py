""""X, also known as Y": the alias a mention introduces (Y becomes a mention of X's entity)."""

from __future__ import annotations

import re

ALIAS_RE = re.compile(
    r"""\s*[,(]?\s*(?i:(?:also\s+|otherwise\s+)?(?:known\s+as|a\.?\s?k\.?\s?a\.?|a/k/a|aka|alias|nicknamed|
    goes\s+by|who\s+goes\s+by|street\s+name))\s*[:,]?\s*(?:the\s+)?["“'‘]?\s*
    (?P<alias>[A-Z0-9][\w'’.-]*(?:\s+(?:[A-Z0-9][\w'’.-]*|de|del|la|el|los|van|von|da|bin))*)""",
    re.VERBOSE,
)


def find_alias(text: str, mention_end: int, sentence_end: int) -> tuple[int, int] | None:
    """Character span of an alias introduced right after a mention ending at `mention_end`."""
    match = ALIAS_RE.match(text, mention_end, sentence_end)
    if not match:
        return None
    alias = match.group("alias").rstrip(".,'’")
    return match.start("alias"), match.start("alias") + len(alias)
