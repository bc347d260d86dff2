"""Sentence-level relations between entity mentions.

Every pair of mentions in a sentence co-occurs (`co_occurs_with`, the domain's co-occurrence
predicate). Where the dependency parse supports it a typed predicate is added:

- subject–verb–object: "Mendez supplied fentanyl" → (Mendez, supply, fentanyl); passives are
  turned round ("fentanyl was supplied by Mendez");
- verb + preposition: "sold heroin to Lopez" → (Mendez, sell_to, Lopez); "met Lopez in Chicago";
- role appositions and copulas: "Mendez, a member of the Latin Kings" / "Mendez is the leader of
  MS-13" → member_of / leader_of;
- aliases: "Carlos Mendez, also known as El Flaco" / "a.k.a." / "aka" / "alias" / "nicknamed" →
  (El Flaco, alias_of, Carlos Mendez); an alias the NER missed becomes a mention of the same type.

Predicates are verb (or role noun) lemmas, joined to their preposition with `_`, and must match the
domain's predicate pattern. Relations refer to mentions by index; the pipeline turns them into keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Span, Token

CONF_ALIAS = 0.9
CONF_ROLE = 0.8
CONF_SVO = 0.7
CONF_PREP = 0.6
CONF_CO_OCCURRENCE = 0.3

_SUBJ = {"nsubj"}
_SUBJ_PASS = {"nsubjpass"}
_OBJ = {"dobj", "obj"}
_REL_PRONOUNS = {"who", "that", "which", "whom"}
ALIAS_RE = re.compile(
    r"""\s*[,(]?\s*(?i:(?:also\s+|otherwise\s+)?(?:known\s+as|a\.?\s?k\.?\s?a\.?|a/k/a|aka|alias|nicknamed|
    goes\s+by|who\s+goes\s+by|street\s+name))\s*[:,]?\s*(?:the\s+)?["“'‘]?\s*
    (?P<alias>[A-Z0-9][\w'’.-]*(?:\s+(?:[A-Z0-9][\w'’.-]*|de|del|la|el|los|van|von|da|bin))*)""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Relation:
    source: int  # index into the mention list
    target: int
    predicate: str
    confidence: float


def predicate_name(*parts: str) -> str | None:
    """`sell`, `to` → `sell_to`; None when the result is not a valid predicate."""
    text = "_".join(p.strip().lower().replace("-", "_").replace(" ", "_") for p in parts if p.strip())
    text = re.sub(r"[^a-z_]", "", text).strip("_")
    return text[:40] if text and re.fullmatch(r"[a-z][a-z_]{0,39}", text[:40]) else None


class _Index:
    """Token → mention lookup within one sentence, following conjuncts and relative pronouns."""

    def __init__(self, mentions: list[Span]):
        self.by_token: dict[int, int] = {}
        for idx, span in enumerate(mentions):
            for tok in span:
                self.by_token.setdefault(tok.i, idx)

    def of(self, token: Token) -> list[int]:
        found: list[int] = []
        for tok in (token, *token.conjuncts):
            idx = self.by_token.get(tok.i)
            if idx is None and tok.lower_ in _REL_PRONOUNS and tok.head.dep_ == "relcl":
                idx = self.by_token.get(tok.head.head.i)  # "Mendez, who runs ..." → Mendez
            if idx is not None and idx not in found:
                found.append(idx)
        return found


def _children(token: Token, deps: set[str]) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def _mentions(index: _Index, tokens: Iterable[Token]) -> list[int]:
    out: list[int] = []
    for tok in tokens:
        out.extend(i for i in index.of(tok) if i not in out)
    return out


def _subjects(verb: Token, index: _Index, deps: set[str], depth: int = 0) -> list[int]:
    found = _mentions(index, _children(verb, deps))
    # "X agreed to supply Y" / "X bought heroin and sold it": the subject comes from the head verb.
    if not found and verb.dep_ in ("xcomp", "conj") and depth < 3 and not _children(verb, _SUBJ | _SUBJ_PASS):
        return _subjects(verb.head, index, deps, depth + 1)
    return found


