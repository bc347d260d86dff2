"""The linking sieves of rule coreference, in the order `RuleCoref.resolve` runs them: names,
repeated phrases, role nouns, quote speakers, pronouns. Each merges mention clusters whose
agreement features (gender, number, animacy, type family) allow it."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from casegraph.core.domain import load_domain
from nlp.coref.lexicon import LEGAL_ROLES, Gender, Number, Pronoun
from nlp.coref.mentions import OBJECT_DEPS, SUBJECT_DEPS, Mention
from nlp.coref.quotes import quote_runs
from nlp.coref.quotes import speaker as quote_speaker
from nlp.names import is_initial, name_fits

# Which types corefer by name as one family, and which an "it" or a "they" may mean: domain.toml [type_rules].
_TYPES = load_domain().type_rules
_IT_TYPES = _TYPES.coref_it
_THEY_TYPES = _TYPES.coref_they


@dataclass
class RuleConfig:
    """Tunable limits of the rule-based resolver (all on by default)."""

    max_sentence_distance: int = 3  # he/she look this many sentences back
    neuter_sentence_distance: int = 1  # it/they look back less far: low precision otherwise
    narrator: bool = True  # first person outside quotes → one cluster
    role_nouns: bool = True
    partial_names: bool = True


@dataclass
class _Cluster:
    gender: Gender | None
    number: Number
    animate: bool | None
    family: str | None
    members: list[int] = field(default_factory=list)


class Clusters:
    """Union-find over mention indices, tracking each cluster's agreement features."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.parent = list(range(len(mentions)))
        self.info = {i: _Cluster(m.gender, m.number, m.animate, _family(m.etype), [i]) for i, m in enumerate(mentions)}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def compatible(self, a: int, b: int) -> bool:
        ca, cb = self.info[self.find(a)], self.info[self.find(b)]
        return (
            _agree(ca.gender, cb.gender)
            and ca.number == cb.number
            and _agree(ca.animate, cb.animate)
            and _agree(ca.family, cb.family)
        )

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if rb < ra:
            ra, rb = rb, ra
        keep, gone = self.info[ra], self.info.pop(rb)
        self.parent[rb] = ra
        keep.gender = keep.gender or gone.gender
        keep.animate = keep.animate if keep.animate is not None else gone.animate
        keep.family = keep.family or gone.family
        keep.members.extend(gone.members)

    def groups(self) -> list[list[int]]:
        return [sorted(c.members) for c in self.info.values()]


def _agree(a: object, b: object) -> bool:
    return a is None or b is None or a == b


def _family(etype: str | None) -> str | None:
    # PROPN: a proper-noun mention of unknown type, compatible with any family.
    return _TYPES.family(etype) if etype and etype != "PROPN" else None


def link_names(config: RuleConfig, mentions: list[Mention], clusters: Clusters) -> None:
    by_key: dict[tuple[str | None, tuple[str, ...]], int] = {}
    names = [i for i, m in enumerate(mentions) if m.kind == "name"]
    for i in names:
        m = mentions[i]
        k = (_family(m.etype), m.key)
        if k in by_key and clusters.compatible(by_key[k], i):
            clusters.union(by_key[k], i)
        else:
            by_key.setdefault(k, i)
    if not config.partial_names:
        return
    persons = [i for i in names if mentions[i].etype in {"PERSON", "PROPN"}]
    full = [i for i in persons if len(mentions[i].key) >= 2 and not is_initial(mentions[i].key[0])]
    # Shortest keys first: "Mendez" looks for the one full name it can belong to.
    for i in sorted(persons, key=lambda i: len(mentions[i].key)):
        m = mentions[i]
        roots = {
            clusters.find(j)
            for j in full
            if j != i and name_fits(m.key, mentions[j].key) and clusters.compatible(i, j)
        }
        roots.discard(clusters.find(i))
        if len(roots) == 1:
            clusters.union(i, roots.pop())


def link_repeated_phrases(mentions: list[Mention], clusters: Clusters) -> None:
    """Definite noun phrases repeated word for word ("the old man" … "the old man")."""
    first: dict[tuple[tuple[str, ...], str], int] = {}
    for i, m in enumerate(mentions):
        if m.kind != "nominal" or not m.definite or not m.phrase:
            continue
        k = (m.phrase, m.number)
        if k in first and clusters.compatible(first[k], i):
            clusters.union(first[k], i)
        else:
            first.setdefault(k, i)


