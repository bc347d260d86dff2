"""Typed relations of the analyst set between the mentions of one sentence, from the rules in
`nlp/patterns/relations/` (see `nlp.relations.rules`).

Only predicates of the relation set are produced, and only between endpoint types the domain allows
(casegraph/core/domain.toml [relations]); the graph writer checks the same rule again.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.matcher import DependencyMatcher
from spacy.tokens import Span, Token
from spacy.vocab import Vocab

from casegraph.core.domain import Domain, load_domain

from .rules import PathRule, RuleSet, load_rules

# Edges that cost nothing on a path: the members of a list stand where the first one stands.
FREE_DEPS = frozenset({"conj", "cc", "punct"})
# Modifiers whose words count as cues on the token they hang from ("*Special Agent* X", "pleaded *guilty*").
ATTACHED_DEPS = frozenset({"compound", "amod", "acomp", "advmod", "prt", "nmod", "npadvmod", "attr", "oprd"})
# Edges by which a path may pass through another entity's mention ("Kaiser of the FBI's Division").
THROUGH_MENTION_DEPS = frozenset({"conj", "poss", "compound"})
# ... and through one of the same type only when nested in it ("the FBI's Division": the FBI too).
NESTING_DEPS = frozenset({"poss", "compound"})
# Edges between two mentions of one type that cost nothing either ("Hondo, Texas" parsed as an apposition).
PLACE_DEPS = frozenset({"appos", "npadvmod"})
PLACES = frozenset({"GPE", "LOC", "FAC"})
NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM"})
REL_PRONOUNS = frozenset({"who", "that", "which", "whom"})


@dataclass(frozen=True)
class TypedRelation:
    source: int  # mention indices within the sentence
    target: int
    predicate: str
    confidence: float
    extractor: str  # "path:<rule id>" or "dependency:<rule id>"
    stage: str | None = None


@dataclass(frozen=True)
class _Path:
    tokens: list[Token]  # from the head mention's root to the tail mention's root
    deps: list[str]  # the edge into each step: len(tokens) - 1
    hops: int
    tail_dep: str  # the tail's own role, past any conjunction


class _Mentions:
    def __init__(self, mentions: list[Span], labels: list[str]):
        self.spans = mentions
        self.labels = labels
        self.by_token: dict[int, int] = {}
        for idx, span in enumerate(mentions):
            for tok in span:
                self.by_token.setdefault(tok.i, idx)

    def root(self, idx: int) -> Token:
        return self.spans[idx].root

    def of(self, token: Token) -> list[int]:
        """The mentions a token stands for: itself, its conjuncts, a relative pronoun's antecedent."""
        found: list[int] = []
        for tok in (token, *token.conjuncts):
            idx = self.by_token.get(tok.i)
            if idx is None and tok.lower_ in REL_PRONOUNS and tok.head.dep_ == "relcl":
                idx = self.by_token.get(tok.head.head.i)
            if idx is not None and idx not in found:
                found.append(idx)
        return found


def _ancestors(token: Token) -> list[Token]:
    chain = [token]
    while chain[-1].head.i != chain[-1].i and len(chain) < 64:
        chain.append(chain[-1].head)
    return chain


def _same_kind(a: Token, b: Token, index: _Mentions | None) -> bool:
    """Two places side by side ("of Hondo, Texas"): the second stands with the first."""
    if index is None:
        return False
    x, y = index.by_token.get(a.i), index.by_token.get(b.i)
    return x is not None and y is not None and index.labels[x] == index.labels[y] and index.labels[x] in PLACES


def _path(a: Token, b: Token, index: _Mentions | None = None) -> _Path | None:
    up, down = _ancestors(a), _ancestors(b)
    down_ids = {t.i: n for n, t in enumerate(down)}
    cut = next((n for n, t in enumerate(up) if t.i in down_ids), None)
    if cut is None:
        return None
    lca = down_ids[up[cut].i]
    tokens = up[: cut + 1] + list(reversed(down[:lca]))
    deps = [t.dep_ for t in up[:cut]] + [t.dep_ for t in reversed(down[:lca])]
    tail = b
    while tail.dep_ in FREE_DEPS and tail.head.i != tail.i:
        tail = tail.head
    hops = sum(d not in FREE_DEPS and not (d in PLACE_DEPS and _same_kind(tokens[n], tokens[n + 1], index))
               for n, d in enumerate(deps))
    return _Path(tokens, deps, hops, tail.dep_)


