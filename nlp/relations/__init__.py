"""Sentence-level relations between entity mentions.

- Typed relations of the analyst set (casegraph/core/domain.toml [relations]: member_of, leader_of,
  works_for, charged_with, traffics, located_in, allied_with, rival_of, associate_of, killed), found
  by the data rules in `nlp/patterns/relations/` (`nlp.relations.rules`, `nlp.relations.typed`), each
  with its confidence, the rule that made it and, for charged_with, the stage.
- Co-occurrence: every pair of mentions in a sentence, the weak `co_occurs_with`.
- Aliases: "Carlos Mendez, also known as El Flaco" → (El Flaco, alias_of, Carlos Mendez), which the
  pipeline turns into one entity (never written as an edge).

Relations refer to mentions by index; the pipeline turns them into keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span

from casegraph.core.domain import load_domain

from .aliases import ALIAS_RE, find_alias
from .typed import TypedRelation, typed_relations

__all__ = ["ALIAS_RE", "Relation", "find_alias", "predicate_name", "sentence_relations", "typed_relations",
           "TypedRelation"]

CONF_ALIAS = 0.9
CONF_CO_OCCURRENCE = 0.3
ALIAS_OF = "alias_of"  # internal: merges two mentions into one entity, never an edge


@dataclass(frozen=True)
class Relation:
    source: int  # index into the mention list
    target: int
    predicate: str
    confidence: float
    extractor: str = ""
    stage: str | None = None


def predicate_name(*parts: str) -> str | None:
    """`sell`, `to` → `sell_to`; None when the result is not a valid predicate."""
    text = "_".join(p.strip().lower().replace("-", "_").replace(" ", "_") for p in parts if p.strip())
    text = re.sub(r"[^a-z_]", "", text).strip("_")
    return text[:40] if text and re.fullmatch(r"[a-z][a-z_]{0,39}", text[:40]) else None


def sentence_relations(
    sentence: Span,
    mentions: list[Span],
    co_occurrence: str,
    aliases: dict[int, int] | None = None,
    labels: list[str] | None = None,
) -> list[Relation]:
    """Relations among `mentions` (spans within `sentence`, in text order; their entity types in
    `labels`, else the spans' labels). `aliases` maps an alias mention's index to the mention it names."""
    domain = load_domain()
    rels = [Relation(alias, primary, ALIAS_OF, CONF_ALIAS, "alias") for alias, primary in (aliases or {}).items()]
    seen: set[tuple[int, int, str]] = set()
    for rel in sorted(typed_relations(sentence, mentions, labels), key=lambda r: -r.confidence):
        ends = (min(rel.source, rel.target), max(rel.source, rel.target))
        if domain.relations[rel.predicate].symmetric:
            if (*ends, rel.predicate) in seen:
                continue
            seen.add((*ends, rel.predicate))
        rels.append(Relation(rel.source, rel.target, rel.predicate, rel.confidence, rel.extractor, rel.stage))
    for i in range(len(mentions)):
        for j in range(i + 1, len(mentions)):
            rels.append(Relation(i, j, co_occurrence, CONF_CO_OCCURRENCE, "co-occurrence"))
    return [r for r in rels if r.source != r.target]
