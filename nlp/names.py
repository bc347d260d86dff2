"""Person and organisation names as the resolver and rule coreference compare them: normal forms,
word tuples, and whether a partial name fits a fuller one. Pure functions over strings."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from casegraph.core.domain import load_domain

from .keys import normalise
from .wordlists import diminutives

_CORPORATE = re.compile(
    r"(?:,?\s+(?:inc|incorporated|llc|l\.l\.c|ltd|limited|corp|corporation|co|company|gmbh|plc|"
    r"s\.a|sa|ag|llp|lp|pllc|pty)\.?)+$",
    re.IGNORECASE,
)


def family(type_: str) -> str:
    """The type whose names a type's names are compared with (domain.toml `[type_rules.families]`)."""
    return load_domain().type_rules.family(type_)


def name_fits(short: tuple[str, ...], full: tuple[str, ...], single: bool = True) -> bool:
    """Whether a partial person name fits a fuller one: `mendez`/`carlos` (single words, when
    `single`), `c mendez`, `carlos a mendez` against `carlos mendez`."""
    if not short or not full or short == full:
        return short == full and bool(short)
    if len(short) == 1:
        return single and not is_initial(short[0]) and (
            short[0] in (full[0], full[-1]) or full[0] in diminutives().get(short[0], ()))
    if short[-1] != full[-1]:
        return False
    a, b = short[0], full[0]
    if is_initial(b):
        return a == b  # "Carla Mendez" does not fit "C. Mendez": that one may be Carlos
    if is_initial(a):
        return a == b[0]
    return a == b


def is_initial(token: str) -> bool:
    return len(token) == 1 and token.isalpha()


@lru_cache(maxsize=1 << 16)  # called for every name of a document, for each person mention in it
def person_tokens(name: str) -> tuple[str, ...]:
    """Normalised person-name words, "Mendez, Carlos A." → ("carlos", "a", "mendez") (`normalise`
    puts an inverted name in natural order)."""
    return tuple(w.rstrip(".") for w in fold_accents(normalise("PERSON", name)).split() if w.rstrip("."))


def fold_accents(text: str) -> str:
    """ "García" → "Garcia": drop accents on Latin letters only (Cyrillic "й" stays itself)."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch) and out and out[-1].isascii():
            continue
        out.append(ch)
    return unicodedata.normalize("NFKC", "".join(out))


def normal_form(type_: str, name: str) -> str:
    """`nlp.keys.normalise` plus what only matching needs: person names in natural order,
    Latin accents folded, company suffixes dropped."""
    if type_ == "PERSON":
        return " ".join(person_tokens(name))
    text = fold_accents(normalise(type_, name))
    if family(type_) == "ORG":
        stripped = _CORPORATE.sub("", text).strip(" ,")
        text = stripped or text
    return text


def middle_dropped(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """ "carlos a mendez" ~ "carlos mendez" (either way round)."""
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return len(short) >= 2 and short[0] == long_[0] and short[-1] == long_[-1]
