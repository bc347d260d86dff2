"""Canonical resolution across documents (pure Python, graph knowledge passed in as data)."""

from __future__ import annotations

import pytest

from casegraph.eval.datasets import RESOLUTION_MENTIONS as FIXTURE
from casegraph.eval.resolution import _pair_and_b3, load_fixture, score_resolution
from nlp.kb import KnowledgeBase, build_kb
from nlp.names import name_fits, normal_form
from nlp.resolution import KnownEntities, KnownEntity, Resolver


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return KnowledgeBase(build_kb(tmp_path_factory.mktemp("kb") / "kb.db").path)


@pytest.fixture()
def known() -> KnownEntities:
    return KnownEntities(
        entities=[
            KnownEntity("person:carlos mendez", "PERSON", "Carlos Mendez", ("Flaco",)),
            KnownEntity("person:maria mendez", "PERSON", "Maria Mendez"),
            KnownEntity("person:lucho", "PERSON", "Lucho"),
            KnownEntity("person:luis garcia", "PERSON", "Luis Garcia"),
            KnownEntity("org:acme logistics llc", "ORG", "Acme Logistics LLC"),
        ],
        redirects={"person:lucho": "person:luis garcia"},
        splits={"person:carlos mendez": {"c mendez"}},
    )


def test_rule_order(known: KnownEntities, kb: KnowledgeBase) -> None:
    r = Resolver(known, kb=kb, threshold=92)
    assert r.explain("DRUG", "meth", kb_id="kb:drug:methamphetamine") == ("kb:drug:methamphetamine", "kb", None)
    assert r.explain("PERSON", "flaco").rule == "alias"
    assert r.resolve("PERSON", "flaco") == "person:carlos mendez"
    assert r.explain("PERSON", "Det. Carlos Mendez's") == ("person:carlos mendez", "normalised", "carlos mendez")
    assert r.resolve("PERSON", "Mendez, Maria") == "person:maria mendez"
    assert r.explain("DRUG", "ICE") == ("kb:drug:methamphetamine", "normalised", "ice")  # street name → substance
    assert r.resolve("GANG_ORG", "Mara Salvatrucha") == "kb:gang_org:ms-13"
    assert r.explain("PERSON", "Carlos A. Mendez").rule == "person"
    assert r.explain("PERSON", "Carlos Mendes") == ("person:carlos mendez", "fuzzy", "carlos mendez")
    assert r.explain("PERSON", "Pedro Alvarez") == ("person:pedro alvarez", "new", None)


def test_company_suffixes_and_accents(known: KnownEntities) -> None:
    r = Resolver(known, threshold=92)
    for name in ("Acme Logistics", "ACME LOGISTICS, INC.", "Acme Logistics L.L.C."):
        assert r.resolve("ORG", name) == "org:acme logistics llc"
    assert r.resolve("PERSON", "Luis García") == "person:luis garcia"
    assert normal_form("PERSON", "Сергей Иванов") == "сергей иванов"  # Cyrillic left intact


def test_merges_and_splits_are_respected(known: KnownEntities) -> None:
    r = Resolver(known, threshold=92)
    assert r.resolve("PERSON", "Lucho") == "person:luis garcia"  # merged entity's alias
    assert r.resolve("PERSON", "C. Mendez") != "person:carlos mendez"  # an analyst split it off


def test_partial_names_only_within_the_document(known: KnownEntities) -> None:
    r = Resolver(known, threshold=92)
    assert r.resolve("PERSON", "Mendez", doc_names=["Maria Mendez", "Mendez"]) == "person:maria mendez"
    assert r.resolve("PERSON", "Carlos", doc_names=["Carlos Ramirez"]) == "person:carlos ramirez"
    # two candidates in the document: no guess
    assert r.resolve("PERSON", "Mendez", doc_names=["Carlos Mendez", "Maria Mendez"]) == "person:mendez"
    # a bare surname is not matched across documents
    assert r.resolve("PERSON", "Ramirez") == "person:ramirez"


def test_fuzzy_stays_within_type_and_threshold(known: KnownEntities) -> None:
    r = Resolver(known, threshold=92)
    assert r.resolve("ORG", "Carlos Mendes") != "person:carlos mendez"
    assert r.resolve("PERSON", "Carla Mendez") == "person:carla mendez"  # 88 < 92
    assert Resolver(known, threshold=85).resolve("PERSON", "Carla Mendez") == "person:carlos mendez"


def test_resolver_remembers_within_a_run() -> None:
    r = Resolver(KnownEntities(), threshold=92)
    first = r.resolve("GANG_ORG", "Los Primos Crew")
    assert r.resolve("GANG_ORG", "los primos crew") == first
    assert r.for_document({"PERSON": ["Ana Ruiz"]})("PERSON", "Ruiz", None) == "person:ana ruiz"


def test_document_resolver_learns_and_knows_types() -> None:
    r = Resolver(KnownEntities(), threshold=92)
    key = r.for_document({"PERSON": ["Carlos Mendez"]})
    carlos = key("PERSON", "Carlos Mendez", None)
    key.learn(carlos, "PERSON", "Flaco")  # what the pipeline does with a quoted nickname
    assert r.for_document({})("PERSON", "Flaco") == carlos
    assert key.type_of(carlos) == "PERSON"


def test_name_suffix_is_not_an_inverted_name() -> None:
    assert normal_form("PERSON", "John Smith, Jr.") == "john smith jr"
    assert normal_form("PERSON", "MENDEZ, Carlos A.") == "carlos a mendez"


def test_name_fits() -> None:
    assert name_fits(("mendez",), ("carlos", "mendez"))
    assert name_fits(("c", "mendez"), ("carlos", "mendez"))
    assert not name_fits(("carla", "mendez"), ("c", "mendez"))
    assert not name_fits(("maria", "mendez"), ("carlos", "mendez"))
    assert not name_fits(("mendez",), ("carlos", "mendez"), single=False)


def test_pairwise_and_b3_scores() -> None:
    # gold {1,2,3} {4}; predicted {1,2} {3,4}: worked by hand
    s = _pair_and_b3(["a", "a", "a", "b"], ["x", "x", "y", "y"])
    assert (s.pairwise_p, s.pairwise_r) == pytest.approx((1 / 2, 1 / 3))
    assert s.b3_p == pytest.approx((1 + 1 + 0.5 + 0.5) / 4)
    assert s.b3_r == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)


def test_fixture_set(kb: KnowledgeBase) -> None:
    known, mentions = load_fixture(FIXTURE)
    with_kb, errors = score_resolution(mentions, known, kb, threshold=92)
    without_kb, _ = score_resolution(mentions, known, None, threshold=92)
    assert with_kb.mentions == len(mentions) and with_kb.entities == len({m.entity for m in mentions})
    # The KB is what joins street names and gang aliases: recall depends on it.
    assert with_kb.pairwise_r > without_kb.pairwise_r
    assert with_kb.b3_p > 0.9 and with_kb.b3_r > 0.9
    # What remains wrong is the bare "Mendez" of the document that names two Mendezes.
    assert errors and all(" 'Mendez' → " in e for e in errors)
