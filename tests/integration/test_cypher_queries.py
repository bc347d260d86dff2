"""Every saved query on the case graph of tests/factories/query_case.py, written by the real writer to
the real Neo4j; each expected row is worked out by hand from the fixture's sentences."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from casegraph.core.models import DocumentRecord, DocumentResult, EntityRecord, MentionRecord, SentenceRecord
from cypher.results import GraphNode, GraphPath, GraphRel
from cypher.runner import run_saved
from cypher.saved import ParameterError
from graph.writer import GraphWriter
from tests.factories.query_case import (
    CARLOS,
    DANA,
    EMAIL,
    LUIS,
    PHONE,
    SURENOS,
    arrest,
    case_graph,
    surveillance,
    tip,
)


@pytest.fixture()
def case_db(graph_db):
    GraphWriter(graph_db).write(case_graph())
    return graph_db


def names(values) -> list:
    """Node columns by name; lists of nodes as lists of names."""
    out = []
    for v in values:
        if isinstance(v, GraphNode):
            out.append(v.props["name"] if "name" in v.props else v.props.get("path"))
        elif isinstance(v, list):
            out.append(names(v))
        else:
            out.append(v)
    return out


def table(result, *columns) -> list[tuple]:
    return list(zip(*(names(result.column(c)) for c in columns), strict=True))


def test_entity_profile_by_alias(case_db):
    r = run_saved("entity_profile", {"entity": "el flaco"}, case_db)  # an alias, any case
    assert len(r.rows) == 1
    row = r.records()[0]
    assert row["entity"]["key"] == CARLOS and row["type"] == "PERSON"
    assert row["aliases"] == ["El Flaco"]
    assert row["mentions"] == 5  # 4 x "Carlos Mendez" + 1 x "El Flaco"
    assert row["document_count"] == 3
    assert row["documents"] == ["arrest.txt", "surveillance.txt", "tip.txt"]
    linked = [(x["entity"], sorted(x["predicates"]), x["sentences"]) for x in row["linked"]]
    assert linked == [
        ("Dana Price", ["drove", "sold_to"], 2),
        ("Luis Ortega", ["met"], 1),
        ("Sureños", ["member_of"], 1),
        ("methamphetamine", ["sold"], 1),
    ]
    assert len(run_saved("entity_profile", {"entity": CARLOS, "links": 1}, case_db).records()[0]["linked"]) == 1


def test_co_occurring(case_db):
    r = run_saved("co_occurring", {"entity": "Carlos Mendez"}, case_db)
    assert table(r, "entity", "sentences", "documents") == [
        ("Dana Price", 2, 2), ("Luis Ortega", 1, 1), ("Sureños", 1, 1), ("methamphetamine", 1, 1)]
    people = run_saved("co_occurring", {"entity": "Carlos Mendez", "type": "PERSON", "limit": 1}, case_db)
    assert names(people.column("entity")) == ["Dana Price"]


def test_shortest_paths(case_db):
    r = run_saved("shortest_paths", {"from": "Dana Price", "to": "Luis Ortega"}, case_db)
    assert table(r, "route", "hops", "variants") == [
        (["Dana Price", "Carlos Mendez", "Luis Ortega"], 2, 2),  # sold_to and drove back step one
        (["Dana Price", "555-0142", "Luis Ortega"], 2, 1),
    ]
    # Each chain is drawn with one representative path, always the same one.
    assert [rel.props["predicate"] for rel in r.column("path")[0].rels] == ["drove", "met"]
    path = r.column("path")[1]
    assert isinstance(path, GraphPath) and [n.props["key"] for n in path.nodes] == [DANA, PHONE, LUIS]
    assert [rel.props["predicate"] for rel in path.rels] == ["called", "called"]
    assert run_saved("shortest_paths", {"from": "Dana Price", "to": "Luis Ortega", "max_hops": 1}, case_db).rows == []


def test_gang_members(case_db):
    r = run_saved("gang_members", {"gang": "sureños"}, case_db)
    rows = [(g, p, sorted(preds), s, d) for g, p, preds, s, d in
            table(r, "gang", "person", "predicates", "sentences", "documents")]
    assert rows == [
        ("Sureños", "Luis Ortega", ["member_of", "recruits_for"], 2, 1),
        ("Sureños", "Carlos Mendez", ["member_of"], 1, 1),
    ]
    assert all(isinstance(rel, GraphRel) for links in r.column("links") for rel in links)
    assert len(run_saved("gang_members", {}, case_db).rows) == 2  # every gang: there is one
    assert names(run_saved("gang_members", {"min_sentences": 2}, case_db).column("person")) == ["Luis Ortega"]
    with pytest.raises(ParameterError, match="no entity of type GANG_ORG"):
        run_saved("gang_members", {"gang": "Carlos Mendez"}, case_db)


def test_drugs_linked(case_db):
    direct = run_saved("drugs_linked", {"entity": "Sureños"}, case_db)
    assert table(direct, "drug", "via", "predicates") == [("fentanyl", None, ["controls"])]
    wide = run_saved("drugs_linked", {"entity": "Sureños", "through_people": True}, case_db)
    assert table(wide, "drug", "via", "predicates", "sentences") == [
        ("fentanyl", None, ["controls"], 1),
        ("fentanyl", "Luis Ortega", ["sold"], 1),
        ("methamphetamine", "Carlos Mendez", ["sold"], 1),
    ]
    person = run_saved("drugs_linked", {"entity": "Luis Ortega", "through_people": "true"}, case_db)
    assert table(person, "drug", "via") == [("fentanyl", None), ("methamphetamine", "Carlos Mendez")]
    with pytest.raises(ParameterError, match="no entity of type PERSON/GANG_ORG"):
        run_saved("drugs_linked", {"entity": "555-0142"}, case_db)


def test_documents_mentioning_both(case_db):
    r = run_saved("documents_mentioning_both", {"a": "Carlos Mendez", "b": "Dana Price"}, case_db)
    assert table(r, "path", "a_mentions", "b_mentions", "together") == [
        ("reports/arrest.txt", 3, 2, ["Carlos Mendez sold methamphetamine to Dana Price."]),
        ("mail/tip.txt", 1, 2, ["Dana Price drove Carlos Mendez to the motel."]),
    ]
    assert run_saved("documents_mentioning_both", {"a": "Maria Vega", "b": "Luis Ortega"}, case_db).rows == []


def test_brokers(case_db):
    r = run_saved("brokers", {}, case_db)
    assert table(r, "entity", "connections", "types", "documents")[:7] == [
        ("Luis Ortega", 6, 6, 1),
        ("Carlos Mendez", 4, 3, 3),
        ("Sureños", 3, 2, 2),
        ("555-0142", 2, 1, 2),
        ("Dana Price", 2, 2, 2),
        ("ortega@example.com", 2, 1, 2),
        ("fentanyl", 2, 2, 1),
    ]
    assert len(r.rows) == 10
    people = run_saved("brokers", {"type": "person", "limit": 3}, case_db)
    assert names(people.column("entity")) == ["Luis Ortega", "Carlos Mendez", "Dana Price"]
    # Luis carried the Glock with confidence 0.3: above 0.5 he has 5 connections, not 6.
    sure = run_saved("brokers", {"type": "PERSON", "min_confidence": 0.5, "limit": 1}, case_db)
    assert table(sure, "entity", "connections") == [("Luis Ortega", 5)]


def test_new_entities(graph_db):
    writer = GraphWriter(graph_db)
    writer.write([arrest(), surveillance()])
    time.sleep(0.05)
    since = datetime.now(UTC)
    time.sleep(0.05)
    writer.write([tip()])  # only Maria Vega is new in the tip
    r = run_saved("new_entities", {"since": since.isoformat()}, graph_db)
    assert table(r, "entity", "type", "documents") == [("Maria Vega", "PERSON", ["tip.txt"])]
    assert datetime.fromisoformat(r.column("first_seen")[0][:26] + "+00:00") >= since
    assert len(run_saved("new_entities", {"since": "2000-01-01"}, graph_db).rows) == 10
    drugs = run_saved("new_entities", {"since": "2000-01-01", "type": "DRUG"}, graph_db)
    assert sorted(names(drugs.column("entity"))) == ["fentanyl", "methamphetamine"]
    assert run_saved("new_entities", {"since": datetime.now(UTC).isoformat()}, graph_db).rows == []


def test_shared_contacts(case_db):
    r = run_saved("shared_contacts", {}, case_db)
    assert table(r, "contact", "type", "shared_by", "sentences") == [
        ("555-0142", "PHONE", ["Dana Price", "Luis Ortega"], 2),
        ("ortega@example.com", "EMAIL", ["Luis Ortega", "Maria Vega"], 2),
    ]
    assert [c.props["key"] for c in r.column("contact")] == [PHONE, EMAIL]
    assert run_saved("shared_contacts", {"min_sharing": 3}, case_db).rows == []


def test_two_hop_network(case_db):
    r = run_saved("two_hop_network", {"entity": "Dana Price"}, case_db)
    rows = [(s, t, h, e, sorted(p)) for s, t, h, e, p in table(r, "source", "target", "hop", "evidence", "predicates")]
    assert rows == [
        ("Dana Price", "Carlos Mendez", 1, 2, ["drove", "sold_to"]),
        ("Dana Price", "555-0142", 1, 1, ["called"]),
        ("555-0142", "Luis Ortega", 2, 1, ["called"]),
        ("Carlos Mendez", "Luis Ortega", 2, 1, ["met"]),
        ("Carlos Mendez", "Sureños", 2, 1, ["member_of"]),
        ("Carlos Mendez", "methamphetamine", 2, 1, ["sold"]),
    ]
    strong = run_saved("two_hop_network", {"entity": "Dana Price", "min_evidence": 2}, case_db)
    assert table(strong, "source", "target", "hop") == [("Dana Price", "Carlos Mendez", 1)]
    # A link between two first-ring entities comes once (Luis's ring holds Carlos and the Sureños).
    luis = run_saved("two_hop_network", {"entity": LUIS}, case_db)
    pairs = [frozenset(p) for p in table(luis, "source", "target")]
    assert len(pairs) == len(set(pairs))
    assert frozenset({"Carlos Mendez", "Sureños"}) in pairs


def test_aliases(case_db):
    r = run_saved("aliases", {"entity": "Carlos Mendez"}, case_db)
    assert [(f, sorted(k), m) for f, k, m in table(r, "form", "kinds", "mentions")] == [
        ("Carlos Mendez", ["mention", "name"], 4),
        ("El Flaco", ["alias", "mention"], 1),
    ]


def test_find_entities(case_db):
    r = run_saved("find_entities", {"text": "ortega"}, case_db)
    assert sorted(r.column("key")) == [EMAIL, LUIS]
    assert names(run_saved("find_entities", {"text": "flaco"}, case_db).column("entity")) == ["Carlos Mendez"]
    fuzzy = run_saved("find_entities", {"text": "mendes~", "type": "PERSON"}, case_db)
    assert fuzzy.column("key") == [CARLOS]


def test_link_evidence(case_db):
    r = run_saved("link_evidence", {"a": "Dana Price", "b": "El Flaco"}, case_db)
    assert table(r, "subject", "predicate", "object", "sentence", "document") == [
        ("Carlos Mendez", "sold_to", "Dana Price", "Carlos Mendez sold methamphetamine to Dana Price.", "arrest.txt"),
        ("Dana Price", "drove", "Carlos Mendez", "Dana Price drove Carlos Mendez to the motel.", "tip.txt"),
    ]
    assert run_saved("link_evidence", {"a": "Maria Vega", "b": "Dana Price"}, case_db).rows == []


def test_entity_parameters_resolve_or_explain(case_db):
    with pytest.raises(ParameterError) as err:
        run_saved("co_occurring", {"entity": "Carlos Mendes"}, case_db)
    assert "no entity has the key, name or alias 'Carlos Mendes'" in str(err.value)
    assert "did you mean Carlos Mendez ('person:carlos mendez')" in str(err.value)
    # Two entities answer to "Sureños": the name is ambiguous, the key is not.
    doc = DocumentRecord(id="d" * 64, path="reports/org.txt", filename="org.txt")
    org = DocumentResult(document=doc, text="Sureños Ltd is a shell company.",
                         sentences=[SentenceRecord(idx=0, text="Sureños Ltd is a shell company.", start=0, end=31)],
                         entities=[EntityRecord(key="org:surenos", name="Sureños", type="ORG", aliases=["Sureños Ltd"],
                                                mentions=[MentionRecord(sentence_idx=0, start=0, end=11,
                                                                        text="Sureños Ltd")])])
    GraphWriter(case_db).write([org])
    with pytest.raises(ParameterError) as err:
        run_saved("co_occurring", {"entity": "Sureños"}, case_db)
    assert "'Sureños' names several entities" in str(err.value)
    assert "key 'gang_org:surenos'" in str(err.value) and "key 'org:surenos'" in str(err.value)
    assert len(run_saved("co_occurring", {"entity": SURENOS}, case_db).rows) == 3
    # A typed parameter only considers its types, so the gang is found by name.
    assert len(run_saved("gang_members", {"gang": "Sureños"}, case_db).rows) == 2
