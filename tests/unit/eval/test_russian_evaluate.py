"""factRuEval-2016 scoring: gold loading, LocOrg handling, span matching, and a real run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from casegraph.cli.main import app
from casegraph.eval.datasets import factrueval_devset
from casegraph.eval.russian import (
    Span,
    evaluate,
    load_document,
    resolve_locorg,
    score_document,
)
from tests.factories.paths import SHARED_DATA

DEVSET = SHARED_DATA / "factrueval-2016" / "devset"
needs_data = pytest.mark.skipif(
    not (DEVSET / "book_100.txt").exists(), reason=f"factRuEval-2016 devset not found at {DEVSET}"
)


def test_default_devset_is_the_shared_data_directory() -> None:
    assert factrueval_devset().resolve() == DEVSET.resolve()


def test_exact_and_partial_matching() -> None:
    gold = [Span(0, 10, "Person"), Span(20, 30, "Org"), Span(40, 50, "Location")]
    predicted = [
        Span(0, 10, "Person"),  # exact
        Span(18, 30, "Org"),  # overlaps: partial only
        Span(40, 50, "Org"),  # right span, wrong type
        Span(60, 70, "Person"),  # spurious
    ]
    counts = score_document(gold, predicted)
    person, org, location = counts["Person"], counts["Org"], counts["Location"]
    assert (person.gold, person.predicted, person.exact, person.partial_gold) == (1, 2, 1, 1)
    assert (org.gold, org.predicted, org.exact, org.partial_gold) == (1, 2, 0, 1)
    assert (location.gold, location.predicted, location.exact, location.partial_gold) == (1, 0, 0, 0)


def test_partial_matching_is_one_to_one() -> None:
    gold = [Span(0, 20, "Org")]
    predicted = [Span(0, 8, "Org"), Span(10, 20, "Org")]
    org = score_document(gold, predicted)["Org"]
    assert (org.partial_gold, org.partial_predicted) == (1, 1)


def test_locorg_modes() -> None:
    gold = [Span(0, 6, "LocOrg"), Span(10, 16, "Person")]
    predicted = [Span(0, 6, "Org"), Span(10, 16, "Person")]
    as_location, _ = resolve_locorg(gold, predicted, "location")
    assert [g.type for g in as_location] == ["Location", "Person"]
    either, _ = resolve_locorg(gold, predicted, "either")
    assert [g.type for g in either] == ["Org", "Person"]
    kept_gold, kept_pred = resolve_locorg(gold, predicted, "ignore")
    assert [g.type for g in kept_gold] == ["Person"]
    assert kept_pred == [Span(10, 16, "Person")]


@needs_data
def test_gold_spans_of_a_devset_document() -> None:
    doc = load_document(DEVSET / "book_100.txt")
    spans = {(doc.text[g.start : g.end], g.type) for g in doc.gold}
    assert ("Юрия Лужкова", "Person") in spans  # name + surname: one span
    assert ("Москвы", "LocOrg") in spans
    assert ("Тверской", "Location") in spans  # the name part, not the descriptor "площади"
    assert ("Мосгордумы", "Org") in spans
    luzhkov = next(g for g in doc.gold if doc.text[g.start : g.end] == "Юрия Лужкова")
    assert luzhkov.names == {"юрий", "лужков"}  # from the coreference file's normal forms
    assert len({(g.start, g.end, g.type) for g in doc.gold}) == len(doc.gold)


@needs_data
def test_evaluation_on_five_documents_gives_sane_scores(tmp_path: Path) -> None:
    report = evaluate(DEVSET, limit=5).as_dict()  # the first five hold every type
    assert report["documents"] == 5
    for name in ("Person", "Org", "Location", "micro"):
        row = report[name]
        assert isinstance(row, dict)
        assert row["gold"] > 0 and row["predicted"] > 0
        exact, partial = row["exact"], row["partial"]
        assert 0.5 < exact["f1"] <= 1.0, (name, row)
        assert partial["f1"] >= exact["f1"]
    person = report["Person"]
    assert isinstance(person, dict) and person["normalized_accuracy"] >= 0.8

    out = tmp_path / "factru.json"
    result = CliRunner().invoke(app, ["report", "russian", "--data", str(DEVSET), "--limit", "5", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Person" in result.output and "micro" in result.output
    assert json.loads(out.read_text(encoding="utf-8"))["micro"] == report["micro"]


@needs_data
def test_cli_rejects_an_unknown_locorg_mode() -> None:
    result = CliRunner().invoke(app, ["report", "russian", "--data", str(DEVSET), "--limit", "1", "--locorg", "both"])
    assert result.exit_code != 0
