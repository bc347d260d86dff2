"""ParsedDocument → DocumentResult through the real pipeline: offsets, pages, sources, keys,
known entities, long documents, batching, and the coreference / key-resolver seams."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from casegraph.core.models import DocumentRecord, DocumentResult, PageSpan, ParsedDocument
from nlp import pipeline
from nlp.keys import clean_name, entity_key
from nlp.loader import add_casegraph_components, load_base, load_pipeline
from nlp.pipeline import analyze, analyze_many, chunks

TEXT = (
    "Carlos Mendez, a member of the Latin Kings, sold 3 grams of ice to Maria Lopez in Chicago.\n\n"
    "He called 555-201-4477 from a black Toyota Camry. Lopez paid $8,500 for a Glock 19."
)


def parsed(text: str = TEXT, doc_id: str = "d1", **kw: object) -> ParsedDocument:
    record = DocumentRecord(id=doc_id, path=f"{doc_id}.txt", filename=f"{doc_id}.txt")
    return ParsedDocument(document=record, text=text, **kw)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(coref=False, linking=False)  # keys from names; linking has its own tests


def test_sentences_mentions_and_pages_point_into_the_text(nlp: Language) -> None:
    cut = TEXT.index("He called")
    doc = parsed(pages=[PageSpan(page=1, start=0, end=cut), PageSpan(page=2, start=cut, end=len(TEXT))])
    result = analyze(doc, nlp=nlp)
    assert isinstance(result, DocumentResult)
    assert [s.page for s in result.sentences] == [1, 2, 2]
    for s in result.sentences:
        assert TEXT[s.start : s.end] == s.text
    by_key = {e.key: e for e in result.entities}
    for entity in result.entities:
        for m in entity.mentions:
            assert TEXT[m.start : m.end] == m.text
            sent = result.sentences[m.sentence_idx]
            assert sent.start <= m.start < m.end <= sent.end
    assert by_key["drug:methamphetamine"].name == "methamphetamine"
    assert by_key["drug:methamphetamine"].aliases == ["ice"]
    assert by_key["drug:methamphetamine"].mentions[0].source == "ruler"
    assert by_key["person:carlos mendez"].mentions[0].source == "model"
    assert by_key["money:$8500"].name == "$8,500"
    expected = {
        "gang_org:latin kings",
        "phone:5552014477",
        "vehicle:toyota camry",
        "weapon:glock 19",
        "gpe:chicago",
        "person:maria lopez",
    }
    assert expected <= set(by_key)
    assert {e.type for e in result.entities} <= {
        "PERSON",
        "GANG_ORG",
        "DRUG",
        "GPE",
        "PHONE",
        "VEHICLE",
        "MONEY",
        "WEAPON",
        "ORG",
    }  # no DATE / CARDINAL in the graph output


def test_known_entities_are_added_with_their_occurrences(nlp: Language) -> None:
    result = analyze(parsed(known_entities=[("EMAIL", "lopez.m@example.org"), ("PERSON", "Maria Lopez")]), nlp=nlp)
    by_key = {e.key: e for e in result.entities}
    assert by_key["email:lopez.m@example.org"].mentions == []  # known, but not in the text
    lopez = by_key["person:maria lopez"]
    assert len([m for m in lopez.mentions if m.text == "Maria Lopez"]) == 1  # not doubled


def test_empty_and_whitespace_documents(nlp: Language) -> None:
    for text in ("", "   \n\n  "):
        result = analyze(parsed(text), nlp=nlp)
        assert result.sentences == [] and result.entities == [] and result.relations == []


def test_chunks_cover_the_text_exactly() -> None:
    text = ("word " * 30 + "\n\n") * 20
    pieces = chunks(text, limit=200)
    assert "".join(p for _o, p in pieces) == text
    assert all(len(p) <= 200 for _o, p in pieces)
    assert [o for o, _p in pieces] == [sum(len(p) for _o, p in pieces[:i]) for i in range(len(pieces))]


def test_long_documents_are_cut_with_exact_offsets(nlp: Language, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = analyze(parsed(TEXT * 3), nlp=nlp)
    monkeypatch.setattr(pipeline, "MAX_CHUNK_CHARS", 120)
    cut = analyze(parsed(TEXT * 3), nlp=nlp)
    assert len(chunks(TEXT * 3, 120)) > 3
    for result in (whole, cut):
        for s in result.sentences:
            assert (TEXT * 3)[s.start : s.end] == s.text
    assert {e.key: len(e.mentions) for e in cut.entities} == {e.key: len(e.mentions) for e in whole.entities}


def test_analyze_many_keeps_order_and_matches_multiprocessing(nlp: Language) -> None:
    docs = [parsed(f"Doc {i}: Carlos Mendez sold heroin to Maria Lopez.", doc_id=f"d{i}") for i in range(5)]
    docs.insert(2, parsed(TEXT, doc_id="long"))
    one = list(analyze_many(docs, nlp=nlp, batch_size=2))
    assert [r.document.id for r in one] == [d.document.id for d in docs]
    two = list(analyze_many(docs, nlp=nlp, n_process=2, batch_size=2))
    assert [r.model_dump(mode="json") for r in two] == [r.model_dump(mode="json") for r in one]


def test_coref_clusters_become_mentions_of_the_named_entity() -> None:
    # The seam: any component before casegraph_extract that fills doc._.coref_clusters.
    if not Language.has_factory("test_fixed_coref"):

        @Language.factory("test_fixed_coref")
        def make(nlp: Language, name: str):  # noqa: ANN202
            def coref(doc: Doc) -> Doc:
                start = doc.text.index("Carlos Mendez")
                he = doc.text.index("He called")
                doc._.coref_clusters = [[(start, start + len("Carlos Mendez")), (he, he + 2)]]
                return doc

            return coref

    nlp = load_base("en_core_web_sm")
    nlp.add_pipe("test_fixed_coref", after="ner")
    add_casegraph_components(nlp)
    result = analyze(parsed(), nlp=nlp)
    mendez = next(e for e in result.entities if e.key == "person:carlos mendez")
    assert [(m.text, m.source) for m in mendez.mentions] == [("Carlos Mendez", "model"), ("He", "coref")]
    assert "He" not in mendez.aliases
    # The pronoun's sentence now relates Mendez to what it mentions.
    assert any(r.source_key == "person:carlos mendez" and r.target_key == "phone:5552014477" for r in result.relations)


def test_a_key_resolver_decides_identity(nlp: Language) -> None:
    def resolver(type_: str, name: str, kb_id: str | None) -> str:
        return "Q1" if type_ == "PERSON" else entity_key(type_, name, kb_id)

    result = analyze(parsed(), nlp=nlp, resolver=resolver)
    people = [e for e in result.entities if e.type == "PERSON"]
    assert [e.key for e in people] == ["Q1"]
    assert {m.text for m in people[0].mentions} >= {"Carlos Mendez", "Maria Lopez"}
    assert all(r.source_key != r.target_key for r in result.relations)


@pytest.mark.parametrize(
    ("type_", "name", "key"),
    [
        ("PERSON", "Det. Carlos Mendez's", "person:carlos mendez"),
        ("PERSON", "Mr.  Holmes", "person:holmes"),
        ("GANG_ORG", "the Latin Kings", "gang_org:latin kings"),
        ("PHONE", "(555) 123-4567", "phone:5551234567"),
        ("PHONE", "+44 7700 900123", "phone:+447700900123"),
        ("EMAIL", "J.Doe@Example.com", "email:j.doe@example.com"),
        ("MONEY", "$8,500", "money:$8500"),
        ("ORG", "St. Mary's Hospital", "org:st marys hospital"),
    ],
)
def test_keys(type_: str, name: str, key: str) -> None:
    assert entity_key(type_, name) == key
    assert entity_key(type_, name, "Q42") == "Q42"


def test_clean_name() -> None:
    assert clean_name(' "El  Flaco"\n') == "El Flaco"
    assert clean_name("Mendez’s") == "Mendez"
