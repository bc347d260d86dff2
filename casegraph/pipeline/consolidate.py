"""Consolidation after an ingest run: one-word entities ("Mendez", "Flaco") that the graph as a
whole ties to exactly one fuller person are merged into it.

During a run each document is resolved against the graph as it was when the run started, so what
a lone surname resolves to would depend on the order files arrive in (and on where an interrupted
run stopped). Running the same rules over the whole graph afterwards makes the result depend only
on which documents are in it."""

from __future__ import annotations

import logging

from neo4j import ManagedTransaction

from casegraph.core.domain import load_domain
from casegraph.core.settings import Settings
from graph.db import read, session
from graph.known import known_graph
from graph.statements import statement
from graph.writer import GraphWriter

log = logging.getLogger(__name__)

# Types whose one-word entities may be a fuller person's surname or nickname (domain.toml [type_rules]).
WEAK_TYPES = sorted(load_domain().type_rules.weak)


def consolidate(settings: Settings, writer: GraphWriter | None = None) -> int:
    """Merge weak entities into the one fuller person they name. Returns how many were merged."""
    from nlp.resolution import run_resolver

    weak = read(statement("ingest/weak_entities"), {"types": WEAK_TYPES}, settings)
    if not weak:
        return 0
    known = known_graph(settings)
    weak_keys = {w["key"] for w in weak}
    strong = [e for e in known.entities if e["key"] not in weak_keys]
    resolver = run_resolver(strong, known.redirects, known.splits)
    resolver.remember = False
    existing = {str(e["key"]): str(e["type"]) for e in strong}
    merges: dict[str, list[str]] = {}
    for w in weak:
        found = resolver.explain(w["type"], w["name"])
        if found.rule in ("alias", "person") and existing.get(found.key) == "PERSON" and found.key != w["key"]:
            merges.setdefault(found.key, []).append(w["key"])
    if not merges:
        return 0
    def merge(tx: ManagedTransaction, keep: str) -> None:
        tx.run(statement("decisions/merge_entities"), into_key=keep, from_keys=merges[keep], curated=False).consume()

    with session(settings) as s:
        for keep in sorted(merges):
            s.execute_write(merge, keep)
    (writer or GraphWriter(settings, ensure_schema=False)).refresh_entities(sorted(merges))
    merged = sum(len(v) for v in merges.values())
    log.info("consolidated %d one-word entit%s into fuller names", merged, "y" if merged == 1 else "ies")
    return merged