def link_roles(doc: Doc, mentions: list[Mention], clusters: Clusters) -> None:
    span_of = {m.head: i for i, m in enumerate(mentions)}
    bound: dict[str, set[int]] = {}
    for i, m in enumerate(mentions):
        if m.kind != "name" or m.etype != "PERSON":
            continue
        for role, nominal in _roles_bound_to(doc, m, span_of, mentions):
            bound.setdefault(role, set()).add(i)
            if nominal is not None and clusters.compatible(i, nominal):
                clusters.union(i, nominal)
    for role in {m.role for m in mentions if m.role}:
        persons = {clusters.find(i) for i in bound.get(role, set())}
        targets = [
            i
            for i, m in enumerate(mentions)
            if m.role == role and m.definite and m.number == "sg" and m.kind == "nominal"
        ]
        if len(persons) == 1:
            root = persons.pop()
            for i in targets:
                if clusters.compatible(root, i):
                    clusters.union(root, i)
        elif not persons and role in LEGAL_ROLES:
            for a, b in zip(targets, targets[1:], strict=False):
                clusters.union(a, b)


def link_speakers(doc: Doc, mentions: list[Mention], clusters: Clusters, quotes: list[bool]) -> None:
    """Inside one quotation "I"/"me"/"my" are one speaker: the subject of the speech verb
    next to it ("I sold it," Mendez said) when there is one."""
    starts = [m.start for m in mentions]
    by_head = {m.head: i for i, m in enumerate(mentions)}
    for qs, qe in quote_runs(quotes):
        lo, hi = bisect_left(starts, qs), bisect_left(starts, qe)
        firsts = [
            i
            for i in range(lo, hi)
            if (pr := mentions[i].pronoun) is not None and pr.person == 1 and pr.number == "sg"
        ]
        if not firsts:
            continue
        for a, b in zip(firsts, firsts[1:], strict=False):
            clusters.union(a, b)
        speaker = quote_speaker(doc, qs, qe, quotes, by_head)
        if speaker is not None and clusters.compatible(speaker, firsts[0]):
            clusters.union(speaker, firsts[0])


def link_pronouns(config: RuleConfig, doc: Doc, sents: list[int], mentions: list[Mention], clusters: Clusters) -> None:
    has_deps = doc.has_annotation("DEP")
    narrator: dict[str, int] = {}
    token_mention = {t: i for i, m in enumerate(mentions) if m.kind != "pronoun" for t in range(m.start, m.end)}
    for i, p in enumerate(mentions):
        pron = p.pronoun
        if pron is None:
            continue
        if pron.person == 1:
            if config.narrator and not p.in_quote:
                if pron.number in narrator:
                    clusters.union(narrator[pron.number], i)
                else:
                    narrator[pron.number] = i
                if pron.number == "sg":
                    _bind_narrator(doc, p, i, mentions, clusters)
            continue
        if pron.gender == "n":
            best = _nearest_thing(p, doc, sents, mentions, token_mention)
        else:
            best = _antecedent(config, doc, i, mentions, clusters, has_deps)
        if best is not None:
            clusters.union(best, i)


def _bind_narrator(doc: Doc, p: Mention, i: int, mentions: list[Mention], clusters: Clusters) -> None:
    """ "I, Det. Ana Ruiz, ..." ties the narrator to a name."""
    if p.pronoun is None or p.pronoun.case != "subj" or p.end + 1 >= len(doc) or doc[p.end].text != ",":
        return
    for j, m in enumerate(mentions):
        if m.kind == "name" and m.etype == "PERSON" and m.start == p.end + 1:
            clusters.union(i, j)
            return


def _antecedent(
    config: RuleConfig, doc: Doc, i: int, mentions: list[Mention], clusters: Clusters, has_deps: bool
) -> int | None:
    p = mentions[i]
    pron = p.pronoun
    assert pron is not None
    neuter = pron.gender == "n"
    plural = pron.number == "pl"
    window = config.neuter_sentence_distance if neuter or plural else config.max_sentence_distance
    p_tok = doc[p.head]
    p_clause = _clause(p_tok) if has_deps else None
    p_subject = has_deps and p_tok.dep_ in SUBJECT_DEPS
    scores: dict[int, float] = {}
    blocked: set[int] = set()
    reflexive_pick: int | None = None
    for j in range(i - 1, -1, -1):
        a = mentions[j]
        dist = p.sent - a.sent
        if dist > window:
            break
        if a.end > p.start or a.pronoun is not None and a.pronoun.person != 3:
            continue
        if not _can_refer(p, a, pron):
            continue
        root = clusters.find(j)
        if root == clusters.find(i) or not clusters.compatible(i, j):
            continue
        if neuter and a.pronoun is not None and clusters.info[root].family is None:
            continue  # chains of "it" with no named antecedent are mostly wrong
        a_tok = doc[a.head]
        if has_deps and dist == 0:
            same_clause = _clause(a_tok) == p_clause
            if same_clause and pron.case == "refl" and a_tok.dep_ in SUBJECT_DEPS:
                reflexive_pick = reflexive_pick if reflexive_pick is not None else j
            if same_clause and pron.case in {"subj", "obj"} and a_tok.dep_ in SUBJECT_DEPS:
                blocked.add(root)  # "Mendez hit him": him is not Mendez, nor anyone Mendez is
                continue
        weight = 100.0
        if has_deps:
            if a_tok.dep_ in SUBJECT_DEPS:
                weight += 80
            elif a_tok.dep_ in OBJECT_DEPS:
                weight += 50
            if dist <= 1 and p_subject and a_tok.dep_ in SUBJECT_DEPS:
                weight += 35  # parallel subjects
        if a.kind == "name":
            weight += 40
        elif a.kind == "nominal" and not a.definite:
            weight -= 30
        scores[root] = scores.get(root, 0.0) + weight * 0.5**dist
    if reflexive_pick is not None:
        return reflexive_pick
    allowed = {r: v for r, v in scores.items() if r not in blocked}
    return max(allowed, key=lambda r: allowed[r]) if allowed else None


