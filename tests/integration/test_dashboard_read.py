"""The dashboard's read functions (`graph.read`) on the real Neo4j, on graphs written by the writer."""

from __future__ import annotations

import pytest

from casegraph.core.errors import Neo4jUnavailableError
from casegraph.core.settings import Settings
from graph import read as gr
from graph.read import Filters, lucene_query
from graph.server import free_port
from graph.writer import GraphWriter
from tests.factories.chart_case import (
    CARLOS,
    DANA,
    GLOCK,
    LUIS,
    METH,
    MOTEL,
    SURENOS,
    VAN,
    write_case,
)
from tests.factories.documents import case_document


@pytest.fixture()
def case(graph_db):
    docs = write_case(graph_db)
    return graph_db, {d.document.title: d.document.id for d in docs}


def test_lucene_query_escapes_and_prefixes():
    assert lucene_query("carlos men") == '(carlos AND men*) OR "carlos men"^4'
    assert lucene_query('  "(AND)*  ') == '(and*) OR "and"^4'
    assert lucene_query("?!*") is None
    assert lucene_query("") is None


def test_search_by_name_prefix_alias_and_type(case):
    s, _ = case
    assert [h.key for h in gr.search_entities("dan", settings=s)] == [DANA]
    assert [h.key for h in gr.search_entities("carlos me", settings=s)] == [CARLOS]
    # Aliases are searchable (the writer keeps them in aliases_text).
    hit = gr.search_entities("el fla", settings=s)
    assert [h.key for h in hit] == [CARLOS] and hit[0].aliases == ["El Flaco"]
    # Diacritics as written; the type filter applies.
    assert [h.key for h in gr.search_entities("sureñ", settings=s)] == [SURENOS]
    assert gr.search_entities("sureñ", types=["PERSON"], settings=s) == []
    people = gr.search_entities("o", types=["PERSON"], settings=s)  # any word starting with "o": Ortega
    assert {h.key for h in people} == {LUIS}
    assert gr.search_entities("harbor motel", settings=s)[0].mention_count == 2


@pytest.mark.parametrize("text", ['"', "((", "AND OR", "a:b", "*", "\\", "title:[a TO z]", "x" * 500])
def test_search_survives_query_syntax(case, text):
    s, _ = case
    assert isinstance(gr.search_entities(text, settings=s), list)


def test_expand_returns_neighbours_most_connected_first(case):
    s, _ = case
    page = gr.expand(DANA, settings=s)
    keys = [n.key for n in page.neighbours]
    assert set(keys) == {CARLOS, LUIS, GLOCK, MOTEL}
    assert page.total == 4 and page.next_offset is None
    # Carlos and Luis are each linked to Dana by two sentences; Glock and the motel by one.
    assert set(keys[:2]) == {CARLOS, LUIS}
    by_key = {n.key: n for n in page.neighbours}
    assert by_key[CARLOS].evidence == 2 and by_key[LUIS].evidence == 2
    assert by_key[GLOCK].evidence == 1 and by_key[GLOCK].degree == 1
    assert by_key[CARLOS].name == "Carlos Mendez" and by_key[CARLOS].type == "PERSON"


def test_expand_pages_and_filters(graph_db):
    # A hub linked to 30 people: person i by (i % 3) + 1 sentences.
    sentences, relations, entities = [], [], [("person:hub", "Hub Person", "PERSON")]
    for i in range(30):
        name = f"Member{i:02d} Smith"
        entities.append((f"person:m{i}", name, "PERSON"))
        for _ in range(i % 3 + 1):
            relations.append(("person:hub", f"person:m{i}", "met" if i % 2 else "called", len(sentences)))
            sentences.append(f"Hub Person met {name} (meeting {len(sentences)}).")
    GraphWriter(graph_db).write([case_document(sentences, path="hub.txt", entities=entities, relations=relations)])
    first = gr.expand("person:hub", limit=10, settings=graph_db)
    assert first.total == 30 and len(first.neighbours) == 10 and first.next_offset == 10
    assert all(n.evidence == 3 for n in first.neighbours)  # the most-connected ten come first
    pages = [first] + [gr.expand("person:hub", limit=10, offset=o, settings=graph_db) for o in (10, 20)]
    seen = [n.key for p in pages for n in p.neighbours]
    assert len(seen) == len(set(seen)) == 30
    assert pages[-1].next_offset is None
    assert [n.evidence for p in pages for n in p.neighbours] == sorted(
        [n.evidence for p in pages for n in p.neighbours], reverse=True)
    assert gr.expand("person:hub", offset=40, settings=graph_db).neighbours == []
    # Filters: predicate, minimum evidence, documents.
    met = gr.expand("person:hub", limit=50, filters=Filters(predicates=["met"]), settings=graph_db)
    assert met.total == 15
    strong = gr.expand("person:hub", limit=50, filters=Filters(min_evidence=3), settings=graph_db)
    assert strong.total == 10
    assert gr.expand("person:hub", filters=Filters(doc_ids=[]), settings=graph_db).total == 0


