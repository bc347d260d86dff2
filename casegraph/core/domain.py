"""The domain schema (`domain.toml`) as typed Python: entity types, their labels, allow-lists."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

DOMAIN_FILE = Path(__file__).with_name("domain.toml")


class NotAllowedError(ValueError):
    """A label, type or relationship type that the domain schema does not allow."""


@dataclass(frozen=True)
class EntityType:
    name: str  # e.g. GANG_ORG: the NER label
    label: str  # e.g. GangOrg: the Neo4j label
    color: str
    shape: str
    description: str
    custom: bool


@dataclass(frozen=True)
class RelationType:
    """One predicate of the analyst relation set: directed head → tail, with its endpoint types."""

    name: str
    pairs: frozenset[tuple[str, str]]  # allowed (head type, tail type)
    description: str = ""
    stages: tuple[str, ...] = ()
    symmetric: bool = False  # A associate_of B says B associate_of A: one edge, either direction

    def allows(self, head_type: str, tail_type: str) -> bool:
        return (head_type, tail_type) in self.pairs


@dataclass(frozen=True)
class TypeRules:
    """How entity types relate when mentions are compared (`[type_rules]` in domain.toml)."""

    families: dict[str, str] = field(default_factory=dict)  # type → the type its names are compared with
    mistyped_person: frozenset[str] = frozenset()  # labels the NER gives a person's name it does not know
    kb_compatible: dict[str, frozenset[str]] = field(default_factory=dict)  # NER label → KB types it may link to
    coref_named: frozenset[str] = frozenset()  # labels whose repeated names rule coreference clusters
    coref_it: frozenset[str] = frozenset()  # named types an "it"/"its" may point at
    coref_they: frozenset[str] = frozenset()  # named types a "they" may point at

    def family(self, type_: str) -> str:
        return self.families.get(type_, type_)

    @property
    def weak(self) -> frozenset[str]:
        """Types whose one-word entities may be a fuller person's surname or nickname."""
        return self.mistyped_person | {"PERSON"}


@dataclass(frozen=True)
class Domain:
    types: dict[str, EntityType]
    relationships: frozenset[str]
    predicate_pattern: re.Pattern[str]
    co_occurrence: str
    relations: dict[str, RelationType] = field(default_factory=dict)
    type_rules: TypeRules = field(default_factory=TypeRules)

    @property
    def labels(self) -> frozenset[str]:
        return frozenset(t.label for t in self.types.values())

    def entity_type(self, name: str) -> EntityType:
        try:
            return self.types[name]
        except KeyError:
            raise NotAllowedError(f"entity type {name!r} is not in the domain schema ({DOMAIN_FILE.name})") from None

    def check_label(self, label: str) -> str:
        if label not in self.labels and label not in {"Entity", "Document", "Sentence", "Decision"}:
            raise NotAllowedError(f"label {label!r} is not on the allow-list")
        return label

    def check_relationship(self, rel_type: str) -> str:
        if rel_type not in self.relationships:
            raise NotAllowedError(f"relationship type {rel_type!r} is not on the allow-list")
        return rel_type

    def check_predicate(self, predicate: str) -> str:
        if not self.predicate_pattern.match(predicate):
            raise NotAllowedError(f"predicate {predicate!r} must match {self.predicate_pattern.pattern}")
        return predicate

    def relation_allowed(self, predicate: str, head_type: str, tail_type: str) -> bool:
        """Co-occurrence between any two types, or a predicate of the set with fitting endpoints."""
        if predicate == self.co_occurrence:
            return True
        rel = self.relations.get(predicate)
        return rel is not None and rel.allows(head_type, tail_type)

    def check_relation(self, predicate: str, head_type: str, tail_type: str) -> str:
        if predicate != self.co_occurrence and predicate not in self.relations:
            raise NotAllowedError(f"predicate {predicate!r} is not in the relation set ({DOMAIN_FILE.name})")
        if not self.relation_allowed(predicate, head_type, tail_type):
            raise NotAllowedError(f"{predicate} does not join {head_type} to {tail_type}")
        return predicate


@lru_cache(maxsize=1)
def load_domain(path: Path = DOMAIN_FILE) -> Domain:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    types = {
        name: EntityType(
            name=name,
            label=spec["label"],
            color=spec["color"],
            shape=spec["shape"],
            description=spec.get("description", ""),
            custom=bool(spec.get("custom", False)),
        )
        for name, spec in raw["types"].items()
    }
    for t in types.values():
        if not re.fullmatch(r"[A-Z][A-Za-z]{1,30}", t.label):
            raise NotAllowedError(f"label {t.label!r} in {path.name} is not a plain CamelCase word")
    pattern = re.compile(raw["predicates"]["pattern"])
    return Domain(
        types=types,
        relationships=frozenset(raw["relationships"]["allowed"]),
        predicate_pattern=pattern,
        co_occurrence=raw["predicates"]["co_occurrence"],
        relations=_relations(raw.get("relations", {}), types, pattern, path),
        type_rules=_type_rules(raw.get("type_rules", {}), path),
    )


def _type_rules(raw: dict[str, Any], path: Path) -> TypeRules:
    """`[type_rules]`; the NER's own labels (PRODUCT, WORK_OF_ART) may appear, not only graph types."""

    def labels(key: str) -> frozenset[str]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.isupper() for v in value):
            raise NotAllowedError(f"type_rules.{key} in {path.name} must be a list of upper-case labels")
        return frozenset(value)

    families = {str(k): str(v) for k, v in raw.get("families", {}).items()}
    compatible = {str(k): frozenset(map(str, v)) for k, v in raw.get("kb_compatible", {}).items()}
    return TypeRules(
        families=families,
        mistyped_person=labels("mistyped_person"),
        kb_compatible=compatible,
        coref_named=labels("coref_named"),
        coref_it=labels("coref_it"),
        coref_they=labels("coref_they"),
    )


def _relations(
    raw: dict[str, dict[str, Any]], types: dict[str, EntityType], pattern: re.Pattern[str], path: Path
) -> dict[str, RelationType]:
    out: dict[str, RelationType] = {}
    for name, spec in raw.items():
        if not pattern.match(name):
            raise NotAllowedError(f"relation {name!r} in {path.name} must match {pattern.pattern}")
        heads, tails = spec.get("heads", []), spec.get("tails", [])
        pairs_raw = spec.get("pairs") or [[h, t] for h in heads for t in tails]
        pairs = frozenset((str(h), str(t)) for h, t in pairs_raw)
        unknown = {t for pair in pairs for t in pair} - set(types)
        if unknown or not pairs:
            raise NotAllowedError(f"relation {name!r} in {path.name}: unknown or missing endpoint types {unknown}")
        out[name] = RelationType(
            name=name,
            pairs=pairs,
            description=str(spec.get("description", "")),
            stages=tuple(str(s) for s in spec.get("stages", [])),
            symmetric=bool(spec.get("symmetric", False)),
        )
    return out
