"""Entity counts after a write or a decision: `mention_count`/`doc_count` recounted, entities left
with no mention removed unless an analyst curated them."""

from __future__ import annotations

from collections.abc import Sequence

from neo4j import ManagedTransaction

from casegraph.core.settings import Settings
from graph.db import session
from graph.statements import statement

# Keys per recount statement.
CHUNK = 5000


def refresh_entities(keys: Sequence[str], settings: Settings) -> None:
    """Recount mentions and documents of these entities; remove the ones left with none."""

    def recount(tx: ManagedTransaction, chunk: list[str]) -> None:
        tx.run(statement("write/update_entity_stats"), keys=chunk).consume()

    keys = list(keys)
    with session(settings) as s:
        for i in range(0, len(keys), CHUNK):
            s.execute_write(recount, keys[i : i + CHUNK])
