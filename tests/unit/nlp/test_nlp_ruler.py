"""The entity ruler: every shipped pattern matches its own text, validation, ambiguity, overlap."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from nlp.loader import add_casegraph_components, load_pipeline
from nlp.ruler import PatternError, generic_pattern_files, read_patterns

SENTENCE = "Investigators noted {} in the report."


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return load_pipeline(coref=False, linking=False)  # keys from names; linking has its own tests


def test_every_pattern_matches_its_own_text(nlp: spacy.language.Language) -> None:
    rows = read_patterns() + read_patterns(generic_pattern_files())
    assert len(rows) > 300
    texts = [row["pattern"] if isinstance(row["pattern"], str) else row["example"] for row in rows]
    failures = []
    for row, text, doc in zip(rows, texts, nlp.pipe(SENTENCE.format(t) for t in texts), strict=True):
        start = SENTENCE.index("{}")
        end = start + len(text)
        hits = [e for e in doc.ents if e.label_ == row["label"] and start <= e.start_char and e.end_char <= end]
        if isinstance(row["pattern"], str):
            hits = [e for e in hits if (e.start_char, e.end_char) == (start, end)]
        if not hits or ("id" in row and hits[0].ent_id_ != row["id"]):
            failures.append(f"{row['source']}: {text!r} → {[(e.text, e.label_, e.ent_id_) for e in doc.ents]}")
    assert not failures, "\n".join(failures)


def _write(tmp_path: Path, *rows: object) -> Path:
    path = tmp_path / "extra.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"label": "SPACESHIP", "pattern": "x-wing"}, "not an entity type"),
        ({"label": "DRUG", "pattern": [{"LOWERX": "ice"}], "example": "ice"}, "invalid token pattern"),
        ({"label": "DRUG", "pattern": [{"LOWER": "ice"}]}, 'needs an "example"'),
        ({"label": "DRUG", "pattern": "  "}, "empty phrase"),
        ({"label": "DRUG", "pattern": "heroin", "colour": "red"}, "unknown keys"),
    ],
)
def test_bad_patterns_fail_with_file_and_line(tmp_path: Path, row: dict, message: str) -> None:
    path = _write(tmp_path, {"label": "DRUG", "pattern": "heroin"}, row)
    with pytest.raises(PatternError, match=rf"extra\.jsonl:2: .*{message}"):
        read_patterns([path])


def test_duplicate_patterns_are_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, {"label": "DRUG", "pattern": "Heroin"}, {"label": "DRUG", "pattern": "heroin"})
    with pytest.raises(PatternError, match="extra.jsonl:2: duplicate of extra.jsonl:1"):
        read_patterns([path])


def test_ambiguous_street_names_need_a_quantity(nlp: spacy.language.Language) -> None:
    drink = nlp("She put ice in her drink and took a seat.")
    assert not [e for e in drink.ents if e.label_ == "DRUG"]
    deal = nlp("He sold 3 grams of ice and two bags of dope behind the store.")
    drugs = [(e.text, e.ent_id_) for e in deal.ents if e.label_ == "DRUG"]
    # The quantity is trimmed off and the street name keyed on the substance.
    assert drugs == [("ice", "methamphetamine"), ("dope", "heroin")]


def test_shapes_phones_emails_calibres_vehicles(nlp: spacy.language.Language) -> None:
    doc = nlp(
        "Mendez called (312) 555-0199 and wrote to flaco@example.com, then hid a .38 revolver "
        "and a 12-gauge shotgun in a silver Toyota Camry."
    )
    found = {(e.text, e.label_) for e in doc.ents}
    assert {
        ("(312) 555-0199", "PHONE"),
        ("flaco@example.com", "EMAIL"),
        (".38 revolver", "WEAPON"),
        ("12-gauge shotgun", "WEAPON"),
        ("Toyota Camry", "VEHICLE"),
    } <= found
    assert not [e for e in nlp("The Ford Foundation funded the study.").ents if e.label_ == "VEHICLE"]


def test_ruler_wins_over_a_different_model_label(nlp: spacy.language.Language) -> None:
    doc = nlp("Carlos Mendez is a member of the Sinaloa Cartel.")
    assert ("Sinaloa Cartel", "GANG_ORG") in {(e.text, e.label_) for e in doc.ents}


def test_longer_model_span_with_the_same_label_survives() -> None:
    # A stand-in statistical NER built from real spaCy parts: it "predicts" the longer gang name.
    nlp = spacy.blank("en")
    fake = nlp.add_pipe("entity_ruler", name="ner")
    fake.add_patterns([{"label": "GANG_ORG", "pattern": "Stone Hill Bloods"}, {"label": "ORG", "pattern": "the Crips"}])
    add_casegraph_components(nlp)
    doc = nlp("The Stone Hill Bloods and the Crips fought.")
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Stone Hill Bloods", "GANG_ORG"),
        ("Crips", "GANG_ORG"),
    ]
    sources = {doc.text[m[1] : m[2]]: m[4] for m in doc._.casegraph["mentions"]}
    assert sources == {"Stone Hill Bloods": "model", "Crips": "ruler"}