def _quantified(obj: Token, index: _Index) -> Token:
    """ "sold 3 grams of ice": the object is the thing measured, not the measure."""
    if obj.i not in index.by_token:
        for prep in _children(obj, {"prep"}):
            if prep.lower_ == "of":
                for pobj in _children(prep, {"pobj"}):
                    if pobj.i in index.by_token:
                        return pobj
    return obj


def _prep_objects(head: Token, index: _Index) -> list[tuple[str, int]]:
    out = []
    for prep in _children(head, {"prep", "agent"}):
        if prep.i in index.by_token:  # "possession with intent to distribute" is one mention
            continue
        for idx in _mentions(index, _children(prep, {"pobj"})):
            out.append((prep.dep_ if prep.dep_ == "agent" else prep.lower_, idx))
    for dative in _children(head, {"dative"}):
        # "sold Lopez heroin" (dative noun) or "sold heroin to Lopez" parsed as dative "to".
        if dative.pos_ == "ADP":
            out.extend((dative.lower_, i) for i in _mentions(index, _children(dative, {"pobj"})))
        else:
            out.extend(("to", i) for i in _mentions(index, [dative]))
    return out


def _verb_relations(verb: Token, index: _Index) -> list[Relation]:
    rels: list[Relation] = []
    lemma = verb.lemma_.lower()
    active = _subjects(verb, index, _SUBJ)
    passive = _subjects(verb, index, _SUBJ_PASS)
    objects = _mentions(index, [_quantified(t, index) for o in _children(verb, _OBJ) for t in (o, *o.conjuncts)])
    preps = _prep_objects(verb, index)
    agents = [i for p, i in preps if p == "agent"]
    pred = predicate_name(lemma)
    if pred and lemma != "be":
        rels += [Relation(s, o, pred, CONF_SVO) for s in active for o in objects]
        rels += [Relation(a, s, pred, CONF_SVO) for a in agents for s in passive]
    for prep, target in preps:
        if prep == "agent":
            continue
        p = predicate_name(lemma, prep)
        if p:
            rels += [Relation(s, target, p, CONF_PREP) for s in (active or passive)]
    if lemma == "be":  # "Mendez is a member of the Latin Kings"
        for attr in _children(verb, {"attr"}):
            rels += _role_relations(active, attr, index)
    return rels


def _role_relations(holders: list[int], role: Token, index: _Index) -> list[Relation]:
    if role.pos_ not in ("NOUN", "PROPN") or index.by_token.get(role.i) is not None:
        return []
    rels = []
    for prep, target in _prep_objects(role, index):
        p = predicate_name(role.lemma_, prep) if prep != "agent" else None
        if p:
            rels += [Relation(h, target, p, CONF_ROLE) for h in holders if h != target]
    return rels


def find_alias(text: str, mention_end: int, sentence_end: int) -> tuple[int, int] | None:
    """Character span of an alias introduced right after a mention ending at `mention_end`."""
    match = ALIAS_RE.match(text, mention_end, sentence_end)
    if not match:
        return None
    alias = match.group("alias").rstrip(".,'’")
    return match.start("alias"), match.start("alias") + len(alias)


def sentence_relations(
    sentence: Span, mentions: list[Span], co_occurrence: str, aliases: dict[int, int] | None = None
) -> list[Relation]:
    """Relations among `mentions` (spans within `sentence`, in text order).

    `aliases` maps an alias mention's index to the index of the mention it names.
    """
    index = _Index(mentions)
    rels: list[Relation] = []
    for alias, primary in (aliases or {}).items():
        rels.append(Relation(alias, primary, "alias_of", CONF_ALIAS))
    for tok in sentence:
        if tok.pos_ in ("VERB", "AUX"):
            rels += _verb_relations(tok, index)
    for idx, span in enumerate(mentions):  # "Mendez, a member of the Latin Kings"
        for appos in _children(span.root, {"appos"}):
            rels += _role_relations([idx], appos, index)
    for i in range(len(mentions)):
        for j in range(i + 1, len(mentions)):
            rels.append(Relation(i, j, co_occurrence, CONF_CO_OCCURRENCE))
    return [r for r in rels if r.source != r.target]
