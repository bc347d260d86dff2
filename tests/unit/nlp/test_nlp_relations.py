"""Sentence-level relations from hand-written sentences through the real pipeline."""

from __future__ import annotations

import pytest
from spacy.language import Language

from casegraph.core.domain import load_domain
from casegraph.core.models import DocumentRecord, DocumentResult, ParsedDocument
from nlp.loader import load_pipeline
from nlp.pipeline import analyze
from nlp.relations import predicate_name


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(coref=False, linking=False)  # keys from names; linking has its own tests


def run(nlp: Language, text: str) -> DocumentResult:
    record = DocumentRecord(id="rel", path="rel.txt", filename="rel.txt")
    return analyze(ParsedDocument(document=record, text=text), nlp=nlp)


def typed(result: DocumentResult) -> set[tuple[str, str, str]]:
    co = load_domain().co_occurrence
    return {(r.source_key, r.predicate, r.target_key) for r in result.relations if r.predicate != co}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Only the analyst relation set (casegraph/core/domain.toml [relations]) is produced: the verb
        # predicates of the open extractor ("sell", "sell_to", "arrest_in") became its predicates.
        (
            "Carlos Mendez sold heroin to Maria Lopez in Chicago.",
            {("person:carlos mendez", "traffics", "drug:heroin")},
        ),
        (
            "Carlos Mendez, a member of the Latin Kings, was arrested in Houston.",
            {("person:carlos mendez", "member_of", "gang_org:latin kings")},
        ),
        (
            "Carlos Mendez, also known as El Flaco, supplied fentanyl to the Crips.",
            {("person:carlos mendez", "traffics", "drug:fentanyl")},
        ),
        (
            "The fentanyl was supplied by Carlos Mendez.",
            {("person:carlos mendez", "traffics", "drug:fentanyl")},
        ),
        ("Maria Lopez is the leader of MS-13.", {("person:maria lopez", "leader_of", "gang_org:ms-13")}),
        (
            "Darnell Jackson bought a Glock 19 from Kevin O'Brien.",
            {("person:darnell jackson", "traffics", "weapon:glock 19")},
        ),
        (
            "Luis Ortega, who leads the Sinaloa Cartel, was arrested.",
            {("person:luis ortega", "leader_of", "gang_org:sinaloa cartel")},
        ),
    ],
)
def test_typed_predicates(nlp: Language, text: str, expected: set[tuple[str, str, str]]) -> None:
    result = run(nlp, text)
    assert expected <= typed(result), typed(result)


def test_co_occurrence_for_every_pair_with_sentence_ids(nlp: Language) -> None:
    result = run(
        nlp,
        "Police met in Denver. Carlos Mendez sold heroin to Maria Lopez in Chicago. Nobody else was there.",
    )
    co = load_domain().co_occurrence
    pairs = {frozenset((r.source_key, r.target_key)) for r in result.relations if r.predicate == co}
    keys = ["person:carlos mendez", "drug:heroin", "person:maria lopez", "gpe:chicago"]
    assert pairs == {frozenset((a, b)) for i, a in enumerate(keys) for b in keys[i + 1 :]}
    assert {r.sentence_idx for r in result.relations} == {1}
    assert all(r.confidence < 0.5 for r in result.relations if r.predicate == co)
    assert all(r.confidence > 0.5 for r in result.relations if r.predicate != co)


@pytest.mark.parametrize(
    ("text", "key", "alias"),
    [
        ("Carlos Mendez, also known as El Flaco, supplied fentanyl to the Crips.", "person:carlos mendez", "El Flaco"),
        ('Jorge Castillo a.k.a. "Shorty" runs the MS-13 clique in Newark.', "person:jorge castillo", "Shorty"),
        ('Name: PRICE, Jamal Dwayne A.K.A.: "Little J" DOB: 05/30/2001', "person:jamal dwayne price", "Little J"),
    ],
)
def test_an_alias_is_a_mention_of_the_same_entity(nlp: Language, text: str, key: str, alias: str) -> None:
    # "X, also known as Y": Y is X — one entity with Y among its aliases and mentions, no second node.
    result = run(nlp, text)
    person = next(e for e in result.entities if e.key == key)
    assert alias in person.aliases
    assert alias in {m.text for m in person.mentions}
    assert not [e for e in result.entities if e.name == alias]
    assert person.type == "PERSON"


def test_no_relations_in_a_sentence_with_one_entity(nlp: Language) -> None:
    assert run(nlp, "Carlos Mendez went home.").relations == []


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("sell", "to"), "sell_to"),
        (("Hand-Over",), "hand_over"),
        (("x9",), "x"),
        (("",), None),
        (("9",), None),
    ],
)
def test_predicate_names_match_the_domain_pattern(parts: tuple[str, ...], expected: str | None) -> None:
    name = predicate_name(*parts)
    assert name == expected
    if name:
        load_domain().check_predicate(name)
