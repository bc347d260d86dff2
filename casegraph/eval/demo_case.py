"""Scoring an ingested case against its ground truth (`EXPECTED.json` of the demo case directory,
`settings.demo_case_dir`, by default `examples/demo_case`).

Two things are measured on the graph that an ingest run produced:

- **the network**: each person is one `:Person` node, linked (any `RELATED` edge, co-occurrence
  included) to their gang, drugs and weapons, each link with its evidence sentences;
- **entity resolution**: the person mentions the pipeline found, as the graph assigned them to
  entities, against the person each mention names: pairwise and B³ precision/recall
  (`nlp.resolution.assignment_scores`).

A mention's true person is the one whose surface form its text contains as a whole word (forms
are exact, case-sensitive strings, as EXPECTED.json defines them; the longest form wins, so
"Carlos Mendez" is not also "Carlos"). A mention that names two people, and every coreference
mention (pronouns have no surface form), is left out. A mention counts when its entity is a
person, or when its whole text is a person's form that the NER typed otherwise ("Flaco" as a
place).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from casegraph.core.settings import Settings
from casegraph.eval.datasets import demo_expected
from casegraph.eval.resolution import ResolutionScores, assignment_scores
from graph.db import read
from graph.statements import statement
from nlp.keys import clean_name
from nlp.names import normal_form

# The node types a gang, drug or weapon of EXPECTED.json may have been typed as.
TARGET_TYPES = {"gang": {"GANG_ORG", "ORG", "NORP"}, "drug": {"DRUG"}, "weapon": {"WEAPON"}}


@dataclass(frozen=True)
class Mention:
    text: str
    source: str
    sentence: str
    path: str


@dataclass
class Entity:
    key: str
    type: str
    name: str
    aliases: list[str]
    mentions: list[Mention] = field(default_factory=list)

    def forms(self, type_: str | None = None) -> set[str]:
        """Normal forms of the entity's name and aliases (as `type_` normalises them)."""
        return {normal_form(type_ or self.type, n) for n in (self.name, *self.aliases) if n}


@dataclass(frozen=True)
class Relation:
    source: str
    target: str
    predicate: str
    sentence: str | None
    path: str | None


@dataclass
class GraphSnapshot:
    entities: dict[str, Entity]
    relations: list[Relation]

    @classmethod
    def read(cls, settings: Settings) -> GraphSnapshot:
        entities = {}
        for row in read(statement("quality/entity_mentions"), settings=settings):
            mentions = [Mention(m["text"], m["source"], m["sentence"], m["path"]) for m in row["mentions"] if m]
            entities[row["key"]] = Entity(row["key"], row["type"], row["name"], list(row["aliases"]), mentions)
        relations = [Relation(r["source"], r["target"], r["predicate"], r["sentence"], r["path"])
                     for r in read(statement("quality/relations"), settings=settings)]
        return cls(entities, relations)

    def persons(self) -> list[Entity]:
        return [e for e in self.entities.values() if e.type == "PERSON"]


@dataclass
class Expected:
    """EXPECTED.json, with the look-ups the checks need."""

    data: dict[str, Any]

    @classmethod
    def load(cls, path: Path | None = None) -> Expected:
        """EXPECTED.json at `path` (default: the configured demo case's)."""
        return cls(json.loads((path or demo_expected()).read_text(encoding="utf-8")))

    @property
    def people(self) -> list[dict[str, Any]]:
        return list(self.data["people"])

    @property
    def key_people(self) -> list[dict[str, Any]]:
        return [p for p in self.people if p.get("key")]

    def person(self, canonical: str) -> dict[str, Any]:
        return next(p for p in self.people if p["canonical"] == canonical)

    def target(self, kind: str, canonical: str) -> dict[str, Any]:
        return next(t for t in self.data[f"{kind}s"] if t["canonical"] == canonical)

    @staticmethod
    def name_forms(person: dict[str, Any]) -> list[str]:
        """A person's surface forms that are names (not e-mail addresses), with full and canonical name."""
        forms = [person["canonical"], person["full_name"], *person.get("nicknames", []), *person["surface_forms"]]
        return list(dict.fromkeys(f for f in forms if "@" not in f))

    @cached_property
    def _owners(self) -> dict[str, set[str]]:
        owners: dict[str, set[str]] = defaultdict(set)
        for p in self.people:
            for f in self.name_forms(p):
                owners[normal_form("PERSON", f)].add(p["canonical"])
        return owners

    def distinctive_forms(self, person: dict[str, Any]) -> set[str]:
        """Normal forms of a person's names that name nobody else in the case."""
        forms = {normal_form("PERSON", f) for f in self.name_forms(person)}
        return {n for n in forms if self._owners[n] == {person["canonical"]}}

    @cached_property
    def _form_patterns(self) -> list[tuple[str, str, re.Pattern[str]]]:
        rows = [(f, p["canonical"]) for p in self.people for f in self.name_forms(p)]
        rows.sort(key=lambda r: -len(r[0]))
        return [(f, who, re.compile(rf"(?<!\w){re.escape(f)}(?!\w)")) for f, who in rows]

    def named_in(self, text: str) -> set[str]:
        """The people a mention's text names (longest forms first; a shorter form inside a longer
        match does not count)."""
        taken: list[tuple[int, int]] = []
        who: set[str] = set()
        for _form, person, pattern in self._form_patterns:
            for m in pattern.finditer(text):
                if any(a <= m.start() and m.end() <= b for a, b in taken):
                    continue
                taken.append(m.span())
                who.add(person)
        return who

    def is_form(self, text: str) -> bool:
        name = clean_name(text)
        return any(name == f for f, _who, _p in self._form_patterns)


