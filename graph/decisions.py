"""Analyst decisions as data: merge, split and alias, recorded in the graph (who, when, why).

Each decision re-keys what is already in the graph, and `Redirects` makes every later write honour
it: a merged key is written as the key it was merged into; a mention whose text was split off goes
to the split-off entity.
"""

from __future__ import annotations

import getpass
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from casegraph.core.errors import CasegraphError
from casegraph.core.models import DocumentResult, EntityRecord
from casegraph.core.settings import Settings, get_settings
from graph.db import read, session
from graph.entity_stats import refresh_entities
from graph.statements import statement


class DecisionError(CasegraphError):
    exit_code = 2


def _who(who: str | None) -> str:
    if who:
        return who
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "unknown"


def _entity(key: str, settings: Settings) -> dict[str, Any]:
    rows = read("MATCH (e:Entity {key: $key}) RETURN e.key AS key, e.name AS name, e.type AS type",
                {"key": key}, settings)
    if not rows:
        raise DecisionError(f"no entity with key {key!r} (find keys with `casegraph cypher run entity_search`)")
    return rows[0]


def _record(tx: Any, kind: str, who: str, why: str | None, linked: list[str], **fields: Any) -> str:
    decision_id = str(uuid.uuid4())
    params = {"id": decision_id, "kind": kind, "who": who, "why": why, "linked": linked,
              "key": None, "into_key": None, "from_keys": None, "name": None, "texts": None, **fields}
    tx.run(statement("decisions/record"), params).consume()
    return decision_id


def _refresh(keys: list[str], settings: Settings) -> None:
    refresh_entities(keys, settings)


def merge(keep: str, others: list[str], why: str | None = None, who: str | None = None,
          settings: Settings | None = None) -> str:
    """Merge `others` into `keep`: one node, all mentions and relations, the others' names as aliases."""
    settings = settings or get_settings()
    others = [o for o in dict.fromkeys(others) if o != keep]
    if not others:
        raise DecisionError("name at least one other entity key to merge into the first")
    kept = _entity(keep, settings)
    for o in others:
        if _entity(o, settings)["type"] != kept["type"]:
            raise DecisionError(f"{o!r} is not a {kept['type']}: only entities of one type can be merged")

    def work(tx: Any) -> str:
        tx.run(statement("decisions/merge_entities"), into_key=keep, from_keys=others, curated=True).consume()
        return _record(tx, "merge", _who(who), why, [keep], into_key=keep, from_keys=others)

    with session(settings) as s:
        decision = s.execute_write(work)
    _refresh([keep], settings)
    return decision


def add_alias(key: str, name: str, why: str | None = None, who: str | None = None,
              settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    _entity(key, settings)
    if not name.strip():
        raise DecisionError("an alias cannot be empty")

    def work(tx: Any) -> str:
        tx.run(statement("decisions/add_alias"), key=key, name=name.strip()).consume()
        return _record(tx, "alias", _who(who), why, [key], key=key, name=name.strip())

    with session(settings) as s:
        return s.execute_write(work)


def split(key: str, texts: list[str], name: str, why: str | None = None, who: str | None = None,
          settings: Settings | None = None) -> tuple[str, str]:
    """Split the mentions written as one of `texts` off `key` into a new entity called `name`.
    Returns (decision id, new key)."""
    settings = settings or get_settings()
    old = _entity(key, settings)
    lowered = sorted({t.strip().lower() for t in texts if t.strip()})
    if not lowered or not name.strip():
        raise DecisionError("a split needs the new entity's name and at least one mention text to move")
    new_key = old["type"].lower() + ":" + re.sub(r"\s+", " ", name.strip().lower())
    if new_key == key:
        raise DecisionError("the new entity's name gives the same key as the old one: choose another name")

    def work(tx: Any) -> str:
        tx.run(statement("decisions/split_entity"), key=key, new_key=new_key, name=name.strip(),
               texts=lowered).consume()
        return _record(tx, "split", _who(who), why, [key, new_key], key=key, into_key=new_key, name=name.strip(),
                       texts=lowered)

    with session(settings) as s:
        decision = s.execute_write(work)
    _refresh([key, new_key], settings)
    return decision, new_key


def list_decisions(limit: int = 100, settings: Settings | None = None) -> list[dict[str, Any]]:
    return read(statement("decisions/list"), {"limit": limit}, settings)


@dataclass
class Redirects:
    """What later writes must honour: merged keys and split-off mention texts."""

    merged: dict[str, str] = field(default_factory=dict)
    # old key → [(lowercased texts, new key, new name)]
    splits: dict[str, list[tuple[frozenset[str], str, str]]] = field(default_factory=dict)

    def key(self, key: str) -> str:
        seen = set()
        while key in self.merged and key not in seen:
            seen.add(key)
            key = self.merged[key]
        return key

    def split_target(self, key: str, text: str) -> tuple[str, str] | None:
        for texts, new_key, name in self.splits.get(key, []):
            if text.lower() in texts:
                return self.key(new_key), name
        return None

    def __bool__(self) -> bool:
        return bool(self.merged or self.splits)

    @classmethod
    def load(cls, settings: Settings | None = None) -> Redirects:
        out = cls()
        for row in read(statement("decisions/active"), settings=settings):
            if row["kind"] == "merge":
                for k in row["from_keys"] or []:
                    out.merged[k] = row["into_key"]
            elif row["kind"] == "split":
                out.splits.setdefault(row["key"], []).append(
                    (frozenset(row["texts"] or []), row["into_key"], row["name"]))
        return out

    def apply(self, res: DocumentResult) -> DocumentResult:
        """The same result with merged keys replaced and split-off mentions moved."""
        if not self:
            return res
        entities: dict[str, EntityRecord] = {}
        # (original key, sentence idx) → key that relation endpoints in that sentence should use
        endpoint: dict[tuple[str, int], str] = {}

        def target(key: str, like: EntityRecord, name: str) -> EntityRecord:
            if key not in entities:
                entities[key] = EntityRecord(key=key, name=name, type=like.type, kb_id=like.kb_id,
                                             description=like.description)
            return entities[key]

        for e in res.entities:
            key = self.key(e.key)
            kept = target(key, e, e.name)
            kept.aliases = sorted({*kept.aliases, *e.aliases, *([e.name] if key != e.key else [])})
            kept_sentences = set()
            for m in e.mentions:
                split_to = self.split_target(key, m.text)
                if split_to:
                    target(split_to[0], e, split_to[1]).mentions.append(m)
                    endpoint.setdefault((e.key, m.sentence_idx), split_to[0])
                else:
                    kept.mentions.append(m)
                    kept_sentences.add(m.sentence_idx)
            for s in kept_sentences:
                endpoint[(e.key, s)] = key
        relations, seen = [], set()
        for r in res.relations:
            a = endpoint.get((r.source_key, r.sentence_idx), self.key(r.source_key))
            b = endpoint.get((r.target_key, r.sentence_idx), self.key(r.target_key))
            sig = (a, b, r.predicate, r.sentence_idx)
            if a != b and sig not in seen:
                seen.add(sig)
                relations.append(r.model_copy(update={"source_key": a, "target_key": b}))
        return res.model_copy(update={"entities": [e for e in entities.values() if e.mentions],
                                      "relations": relations})
