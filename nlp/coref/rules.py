"""Rule-based coreference: the offline default backend.

Three passes over the mentions of one parsed spaCy `Doc`:

1. names: repeated names cluster (titles, determiners and possessives stripped); a surname-only,
   first-name-only or initial-plus-surname mention joins the one full name in the document that
   it fits (gender from titles and first names must agree; two candidates: no merge);
2. role nouns: "the defendant" joins the person the document binds that role to ("Defendant
   Carlos Mendez", "Mendez, the defendant,", "Mendez was identified as the suspect") when exactly
   one person is bound to it; unbound repeats of a legal role cluster among themselves;
3. pronouns, in text order: he/she/it/they and their forms take the most salient compatible
   antecedent (number, gender, animacy) within a few sentences — salience after Lappin & Leass
   (1994): recency halved per sentence, subjects and objects weighted up — with the binding rule
   that a non-reflexive object pronoun is not its own clause's subject. First-person pronouns
   outside quotations are the narrator (in a report: the writing officer).

It needs a parsed `Doc` (tagger, parser, NER) for best results and degrades to names and
pronouns by distance without a parser.
"""

from __future__ import annotations

import logging
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from spacy.tokens import Doc, Span, Token

from nlp.coref.lexicon import (
    LEGAL_ROLES,
    NAMED_TYPES,
    PERSON_NOUNS,
    PRONOUNS,
    Gender,
    Number,
    Pronoun,
    first_name_genders,
    is_title,
    noun_gender,
    title_gender,
    words,
)
from nlp.resolution import is_initial, name_fits

log = logging.getLogger(__name__)

MentionKind = Literal["name", "pronoun", "nominal"]
TokenSpan = tuple[int, int]  # [start, end) token offsets

_QUOTES = {'"', "“", "”", "``", "''"}
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_OBJECT_DEPS = {"dobj", "dative", "pobj", "iobj", "obj"}
# Types whose mentions corefer by name; ORG and GANG_ORG are one family (NER confuses them).
_TYPE_FAMILY = {"GANG_ORG": "ORG", "NORP": "ORG", "LOC": "GPE"}
_IT_TYPES = frozenset({"ORG", "GANG_ORG", "FAC", "VEHICLE", "WEAPON", "DRUG", "PRODUCT"})
_THEY_TYPES = frozenset({"ORG", "GANG_ORG"})
# Definite noun phrases that are almost never an entity (time, manner, quantity, parts).
_NOT_ENTITIES = words(
    "time moment day night morning evening year week month hour minute way rest same other "
    "first last end side part kind sort thing matter fact case point course subject idea "
    "reason world truth question answer word name number lot whole top bottom middle front "
    "back left right"
)
_SPEAKER_REACH = 12
_SPEECH_VERBS = words(
    "say ask reply cry answer exclaim shout whisper tell continue add remark observe declare "
    "state explain murmur return repeat mutter respond insist admit call scream yell sigh "
    "suggest demand inquire enquire report write testify claim announce"
)
_PLEONASTIC_VERBS = {"seem", "appear", "happen", "rain", "snow", "matter", "occur", "take"}


@dataclass
class RuleConfig:
    """Tunable limits of the rule-based resolver (all on by default)."""

    max_sentence_distance: int = 3  # he/she look this many sentences back
    neuter_sentence_distance: int = 1  # it/they look back less far: low precision otherwise
    narrator: bool = True  # first person outside quotes → one cluster
    role_nouns: bool = True
    partial_names: bool = True


@dataclass
class Mention:
    start: int
    end: int
    kind: MentionKind
    sent: int
    head: int  # token index of the syntactic head
    etype: str | None = None  # NER label for names, PERSON for person nominals
    key: tuple[str, ...] = ()  # name tokens (names) or the head lemma (nominals)
    gender: Gender | None = None
    number: Number = "sg"
    pronoun: Pronoun | None = None
    role: str | None = None
    definite: bool = False
    in_quote: bool = False
    animate: bool | None = None
    phrase: tuple[str, ...] = ()  # a nominal's words without its determiner, for exact matches

    @property
    def span(self) -> TokenSpan:
        return (self.start, self.end)


@dataclass
class _Cluster:
    gender: Gender | None
    number: Number
    animate: bool | None
    family: str | None
    members: list[int] = field(default_factory=list)