def _cue_tokens(path: _Path, index: _Mentions, ends: tuple[int, int], on_path_only: bool,
                governor: bool = False) -> list[Token]:
    inner = [t for t in path.tokens if index.by_token.get(t.i) not in ends]
    if governor:  # the word a list of names hangs from: "A, B and C were *charged*"
        top = min(path.tokens, key=lambda t: len(_ancestors(t)))
        while top.dep_ == "conj" and top.head.i != top.i:
            top = top.head
        inner += [top.head] + ([top.head.head] if top.head.dep_ in ("xcomp", "conj", "relcl") else [])
    if on_path_only:
        return inner
    attached = [c for t in path.tokens for c in t.children
                if c.dep_ in ATTACHED_DEPS and index.by_token.get(c.i) is None]
    return inner + attached


def _crosses_list(path: _Path) -> bool:
    """Into a list and out through one of its members: "A of the FBI; B of the DEA" does not put B
    at the FBI. A list shares only what governs it ("A and B were charged"), so conjunctions may only
    open the climb from the head and close the descent to the tail."""
    up = next((n for n in range(len(path.deps)) if path.tokens[n].head.i != path.tokens[n + 1].i), len(path.deps))
    # Lists of names only: verbs joined by "and" ("shot and killed") share their subject and object.
    names = [d == "conj" and path.tokens[n].pos_ in NOMINAL and path.tokens[n + 1].pos_ in NOMINAL
             for n, d in enumerate(path.deps)]
    climb_conj, descent_conj = names[:up], names[up:]  # edges climbed from the head, then descended
    if any(not a and b for a, b in zip(climb_conj, climb_conj[1:], strict=False)):
        return True  # from a member's dependent up into the list
    if any(a and not b for a, b in zip(descent_conj, descent_conj[1:], strict=False)):
        return True  # down into a list member, then on into its dependents
    return bool(climb_conj and descent_conj and climb_conj[-1] and not descent_conj[0])


def _mixed_list(path: _Path, index: _Mentions) -> bool:
    """A list of unlike things ("the Ridgeford Police Department, Special Agent Omar Haddad ...")
    is an enumeration, not a link between its members."""
    for n, dep in enumerate(path.deps):
        a, b = index.by_token.get(path.tokens[n].i), index.by_token.get(path.tokens[n + 1].i)
        if dep == "conj" and a is not None and b is not None and index.labels[a] != index.labels[b]:
            return True
    return False


def _crossed(path: _Path, index: _Mentions, ends: tuple[int, int]) -> list[int]:
    """Another entity between the two ends takes the link: "Chief A of X, Agent B of Y" does not put A
    at Y. Passing is allowed along a list ("A, B and C were charged") and, for an entity of another
    type, through a possessive or compound ("Kaiser of the FBI's Criminal Investigative Division").
    Returns the mentions in the way (a rule may pass one that is its own cue: "*trafficking* cocaine")."""
    end_labels = {index.labels[e] for e in ends}
    found: list[int] = []
    for n, tok in enumerate(path.tokens[1:-1], 1):
        other = index.by_token.get(tok.i)
        if other is None or other in ends:
            continue
        edges = {path.deps[n - 1], path.deps[n]}
        if "conj" in edges:  # a member of the same list (climbing to, or down from, what governs it)
            continue
        if any(path.deps[m] in PLACE_DEPS and _same_kind(path.tokens[m], path.tokens[m + 1], index)
               for m in (n - 1, n)):  # "of Hondo, Texas": Hondo stands between Ramos and Texas
            continue
        if not edges & THROUGH_MENTION_DEPS or (index.labels[other] in end_labels and not edges & NESTING_DEPS):
            found.append(other)
    return found


def _match_path(rule: PathRule, path: _Path, index: _Mentions, ends: tuple[int, int],
                rules: RuleSet) -> TypedRelation | None:
    if path.hops > rule.max_hops or any(d in rule.blocked for d in path.deps):
        return None
    if rule.tail_deps and path.tail_dep not in rule.tail_deps:
        return None
    if rule.tails and index.labels[ends[1]] not in rule.tails:
        return None
    cues = [t for t in _cue_tokens(path, index, ends, rule.cue_on_path, rule.governor)
            if t.lemma_.lower() in rule.cues or t.lower_ in rule.cues]
    if not cues:
        return None
    stage = rule.stage or rules.stage_for(rule.predicate, [t.lemma_.lower() for t in cues])
    return TypedRelation(ends[0], ends[1], rule.predicate, rule.confidence, f"path:{rule.id}", stage)


