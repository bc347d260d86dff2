"""Whole-case reads for the exchange formats (FollowTheMoney, GraphML/GEXF, i2 CSV).

Each read runs one statement of `graph/cypher/export/` in a read transaction. `cases` is the list of
case names the caller may read — the `$cases` of docs/access.md: documents are restricted with
`d.case IN $cases` and entities, relations and evidence are reached only through them — or `None`
for every case (an operator's run from the shell, who can read the store files anyway).
`typed_only` leaves out the weak co-occurrence edges (and what only they connect).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from casegraph.core.domain import load_domain
from casegraph.core.settings import Settings
from graph.db import read
from graph.statements import statement


@dataclass(frozen=True)
class CaseExport:
    """What one export holds: plain rows as the statements return them (see the .cypher files)."""

    entities: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)


def _params(cases: Sequence[str] | None, typed_only: bool) -> dict[str, Any]:
    return {"cases": None if cases is None else [str(c) for c in cases], "typed_only": bool(typed_only),
            "weak": load_domain().co_occurrence}


def export_entities(*, cases: Sequence[str] | None, typed_only: bool = False,
                    settings: Settings | None = None) -> list[dict[str, Any]]:
    return read(statement("export/entities"), _params(cases, typed_only), settings)


def export_relations(*, cases: Sequence[str] | None, typed_only: bool = False,
                     settings: Settings | None = None) -> list[dict[str, Any]]:
    return read(statement("export/relations"), _params(cases, typed_only), settings)


def export_documents(*, cases: Sequence[str] | None, typed_only: bool = False,
                     settings: Settings | None = None) -> list[dict[str, Any]]:
    return read(statement("export/documents"), _params(cases, typed_only), settings)


def export_case(*, cases: Sequence[str] | None, typed_only: bool = False,
                settings: Settings | None = None) -> CaseExport:
    """Entities, relations and documents of `cases` (keyword-only and required, like graph.read:
    a caller that forgets it fails instead of reading everything)."""
    return CaseExport(
        entities=export_entities(cases=cases, typed_only=typed_only, settings=settings),
        relations=export_relations(cases=cases, typed_only=typed_only, settings=settings),
        documents=export_documents(cases=cases, typed_only=typed_only, settings=settings),
    )