class _Clusters:
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
    return _TYPE_FAMILY.get(etype, etype) if etype and etype != "PROPN" else None


class RuleCoref:
    """The rule-based resolver. `resolve(doc)` returns clusters of token spans, head first."""

    def __init__(self, config: RuleConfig | None = None) -> None:
        self.config = config or RuleConfig()

    # -- public ---------------------------------------------------------------------------

    def resolve(self, doc: Doc, mentions: Iterable[TokenSpan] | None = None) -> list[list[TokenSpan]]:
        """Coreference clusters (two or more mentions) as token spans; the head mention first.

        `mentions` (token spans) replaces mention detection, e.g. gold mentions for evaluation.
        """
        sents = _sentence_index(doc)
        quotes = _quote_mask(doc)
        found = (
            self.detect(doc, sents, quotes)
            if mentions is None
            else [m for s in mentions if (m := self._classify(doc, s, sents, quotes))]
        )
        found.sort(key=lambda m: (m.start, -m.end))
        clusters = _Clusters(found)
        self._link_names(found, clusters)
        self._link_repeated_phrases(found, clusters)
        if self.config.role_nouns:
            self._link_roles(doc, found, clusters)
        if doc.has_annotation("DEP"):
            self._link_speakers(doc, found, clusters, quotes)
        self._link_pronouns(doc, sents, found, clusters)
        out = []
        for members in clusters.groups():
            if len(members) < 2:
                continue
            ordered = [found[i] for i in members]
            head = _head_mention(ordered)
            out.append([head.span] + [m.span for m in ordered if m is not head])
        out.sort(key=lambda c: min(s for s, _ in c))
        return out

    # -- mention detection ----------------------------------------------------------------

    def detect(self, doc: Doc, sents: list[int], quotes: list[bool]) -> list[Mention]:
        mentions: list[Mention] = []
        taken: set[int] = set()
        for ent in doc.ents:
            if ent.label_ not in NAMED_TYPES:
                continue
            m = self._name(doc, ent.start, ent.end, ent.label_, sents, quotes)
            if m is not None:
                mentions.append(m)
                taken.update(range(m.start, m.end))
        mentions += self._titled_names(doc, taken, sents, quotes)
        taken = {i for m in mentions for i in range(m.start, m.end)}
        for tok in doc:
            if tok.i not in taken and (m := self._pronoun(tok, sents, quotes)):
                mentions.append(m)
        if doc.has_annotation("DEP"):
            for chunk in doc.noun_chunks:
                if chunk.root.i in taken or chunk.root.lower_ in PRONOUNS:
                    continue
                m = self._nominal(chunk, sents, quotes) or self._definite_np(chunk, sents, quotes)
                if m is not None:
                    mentions.append(m)
        return mentions

    def _classify(self, doc: Doc, span: TokenSpan, sents: list[int], quotes: list[bool]) -> Mention | None:
        """Type a given mention span: pronoun, name (has a proper noun) or nominal."""
        start, end = span
        if end <= start:
            return None
        chunk = doc[start:end]
        if end - start == 1 and (m := self._pronoun(doc[start], sents, quotes, strict=False)):
            return m
        root = chunk.root
        if root.pos_ == "PROPN" or root.ent_type_ in NAMED_TYPES:
            label = root.ent_type_ or next((t.ent_type_ for t in chunk if t.ent_type_), "")
            if not label:
                label = "PERSON" if any(is_title(t.text) for t in chunk) else "PROPN"
            m = self._name(doc, start, end, label, sents, quotes, keep_span=True)
            if m is not None:
                return m
        m = self._nominal(chunk, sents, quotes)
        if m is None:  # an inanimate or unknown noun phrase: still a mention, never a pronoun antecedent
            m = Mention(start, end, "nominal", sents[start], root.i, key=(root.lemma_.lower(),), animate=False)
            m.number = "pl" if root.tag_ in {"NNS", "NNPS"} else "sg"
            m.in_quote = quotes[start]
            m.definite = chunk[0].lower_ == "the"
            m.phrase = _phrase(chunk)
        return m

    def _name(
        self,
        doc: Doc,
        start: int,
        end: int,
        label: str,
        sents: list[int],
        quotes: list[bool],
        keep_span: bool = False,
    ) -> Mention | None:
        # Possessive markers and trailing punctuation are not part of the name.
        while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
            end -= 1
        if end <= start:
            return None
        gender: Gender | None = None
        # A title right before the entity belongs to the mention ("Det." + "Ramirez").
        if label == "PERSON" and not keep_span:
            while start > 0:
                prev = doc[start - 1]
                if is_title(prev.text) and prev.is_title:
                    start -= 1
                elif prev.text == "." and start > 1 and is_title(doc[start - 2].text):
                    start -= 2  # "Det" "." tokenised apart
                else:
                    break
        key: list[str] = []
        for tok in doc[start:end]:
            low = tok.lower_
            if not key and is_title(low) and label in {"PERSON", "PROPN"}:
                gender = gender or title_gender(low)
                continue
            if not key and low in _DETERMINERS:
                continue
            if tok.is_punct and low not in {".", "-"} or tok.tag_ == "POS":
                continue
            key.append(low.rstrip("."))
        key = [k for k in key if k]
        if not key:
            return None
        etype = "PERSON" if label == "PROPN" and gender else label
        if etype == "PERSON" and gender is None and len(key) >= 1:
            first = key[0]
            gender = first_name_genders().get(first) if len(first) > 1 else None
        head = doc[start:end].root.i
        m = Mention(start, end, "name", sents[start], head, etype=etype, key=tuple(key), gender=gender)
        m.animate = True if etype == "PERSON" else (False if etype in NAMED_TYPES else None)
        m.number = "sg"
        m.in_quote = quotes[start]
        return m

    def _titled_names(self, doc: Doc, taken: set[int], sents: list[int], quotes: list[bool]) -> list[Mention]:
        """Title + proper noun(s) that NER missed: "Mr. Darcy", "Det. Ramirez"."""
        out = []
        i = 0
        while i < len(doc):
            tok = doc[i]
            if tok.i not in taken and is_title(tok.text) and tok.is_title:
                j = i + 1
                while j < len(doc) and j not in taken and doc[j].pos_ == "PROPN" and doc[j].is_title:
                    j += 1
                if j > i + 1 and (m := self._name(doc, i, j, "PERSON", sents, quotes)):
                    out.append(m)
                    i = j
                    continue
            i += 1
        return out

    def _pronoun(self, tok: Token, sents: list[int], quotes: list[bool], strict: bool = True) -> Mention | None:
        pron = PRONOUNS.get(tok.lower_)
        if pron is None:
            return None
        if strict and tok.pos_ not in {"PRON", "DET", ""} and tok.tag_ not in {"PRP", "PRP$"}:
            return None
        if pron.gender == "n" and _pleonastic(tok):
            return None
        animate = None if pron.gender is None else pron.gender != "n"
        if pron.person == 1:
            animate = True
        return Mention(
            tok.i,
            tok.i + 1,
            "pronoun",
            sents[tok.i],
            tok.i,
            gender=pron.gender if pron.gender != "n" else None,
            number=pron.number,
            pronoun=pron,
            in_quote=quotes[tok.i],
            animate=animate,
        )

    def _definite_np(self, chunk: Span, sents: list[int], quotes: list[bool]) -> Mention | None:
        """ "the house", "the black car": not a person, but repeated word for word it is one thing."""
        root = chunk.root
        if root.pos_ != "NOUN" or chunk[0].lower_ != "the" or root.lemma_.lower() in _NOT_ENTITIES:
            return None
        m = Mention(chunk.start, chunk.end, "nominal", sents[chunk.start], root.i, key=(root.lemma_.lower(),))
        m.number = "pl" if root.tag_ == "NNS" else "sg"
        m.definite, m.in_quote, m.phrase = True, quotes[chunk.start], _phrase(chunk)
        return m

    def _nominal(self, chunk: Span, sents: list[int], quotes: list[bool]) -> Mention | None:
        root = chunk.root
        lemma = root.lemma_.lower()
        if root.pos_ != "NOUN" or lemma not in PERSON_NOUNS:
            return None
        first = chunk[0]
        definite = first.lower_ in {"the", "this", "that"} or first.tag_ == "PRP$"
        m = Mention(
            chunk.start,
            chunk.end,
            "nominal",
            sents[chunk.start],
            root.i,
            etype="PERSON",
            key=(lemma,),
            gender=noun_gender(lemma),
            number="pl" if root.tag_ == "NNS" else "sg",
            role=lemma if lemma in LEGAL_ROLES else None,
            definite=definite,
            in_quote=quotes[chunk.start],
            animate=True,
            phrase=_phrase(chunk),
        )
        return m

    # -- pass 1: names ------------------------------------------------------------------------

    def _link_names(self, mentions: list[Mention], clusters: _Clusters) -> None:
        by_key: dict[tuple[str | None, tuple[str, ...]], int] = {}
        names = [i for i, m in enumerate(mentions) if m.kind == "name"]
        for i in names:
            m = mentions[i]
            k = (_family(m.etype), m.key)
            if k in by_key and clusters.compatible(by_key[k], i):
                clusters.union(by_key[k], i)
            else:
                by_key.setdefault(k, i)
        if not self.config.partial_names:
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

    def _link_repeated_phrases(self, mentions: list[Mention], clusters: _Clusters) -> None:
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

    # -- pass 2: role nouns -------------------------------------------------------------------

    def _link_roles(self, doc: Doc, mentions: list[Mention], clusters: _Clusters) -> None:
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

    # -- pass 3: pronouns ---------------------------------------------------------------------

    def _link_speakers(self, doc: Doc, mentions: list[Mention], clusters: _Clusters, quotes: list[bool]) -> None:
        """Inside one quotation "I"/"me"/"my" are one speaker: the subject of the speech verb
        next to it ("I sold it," Mendez said) when there is one."""
        starts = [m.start for m in mentions]
        by_head = {m.head: i for i, m in enumerate(mentions)}
        for qs, qe in _quote_runs(quotes):
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
            speaker = _speaker(doc, qs, qe, quotes, by_head)
            if speaker is not None and clusters.compatible(speaker, firsts[0]):
                clusters.union(speaker, firsts[0])

    def _link_pronouns(self, doc: Doc, sents: list[int], mentions: list[Mention], clusters: _Clusters) -> None:
        has_deps = doc.has_annotation("DEP")
        narrator: dict[str, int] = {}
        token_mention = {t: i for i, m in enumerate(mentions) if m.kind != "pronoun" for t in range(m.start, m.end)}
        for i, p in enumerate(mentions):
            pron = p.pronoun
            if pron is None:
                continue
            if pron.person == 1:
                if self.config.narrator and not p.in_quote:
                    if pron.number in narrator:
                        clusters.union(narrator[pron.number], i)
                    else:
                        narrator[pron.number] = i
                    if pron.number == "sg":
                        self._bind_narrator(doc, p, i, mentions, clusters)
                continue
            if pron.gender == "n":
                best = _nearest_thing(p, doc, sents, mentions, token_mention)
            else:
                best = self._antecedent(doc, i, mentions, clusters, has_deps)
            if best is not None:
                clusters.union(best, i)

    def _bind_narrator(self, doc: Doc, p: Mention, i: int, mentions: list[Mention], clusters: _Clusters) -> None:
        """ "I, Det. Ana Ruiz, ..." ties the narrator to a name."""
        if p.pronoun is None or p.pronoun.case != "subj" or p.end + 1 >= len(doc) or doc[p.end].text != ",":
            return
        for j, m in enumerate(mentions):
            if m.kind == "name" and m.etype == "PERSON" and m.start == p.end + 1:
                clusters.union(i, j)
                return

    def _antecedent(self, doc: Doc, i: int, mentions: list[Mention], clusters: _Clusters, has_deps: bool) -> int | None:
        p = mentions[i]
        pron = p.pronoun
        assert pron is not None
        neuter = pron.gender == "n"
        plural = pron.number == "pl"
        window = self.config.neuter_sentence_distance if neuter or plural else self.config.max_sentence_distance
        p_tok = doc[p.head]
        p_clause = _clause(p_tok) if has_deps else None
        p_subject = has_deps and p_tok.dep_ in _SUBJECT_DEPS
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
                if same_clause and pron.case == "refl" and a_tok.dep_ in _SUBJECT_DEPS:
                    reflexive_pick = reflexive_pick if reflexive_pick is not None else j
                if same_clause and pron.case in {"subj", "obj"} and a_tok.dep_ in _SUBJECT_DEPS:
                    blocked.add(root)  # "Mendez hit him": him is not Mendez, nor anyone Mendez is
                    continue
            weight = 100.0
            if has_deps:
                if a_tok.dep_ in _SUBJECT_DEPS:
                    weight += 80
                elif a_tok.dep_ in _OBJECT_DEPS:
                    weight += 50
                if dist <= 1 and p_subject and a_tok.dep_ in _SUBJECT_DEPS:
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
    if head.dep_ in _SUBJECT_DEPS | {"dobj"}:
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


