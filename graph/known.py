"""What the graph already knows about entities, as plain data for cross-document resolution
(`nlp.resolution` never talks to Neo4j: the ingest stage reads this and hands it over)."""

from __future__ import annotations

from dataclasses import dataclass, field

from casegraph.core.settings import Settings
from graph.db import read
from graph.decisions import Redirects
from graph.statements import statement


@dataclass
class KnownGraph:
    entities: list[dict[str, object]] = field(default_factory=list)  # key, type, name, aliases
    redirects: dict[str, str] = field(default_factory=dict)  # merged or alias_of key → surviving key
    splits: dict[str, set[str]] = field(default_factory=dict)  # key → lowercased names split off it


def known_graph(settings: Settings | None = None) -> KnownGraph:
    decided = Redirects.load(settings)
    redirects = {r["alias_key"]: r["key"] for r in read(statement("read/alias_links"), settings=settings)}
    redirects.update(decided.merged)  # an analyst's word wins over a sentence's
    splits: dict[str, set[str]] = {}
    for key, rules in decided.splits.items():
        for texts, _new_key, _name in rules:
            splits.setdefault(key, set()).update(texts)
    return KnownGraph(entities=read(statement("read/known_entities"), settings=settings),
                      redirects=redirects, splits=splits)
