"""The NER label set: the entity types of `casegraph/core/domain.toml`, nothing else.

spaCy's OntoNotes labels that are also domain types (PERSON, ORG, GPE, LOC, FAC, NORP, MONEY) pass
through unchanged; the rest (DATE, CARDINAL, PRODUCT, ...) stay on the `Doc` for the parser's benefit
but never reach the graph.
"""

from __future__ import annotations

from functools import lru_cache

from casegraph.core.domain import load_domain

# OntoNotes labels the stock English pipelines predict; the ones not in the domain are dropped.
ONTONOTES_LABELS = frozenset(
    {
        "CARDINAL",
        "DATE",
        "EVENT",
        "FAC",
        "GPE",
        "LANGUAGE",
        "LAW",
        "LOC",
        "MONEY",
        "NORP",
        "ORDINAL",
        "ORG",
        "PERCENT",
        "PERSON",
        "PRODUCT",
        "QUANTITY",
        "TIME",
        "WORK_OF_ART",
    }
)


@lru_cache(maxsize=1)
def graph_labels() -> frozenset[str]:
    """Every entity type the graph accepts (the NER labels casegraph keeps)."""
    return frozenset(load_domain().types)


@lru_cache(maxsize=1)
def custom_labels() -> frozenset[str]:
    """Types casegraph adds on top of OntoNotes (`custom = true` in domain.toml)."""
    return frozenset(name for name, t in load_domain().types.items() if t.custom)


def keep(label: str) -> bool:
    return label in graph_labels()