def _phrase(chunk: Span) -> tuple[str, ...]:
    words = [t.lower_ for t in chunk if not t.is_punct]
    while words and (words[0] in _DETERMINERS or words[0] in PRONOUNS):
        words.pop(0)
    return tuple(words)


def _head_mention(mentions: list[Mention]) -> Mention:
    """The mention that names the entity best: the longest name, else the first nominal."""
    names = [m for m in mentions if m.kind == "name"]
    if names:
        return max(names, key=lambda m: (len(m.key), -m.start))
    nominals = [m for m in mentions if m.kind == "nominal"]
    return nominals[0] if nominals else mentions[0]


def _quote_runs(quotes: list[bool]) -> list[tuple[int, int]]:
    runs, start = [], None
    for i, inside in enumerate(quotes + [False]):
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            runs.append((start, i))
            start = None
    return runs


def _speaker(doc: Doc, qs: int, qe: int, quotes: list[bool], by_head: dict[int, int]) -> int | None:
    """The mention index of whoever speaks the quotation doc[qs:qe], from a nearby speech verb."""
    after = range(qe, min(qe + _SPEAKER_REACH, len(doc)))
    before = range(qs - 1, max(qs - _SPEAKER_REACH, 0) - 1, -1)
    for window in (after, before):
        for j in window:
            tok = doc[j]
            if quotes[j] or (window is after and tok.is_sent_start and j > qe + 1):
                break
            if tok.lemma_.lower() in _SPEECH_VERBS and tok.pos_ in {"VERB", "AUX"}:
                subj = next((c for c in tok.children if c.dep_ in _SUBJECT_DEPS), None)
                if subj is not None and subj.i in by_head:
                    return by_head[subj.i]
                break
    return None


