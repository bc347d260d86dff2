"""Entity keys: the identity of an entity inside one document (and, for now, across documents).

`entity_key("PERSON", "Det. Carlos Mendez's")` → `"person:carlos mendez"`. Cross-document
resolution (`nlp/resolution.py`) may replace this with a KB id or a merged key: anything with the
`KeyResolver` signature can be passed to `nlp.pipeline.analyze`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import phonenumbers
from nameparser import HumanName
from nameparser.config import Constants

from .wordlists import suffixes, titles

# (type, name, kb_id) → key.
KeyResolver = Callable[[str, str, "str | None"], str]

# Titles stripped from person-name keys ("Det. Carlos Mendez" → "carlos mendez"): nlp/lists/titles.csv.
TITLES = titles().key
# A "person" whose last word is one of these is an organisation ("Narcotics and Gang Unit" as the NER
# or an e-mail display name has it).
ORG_HEADS = frozenset({"unit", "units", "department", "division", "office", "bureau", "agency", "squad",
                       "section", "court", "laboratory", "task", "force", "team", "services", "bank", "llc",
                       "inc", "inc.", "corp", "corp.", "company", "ministry", "administration", "police"})
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$", re.IGNORECASE)
_LEADING_THE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_NON_WORD = re.compile(r"[^\w\s&@+.-]|(?<!\w)[.-]|[.-](?!\w)")
_SPACE = re.compile(r"\s+")


def clean_name(text: str) -> str:
    """The display form of a mention: collapsed whitespace, no possessive, no outer quotes."""
    name = _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip(" \t\"'“”‘’,;:")
    return _POSSESSIVE.sub("", name).strip()


def normalise(type_: str, name: str) -> str:
    """Lower-case, punctuation- and title-free form used inside keys."""
    text = clean_name(name).lower()
    if type_ == "PHONE":
        return phone_key(text)
    if type_ == "EMAIL":
        return text
    if type_ == "MONEY":  # "$8,500" and "$ 8500" are one amount
        return re.sub(r"[\s,]", "", text)
    if type_ == "PERSON":
        text = normalise_inverted(text)
    text = _LEADING_THE.sub("", text).replace("'", "").replace("’", "")
    text = _SPACE.sub(" ", _NON_WORD.sub(" ", text)).strip()
    if type_ == "PERSON":
        words = text.split(" ")
        while len(words) > 1 and words[0].rstrip(".") in TITLES:
            words.pop(0)
        text = " ".join(words)
    return text.replace(" .", ".").strip(" .") or clean_name(name).lower()


# The region a phone number without a country code is read in (the documents are U.S. case files).
HOME_REGION = "US"


def phone_key(text: str) -> str:
    """One key per phone number however it is written: a home-region number as its national digits
    ("(555) 201-4477", "+1 555 201 4477" → "5552014477"), any other in E.164 ("+44 7700 900123" →
    "+447700900123"). What `phonenumbers` cannot read as a whole number (a 7-digit "555-0142")
    keeps its digits, with the "+" it was written with."""
    try:
        number = phonenumbers.parse(text, HOME_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_possible_number(number):
        if phonenumbers.region_code_for_country_code(number.country_code or 0) == HOME_REGION:
            return str(number.national_number)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    digits = re.sub(r"\D", "", text)
    return ("+" + digits) if text.startswith("+") else digits


# "MENDEZ, Carlos Alberto" (forms, court filings): at most two words before the comma. nameparser
# (with casegraph's own title and suffix lists, no prefixes or conjunctions) decides whether what
# follows is given names or only a suffix ("John Smith, Jr." stays as written).
_INVERTED = re.compile(r"^\s*([^,\s]+(?:\s[^,\s]+)?)\s*,\s*([^,]+?)\s*$")


@lru_cache(maxsize=1)
def _name_constants() -> Constants:
    return Constants(prefixes=[], conjunctions=[], first_name_titles=[], capitalization_exceptions=[],
                     titles=sorted(TITLES), suffix_acronyms=[], suffix_acronyms_ambiguous=[],
                     suffix_not_acronyms=sorted(suffixes()))


def normalise_inverted(name: str) -> str:
    """ "MENDEZ, Carlos" → "Carlos MENDEZ"; any other name unchanged."""
    m = _INVERTED.match(name)
    if not m:
        return name
    parsed = HumanName(name, constants=_name_constants())
    if parsed.last != m.group(1) or (parsed.suffix and not (parsed.first or parsed.title)):
        return name  # "John Smith, Jr.", "Smith, Jr.": a name and its suffix
    return f"{m.group(2)} {m.group(1)}"


def natural_name(name: str) -> str:
    """A display form: natural order, and capitals only as initials ("PRICE, Jamal" → "Jamal Price")."""
    flipped = normalise_inverted(name)
    words = flipped.split()
    if len(words) < 2 or (flipped == name and not all(w.isupper() for w in words if w.isalpha())):
        return flipped  # "CI", "Det. Alvarez": as written
    return " ".join(w.title() if w.isupper() and len(w) > 1 and w.isalpha() else w for w in words)


def entity_key(type_: str, name: str, kb_id: str | None = None) -> str:
    """The default key: the KB id when linked, else `type:normalised name`."""
    if kb_id:
        return kb_id
    return f"{type_.lower()}:{normalise(type_, name)}"


# 'Carlos "Flaco" Mendez', "Luis ‘Spider’ Ortiz", "Hector (El Doctor) Salgado"
_NICKNAME = re.compile(r"^(?P<first>[^\"“”‘’'(]+?)\s+[\"“‘'(](?P<nick>[^\"“”‘’'()]{1,40})[\"”’')]\s+(?P<last>\S.*)$")


def split_nickname(name: str) -> tuple[str, str | None]:
    """A person's name without the quoted nickname inside it, and the nickname."""
    m = _NICKNAME.match(name.strip())
    if not m:
        return name, None
    return f"{m['first']} {m['last']}", m["nick"].strip()
