"""Word lists and token tests that several components share (span trimming, name propagation)."""

from __future__ import annotations

from typing import Any

from nlp.keys import TITLES

# Form and log layouts glue field labels, times and table cells to names ("Name: ORTIZ",
# "16:30 Kessler", "Owen Fisk A-07,2024-03-21", "Mendez et al."). A person's name never starts or
# ends with a word holding a digit, a lower-case word (other than a name particle) or a field label.
NAME_PARTICLES = frozenset({"de", "del", "della", "la", "le", "da", "di", "du", "van", "von", "der", "den",
                            "ter", "bin", "ibn", "al", "el", "y"})
FORM_LABELS = frozenset({"name", "names", "suspect", "subject", "subjects", "defendant", "defendants",
                         "victim", "witness", "dob", "d.o.b.", "address", "sex", "race", "age", "aka",
                         "a.k.a.", "item", "items", "re", "attn", "cc", "to", "from", "signed", "date"})
QUOTES = frozenset({'"', "“", "”"})


def is_title(tok: Any) -> bool:
    """An abbreviated title with its full stop: "Det.", "Sgt." (not "Det" alone: that may be a name)."""
    return tok.text.endswith(".") and len(tok.text) > 2 and tok.lower_.rstrip(".") in TITLES
