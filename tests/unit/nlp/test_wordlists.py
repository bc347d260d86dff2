"""The word lists in nlp/lists and the type rules in domain.toml: read once, used by every caller,
and rejected with a clear error when malformed."""

from __future__ import annotations

from pathlib import Path

import pytest

from casegraph.core.domain import NotAllowedError, _type_rules, load_domain
from nlp import wordlists
from nlp.keys import entity_key, normalise_inverted
from nlp.names import family, name_fits


def test_titles_keep_their_uses_apart() -> None:
    t = wordlists.titles()
    assert {"det", "sgt", "mr", "dr"} <= t.key
    assert t.key < t.coref and {"senator", "king"} <= t.coref - t.key
    assert {"sa", "trooper", "judge"} <= t.person and "dr" not in t.person  # "Dr Pepper" stays a product
    assert "da" in t.person and "da" not in t.coref  # "da Silva": a particle to coreference
    assert "mr" in t.male and "mrs" in t.female and not t.male & t.female


def test_keys_and_names_read_the_lists() -> None:
    assert entity_key("PERSON", "Det. Sgt. Carlos Mendez's") == "person:carlos mendez"
    assert normalise_inverted("MENDEZ, Carlos Alberto") == "Carlos Alberto MENDEZ"
    assert normalise_inverted("John Smith, Jr.") == "John Smith, Jr."
    assert normalise_inverted("Smith, III") == "Smith, III"  # a suffix from suffixes.txt, not a given name
    assert {"jr", "iii", "esq"} <= wordlists.suffixes()
    assert "michael" in wordlists.diminutives()["mike"]
    assert name_fits(("mike",), ("michael", "brennan")) and not name_fits(("mike",), ("daniel", "brennan"))


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("555-201-4477", "phone:5552014477"),
        ("+1 (555) 201-4477", "phone:5552014477"),  # the same U.S. number with its country code
        ("1-555-201-4477", "phone:5552014477"),
        ("+44 7700 900123", "phone:+447700900123"),
        ("555-0142", "phone:5550142"),  # too short to be a whole number: its digits
    ],
)
def test_phone_keys(written: str, key: str) -> None:
    assert entity_key("PHONE", written) == key


def test_type_rules_come_from_domain_toml() -> None:
    rules = load_domain().type_rules
    assert family("GANG_ORG") == family("ORG") == "ORG" and family("LOC") == "GPE" and family("DRUG") == "DRUG"
    assert {"ORG", "GPE", "NORP", "FAC", "LOC"} <= rules.mistyped_person and "PERSON" not in rules.mistyped_person
    assert rules.weak == rules.mistyped_person | {"PERSON"}
    assert rules.kb_compatible["PRODUCT"] == {"WEAPON", "DRUG", "VEHICLE"} and "DATE" not in rules.kb_compatible


def test_malformed_lists_fail_clearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "titles.csv").write_text("title,gender,uses\ndet,x,key\n", encoding="utf-8")
    (tmp_path / "nicknames.csv").write_text("short,full\nmike\n", encoding="utf-8")
    monkeypatch.setattr(wordlists, "DATA_DIR", tmp_path)
    wordlists.titles.cache_clear()
    wordlists.diminutives.cache_clear()
    try:
        with pytest.raises(wordlists.WordListError, match="titles.csv row 2"):
            wordlists.titles()
        with pytest.raises(wordlists.WordListError, match="nicknames.csv row 2"):
            wordlists.diminutives()
    finally:
        wordlists.titles.cache_clear()
        wordlists.diminutives.cache_clear()
    with pytest.raises(NotAllowedError, match="mistyped_person"):
        _type_rules({"mistyped_person": "ORG"}, Path("domain.toml"))
