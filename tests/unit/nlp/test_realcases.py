"""The realcases loader: markup → text and spans, the fixed split by document, the corrections file
(issue 15). Parsing runs on markup written here; the split and corrections also on the corpus in
../shared/data when it is present (CI and local checkouts have it)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from casegraph.eval.ner import surface_errors
from casegraph.eval.realcases import SplitError, data_dir, select_split
from nlp.training.formats import AnnotationError, SpanAnnotation
from nlp.training.realcases import CORRECTIONS, parse_part, read_any, read_corrections, read_realcases, split_of

MARKUP = """## rcX-01 Two charged
A grand jury charged two members of [Redline](GANG_ORG:red) with [racketeering](CRIME) in [Fresno](GPE:fresno).

[Redline](GANG_ORG:red) sold [fentanyl](DRUG) pills.

## rcX-02 Sentenced
[Ana Ruiz](PERSON:ruiz) was sentenced in [Fresno](GPE:fresno).
"""
REAL = data_dir()
needs_data = pytest.mark.skipif(REAL is None, reason="../shared/data/realcases is not here")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "part9.md").write_text(MARKUP, encoding="utf-8")
    return tmp_path


def test_markup_becomes_text_spans_and_entity_ids(corpus: Path) -> None:
    docs = parse_part(corpus / "part9.md")
    assert [d.meta["id"] for d in docs] == ["rcX-01", "rcX-02"]
    first = docs[0]
    assert "[" not in first.text and first.text.startswith("A grand jury charged two members of Redline with")
    assert [(first.text[s.start : s.end], s.label) for s in first.spans] == [
        ("Redline", "GANG_ORG"), ("racketeering", "CRIME"), ("Fresno", "GPE"), ("Redline", "GANG_ORG"),
        ("fentanyl", "DRUG")]
    assert first.meta["entities"] == ["part9:red", None, "part9:fresno", "part9:red", None]
    assert first.meta["split"] == split_of("rcX-01")


def test_the_split_depends_on_the_document_id_alone() -> None:
    assert split_of("rcP1-01") == split_of("rcP1-01")
    ids = [f"doc-{i}" for i in range(2000)]
    shares = Counter(split_of(i) for i in ids)
    assert abs(shares["train"] / 2000 - 0.70) < 0.04
    assert abs(shares["dev"] / 2000 - 0.15) < 0.03
    assert abs(shares["test"] / 2000 - 0.15) < 0.03


def test_corrections_relabel_trim_and_drop(corpus: Path, tmp_path: Path) -> None:
    fixes = tmp_path / "fixes.jsonl"
    rows = [
        {"doc": "rcX-01", "text": "Redline", "occurrence": 1, "label": "GANG_ORG", "fix": {"label": "ORG"},
         "reason": "test"},
        {"doc": "rcX-01", "text": "racketeering", "label": "CRIME", "fix": {"text": "racket"}, "reason": "test"},
        {"doc": "rcX-02", "text": "Fresno", "label": "GPE", "fix": {"drop": True}, "reason": "test"},
    ]
    fixes.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    docs = {d.meta["id"]: d for d in read_realcases(corpus, corrections=fixes)}
    one = docs["rcX-01"]
    assert [(one.text[s.start : s.end], s.label) for s in one.spans][:4] == [
        ("Redline", "GANG_ORG"), ("racket", "CRIME"), ("Fresno", "GPE"), ("Redline", "ORG")]
    assert [s.label for s in docs["rcX-02"].spans] == ["PERSON"]
    assert docs["rcX-02"].meta["entities"] == ["part9:ruiz"]


def test_a_correction_that_finds_no_span_fails(corpus: Path, tmp_path: Path) -> None:
    fixes = tmp_path / "fixes.jsonl"
    fixes.write_text(json.dumps({"doc": "rcX-01", "text": "Bloods", "label": "GANG_ORG", "fix": {"drop": True},
                                 "reason": "x"}), encoding="utf-8")
    with pytest.raises(AnnotationError, match="span not found"):
        read_realcases(corpus, corrections=fixes)


def test_a_realcases_directory_reads_as_annotations_and_splits(corpus: Path) -> None:
    items = read_any([corpus])
    assert len(items) == 2
    wanted = split_of("rcX-01")
    assert [it.meta["id"] for it in select_split(items, wanted)] == [
        d for d in ("rcX-01", "rcX-02") if split_of(d) == wanted]
    with pytest.raises(SplitError):
        select_split(items, "validation")


@needs_data
def test_the_real_corpus_splits_by_document_and_its_corrections_apply() -> None:
    assert REAL is not None
    parts = {s: read_realcases(REAL, s) for s in ("train", "dev", "test")}
    ids = {s: {d.meta["id"] for d in docs} for s, docs in parts.items()}
    assert sum(map(len, ids.values())) == 119
    assert not (ids["train"] & ids["dev"] or ids["train"] & ids["test"] or ids["dev"] & ids["test"])
    assert 70 <= len(ids["train"]) <= 95 and len(ids["dev"]) >= 12 and len(ids["test"]) >= 12
    read_corrections(CORRECTIONS)  # well-formed; read_realcases has applied every line above


def test_surface_errors_name_the_missed_and_spurious_forms() -> None:
    text = "Redline sold fentanyl to Bloods."
    gold = [[SpanAnnotation(start=0, end=7, label="GANG_ORG"), SpanAnnotation(start=25, end=31, label="GANG_ORG")]]
    pred = [[SpanAnnotation(start=0, end=7, label="GANG_ORG"), SpanAnnotation(start=13, end=21, label="GANG_ORG")]]
    missed, spurious = surface_errors([text], gold, pred, ["GANG_ORG"])
    assert missed == {"GANG_ORG": [("Bloods", 1)]}
    assert spurious == {"GANG_ORG": [("fentanyl", 1)]}