# ------------------------------------------------------------------------------------ network


@dataclass
class Link:
    kind: str  # gang | drug | weapon
    target: str  # the canonical name in EXPECTED.json
    nodes: list[str]  # graph entities that are this target
    evidence: list[Relation]  # RELATED edges between the person and those nodes

    @property
    def ok(self) -> bool:
        return bool(self.evidence) and all(r.sentence for r in self.evidence)


@dataclass
class PersonCheck:
    person: str
    nodes: list[Entity]  # Person nodes holding one of the person's distinctive names
    links: list[Link]

    @property
    def node(self) -> Entity | None:
        return self.nodes[0] if len(self.nodes) == 1 else None

    @property
    def missing(self) -> list[str]:
        return [f"{link.kind} {link.target}" for link in self.links if not link.ok]


def check_network(snapshot: GraphSnapshot, expected: Expected, people: list[dict[str, Any]] | None = None,
                  ) -> list[PersonCheck]:
    """For each (key) person: the Person nodes that carry their names, and their links."""
    checks = []
    for person in expected.key_people if people is None else people:
        forms = expected.distinctive_forms(person)
        nodes = [e for e in snapshot.persons() if e.forms() & forms]
        links = []
        targets = ([("gang", person["gang"])] if person.get("gang") else []) + \
            [("drug", d) for d in person.get("drugs", [])] + [("weapon", w) for w in person.get("weapons", [])]
        for kind, canonical in targets:
            target = expected.target(kind, canonical)
            target_nodes = _target_nodes(snapshot, kind, target)
            ends = {n.key for n in nodes}
            evidence = [r for r in snapshot.relations
                        if (r.source in ends and r.target in target_nodes)
                        or (r.target in ends and r.source in target_nodes)]
            links.append(Link(kind, canonical, sorted(target_nodes), evidence))
        checks.append(PersonCheck(person["canonical"], nodes, links))
    return checks


def _target_nodes(snapshot: GraphSnapshot, kind: str, target: dict[str, Any]) -> set[str]:
    types = TARGET_TYPES[kind]
    found = set()
    for e in snapshot.entities.values():
        if e.type in types and e.forms() & {normal_form(e.type, f) for f in target["surface_forms"]}:
            found.add(e.key)
    return found


# ------------------------------------------------------------------------------------ resolution


@dataclass(frozen=True)
class ScoredMention:
    person: str  # the true person
    key: str  # the graph entity it was assigned to
    text: str
    path: str


@dataclass
class ResolutionReport:
    scores: ResolutionScores
    mentions: list[ScoredMention]
    ambiguous: int  # mentions naming two or more people, left out

    def by_person(self) -> dict[str, Counter[str]]:
        out: dict[str, Counter[str]] = defaultdict(Counter)
        for m in self.mentions:
            out[m.person][m.key] += 1
        return dict(out)

    def errors(self) -> list[str]:
        """Mentions not on their person's main entity: "person: text → key (document)"."""
        main = {p: keys.most_common(1)[0][0] for p, keys in self.by_person().items()}
        return [f"{m.person}: {m.text!r} → {m.key} ({Path(m.path).name})" for m in self.mentions
                if m.key != main[m.person]]


def score_resolution(snapshot: GraphSnapshot, expected: Expected, key_only: bool = False) -> ResolutionReport:
    """Entity-resolution precision/recall over the person mentions in the graph."""
    wanted = {p["canonical"] for p in (expected.key_people if key_only else expected.people)}
    scored: list[ScoredMention] = []
    ambiguous = 0
    for entity in snapshot.entities.values():
        for m in entity.mentions:
            if m.source == "coref" or not (entity.type == "PERSON" or expected.is_form(m.text)):
                continue
            who = expected.named_in(m.text)
            if len(who) > 1:
                ambiguous += 1
            elif who and (person := who.pop()) in wanted:
                scored.append(ScoredMention(person, entity.key, m.text, m.path))
    scored.sort(key=lambda s: (s.person, s.path, s.text, s.key))
    scores = assignment_scores([s.person for s in scored], [s.key for s in scored])
    return ResolutionReport(scores, scored, ambiguous)
