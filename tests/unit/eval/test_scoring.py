"""The one P/R/F1 scorer every evaluator uses (casegraph/eval/scoring.py), against figures worked
out by hand and against scikit-learn's definitions of micro and macro averaging."""

from __future__ import annotations

import pytest

from casegraph.eval.scoring import Counts, Fractions, Score, f1, macro, micro, ratio


def test_counts_precision_recall_f1() -> None:
    c = Counts(tp=6, fp=2, fn=4)
    assert (c.precision, c.recall) == (pytest.approx(6 / 8), pytest.approx(6 / 10))
    assert c.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert (c.gold, c.predicted) == (10, 8)
    assert c.summary() == {"precision": 0.75, "recall": 0.6, "f1": 0.6667, "tp": 6, "fp": 2, "fn": 4}


def test_nothing_to_score_is_zero_not_a_division_error() -> None:
    assert Counts().score == Score(0.0, 0.0, 0.0)
    assert Fractions().f1 == 0.0
    assert ratio(3, 0) == 0.0 and ratio(3, 0, empty=1.0) == 1.0
    assert f1(0.0, 0.0) == 0.0


def test_exact_matching_of_sets() -> None:
    c = Counts.of_sets({(0, 5), (6, 9), (10, 12)}, [(0, 5), (6, 8), (6, 8)])
    assert (c.tp, c.fp, c.fn) == (1, 1, 2)  # a duplicate prediction counts once


def test_micro_sums_counts_and_macro_averages_classes() -> None:
    person, drug = Counts(tp=9, fp=1, fn=0), Counts(tp=1, fp=0, fn=9)
    total = micro([person, drug])
    assert (total.tp, total.fp, total.fn) == (10, 1, 9)
    assert total.f1 == pytest.approx(2 * (10 / 11) * (10 / 19) / (10 / 11 + 10 / 19))
    m = macro([person, drug])
    assert m.precision == pytest.approx((0.9 + 1.0) / 2)
    assert m.recall == pytest.approx((1.0 + 0.1) / 2)
    assert m.f1 == pytest.approx((person.f1 + drug.f1) / 2)  # the mean of per-class F1
    assert macro([]) == Score(0.0, 0.0, 0.0)


def test_counts_add_in_place_and_fractions_keep_sides_apart() -> None:
    c = Counts(1, 2, 3)
    c += Counts(1, 1, 1)
    assert c == Counts(2, 3, 4) == Counts(1, 2, 3) + Counts(1, 1, 1)
    f = Fractions()
    f.add(p_num=2, p_den=4, r_num=3, r_den=4)  # e.g. 2 of 4 predictions and 3 of 4 gold spans overlap
    f.add(p_num=1, p_den=1, r_num=0, r_den=2)
    assert (f.precision, f.recall) == (pytest.approx(3 / 5), pytest.approx(3 / 6))
    assert (f + f).score == f.score
