"""Ingesting real case documents (the realcases corpus, read from ../shared/data at test time) through
the real pipeline into the real Neo4j: no entity is named by a generic word alone ("gang", "cartel",
"the enterprise"), and each gang the gold ties by one entity id is one node (issue 15).

The documents are the gang-case press releases of part 1 that name a gang in more than one way
("La Mara Salvatrucha, or MS-13"; "the Barrio Azteca gang" … "Barrio Azteca").
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from casegraph.eval.realcases import data_dir
from casegraph.pipeline.runner import Ingestor
from graph.db import read
from nlp.context_rules import GENERIC
from nlp.training.realcases import read_realcases

REALCASES = data_dir()
DOCS = 6  # the first part-1 documents with a gang named in more than one surface form

pytestmark = pytest.mark.skipif(REALCASES is None, reason="../shared/data/realcases is not here")


def _gang_documents() -> list[Any]:
    assert REALCASES is not None
    chosen = []
    for doc in read_realcases(REALCASES):
        if doc.meta["part"] != "part1":
            continue
        surfaces = defaultdict(set)
        for span, ent in zip(doc.spans, doc.meta["entities"], strict=True):
            if span.label == "GANG_ORG" and ent:
                surfaces[ent].add(doc.text[span.start : span.end])
        if any(len(s) > 1 for s in surfaces.values()):
            chosen.append(doc)
        if len(chosen) == DOCS:
            break
    return chosen


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, neo4j_settings: Any) -> dict[str, Any]:
    from tests.factories.database import wipe

    wipe(neo4j_settings)
    folder = tmp_path_factory.mktemp("realcases")
    docs = _gang_documents()
    paths: dict[str, Path] = {}
    for doc in docs:
        path = folder / f"{doc.meta['id']}.txt"
        path.write_text(doc.text, encoding="utf-8")
        paths[doc.meta["id"]] = path
    with Ingestor(neo4j_settings, workers=1) as ingestor:
        report = ingestor.ingest(sorted(paths.values()))
    assert report.failed == []
    return {"docs": docs, "paths": paths}


def test_no_entity_is_a_generic_word(ingested: dict[str, Any], neo4j_settings: Any) -> None:
    rows = read("MATCH (e:Entity) RETURN e.name AS name, e.type AS type", settings=neo4j_settings)
    assert rows
    generic = [r for r in rows if r["name"].lower() in GENERIC or r["name"].lower().removeprefix("the ") in GENERIC]
    assert generic == []


def test_each_gold_gang_is_one_node(ingested: dict[str, Any], neo4j_settings: Any) -> None:
    found, total = 0, 0
    for doc in ingested["docs"]:
        surfaces: dict[str, set[str]] = defaultdict(set)
        for span, ent in zip(doc.spans, doc.meta["entities"], strict=True):
            if span.label == "GANG_ORG" and ent:
                surfaces[ent].add(doc.text[span.start : span.end])
        for ent, texts in surfaces.items():
            total += 1
            rows = read(
                "MATCH (e:Entity)-[m:MENTIONED_IN]->(:Sentence)-[:IN]->(d:Document {path: $path}) "
                "WHERE m.text IN $texts RETURN DISTINCT e.key AS key, e.type AS type",
                {"path": str(ingested["paths"][doc.meta["id"]]), "texts": sorted(texts)},
                settings=neo4j_settings,
            )
            keys = {r["key"] for r in rows if r["type"] == "GANG_ORG"}
            assert len(keys) <= 1, (doc.meta["id"], ent, sorted(texts), rows)
            found += bool(keys)
    assert total >= DOCS
    assert found / total >= 0.8, f"only {found} of {total} gold gangs became a node"
