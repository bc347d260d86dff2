"""The word lists names are read with, as data files in `nlp/lists/` (read once per process):

- `titles.csv`: titles before a name, their gender and what each is used for (see the file's header);
- `suffixes.txt`: name suffixes ("Jr", "III", "Esq");
- `nicknames.csv`: everyday short forms of first names ("mike" → "michael").

An analyst extends a list by editing its file; no code holds a copy.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).with_name("lists")  # not "data": .gitignore leaves out every data/ folder
TITLE_USES = frozenset({"key", "coref", "person"})


class WordListError(ValueError):
    """A malformed row in one of the `nlp/lists` word lists."""


@dataclass(frozen=True)
class Titles:
    key: frozenset[str]  # stripped from person-name keys
    coref: frozenset[str]  # read as a title by rule coreference (the key titles and more)
    person: frozenset[str]  # police and court titles: a titled name the NER mistyped is a person
    male: frozenset[str]
    female: frozenset[str]


def _rows(name: str) -> list[list[str]]:
    """The data rows of a list file: `#` comments, blank lines and the header row left out."""
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    rows = [r for r in csv.reader(line for line in text.splitlines() if line.strip() and not line.startswith("#"))]
    return rows[1:] if name.endswith(".csv") else rows


@lru_cache(maxsize=1)
def titles() -> Titles:
    by_use: dict[str, set[str]] = {u: set() for u in TITLE_USES}
    gender: dict[str, set[str]] = {"m": set(), "f": set()}
    for n, row in enumerate(_rows("titles.csv"), start=2):
        if len(row) != 3 or not row[0].strip():
            raise WordListError(f"titles.csv row {n}: expected title,gender,uses, got {row!r}")
        word, sex, uses = row[0].strip().lower(), row[1].strip(), {u.strip() for u in row[2].split("|")}
        if sex not in ("", "m", "f") or not uses <= TITLE_USES:
            raise WordListError(f"titles.csv row {n}: gender must be m, f or empty and uses among {sorted(TITLE_USES)}")
        for use in uses:
            by_use[use].add(word)
        if sex:
            gender[sex].add(word)
    key = frozenset(by_use["key"])
    return Titles(key=key, coref=key | frozenset(by_use["coref"]), person=frozenset(by_use["person"]),
                  male=frozenset(gender["m"]), female=frozenset(gender["f"]))


@lru_cache(maxsize=1)
def suffixes() -> frozenset[str]:
    return frozenset(row[0].strip().lower() for row in _rows("suffixes.txt"))


@lru_cache(maxsize=1)
def diminutives() -> dict[str, frozenset[str]]:
    """Short form → the full first names it may stand for."""
    out: dict[str, set[str]] = {}
    for n, row in enumerate(_rows("nicknames.csv"), start=2):
        if len(row) != 2 or not all(c.strip() for c in row):
            raise WordListError(f"nicknames.csv row {n}: expected short,full, got {row!r}")
        out.setdefault(row[0].strip().lower(), set()).add(row[1].strip().lower())
    return {short: frozenset(full) for short, full in out.items()}
