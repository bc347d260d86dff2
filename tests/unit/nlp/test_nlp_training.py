"""The training loop on a small fixture: Label Studio export → train → evaluate → pre-annotate.

Trains once per module (en_core_web_sm, ~150 sentences of the shipped corpus, 8 epochs, CPU) and
checks that training lifts recall beyond the entity ruler on held-out sentences whose gang and
drug names appear neither in the training data nor in the pattern lists.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin
from typer.testing import CliRunner

from casegraph.cli.main import app as root_app
from casegraph.core.domain import load_domain
from casegraph.eval.ner import evaluate, score
from nlp.loader import add_casegraph_components, load_base
from nlp.training.convert import split, to_docbin
from nlp.training.formats import (
    AnnotatedText,
    AnnotationError,
    SpanAnnotation,
    labelstudio_task,
    read_annotations,
    write_jsonl,
)
from nlp.training.preannotate import preannotate, read_texts
from nlp.training.train import train
from tests.factories.paths import REPO

CORPUS = REPO / "nlp" / "corpus"


def _mount() -> None:
    from casegraph.cli import main as cli

    if not any(g.name == "nlp" for g in root_app.registered_groups):
        cli._mount()


@pytest.fixture(scope="module")
def fixture_data(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A Label Studio JSON export of 150 training sentences, and 40 held-out sentences."""
    tmp = tmp_path_factory.mktemp("nlp_training")
    train_items = read_annotations([CORPUS / "train.jsonl"])[:150]
    export = tmp / "labelstudio_export.json"
    export.write_text(json.dumps([labelstudio_task(i) for i in train_items]), encoding="utf-8")
    held_out = tmp / "held_out.jsonl"
    write_jsonl(read_annotations([CORPUS / "test.jsonl"])[:40], held_out)
    return {"export": export, "held_out": held_out, "tmp": tmp}


@pytest.fixture(scope="module")
def trained(fixture_data: dict[str, Path]) -> Path:
    out = fixture_data["tmp"] / "model"
    report = train([fixture_data["export"]], out, base_model="en_core_web_sm", epochs=8, seed=0)
    assert report.train_docs + report.dev_docs == 150
    assert report.misaligned_spans == 0
    return out


def test_trained_pipeline_is_a_loadable_package(trained: Path) -> None:
    nlp = spacy.load(trained)
    assert nlp.meta["name"] == "casegraph_ner"
    assert nlp.meta["casegraph"]["base"] == "en_core_web_sm"
    assert {"DRUG", "GANG_ORG", "WEAPON", "CRIME"} <= set(nlp.get_pipe("ner").labels)
    assert json.loads((trained / "training.json").read_text())["dev_scores"]["ents_f"] > 0.5
    # Selectable like any model name: the loader accepts the directory.
    assert load_base(str(trained)).meta["name"] == "casegraph_ner"


def test_training_lifts_recall_beyond_the_patterns(trained: Path, fixture_data: dict[str, Path]) -> None:
    held_out = read_annotations([fixture_data["held_out"]])
    base = add_casegraph_components(load_base("en_core_web_sm"), coref=None)
    tuned = add_casegraph_components(load_base(str(trained)), coref=None)
    before = evaluate(base, held_out)
    after = evaluate(tuned, held_out)
    for label in ("GANG_ORG", "DRUG"):
        assert after.partial[label].recall > before.partial[label].recall + 0.15, label
    # Rehearsal: the base labels are not forgotten.
    assert after.exact["PERSON"].f1 >= before.exact["PERSON"].f1
    assert after.micro().f1 > before.micro().f1


def test_labelstudio_round_trip(trained: Path, fixture_data: dict[str, Path]) -> None:
    items = read_texts([fixture_data["held_out"]])[:10]
    nlp = add_casegraph_components(load_base(str(trained)), coref=None)
    tasks = preannotate(nlp, items)
    assert len(tasks) == 10
    labels = set(load_domain().types)
    n = 0
    for task in tasks:
        text = task["data"]["text"]
        (prediction,) = task["predictions"]
        assert prediction["model_version"].startswith("casegraph_ner-")
        for r in prediction["result"]:
            v = r["value"]
            assert (r["from_name"], r["to_name"], r["type"]) == ("label", "text", "labels")
            assert text[v["start"] : v["end"]] == v["text"] and v["labels"][0] in labels
            n += 1
    assert n >= 20
    # The analyst accepts the predictions: the export reads back as the same spans.
    for task in tasks:
        task["annotations"] = [{"result": task["predictions"][0]["result"], "was_cancelled": False}]
    accepted = fixture_data["tmp"] / "accepted.json"
    accepted.write_text(json.dumps(tasks), encoding="utf-8")
    back = read_annotations([accepted])
    assert [[(s.start, s.end, s.label) for s in b.spans] for b in back] == [
        [(r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]) for r in t["predictions"][0]["result"]]
        for t in tasks
    ]