def test_expand_type_filter(case):
    s, _ = case
    page = gr.expand(DANA, filters=Filters(types=["WEAPON", "FAC"]), settings=s)
    assert {n.key for n in page.neighbours} == {GLOCK, MOTEL}


def test_links_among_folds_parallel_edges(case):
    s, _ = case
    links = {(lk.source, lk.target): lk for lk in gr.links_among([CARLOS, DANA, LUIS, GLOCK], settings=s)}
    assert set(links) == {(CARLOS, DANA), (DANA, LUIS), (DANA, GLOCK)}
    cd = links[(CARLOS, DANA)]
    # "Carlos sold_to Dana" and "Dana called Carlos": one link, both directions, two sentences.
    assert (cd.evidence, cd.forward, cd.backward) == (2, 1, 1)
    assert cd.predicates == {"called": 1, "sold_to": 1}
    assert links[(DANA, GLOCK)].predicates == {"co_occurs_with": 1}
    assert gr.links_among([CARLOS], settings=s) == []
    assert gr.links_among([CARLOS, DANA], filters=Filters(predicates=["called"]), settings=s)[0].evidence == 1
    assert gr.links_among([CARLOS, DANA], filters=Filters(min_evidence=3), settings=s) == []


def test_edge_evidence_gives_sentences_with_both_entities(case):
    s, titles = case
    ev = gr.edge_evidence(DANA, CARLOS, settings=s)
    assert ev.total == 2 and len(ev.rows) == 2
    by_predicate = {r.predicate: r for r in ev.rows}
    sold = by_predicate["sold_to"]
    assert (sold.source_key, sold.target_key) == (CARLOS, DANA)
    assert sold.text == "Carlos Mendez sold methamphetamine to Dana Price."
    assert sold.doc_title == "Arrest report" and sold.page == 1 and sold.doc_id == titles["Arrest report"]
    # Spans are offsets within the sentence and cover exactly the two entities' mentions.
    assert sorted(sold.text[sp.start:sp.end] for sp in sold.spans) == ["Carlos Mendez", "Dana Price"]
    assert {sp.key for sp in sold.spans} == {CARLOS, DANA}
    assert by_predicate["called"].text == "Dana Price called Carlos Mendez twice."
    # Limits and filters.
    one = gr.edge_evidence(CARLOS, DANA, limit=1, settings=s)
    assert one.total == 2 and len(one.rows) == 1
    assert gr.edge_evidence(CARLOS, DANA, filters=Filters(predicates=["called"]), settings=s).total == 1
    later = Filters(doc_ids=[titles["Surveillance log"]])
    assert gr.edge_evidence(CARLOS, DANA, filters=later, settings=s).total == 0
    assert gr.edge_evidence(LUIS, DANA, filters=later, settings=s).total == 2


def test_node_details(case):
    s, titles = case
    d = gr.node_details(DANA, settings=s)
    assert d is not None
    assert (d.name, d.type, d.degree) == ("Dana Price", "PERSON", 6)
    assert "Person" in d.labels and d.mention_count == 5 and d.doc_count == 2
    assert [(doc.title, doc.mentions) for doc in d.documents] == [("Arrest report", 3), ("Surveillance log", 2)]
    c = gr.node_details(CARLOS, settings=s)
    assert c is not None and c.aliases == ["El Flaco"] and c.kb_id == "Q000001"
    assert c.description == "Suspected street-level dealer"
    assert [doc.id for doc in c.documents] == [titles["Arrest report"]]


