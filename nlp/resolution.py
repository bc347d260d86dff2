"""Canonical resolution across documents: which graph entity a (type, name) mention is.

Pure Python over plain data: the caller reads what the graph knows (entity keys, names,
aliases, `alias_of` relations, analyst merges and splits) and passes it in as `KnownEntities`;
nothing here talks to Neo4j. Rules, first hit wins:

1. `kb`: the linker's KB id;
2. `alias`: the name (cleaned, case-folded) is a name or alias the graph already has;
3. `normalised`: the type-specific normal form (titles, possessives, punctuation, "Inc."/"LLC",
   "Mendez, Carlos" → "carlos mendez") matches a known normal form; or it is a KB alias of a
   compatible type, which maps drug street names ("ice") to their substance;
4. `person`: a person name fits exactly one fuller name — in the same document any partial name
   ("Mendez", "Carlos"), across documents initial + surname or first + middle + surname;
5. `fuzzy`: rapidfuzz ratio ≥ `settings.fuzzy_threshold` against one entity of the same type;
6. `new`: `nlp.keys.entity_key(type, name)`.
Every key is then followed through merges (`redirects`) to the surviving entity, and a name an
analyst split off an entity (`splits`) never resolves back to it.

    resolver = Resolver(KnownEntities(entities=[...], redirects={...}), kb=KnowledgeBase(path))
    key = resolver.resolve("PERSON", "Mendez", doc_names=["Carlos Mendez"])

Name comparison (normal forms, partial names, short first names) lives in `nlp.names`, the
resolution figures in `casegraph.eval.resolution`.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple, cast

from rapidfuzz import fuzz, process

from casegraph.core.domain import load_domain
from nlp.keys import clean_name, entity_key
from nlp.names import family, is_initial, middle_dropped, name_fits, normal_form, person_tokens

if TYPE_CHECKING:
    from nlp.kb.store import KnowledgeBase

log = logging.getLogger(__name__)

Rule = Literal["kb", "alias", "normalised", "person", "fuzzy", "new"]


@dataclass(frozen=True)
class KnownEntity:
    key: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass
class KnownEntities:
    """What the graph already knows, as plain data read by the caller.

    `redirects`: key → key it was merged into (analyst merges, `alias_of` relations);
    `splits`: key → names an analyst split off it (they must not resolve to it again).
    """

    entities: list[KnownEntity] = field(default_factory=list)
    redirects: dict[str, str] = field(default_factory=dict)
    splits: dict[str, set[str]] = field(default_factory=dict)


class Resolution(NamedTuple):
    key: str
    rule: Rule
    matched: str | None = None  # the known name that decided it


class Resolver:
    """Maps (type, name) mentions to canonical keys; remembers what it resolved, so later
    documents of the same run land on the same keys."""

    def __init__(
        self,
        known: KnownEntities | None = None,
        kb: KnowledgeBase | None = None,
        threshold: float | None = None,
        remember: bool = True,
    ) -> None:
        if threshold is None:
            from casegraph.core.settings import get_settings

            threshold = get_settings().fuzzy_threshold
        self.known = known or KnownEntities()
        self.kb = kb
        self.threshold = threshold
        self.remember = remember
        self._alias: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._normal: dict[tuple[str, str], set[str]] = defaultdict(set)
        # surname → full token tuple → keys, and the same by first name
        self._persons: dict[str, dict[tuple[str, ...], set[str]]] = defaultdict(lambda: defaultdict(set))
        self._firsts: dict[str, dict[tuple[str, ...], set[str]]] = defaultdict(lambda: defaultdict(set))
        self._by_family: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self._types: dict[str, str] = {}
        for e in self.known.entities:
            for n in (e.name, *e.aliases):
                self.learn(e.key, e.type, n)

    # -- public ---------------------------------------------------------------------------

    def resolve(self, type_: str, name: str, doc_names: Iterable[str] = (), kb_id: str | None = None) -> str:
        return self.explain(type_, name, doc_names, kb_id).key

    def explain(self, type_: str, name: str, doc_names: Iterable[str] = (), kb_id: str | None = None) -> Resolution:
        """The key and the rule that chose it."""
        res = self._decide(type_, name, list(doc_names), kb_id)
        res = res._replace(key=self.canonical(res.key))
        # A bare surname or first name is only trusted inside its own document.
        if self.remember and not (type_ == "PERSON" and len(person_tokens(name)) < 2):
            self.learn(res.key, type_, name)
        return res

    def for_document(self, doc_names: Mapping[str, Iterable[str]]) -> DocumentResolver:
        """A `(type, name, kb_id) -> key` callable for one document (`nlp.keys.KeyResolver`);
        `doc_names` maps each type to the names of that type in the document."""
        return DocumentResolver(self, doc_names)

    def canonical(self, key: str) -> str:
        seen = {key}
        while key in self.known.redirects:
            key = self.known.redirects[key]
            if key in seen:
                log.warning("redirect cycle through %s", key)
                break
            seen.add(key)
        return key

    def learn(self, key: str, type_: str, name: str) -> None:
        self._types.setdefault(key, type_)
        fam = family(type_)
        cleaned = clean_name(name).casefold()
        if not cleaned:
            return
        self._alias[(fam, cleaned)].add(key)
        norm = normal_form(type_, name)
        self._normal[(fam, norm)].add(key)
        self._by_family[fam][norm].add(key)
        tokens = person_tokens(name) if type_ == "PERSON" else ()
        if tokens:
            self._persons[tokens[-1]][tokens].add(key)
            if len(tokens) >= 2 and not is_initial(tokens[0]):
                self._firsts[tokens[0]][tokens].add(key)

    # -- rules ----------------------------------------------------------------------------

    def _decide(self, type_: str, name: str, doc_names: list[str], kb_id: str | None) -> Resolution:
        fam = family(type_)
        norm = normal_form(type_, name)
        if kb_id:
            return Resolution(kb_id, "kb")
        if type_ == "PERSON" and (fuller := self._fuller_in_document(name, doc_names)):
            inner = self._decide(type_, fuller, [], None)
            return inner if inner.rule != "new" else Resolution(inner.key, "person", fuller)
        if key := self._one(self._alias.get((fam, clean_name(name).casefold())), norm):
            return Resolution(key, "alias", name)
        if key := self._one(self._normal.get((fam, norm)), norm):
            return Resolution(key, "normalised", norm)
        if self.kb is not None and (hit := self._kb_alias(type_, name, norm)):
            return Resolution(hit, "normalised", norm)
        if type_ == "PERSON" and (found := self._person_match(norm)):
            return Resolution(found[0], "person", found[1])
        if found := self._fuzzy(fam, norm):
            return Resolution(found[0], "fuzzy", found[1])
        if type_ in load_domain().type_rules.mistyped_person and (as_person := self._as_person(type_, name)):
            return as_person
        return Resolution(entity_key(type_, name), "new")

    def _as_person(self, type_: str, name: str) -> Resolution | None:
        """A lone word the NER typed as a place or organisation ("Flaco", "Ortiz") that is a known
        person's nickname or surname, and nobody else's name."""
        cleaned = clean_name(name).casefold()
        if len(cleaned.split()) != 1 or self._alias.get((family(type_), cleaned)):
            return None
        if key := self._one(self._alias.get(("PERSON", cleaned)), cleaned):
            return Resolution(key, "alias", name)
        found = self._person_match(normal_form("PERSON", name))
        return Resolution(found[0], "person", found[1]) if found else None

    def type_of(self, key: str) -> str | None:
        """The type a key was learned with (what a mistyped mention really is)."""
        return self._types.get(self.canonical(key))

    def _one(self, keys: set[str] | None, norm: str) -> str | None:
        """The single (canonical) key among candidates, none if ambiguous or split off."""
        if not keys:
            return None
        canon = {self.canonical(k) for k in keys}
        canon = {k for k in canon if norm not in self.known.splits.get(k, set())}
        return canon.pop() if len(canon) == 1 else None

    def _kb_alias(self, type_: str, name: str, norm: str) -> str | None:
        assert self.kb is not None
        allowed = load_domain().type_rules.kb_compatible.get(type_, frozenset({type_}))
        cleaned = clean_name(name)
        bare = re.sub(r"^(?:the|a|an)\s+", "", cleaned, flags=re.IGNORECASE)
        for text in dict.fromkeys([cleaned, bare, norm]):
            hits = self.kb.lookup(text, allowed)
            if hits:
                return hits[0].kb_id
        return None

    def _fuller_in_document(self, name: str, doc_names: list[str]) -> str | None:
        """The one longer name in the same document that a partial name fits."""
        short = person_tokens(name)
        if not short:
            return None
        fits = {
            person_tokens(n)
            for n in doc_names
            if len(person_tokens(n)) > len(short) and name_fits(short, person_tokens(n))
        }
        # "J. Smith" and "James Smith" both fit "Smith": the fullest wins if it covers the rest.
        longest = max(fits, key=lambda t: (len(t), sum(map(len, t)), t), default=None)
        if longest is None or any(f != longest and not name_fits(f, longest) for f in fits):
            return None
        return next(n for n in doc_names if person_tokens(n) == longest)

    def _person_match(self, norm: str) -> tuple[str, str] | None:
        """Across documents: initial + surname, dropped middle names, and a lone surname or first
        name that fits exactly one known person."""
        short = tuple(norm.split())
        if not short:
            return None
        keys: set[str] = set()
        matched = None
        for tokens, candidates in self._persons.get(short[-1], {}).items():
            # A lone surname stands for the one known person of that surname, never for two.
            lone_surname = len(short) == 1 and len(tokens) >= 2
            if tokens != short and (lone_surname or name_fits(short, tokens, single=False)
                                    or middle_dropped(short, tokens)):
                keys |= {self.canonical(k) for k in candidates}
                matched = " ".join(tokens)
        if len(short) == 1 and not is_initial(short[0]):
            # A lone first name, likewise: the one known person of that first name ("Dario" in a
            # seized e-mail), and only when no known person has it as a surname.
            for tokens, candidates in self._firsts.get(short[0], {}).items():
                keys |= {self.canonical(k) for k in candidates}
                matched = matched or " ".join(tokens)
        keys = {k for k in keys if norm not in self.known.splits.get(k, set())}
        return (keys.pop(), matched or "") if len(keys) == 1 else None

    def _fuzzy(self, fam: str, norm: str) -> tuple[str, str] | None:
        choices = self._by_family.get(fam)
        if not choices or len(norm) < 4:
            return None
        best = process.extract(norm, list(choices), scorer=fuzz.ratio, score_cutoff=self.threshold, limit=3)
        keys = {self.canonical(k) for text, _score, _ in best for k in choices[text]}
        keys = {k for k in keys if norm not in self.known.splits.get(k, set())}
        if len(keys) != 1:
            return None
        return keys.pop(), best[0][0]


class DocumentResolver:
    """`Resolver.for_document`: a `KeyResolver` that knows the names of one document. The pipeline
    also calls `learn` (a quoted nickname inside a full name) and `type_of` (a mistyped mention's
    real type) when it finds them."""

    def __init__(self, resolver: Resolver, doc_names: Mapping[str, Iterable[str]]) -> None:
        self.resolver = resolver
        self.names = {t: list(v) for t, v in doc_names.items()}
        self.learn = resolver.learn
        self.type_of = resolver.type_of

    def __call__(self, type_: str, name: str, kb_id: str | None = None) -> str:
        return self.resolver.resolve(type_, name, self.names.get(type_, ()), kb_id)


def run_resolver(
    entities: Iterable[Mapping[str, object]] = (),
    redirects: Mapping[str, str] | None = None,
    splits: Mapping[str, set[str]] | None = None,
    kb_path: Path | None = None,
) -> Resolver:
    """A resolver for one ingest run, from what the graph knows (plain rows: key, type, name,
    aliases) and the knowledge base when it exists."""
    known = KnownEntities(
        entities=[
            KnownEntity(key=str(e["key"]), type=str(e["type"]), name=str(e["name"]),
                        aliases=tuple(str(a) for a in cast(Iterable[object], e.get("aliases") or ())))
            for e in entities
            if e.get("key") and e.get("type") and e.get("name")
        ],
        redirects=dict(redirects or {}),
        splits={k: set(v) for k, v in (splits or {}).items()},
    )
    kb = None
    if kb_path is not None and kb_path.is_file():
        from nlp.kb.store import KnowledgeBase

        kb = KnowledgeBase(kb_path)
    return Resolver(known, kb=kb)