def test_cli_preannotate_and_evaluate(trained: Path, fixture_data: dict[str, Path], tmp_path: Path) -> None:
    _mount()
    runner = CliRunner()
    report = tmp_path / "report.json"
    res = runner.invoke(
        root_app,
        ["nlp", "evaluate", "-d", str(fixture_data["held_out"]), "-m", str(trained), "-o", str(report)],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(report.read_text())
    assert {"GANG_ORG", "DRUG", "micro"} <= set(data["exact"]) and "confusion" in data
    assert "micro" in res.output
    text = tmp_path / "case.txt"
    text.write_text("Arturo Vega sold tusi to the Harbor Street Kings.\n\nHe was arrested in Denver.")
    tasks = tmp_path / "tasks.json"
    res = runner.invoke(
        root_app, ["nlp", "preannotate", str(text), "-o", str(tasks), "-m", str(trained), "--by-paragraph"]
    )
    assert res.exit_code == 0, res.output
    assert len(json.loads(tasks.read_text())) == 2


def test_labelstudio_json_min_and_errors(tmp_path: Path) -> None:
    text = "Mendez sold heroin."
    path = tmp_path / "min.json"
    path.write_text(
        json.dumps(
            [
                {
                    "id": 7,
                    "text": text,
                    "annotator": 1,
                    "entity": [
                        {"start": 12, "end": 18, "text": "heroin", "labels": ["DRUG"]},
                        {"start": 0, "end": 6, "text": "Mendez", "labels": ["PERSON"]},
                    ],
                }
            ]
        )
    )
    (item,) = read_annotations([path])
    assert {(s.start, s.end, s.label) for s in item.spans} == {(12, 18, "DRUG"), (0, 6, "PERSON")}
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": text, "spans": [{"start": 12, "end": 99, "label": "DRUG"}]}) + "\n")
    with pytest.raises(AnnotationError, match="bad.jsonl item 0: span 12-99 is outside"):
        read_annotations([bad])
    bad.write_text(json.dumps({"text": text, "spans": [{"start": 12, "end": 18, "label": "FOOD"}]}) + "\n")
    with pytest.raises(AnnotationError, match="label 'FOOD'"):
        read_annotations([bad])


def test_split_is_reproducible_whatever_the_order() -> None:
    items = read_annotations([CORPUS / "train.jsonl"])
    train_a, dev_a = split(items, 0.2, seed=0)
    shuffled = items[:]
    random.Random(1).shuffle(shuffled)
    train_b, dev_b = split(shuffled, 0.2, seed=0)
    assert {i.text for i in dev_a} == {i.text for i in dev_b}
    assert 0.1 < len(dev_a) / len(items) < 0.3 and len(train_a) == len(train_b)


def test_rehearsal_adds_base_labels_only_where_not_annotated() -> None:
    base = load_base("en_core_web_sm")
    item = AnnotatedText(
        text="On March 3, 2021 Carlos Mendez sold tusi in Denver.",
        spans=[SpanAnnotation(start=36, end=40, label="DRUG")],
    )
    gold_labels = {"DRUG", "PERSON"}
    with_base, stats = to_docbin([item], base, gold_labels, rehearse=True)
    (doc,) = with_base.get_docs(base.vocab)
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("tusi", "DRUG") in ents and ("Denver", "GPE") in ents and any(lab == "DATE" for _t, lab in ents)
    assert not any(lab == "PERSON" for _t, lab in ents)  # PERSON is annotated: no silver PERSON
    assert stats.rehearsal_spans == len(ents) - 1
    without, _ = to_docbin([item], base, gold_labels, rehearse=False)
    assert [(e.text, e.label_) for e in next(iter(without.get_docs(base.vocab))).ents] == [("tusi", "DRUG")]
    assert isinstance(with_base, DocBin)


def test_scores_exact_partial_and_confusion() -> None:
    gold = [
        [
            SpanAnnotation(start=0, end=13, label="PERSON"),
            SpanAnnotation(start=20, end=26, label="DRUG"),
            SpanAnnotation(start=30, end=40, label="GPE"),
        ]
    ]
    pred = [
        [
            SpanAnnotation(start=0, end=13, label="PERSON"),
            SpanAnnotation(start=18, end=26, label="DRUG"),
            SpanAnnotation(start=30, end=40, label="ORG"),
            SpanAnnotation(start=50, end=55, label="DATE"),
        ]
    ]
    exact, partial, confusion = score(gold, pred, ["PERSON", "DRUG", "GPE"])
    assert (exact["PERSON"].tp, exact["DRUG"].tp, exact["DRUG"].fp, exact["DRUG"].fn) == (1, 0, 1, 1)
    assert (partial["DRUG"].tp, partial["DRUG"].precision) == (1, 1.0)
    assert exact["GPE"].fn == 1 and exact["GPE"].fp == 0  # ORG is not an evaluated label
    assert confusion == {"DRUG": {"DRUG": 1}, "GPE": {"ORG": 1}, "PERSON": {"PERSON": 1}}
