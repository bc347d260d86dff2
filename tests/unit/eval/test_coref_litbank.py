"""The rule-based resolver scored on real LitBank coreference files (../shared/data, CC-BY 4.0)."""

from __future__ import annotations

import pytest

from casegraph.eval.coref import evaluate, read_conll
from casegraph.eval.datasets import litbank_coref

LITBANK_COREF = litbank_coref()

pytestmark = pytest.mark.skipif(
    not LITBANK_COREF.is_dir(), reason=f"LitBank coreference data not found at {LITBANK_COREF}"
)


def test_reader_rebuilds_gold_clusters() -> None:
    path = sorted(LITBANK_COREF.glob("*.conll"))[0]
    (doc,) = list(read_conll(path))
    raw = path.read_text(encoding="utf-8")
    opened = sum(part.count("(") for line in raw.splitlines() if "\t" in line for part in [line.split("\t")[-1]])
    assert sum(len(c) for c in doc.clusters) == opened  # every opened mention was closed
    assert all(0 <= s < e <= len(doc.words) for c in doc.clusters for s, e in c)
    assert doc.sent_starts[0] and sum(doc.sent_starts) > 10


def test_rules_backend_on_litbank_sample() -> None:
    results = evaluate(limit=4)
    predicted, gold = results["predicted"], results["gold"]
    assert predicted.documents == 4
    # A resolver that links nothing scores 0 MUC; one that links everything has poor precision.
    assert predicted.muc.recall > 0.3 and predicted.muc.precision > 0.6
    assert 0.3 < predicted.conll_f1 < 1.0
    # Given the gold mentions, clustering alone can only do better than end to end.
    assert gold.conll_f1 > predicted.conll_f1
