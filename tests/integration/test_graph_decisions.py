"""Analyst decisions on the real Neo4j: they re-key the graph and survive re-ingestion."""

from __future__ import annotations

import pytest

from graph import decisions
from graph.db import counts, read
from graph.writer import GraphWriter
from tests.factories.documents import case_document

REPORT = ["Carlos Mendez met Flaco at the garage.", "Flaco sold heroin to Dana Price.",
          "Mendez left in a grey van."]
ENTITIES = [("person:carlos mendez", "Carlos Mendez", "PERSON"), ("person:flaco", "Flaco", "PERSON"),
            ("person:dana price", "Dana Price", "PERSON"), ("drug:heroin", "heroin", "DRUG")]
RELATIONS = [("person:carlos mendez", "person:flaco", "met", 0), ("person:flaco", "person:dana price", "sold_to", 1),
             ("person:flaco", "drug:heroin", "sold", 1)]


def report(path: str = "interviews/flaco.txt", sentences: list[str] = REPORT):
    return case_document(sentences, path=path, entities=ENTITIES, relations=RELATIONS)


def person(settings, key):
    rows = read("MATCH (e:Entity {key: $k}) RETURN e.name AS name, e.aliases AS aliases, "
                "e.mention_count AS mentions, e.curated AS curated", {"k": key}, settings)
    return rows[0] if rows else None


def test_merge_moves_everything_and_survives_reingestion(graph_db):
    writer = GraphWriter(graph_db)
    writer.write([report()])
    decision = decisions.merge("person:carlos mendez", ["person:flaco"], why="Flaco is Mendez's street name",
                               who="det.alvarez", settings=graph_db)
    assert person(graph_db, "person:flaco") is None
    merged = person(graph_db, "person:carlos mendez")
    assert merged["aliases"] == ["Flaco"] and merged["curated"] is True
    assert merged["mentions"] == 3
    # The 'met' relation between the two became a self-loop and is gone; the others moved.
    rels = read("MATCH (a:Entity {key:'person:carlos mendez'})-[r:RELATED]->(b) RETURN r.predicate AS p, b.key AS b "
                "ORDER BY p", settings=graph_db)
    assert rels == [{"p": "sold", "b": "drug:heroin"}, {"p": "sold_to", "b": "person:dana price"}]
    before = counts(graph_db)
    # Re-ingesting the same document and a new one that names Flaco: still one node.
    writer.write([report()])
    assert counts(graph_db) == before
    writer.write([report("interviews/second.txt", ["Flaco was seen with Dana Price again."])])
    assert person(graph_db, "person:flaco") is None
    assert person(graph_db, "person:carlos mendez")["mentions"] == 4
    listed = decisions.list_decisions(settings=graph_db)
    assert listed[0]["id"] == decision and listed[0]["who"] == "det.alvarez"
    assert listed[0]["why"] == "Flaco is Mendez's street name"


def test_split_moves_mentions_and_survives_reingestion(graph_db):
    writer = GraphWriter(graph_db)
    writer.write([report()])
    decisions.merge("person:carlos mendez", ["person:flaco"], settings=graph_db)
    _, new_key = decisions.split("person:carlos mendez", ["Flaco"], "Flaco (unidentified)",
                                 why="different man, per wiretap", settings=graph_db)
    assert new_key == "person:flaco (unidentified)"
    # The factory only finds the full name "Carlos Mendez": one mention stays, Flaco's two move.
    assert person(graph_db, "person:carlos mendez")["mentions"] == 1
    assert person(graph_db, new_key)["mentions"] == 2
    sold = read("MATCH (a)-[r:RELATED {predicate:'sold_to'}]->() RETURN a.key AS a", settings=graph_db)
    assert sold == [{"a": new_key}]
    writer.write([report("interviews/third.txt", ["Flaco called Mendez twice."])])
    assert person(graph_db, new_key)["mentions"] == 3
    assert person(graph_db, "person:carlos mendez")["mentions"] == 1


def test_alias_is_recorded_and_searchable(graph_db):
    GraphWriter(graph_db).write([report()])
    decisions.add_alias("person:dana price", "D-Money", settings=graph_db)
    assert person(graph_db, "person:dana price")["aliases"] == ["D-Money"]
    hits = read("CALL db.index.fulltext.queryNodes('entity_names', 'D\\\\-Money') YIELD node RETURN node.key AS k",
                settings=graph_db)
    assert hits == [{"k": "person:dana price"}]


def test_bad_decisions_are_refused(graph_db):
    GraphWriter(graph_db).write([report()])
    with pytest.raises(decisions.DecisionError, match="no entity"):
        decisions.merge("person:nobody", ["person:flaco"], settings=graph_db)
    with pytest.raises(decisions.DecisionError, match="only entities of one type"):
        decisions.merge("person:flaco", ["drug:heroin"], settings=graph_db)
    assert person(graph_db, "person:flaco") is not None
