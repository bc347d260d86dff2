"""Coreference metrics: MUC, B³, CEAF-e and their average (the CoNLL F1).

The definitions follow the CoNLL-2012 reference scorer (Pradhan et al., 2014): mentions are
hashable ids (e.g. `(doc, start, end)`), a document's key and response are lists of clusters,
and corpus figures are micro-averaged (numerators and denominators summed over documents).
Duplicate mentions inside one side are removed first, as the reference scorer does.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from casegraph.eval.scoring import Fractions

Cluster = Sequence[Hashable]


@dataclass
class CorefScores:
    muc: Fractions = field(default_factory=Fractions)
    b3: Fractions = field(default_factory=Fractions)
    ceafe: Fractions = field(default_factory=Fractions)
    documents: int = 0

    @property
    def conll_f1(self) -> float:
        return (self.muc.f1 + self.b3.f1 + self.ceafe.f1) / 3

    def add_document(self, key: Iterable[Cluster], response: Iterable[Cluster], keep_singletons: bool) -> None:
        k = _clean(key, keep_singletons)
        r = _clean(response, keep_singletons)
        # Precision is recall with key and response swapped.
        self.muc.add(*_muc(r, k), *_muc(k, r))
        self.b3.add(*_b3(r, k), *_b3(k, r))
        self.ceafe.add(*_ceafe(k, r))
        self.documents += 1

    def as_dict(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for name in ("muc", "b3", "ceafe"):
            m: Fractions = getattr(self, name)
            out |= {f"{name}_p": m.precision, f"{name}_r": m.recall, f"{name}_f1": m.f1}
        out["conll_f1"] = self.conll_f1
        return out


def score_document(key: Iterable[Cluster], response: Iterable[Cluster], keep_singletons: bool = True) -> CorefScores:
    scores = CorefScores()
    scores.add_document(key, response, keep_singletons)
    return scores


def _clean(clusters: Iterable[Cluster], keep_singletons: bool) -> list[frozenset[Hashable]]:
    """Dedupe mentions (a mention seen twice keeps its first cluster) and drop empty clusters."""
    seen: set[Hashable] = set()
    out: list[frozenset[Hashable]] = []
    for cluster in clusters:
        members = frozenset(m for m in cluster if m not in seen)
        seen |= members
        if len(members) > (0 if keep_singletons else 1):
            out.append(members)
    return out


def _muc(gold: list[frozenset[Hashable]], other: list[frozenset[Hashable]]) -> tuple[float, float]:
    """MUC recall of `other` against `gold` (swap the arguments for precision): links kept."""
    where = {m: i for i, c in enumerate(other) for m in c}
    num = den = 0.0
    for cluster in gold:
        parts = {where[m] for m in cluster if m in where}
        unaligned = sum(1 for m in cluster if m not in where)
        num += len(cluster) - (len(parts) + unaligned)
        den += len(cluster) - 1
    return num, den


def _b3(gold: list[frozenset[Hashable]], other: list[frozenset[Hashable]]) -> tuple[float, float]:
    """B³ recall of `other` against `gold` (swap for precision)."""
    num = 0.0
    for g in gold:
        for o in other:
            common = len(g & o)
            if common:
                num += common * common / len(g)
    return num, float(sum(len(g) for g in gold))


def _ceafe(key: list[frozenset[Hashable]], response: list[frozenset[Hashable]]) -> tuple[float, float, float, float]:
    """Entity-based CEAF (φ4): best one-to-one alignment of key and response entities.
    Precision numerator and denominator, then recall's."""
    if not key or not response:
        return 0.0, float(len(response)), 0.0, float(len(key))
    sim = [[2 * len(k & r) / (len(k) + len(r)) for r in response] for k in key]
    total = max_weight_matching(sim)
    return total, float(len(response)), total, float(len(key))


def max_weight_matching(weights: Sequence[Sequence[float]]) -> float:
    """Total weight of a maximum-weight one-to-one assignment of rows to columns.

    The Hungarian algorithm (shortest augmenting paths with potentials), O(n²m); the matrix may
    be rectangular. Only the value is needed for CEAF.
    """
    rows, cols = len(weights), len(weights[0]) if weights else 0
    if rows == 0 or cols == 0:
        return 0.0
    transposed = rows > cols
    if transposed:
        weights = [[weights[i][j] for i in range(rows)] for j in range(cols)]
        rows, cols = cols, rows
    # Minimise cost = -weight; 1-based arrays as in the textbook formulation.
    inf = float("inf")
    u = [0.0] * (rows + 1)
    v = [0.0] * (cols + 1)
    match = [0] * (cols + 1)  # match[j] = row assigned to column j
    way = [0] * (cols + 1)
    for i in range(1, rows + 1):
        match[0] = i
        j0 = 0
        minv = [inf] * (cols + 1)
        used = [False] * (cols + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = match[j0], inf, 0
            for j in range(1, cols + 1):
                if not used[j]:
                    cur = -weights[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(cols + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if match[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
    return sum(weights[match[j] - 1][j - 1] for j in range(1, cols + 1) if match[j])
