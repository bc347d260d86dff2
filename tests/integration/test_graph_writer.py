"""The graph writer against the real Neo4j: schema, idempotency, replacement, allow-list, errors."""

from __future__ import annotations

import pytest

from casegraph.core.domain import NotAllowedError
from graph.db import counts, read
from graph.writer import GraphWriter, document_status
from tests.factories.documents import case_document

SENTENCES = [
    "Carlos Mendez sold methamphetamine to Dana Price.",
    "Mendez is a member of the Sureños.",
    "Police seized a Glock pistol from Dana Price.",
]
ENTITIES = [
    ("person:carlos mendez", "Carlos Mendez", "PERSON"),
    ("person:dana price", "Dana Price", "PERSON"),
    ("drug:methamphetamine", "methamphetamine", "DRUG"),
    ("gang_org:surenos", "Sureños", "GANG_ORG"),
    ("weapon:glock pistol", "Glock pistol", "WEAPON"),
]
RELATIONS = [
    ("person:carlos mendez", "person:dana price", "sold_to", 0),
    ("person:carlos mendez", "drug:methamphetamine", "sold", 0),
    ("person:dana price", "weapon:glock pistol", "co_occurs_with", 2),
]


def arrest_report(sentences: list[str] = SENTENCES, path: str = "reports/arrest.txt"):
    return case_document(sentences, path=path, entities=ENTITIES, relations=RELATIONS)


def test_schema_applied(graph_db):
    names = {r["name"] for r in read("SHOW CONSTRAINTS YIELD name RETURN name", settings=graph_db)}
    assert {"document_id", "sentence_id", "entity_key"} <= names
    indexes = {r["name"]: r for r in read("SHOW INDEXES YIELD name, type, state RETURN name, type, state",
                                          settings=graph_db)}
    assert indexes["entity_names"]["type"] == "FULLTEXT"
    assert indexes["sentence_doc_id"]["state"] == "ONLINE"
    assert "related_doc_id" in indexes


def test_write_creates_expected_graph(graph_db):
    GraphWriter(graph_db).write([arrest_report()])
    c = counts(graph_db)
    assert c["Document"] == 1
    assert c["Sentence"] == 3
    assert c["Entity"] == 5
    assert c["Person"] == 2 and c["Drug"] == 1 and c["GangOrg"] == 1 and c["Weapon"] == 1
    # Carlos Mendez twice? no: "Mendez" alone is not the full name, so one mention; Dana Price twice.
    assert c["MENTIONED_IN"] == 6
    assert c["RELATED"] == 3
    assert c["IN"] == 3
    row = read("MATCH (e:Entity {key: 'person:dana price'}) RETURN e.mention_count AS m, e.doc_count AS d",
               settings=graph_db)[0]
    assert row == {"m": 2, "d": 1}
    evidence = read(
        "MATCH (:Entity {key:'person:carlos mendez'})-[r:RELATED {predicate:'sold_to'}]->(:Entity) "
        "MATCH (s:Sentence {id: r.sentence_id})-[:IN]->(d:Document) RETURN s.text AS text, d.path AS path",
        settings=graph_db)
    assert evidence == [{"text": SENTENCES[0], "path": "reports/arrest.txt"}]


def test_rewrite_is_idempotent(graph_db):
    writer = GraphWriter(graph_db)
    writer.write([arrest_report()])
    first = counts(graph_db)
    writer.write([arrest_report()])
    writer.write([arrest_report(), arrest_report()])  # duplicates inside one batch too
    assert counts(graph_db) == first


def test_changed_document_replaces_old_version(graph_db):
    writer = GraphWriter(graph_db)
    writer.write([arrest_report()])
    changed = ["Carlos Mendez sold methamphetamine to Dana Price.", "Nobody else was involved."]
    stats = writer.write([arrest_report(changed)])
    assert len(stats.replaced) == 1
    c = counts(graph_db)
    assert c["Document"] == 1 and c["Sentence"] == 2
    # The gang and the weapon were only in the old version: gone with it.
    assert c["Entity"] == 3
    assert "GangOrg" not in c and "Weapon" not in c
    assert c["RELATED"] == 2
    docs = read("MATCH (d:Document) RETURN d.id AS id", settings=graph_db)
    assert docs[0]["id"] == arrest_report(changed).document.id


