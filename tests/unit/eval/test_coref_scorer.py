"""The coreference scorer against the CoNLL reference scorer's published test cases
(conll/reference-coreference-scorers, test/TestCases.README: key {a} {bc} {def})."""

from __future__ import annotations

import random
from fractions import Fraction as F

import pytest

from casegraph.eval.coref_scores import CorefScores, max_weight_matching, score_document


def clusters(text: str) -> list[list[str]]:
    return [list(c) for c in text.split()]


KEY = clusters("a bc def")

# response → (MUC recall, MUC precision, B³ recall, B³ precision, CEAF-e recall, CEAF-e precision)
CASES = {
    "A-2": ("a de", F(1, 3), F(1, 1), F(7, 18), F(1), F(18, 30), F(18, 20)),
    "A-3": ("a bcx defy z", F(1), F(3, 5), F(1), F(55, 108), None, None),
    "A-4": ("a bcx dy z", F(1, 3), F(1, 3), F(5, 9), F(17, 42), F(22, 30), F(22, 40)),
    "A-10": ("a b c d e f", F(0), F(0), F(3, 6), F(1), None, None),
    "A-11": ("abcdef", F(1), F(3, 5), F(1), F(7, 18), None, None),
    "A-12": ("a x y c d e z", F(0), F(0), F(13, 36), F(4, 7), None, None),
    "A-13": ("axycdez", F(1, 3), F(1, 6), F(17, 36), F(6, 49), None, None),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_reference_cases(case: str) -> None:
    response, muc_r, muc_p, b3_r, b3_p, ce_r, ce_p = CASES[case]
    s = score_document(KEY, clusters(response), keep_singletons=True)
    assert s.muc.recall == pytest.approx(float(muc_r))
    assert s.muc.precision == pytest.approx(float(muc_p))
    assert s.b3.recall == pytest.approx(float(b3_r))
    assert s.b3.precision == pytest.approx(float(b3_p))
    if ce_r is not None:
        assert s.ceafe.recall == pytest.approx(float(ce_r))
        assert s.ceafe.precision == pytest.approx(float(ce_p))


def test_muc_paper_cases() -> None:
    # TC-K-1 and TC-L-1 (from the MUC paper)
    s = score_document(clusters("BCDEGHJ"), clusters("ABC DEF GHI"))
    assert (s.muc.recall, s.muc.precision) == pytest.approx((3 / 6, 3 / 6))
    s = score_document(clusters("ABC DEFG"), clusters("AB CD FGH"))
    assert (s.muc.recall, s.muc.precision) == pytest.approx((2 / 5, 2 / 4))


def test_bcubed_paper_cases() -> None:
    # TC-D-1 and TC-E-1 (from the B-CUBED paper)
    key = clusters("12345 67 89ABC")
    s = score_document(key, clusters("12345 6789ABC"))
    assert (s.b3.recall, s.b3.precision) == pytest.approx((1.0, 16 / 21))
    s = score_document(key, clusters("1234589ABC 67"))
    assert (s.b3.recall, s.b3.precision) == pytest.approx((1.0, 7 / 12))


def test_singletons_removed_and_micro_average() -> None:
    scores = CorefScores()
    scores.add_document(KEY, clusters("a bc def"), keep_singletons=False)
    scores.add_document(KEY, clusters("a b c d e f"), keep_singletons=False)
    # {a} is dropped on both sides; the second document links nothing of its 3 + 2 key mentions.
    assert scores.b3.r_den == 10
    assert scores.b3.recall == pytest.approx(5 / 10)
    assert scores.muc.recall == pytest.approx(3 / 6)
    assert scores.conll_f1 == pytest.approx((scores.muc.f1 + scores.b3.f1 + scores.ceafe.f1) / 3)


def test_hungarian_matches_brute_force() -> None:
    from itertools import permutations

    rng = random.Random(7)
    for _ in range(200):
        rows, cols = rng.randint(1, 5), rng.randint(1, 5)
        w = [[rng.choice([0.0, rng.random()]) for _ in range(cols)] for _ in range(rows)]
        if rows <= cols:
            best = max(sum(w[i][p[i]] for i in range(rows)) for p in permutations(range(cols), rows))
        else:
            best = max(sum(w[p[j]][j] for j in range(cols)) for p in permutations(range(rows), cols))
        assert max_weight_matching(w) == pytest.approx(best)
