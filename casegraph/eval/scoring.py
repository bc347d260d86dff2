"""The one precision / recall / F1 arithmetic every casegraph evaluator uses.

Two shapes of tally cover every metric here:

- `Counts` (tp, fp, fn): one match decision per item, as in exact-span NER or relation scoring;
- `Fractions` (precision and recall numerators and denominators kept apart): when the items
  matched on the predicted side are not the ones matched on the gold side (MUC, B³, CEAF-e,
  one-to-one partial overlaps, pairwise links).

Both add up over documents (micro averaging is summing tallies, then dividing once); `macro`
averages per-class scores instead. `Score` is what a report prints: P, R and F1.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields


def ratio(num: float, den: float, empty: float = 0.0) -> float:
    """num / den, or `empty` when there is nothing to divide by (0.0 unless the metric says
    otherwise: pairwise precision with no predicted pair is 1.0, nothing was wrongly linked)."""
    return num / den if den else empty


def f1(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall (0.0 when both are 0)."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, precision: float, recall: float) -> Score:
        return cls(precision, recall, f1(precision, recall))

    def as_dict(self, digits: int = 4) -> dict[str, float]:
        return {"precision": round(self.precision, digits), "recall": round(self.recall, digits),
                "f1": round(self.f1, digits)}


class _Rates:
    """F1 and the printed `Score` of a tally that defines precision and recall."""

    @property
    def precision(self) -> float:
        raise NotImplementedError

    @property
    def recall(self) -> float:
        raise NotImplementedError

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)

    @property
    def score(self) -> Score:
        return Score.of(self.precision, self.recall)


@dataclass
class Counts(_Rates):
    """True positives, false positives and false negatives of one class (or of all, summed)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return ratio(self.tp, self.tp + self.fn)

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        return self.tp + self.fp

    @classmethod
    def of_sets(cls, gold: Iterable[object], predicted: Iterable[object]) -> Counts:
        """Exact matching of two sets of hashable items (spans, triples...)."""
        g, p = set(gold), set(predicted)
        tp = len(g & p)
        return cls(tp=tp, fp=len(p) - tp, fn=len(g) - tp)

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def __iadd__(self, other: Counts) -> Counts:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn
        return self

    def summary(self, digits: int = 4) -> dict[str, float | int]:
        return {**self.score.as_dict(digits), "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class Fractions(_Rates):
    """Running numerators and denominators of precision and recall, summed over documents."""

    p_num: float = 0.0
    p_den: float = 0.0
    r_num: float = 0.0
    r_den: float = 0.0

    @property
    def precision(self) -> float:
        return ratio(self.p_num, self.p_den)

    @property
    def recall(self) -> float:
        return ratio(self.r_num, self.r_den)

    def add(self, p_num: float, p_den: float, r_num: float, r_den: float) -> None:
        self.p_num += p_num
        self.p_den += p_den
        self.r_num += r_num
        self.r_den += r_den

    def __add__(self, other: Fractions) -> Fractions:
        return Fractions(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


def micro(tallies: Iterable[Counts]) -> Counts:
    """All classes' counts summed: the micro-averaged tally."""
    total = Counts()
    for c in tallies:
        total += c
    return total


def macro(scores: Iterable[Counts | Fractions | Score]) -> Score:
    """The unweighted means of per-class precision, recall and F1 (scikit-learn's macro average);
    all 0.0 for no classes."""
    rows = [(s.precision, s.recall, s.f1) for s in scores]
    n = len(rows)
    return Score(*(ratio(sum(col), n) for col in zip(*rows, strict=True))) if n else Score(0.0, 0.0, 0.0)