def test_shared_entities_across_documents(graph_db):
    writer = GraphWriter(graph_db)
    writer.write([arrest_report(), arrest_report(path="reports/other.txt",
                                                 sentences=SENTENCES[:2] + ["Carlos Mendez fled."])])
    row = read("MATCH (e:Entity {key: 'person:carlos mendez'}) RETURN e.doc_count AS d, e.mention_count AS m",
               settings=graph_db)[0]
    assert row == {"d": 2, "m": 3}
    assert counts(graph_db)["Person"] == 2


def test_one_entity_named_by_two_documents_of_a_batch(graph_db):
    """Both documents' aliases and the first KB id reach the one node, in one batch or two."""
    first = arrest_report()
    second = arrest_report(path="reports/other.txt", sentences=SENTENCES[:2] + ["Carlos Mendez fled."])
    for doc, aliases, kb_id in ((first, ["Charlie"], None), (second, ["El Gato"], "Q1")):
        mendez = next(e for e in doc.entities if e.key == "person:carlos mendez")
        mendez.aliases, mendez.kb_id = aliases, kb_id
    expected = {"aliases": ["Charlie", "El Gato"], "kb": "Q1", "m": 3}
    query = ("MATCH (e:Entity {key: 'person:carlos mendez'}) "
             "RETURN e.aliases AS aliases, e.kb_id AS kb, e.mention_count AS m")
    GraphWriter(graph_db, batch_size=2).write([first, second])
    got = read(query, settings=graph_db)
    assert len(got) == 1 and {**got[0], "aliases": sorted(got[0]["aliases"])} == expected
    read_back = read("MATCH (:Entity {key: 'person:carlos mendez'})-[r:MENTIONED_IN]->(s:Sentence) "
                     "RETURN count(r) AS n, count(DISTINCT s.doc_id) AS docs", settings=graph_db)
    assert read_back == [{"n": 3, "docs": 2}]


def test_curated_entity_survives_replacement(graph_db):
    writer = GraphWriter(graph_db)
    writer.write([arrest_report()])
    from graph.db import write

    write("MATCH (e:Entity {key: 'gang_org:surenos'}) SET e.curated = true", settings=graph_db)
    writer.write([arrest_report(["Carlos Mendez sold methamphetamine to Dana Price."])])
    row = read("MATCH (e:Entity {key: 'gang_org:surenos'}) RETURN e.mention_count AS m", settings=graph_db)
    assert row == [{"m": 0}]


def test_label_not_on_allow_list_is_rejected(graph_db):
    doc = case_document(["Robert'); MATCH (n) DETACH DELETE n // was here."],
                        entities=[("x:robert", "Robert", "Person`) DETACH DELETE n //")])
    with pytest.raises(NotAllowedError, match="not in the domain schema"):
        GraphWriter(graph_db).write([doc])
    assert counts(graph_db) == {}


def test_bad_predicate_is_rejected(graph_db):
    doc = case_document(SENTENCES, entities=ENTITIES,
                        relations=[("person:carlos mendez", "person:dana price", "SOLD-TO }) DELETE", 0)])
    with pytest.raises(NotAllowedError, match="predicate"):
        GraphWriter(graph_db).write([doc])


def test_status_ledger_and_remove_contributions(graph_db):
    writer = GraphWriter(graph_db)
    doc = arrest_report()
    writer.write([doc])
    assert document_status([doc.document.id, "nope"], graph_db) == {doc.document.id: "ingested"}
    writer.set_status([doc.document.id], "withdrawn")
    writer.remove_contributions([doc.document.id])
    c = counts(graph_db)
    assert c == {"Document": 1}
    assert document_status([doc.document.id], graph_db) == {doc.document.id: "withdrawn"}
