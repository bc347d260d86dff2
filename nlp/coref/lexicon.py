"""Word lists the rule-based resolver needs: pronouns, titles, person nouns, first-name genders.

Kept as data (plain sets, two name files, and the titles in nlp/lists/titles.csv) so that an
analyst can extend them without touching the resolver's logic. Which entity types corefer is a
domain rule: casegraph/core/domain.toml [type_rules].
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from nlp.wordlists import titles

Gender = Literal["m", "f", "n"]  # n: neuter (not a person)
Number = Literal["sg", "pl"]
Case = Literal["subj", "obj", "poss", "refl"]


@dataclass(frozen=True)
class Pronoun:
    person: int
    number: Number
    gender: Gender | None  # None: any person (they, I, you)
    case: Case


def words(text: str) -> frozenset[str]:
    """A word list written as one space-separated string."""
    return frozenset(text.split())


def _forms(person: int, number: Number, gender: Gender | None, **forms: str) -> dict[str, Pronoun]:
    out: dict[str, Pronoun] = {}
    for case, words in forms.items():
        for w in words.split():
            out[w] = Pronoun(person, number, gender, case)  # type: ignore[arg-type]
    return out


PRONOUNS: dict[str, Pronoun] = {
    **_forms(3, "sg", "m", subj="he", obj="him", poss="his", refl="himself"),
    **_forms(3, "sg", "f", subj="she", obj="her", poss="hers", refl="herself"),
    **_forms(3, "sg", "n", subj="it", poss="its", refl="itself"),
    **_forms(3, "pl", None, subj="they", obj="them", poss="their theirs", refl="themselves"),
    **_forms(1, "sg", None, subj="i", obj="me", poss="my mine", refl="myself"),
    **_forms(1, "pl", None, subj="we", obj="us", poss="our ours", refl="ourselves"),
}

# Titles before a name, compared without their full stop ("Det." → "det"): nlp/lists/titles.csv.
# Gendered ones give the gender; the coreference set is the key titles and more ("senator", "king").
_TITLES = titles()
MALE_TITLES = _TITLES.male
FEMALE_TITLES = _TITLES.female
TITLES = _TITLES.coref


def is_title(word: str) -> bool:
    return word.lower().rstrip(".") in TITLES


# Roles in case documents that name one person per document when used with "the".
LEGAL_ROLES = words(
    "defendant victim suspect complainant witness informant accused deceased decedent "
    "plaintiff respondent petitioner appellant arrestee offender subject claimant applicant "
    "driver passenger caller reporter"
)
MALE_NOUNS = words(
    "man boy gentleman father husband son brother uncle nephew grandfather grandson king lord "
    "prince duke male guy fellow lad widower boyfriend monk priest sir mister"
)
FEMALE_NOUNS = words(
    "woman girl lady mother wife daughter sister aunt niece grandmother granddaughter queen "
    "princess duchess female widow girlfriend maid mistress nun actress waitress heroine "
    "hostess madam"
)
PERSON_NOUNS = (
    LEGAL_ROLES
    | MALE_NOUNS
    | FEMALE_NOUNS
    | words(
        "person individual people child baby officer detective agent deputy trooper sergeant "
        "lieutenant captain doctor nurse teacher student friend neighbor neighbour stranger "
        "associate partner dealer courier buyer seller customer client owner tenant landlord "
        "employee employer manager boss worker member leader president judge lawyer attorney "
        "prosecutor clerk guard soldier doctor physician patient parent cousin relative spouse "
        "gunman shooter robber thief killer murderer inmate prisoner traveller traveler visitor "
        "servant master mistress youth adult teenager"
    )
)

_HERE = Path(__file__).parent


@lru_cache(maxsize=1)
def first_name_genders() -> dict[str, Gender]:
    """Lower-cased first name → gender, from `names_male.txt` / `names_female.txt`.

    A name on both lists (e.g. "jordan") is left out: it says nothing about gender.
    """

    def read(name: str) -> set[str]:
        lines = (_HERE / name).read_text(encoding="utf-8").splitlines()
        return {w.strip().lower() for w in lines if w.strip() and not w.startswith("#")}

    male, female = read("names_male.txt"), read("names_female.txt")
    both = male & female
    return {**{n: "m" for n in male - both}, **{n: "f" for n in female - both}}


def title_gender(word: str) -> Gender | None:
    w = word.lower().rstrip(".")
    if w in MALE_TITLES:
        return "m"
    if w in FEMALE_TITLES:
        return "f"
    return None


def noun_gender(lemma: str) -> Gender | None:
    if lemma in MALE_NOUNS:
        return "m"
    if lemma in FEMALE_NOUNS:
        return "f"
    return None