def _sentence_index(doc: Doc) -> list[int]:
    """Sentence number of each token; without sentence boundaries, 25-token pseudo-sentences."""
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        out = [0] * len(doc)
        for n, sent in enumerate(doc.sents):
            for i in range(sent.start, sent.end):
                out[i] = n
        return out
    return [i // 25 for i in range(len(doc))]


def _quote_mask(doc: Doc) -> list[bool]:
    """Whether each token lies inside double quotation marks (quote tokens themselves: no)."""
    inside = False
    out = []
    for tok in doc:
        text = tok.text
        if text in {"“", "``"}:
            inside = True
            out.append(False)
        elif text in {"”", "''"}:
            inside = False
            out.append(False)
        elif text == '"':
            inside = not inside
            out.append(False)
        else:
            out.append(inside)
        if tok.is_sent_end and tok.i + 1 < len(doc) and "\n\n" in tok.whitespace_ + doc[tok.i + 1].text:
            inside = False  # an unclosed quote does not run past a paragraph
    return out


def _clause(tok: Token) -> int:
    """The verb heading the clause a token is in (its nearest verbal ancestor, or the root)."""
    cur = tok.head if tok.dep_ != "ROOT" else tok
    while cur.pos_ not in {"VERB", "AUX"} and cur.dep_ != "ROOT":
        cur = cur.head
    return cur.i


def _pleonastic(tok: Token) -> bool:
    """Non-referential "it": "it is likely that", "it seems", "it rained"."""
    if tok.lower_ != "it":
        return False
    if tok.dep_ == "expl":
        return True
    head = tok.head
    if tok.dep_ in _SUBJECT_DEPS and head.lemma_ in _PLEONASTIC_VERBS:
        return True
    if tok.dep_ in _SUBJECT_DEPS and head.lemma_ == "be":
        kids = {c.dep_ for c in head.children}
        return bool(kids & {"ccomp", "xcomp"}) and bool(kids & {"acomp", "attr"})
    return False
