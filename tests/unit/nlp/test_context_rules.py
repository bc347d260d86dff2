"""The context rules and canonical names on the real pipeline (en_core_web_md + ruler): gang words
around a name, generic words that are never entities, charge phrases to their natural end,
judicial districts, titles, abbreviations defined in the document (issue 15). The sentences are
written for these tests, in the style of U.S. Attorney press releases."""

from __future__ import annotations

import pytest
import spacy

from nlp.canonical import canonical_name, stem_if_described
from nlp.loader import add_casegraph_components, load_base


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return add_casegraph_components(load_base("en_core_web_md"), coref=None)


def _ents(nlp: spacy.language.Language, text: str) -> dict[str, str]:
    return {e.text: e.label_ for e in nlp(text).ents}


def test_a_name_before_a_gang_word_is_a_gang_without_the_word(nlp: spacy.language.Language) -> None:
    ents = _ents(nlp, "Five members of the Harlow Park Boys street gang were arrested, and the Redline clique fled.")
    assert ents.get("Harlow Park Boys") == "GANG_ORG"
    assert ents.get("Redline") == "GANG_ORG"
    assert not any("gang" in t or "clique" in t for t in ents)


def test_a_name_after_members_of_is_a_gang_but_an_agency_is_not(nlp: spacy.language.Language) -> None:
    ents = _ents(nlp, "Prosecutors said the defendants were members of the Kearny Street Hustlers. "
                      "Members of the Seattle Police Department made the arrests.")
    assert ents.get("Kearny Street Hustlers") == "GANG_ORG"
    assert ents.get("Seattle Police Department") != "GANG_ORG"


def test_generic_words_alone_are_never_entities(nlp: spacy.language.Language) -> None:
    doc = nlp("The gang controlled the area. The Gang and the Cartel ran the enterprise, the DTO said. "
              "Leaders of the organization paid the cartel.")
    assert [e.text for e in doc.ents if e.label_ in {"GANG_ORG", "ORG"}] == []


def test_a_capitalised_cartel_stays_in_the_name(nlp: spacy.language.Language) -> None:
    ents = _ents(nlp, "He supplied methamphetamine for the Sinaloa Cartel and the Monteverde cartel.")
    assert ents.get("Sinaloa Cartel") == "GANG_ORG"
    assert ents.get("Monteverde") == "GANG_ORG"


def test_a_charge_phrase_runs_to_its_natural_end(nlp: spacy.language.Language) -> None:
    ents = _ents(nlp, "Ortega pleaded guilty to conspiracy to possess with intent to distribute 500 grams or "
                      "more of methamphetamine and one count of money laundering. He was convicted of "
                      "murder in aid of racketeering in May 2021.")
    assert ents.get("conspiracy to possess with intent to distribute 500 grams or more of methamphetamine") == "CRIME"
    assert ents.get("money laundering") == "CRIME"
    assert ents.get("murder in aid of racketeering") == "CRIME"
    assert "methamphetamine" not in ents  # inside the formal charge


def test_a_run_without_natural_end_is_not_a_charge(nlp: spacy.language.Language) -> None:
    doc = nlp("They were charged with running a criminal enterprise to enrich themselves and others through "
              "threats and preserving and protecting their power and territory from the rival groups who "
              "lived in the county and beyond it for many years without end")
    assert not any(e.label_ == "CRIME" and len(e) > 20 for e in doc.ents)


def test_judicial_districts_and_titles(nlp: spacy.language.Language) -> None:
    ents = _ents(nlp, "U.S. Attorney Jane Whitlow of the Eastern District of New York said the case began "
                      "in the United States.")
    assert ents.get("Eastern District of New York") == "GPE"
    assert "U.S." not in ents
    assert ents.get("United States") == "GPE"
    assert ents.get("Jane Whitlow") == "PERSON"


def test_an_abbreviation_defined_in_the_document_is_the_same_gang(nlp: spacy.language.Language) -> None:
    doc = nlp("Members of the Aryan Brotherhood of Texas (ABT) were indicted. The ABT recruited in prison.")
    gangs = [(e.text, e.ent_id_) for e in doc.ents if e.label_ == "GANG_ORG"]
    assert ("ABT", "Aryan Brotherhood of Texas") in gangs
    assert {i for _, i in gangs} == {"Aryan Brotherhood of Texas"}


def test_canonical_names_drop_generic_suffixes_only() -> None:
    assert canonical_name("the Barrio Azteca") == "Barrio Azteca"
    assert canonical_name("Barrio Azteca gang") == "Barrio Azteca"
    assert canonical_name("Barrio Azteca street gang") == "Barrio Azteca"
    assert canonical_name("Tiny Rascal Gang") == "Tiny Rascal Gang"
    assert canonical_name("Sinaloa Cartel") == "Sinaloa Cartel"
    assert stem_if_described("Barrio Azteca Gang", {"Barrio Azteca"}) == "Barrio Azteca"
    assert stem_if_described("Tiny Rascal Gang", {"Tiny Rascal Gang"}) == "Tiny Rascal Gang"


def test_gang_mentions_share_one_canonical_id(nlp: spacy.language.Language) -> None:
    doc = nlp("The Barrio Azteca Gang Indicted. Agents arrested leaders of Barrio Azteca in El Paso, "
              "where the Barrio Azteca gang sold heroin.")
    ids = {e.ent_id_ or e.text for e in doc.ents if e.label_ == "GANG_ORG"}
    assert ids == {"Barrio Azteca"}


def test_a_quoted_abbreviation_is_defined_too(nlp: spacy.language.Language) -> None:
    doc = nlp("A jury convicted five members of the Harlow Park Boys (“HPB”) street gang. HPB members sold heroin.")
    hpb = [e for e in doc.ents if e.text == "HPB"]
    assert len(hpb) == 2
    assert {(e.label_, e.ent_id_) for e in hpb} == {("GANG_ORG", "Harlow Park Boys")}
