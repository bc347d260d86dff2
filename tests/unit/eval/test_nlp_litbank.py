"""LitBank (CC-BY 4.0, Bamman et al.) → proper-name gold spans → the evaluate command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from casegraph.cli.main import app as root_app
from nlp.training.formats import is_proper_name, read_litbank
from tests.factories.paths import SHARED_DATA

LITBANK = SHARED_DATA / "litbank"
pytestmark = pytest.mark.skipif(not (LITBANK / "entities").is_dir(), reason=f"LitBank not found at {LITBANK}")


def test_converter_keeps_outermost_proper_names() -> None:
    docs = read_litbank(LITBANK)
    assert len(docs) == 80
    labels = {s.label for d in docs for s in d.spans}
    assert labels == {"PERSON", "GPE", "LOC", "FAC", "ORG"}
    first = docs[0]
    ann = (LITBANK / "entities" / f"{first.meta['doc']}.ann").read_text(encoding="utf-8")
    surfaces = {line.split("\t")[2] for line in ann.splitlines()}
    for span in first.spans:
        surface = first.text[span.start : span.end]
        assert surface in surfaces and is_proper_name(surface)
        nested = [o for o in first.spans if o is not span and o.start <= span.start and span.end <= o.end]
        assert not nested


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("Sherlock Holmes", True),
        ("Bank of England", True),
        ("the trained reasoner", False),
        ("His mother", False),
        ("Few women", False),
        ("Walter Elliot , who united these gifts", False),
        ("Mr. Holmes", True),
    ],
)
def test_proper_name_rule(surface: str, name: bool) -> None:
    assert is_proper_name(surface) is name


def test_evaluate_command_on_litbank(tmp_path: Path) -> None:
    out = tmp_path / "litbank.json"
    result = CliRunner().invoke(
        root_app,
        ["nlp", "evaluate", "--data", str(LITBANK), "--limit", "3", "--model", "en_core_web_md", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert report["documents"] == 3
    assert "PERSON" in report["labels"] and set(report["labels"]) <= {"FAC", "GPE", "LOC", "ORG", "PERSON"}
    micro = report["exact"]["micro"]
    assert micro["tp"] + micro["fn"] > 50
    assert 0.3 < micro["f1"] <= report["partial"]["micro"]["f1"]
    assert report["confusion"]["PERSON"]["PERSON"] > 0