_MATCHERS: dict[tuple[int, tuple[str, ...]], DependencyMatcher] = {}


def _dependency_matcher(vocab: Vocab, rules: RuleSet) -> DependencyMatcher:
    slot = (id(vocab), tuple(r.id for r in rules.dependencies))
    if slot not in _MATCHERS:
        matcher = DependencyMatcher(vocab)
        for rule in rules.dependencies:
            matcher.add(rule.id, [rule.pattern])
        _MATCHERS.clear()  # one vocabulary per process in practice: keep only the newest
        _MATCHERS[slot] = matcher
    return _MATCHERS[slot]


def _dependency_relations(sentence: Span, index: _Mentions, labels: list[str], domain: Domain,
                          rules: RuleSet) -> list[TypedRelation]:
    # Dependency rules need a parse: a pipeline without a parser (e.g. a bare ruler) has none.
    if not rules.dependencies or not sentence.doc.has_annotation("DEP"):
        return []
    by_id = {r.id: r for r in rules.dependencies}
    doc = sentence.as_doc()
    offset = sentence.start
    out: list[TypedRelation] = []
    for match_id, token_ids in _dependency_matcher(doc.vocab, rules)(doc):
        rule = by_id[doc.vocab.strings[match_id]]
        names = [node["RIGHT_ID"] for node in rule.pattern]
        head = sentence.doc[token_ids[names.index("head")] + offset]
        tail = sentence.doc[token_ids[names.index("tail")] + offset]
        for h in index.of(head):
            for t in index.of(tail):
                if h != t and domain.relation_allowed(rule.predicate, labels[h], labels[t]):
                    out.append(TypedRelation(h, t, rule.predicate, rule.confidence, f"dependency:{rule.id}",
                                             rule.stage))
    return out


def typed_relations(sentence: Span, mentions: list[Span], labels: list[str] | None = None,
                    rules: RuleSet | None = None) -> list[TypedRelation]:
    """The typed relations among `mentions` (spans of `sentence`, with their entity types in `labels`)."""
    domain = load_domain()
    rules = rules or load_rules()
    labels = labels if labels is not None else [m.label_ for m in mentions]
    index = _Mentions(mentions, labels)
    by_predicate: dict[str, list[PathRule]] = {}
    for rule in rules.paths:
        by_predicate.setdefault(rule.predicate, []).append(rule)
    best: dict[tuple[int, int, str], TypedRelation] = {}
    # nearest rules: per (head, rule) only the tails closest in the parse (one hop of slack).
    near: dict[tuple[int, str], list[tuple[int, TypedRelation]]] = {}

    def keep(rel: TypedRelation) -> None:
        slot = (rel.source, rel.target, rel.predicate)
        if slot not in best or best[slot].confidence < rel.confidence:
            best[slot] = rel

    for h in range(len(mentions)):
        for t in range(len(mentions)):
            if h == t or mentions[h].root.i == mentions[t].root.i:
                continue
            fitting = [p for p in by_predicate if domain.relation_allowed(p, labels[h], labels[t])]
            if not fitting:
                continue
            path = _path(index.root(h), index.root(t), index)
            if path is None or _crosses_list(path) or _mixed_list(path, index):
                continue
            in_way = _crossed(path, index, (h, t))
            if in_way and any(index.labels[m] in (labels[h], labels[t]) for m in in_way):
                continue
            for predicate in fitting:
                for rule in by_predicate[predicate]:
                    if in_way and not all(index.spans[m].root.lemma_.lower() in rule.cues for m in in_way):
                        continue
                    found = _match_path(rule, path, index, (h, t), rules)
                    if found and rule.nearest:
                        near.setdefault((h, rule.id), []).append((path.hops, found))
                    elif found:
                        keep(found)
    for candidates in near.values():
        closest = min(hops for hops, _rel in candidates)
        for hops, rel in candidates:
            if hops <= closest + 1:
                keep(rel)
    for rel in _dependency_relations(sentence, index, labels, domain, rules):
        keep(rel)
    return list(best.values())