def _nearest_thing(
    p: Mention, doc: Doc, sents: list[int], mentions: list[Mention], token_mention: dict[int, int]
) -> int | None:
    """ "it"/"its": the nearest preceding noun (this or the previous sentence) that is not a
    person, if it is a named organisation, vehicle, weapon, drug or facility; otherwise nothing —
    "it" mostly points at things NER does not name, and a guess would merge wrong entities."""
    for j in range(p.start - 1, -1, -1):
        if p.sent - sents[j] > 1:
            break
        if doc[j].pos_ not in {"NOUN", "PROPN"}:
            continue
        m = mentions[token_mention[j]] if j in token_mention else None
        if m is not None and m.etype == "PERSON":
            continue
        return token_mention[j] if m is not None and m.kind == "name" and m.etype in _IT_TYPES else None
    return None


def _can_refer(p: Mention, a: Mention, pron: Pronoun) -> bool:
    """Animacy and type fit of antecedent `a` for pronoun `p` (gender/number via clusters)."""
    if pron.gender == "n":
        return a.kind == "name" and a.etype in _IT_TYPES or (a.pronoun is not None and a.pronoun.gender == "n")
    if pron.number == "pl":
        if a.pronoun is not None:
            return a.pronoun.number == "pl"
        if a.kind == "name":
            return a.etype in _THEY_TYPES
        return a.number == "pl" and bool(a.animate)
    if a.number != "sg":
        return False
    if a.pronoun is not None:
        return a.pronoun.gender in {"m", "f"}
    return a.animate is not False if a.kind == "name" else bool(a.animate)


def _roles_bound_to(
    doc: Doc, m: Mention, span_of: dict[int, int], mentions: list[Mention]
) -> Iterable[tuple[str, int | None]]:
    """(role, nominal mention index or None) pairs that the text binds to person mention `m`."""
    # "Defendant Carlos Mendez", "the suspect, Mendez", "suspect Mendez"
    k = m.start - 1
    while k >= 0 and (doc[k].text in {",", ":"} or doc[k].lower_ in {"the", "a", "an"}):
        k -= 1
    if k >= 0 and doc[k].lemma_.lower() in LEGAL_ROLES and m.start - k <= 3:
        yield doc[k].lemma_.lower(), span_of.get(k)
    # "Mendez, the defendant," / "Mendez (the suspect)"
    k = m.end
    if k < len(doc) and doc[k].text in {",", "("}:
        k += 1
        while k < len(doc) and doc[k].lower_ in {"the", "a", "an"}:
            k += 1
        if k < len(doc) and doc[k].lemma_.lower() in LEGAL_ROLES and doc[k].pos_ == "NOUN":
            yield doc[k].lemma_.lower(), span_of.get(k)
    if not doc.has_annotation("DEP"):
        return
    # "Mendez is the defendant", "Mendez was identified as the suspect"
    head = doc[m.head]
    if head.dep_ in SUBJECT_DEPS | {"dobj"}:
        verb = head.head
        for child in verb.children:
            target = child
            if child.dep_ == "prep" and child.lower_ == "as":
                target = next((c for c in child.children if c.dep_ == "pobj"), child)
            elif child.dep_ not in {"attr", "oprd"}:
                continue
            lemma = target.lemma_.lower()
            if lemma in LEGAL_ROLES and target.pos_ == "NOUN":
                yield lemma, span_of.get(target.i)


def _clause(tok: Token) -> int:
    """The verb heading the clause a token is in (its nearest verbal ancestor, or the root)."""
    cur = tok.head if tok.dep_ != "ROOT" else tok
    while cur.pos_ not in {"VERB", "AUX"} and cur.dep_ != "ROOT":
        cur = cur.head
    return cur.i