def test_shortest_paths_with_evidence(case):
    s, _ = case
    r = gr.shortest_paths(GLOCK, LUIS, settings=s)
    assert [p.keys for p in r.paths] == [[GLOCK, DANA, LUIS]]
    hop1, hop2 = r.paths[0].hops
    assert (hop1.a, hop1.b, hop1.total) == (GLOCK, DANA, 1)
    assert hop1.rows[0].text == "Police seized a Glock pistol from Dana Price."
    assert hop2.total == 2 and hop2.rows
    assert set(r.entities) == {GLOCK, DANA, LUIS}
    long = gr.shortest_paths(METH, VAN, settings=s)
    assert [p.keys for p in long.paths] == [[METH, CARLOS, DANA, LUIS, VAN]]
    # Two shortest routes from the gang to Dana: via Carlos and via the motel.
    both = gr.shortest_paths(SURENOS, DANA, settings=s)
    assert sorted(p.keys[1] for p in both.paths) == sorted([CARLOS, MOTEL])
    assert gr.shortest_paths(METH, VAN, max_hops=3, settings=s).paths == []
    # Without the sale (sold_to) and the call, the gang's route to Dana runs only through the motel.
    no_calls = Filters(predicates=["member_of", "control", "co_occurs_with", "met", "paid"])
    assert [p.keys for p in gr.shortest_paths(SURENOS, DANA, filters=no_calls, settings=s).paths] == [
        [SURENOS, MOTEL, DANA]]


def test_document_view_maps_mentions_onto_sentences(case):
    s, titles = case
    view = gr.document_view(titles["Surveillance log"], settings=s)
    assert view is not None
    assert view.document.title == "Surveillance log" and view.sentence_count == 4 and not view.truncated
    assert [x.idx for x in view.sentences] == [0, 1, 2, 3]
    text = " ".join(x.text for x in view.sentences)
    assert all(text[m.start:m.end] == m.name for m in view.mentions)
    assert {m.key for m in view.mentions} == {DANA, LUIS, MOTEL, VAN, SURENOS}
    short = gr.document_view(titles["Surveillance log"], sentence_cap=2, settings=s)
    assert short is not None and short.truncated and {m.sentence_idx for m in short.mentions} <= {0, 1}


def test_stats_predicates_and_documents(case):
    s, titles = case
    stats = gr.graph_stats(s)
    assert (stats.entities, stats.relations, stats.documents, stats.sentences) == (8, 11, 2, 8)
    assert stats.last_ingested.startswith("2024-04-15")
    preds = dict(gr.predicates(settings=s))
    assert preds["co_occurs_with"] == 3 and preds["sold_to"] == 1 and sum(preds.values()) == 11
    docs = gr.documents(settings=s)
    assert [d.title for d in docs] == ["Surveillance log", "Arrest report"]  # newest first
    march = gr.documents(since="2024-03-01", until="2024-03-31", settings=s)
    assert [d.id for d in march] == [titles["Arrest report"]]
    assert [d.id for d in gr.documents(since="2024-04-15", until="2024-04-15", settings=s)] == [
        titles["Surveillance log"]]


def test_empty_graph_and_bad_input(graph_db):
    s = graph_db
    assert gr.graph_stats(s).entities == 0 and gr.graph_stats(s).last_ingested is None
    assert gr.search_entities("anything", settings=s) == []
    assert gr.expand("no:such", settings=s).total == 0
    assert gr.expand("", settings=s).neighbours == []
    assert gr.node_details("no:such", settings=s) is None
    assert gr.edge_evidence("no:such", "no:other", settings=s).rows == []
    assert gr.shortest_paths("no:such", "no:such", settings=s).paths == []
    assert gr.shortest_paths("a:1", "b:2", max_hops=99, limit=-5, settings=s).paths == []
    assert gr.document_view("deadbeef", settings=s) is None
    assert gr.entities(["", "no:such"], settings=s) == []
    assert gr.expand("no:such", limit=10**9, offset=-3, settings=s).offset == 0


def test_unreachable_database_raises_one_clear_error():
    down = Settings(neo4j_uri=f"bolt://127.0.0.1:{free_port()}", neo4j_password="x")
    with pytest.raises(Neo4jUnavailableError, match="cannot reach Neo4j"):
        gr.search_entities("carlos", settings=down)
