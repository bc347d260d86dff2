"""The domain schema (`domain.toml`) as typed Python: entity types, their labels, allow-lists."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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
class Domain:
    types: dict[str, EntityType]
    relationships: frozenset[str]
    predicate_pattern: re.Pattern[str]
    co_occurrence: str

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
    return Domain(
        types=types,
        relationships=frozenset(raw["relationships"]["allowed"]),
        predicate_pattern=re.compile(raw["predicates"]["pattern"]),
        co_occurrence=raw["predicates"]["co_occurrence"],
    )
