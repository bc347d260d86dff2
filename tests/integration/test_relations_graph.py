"""Typed relations in the real Neo4j: ingesting real case documents (realcases, read from
../shared/data at test time) writes no typed edge outside its allowed endpoint types and no predicate
outside the analyst set (co-occurrence aside); the writer refuses an edge whose endpoints do not
fit; shortest paths and neighbour ranking treat offences, drugs and places as kinds, not hops."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from casegraph.core.domain import load_domain
from casegraph.eval.realcases import data_dir
from casegraph.pipeline.runner import Ingestor
from graph import read as gr
from graph.db import read
from graph.read import Filters
from graph.writer import GraphWriter
from nlp.training.realcases import read_realcases
from tests.factories.documents import case_document

REALCASES = data_dir()
DOCS = ("rcP1-01", "rcP1-04", "rcP2-05", "rcP3-08", "rcP4-10")  # one or two of each topic (train split)
HUBS = ["CRIME", "DRUG", "WEAPON", "GPE", "LOC", "FAC"]


@pytest.mark.skipif(REALCASES is None, reason="../shared/data/realcases is not here")
def test_ingested_real_documents_keep_the_relation_set(graph_db: Any, tmp_path: Path) -> None:
    assert REALCASES is not None
    docs = [d for d in read_realcases(REALCASES) if d.meta["id"] in DOCS]
    assert len(docs) == len(DOCS)
    for doc in docs:
        (tmp_path / f"{doc.meta['id']}.txt").write_text(doc.text, encoding="utf-8")
    with Ingestor(graph_db, workers=1) as ingestor:
        report = ingestor.ingest(sorted(tmp_path.glob("*.txt")))
    assert report.failed == []
    domain = load_domain()
    rows = read("MATCH (a:Entity)-[r:RELATED]->(b:Entity) RETURN r.predicate AS p, a.type AS h, b.type AS t, "
                "r.extractor AS extractor, r.stage AS stage", settings=graph_db)
    typed = [r for r in rows if r["p"] != domain.co_occurrence]
    assert typed, "real press releases yield typed relations"
    assert {r["p"] for r in typed} <= set(domain.relations)
    assert [r for r in typed if not domain.relation_allowed(r["p"], r["h"], r["t"])] == []
    assert all(r["extractor"] for r in typed)
    stages = {r["stage"] for r in typed if r["p"] == "charged_with"}
    assert stages and stages <= set(domain.relations["charged_with"].stages) | {None}


PEOPLE = [("person:ana ruiz", "Ana Ruiz", "PERSON"), ("person:ben cole", "Ben Cole", "PERSON"),
          ("person:cruz diaz", "Cruz Diaz", "PERSON"), ("gang_org:red cobras", "Red Cobras", "GANG_ORG"),
          ("crime:murder", "murder", "CRIME"), ("drug:fentanyl", "fentanyl", "DRUG")]
ANA, BEN, CRUZ, COBRAS, MURDER, FENTANYL = (k for k, _n, _t in PEOPLE)


def write_case(settings: Any) -> None:
    """Ana and Ben share an offence and a drug (one hop each way); the typed route between them runs
    through the gang and Cruz (three hops); Ana and Cruz only co-occur once."""
    sentences = [
        "Ana Ruiz was charged with murder.",
        "Ben Cole was charged with murder.",
        "Ana Ruiz sold fentanyl.",
        "Ben Cole sold fentanyl.",
        "Ana Ruiz is a member of the Red Cobras.",
        "Cruz Diaz is a member of the Red Cobras.",
        "Cruz Diaz hired Ben Cole.",
        "Ana Ruiz and Cruz Diaz were seen together.",
    ]
    relations = [(ANA, MURDER, "charged_with", 0), (BEN, MURDER, "charged_with", 1),
                 (ANA, FENTANYL, "traffics", 2), (BEN, FENTANYL, "traffics", 3),
                 (ANA, COBRAS, "member_of", 4), (CRUZ, COBRAS, "member_of", 5),
                 (CRUZ, BEN, "associate_of", 6), (ANA, CRUZ, load_domain().co_occurrence, 7)]
    GraphWriter(settings).write([case_document(sentences, "reports/cobras.txt", PEOPLE, relations)])


def test_shortest_path_between_people_skips_offences_and_drugs(graph_db: Any) -> None:
    write_case(graph_db)
    anything = gr.shortest_paths(ANA, BEN, settings=graph_db)
    assert sorted(p.keys[1] for p in anything.paths) == sorted([MURDER, FENTANYL, CRUZ])  # hubs lie
    actors = gr.shortest_paths(ANA, BEN, filters=Filters(hub_types=HUBS), settings=graph_db)
    assert [p.keys for p in actors.paths] == [[ANA, CRUZ, BEN]]  # co-occurrence still walked
    typed = gr.shortest_paths(ANA, BEN, filters=Filters(hub_types=HUBS, typed_only=True), settings=graph_db)
    assert [p.keys for p in typed.paths] == [[ANA, COBRAS, CRUZ, BEN]]
    # A hub is still an end: the offence Ana is charged with is one hop away.
    assert [p.keys for p in gr.shortest_paths(ANA, MURDER, filters=Filters(hub_types=HUBS),
                                              settings=graph_db).paths] == [[ANA, MURDER]]


def test_expansion_ranks_actors_and_typed_links_first(graph_db: Any) -> None:
    write_case(graph_db)
    page = gr.expand(ANA, filters=Filters(hub_types=HUBS), settings=graph_db)
    keys = [n.key for n in page.neighbours]
    assert page.total == 4
    assert keys[0] == COBRAS  # typed (member_of) before Cruz's one co-occurrence
    assert keys[1] == CRUZ and set(keys[2:]) == {MURDER, FENTANYL}


def test_the_writer_refuses_a_typed_edge_whose_endpoints_do_not_fit(graph_db: Any) -> None:
    sentences = ["Ana Ruiz was charged with murder.", "Ana Ruiz is a member of the Red Cobras."]
    relations = [(MURDER, ANA, "member_of", 0), (ANA, COBRAS, "member_of", 1)]
    GraphWriter(graph_db).write([case_document(sentences, "reports/bad.txt", PEOPLE, relations)])
    rows = read("MATCH (a)-[r:RELATED]->(b) RETURN a.key AS a, r.predicate AS p, b.key AS b", settings=graph_db)
    assert [(r["a"], r["p"], r["b"]) for r in rows] == [(ANA, "member_of", COBRAS)]
