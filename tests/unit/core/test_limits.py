"""casegraph.core.limits: the bounds on keys, names and sentences, and the pipeline keeping them."""

from __future__ import annotations

import random

import pytest

from casegraph.core.limits import DIGEST_TAIL_BYTES, Limits, bounded_key, clip, is_name_sized, sentence_pieces
from casegraph.core.models import DocumentRecord, ParsedDocument


def test_a_short_key_is_kept_and_a_long_one_bounded() -> None:
    assert bounded_key("person:carlos mendez", 1024) == "person:carlos mendez"
    long = "org:" + "harbor street " * 1000
    key = bounded_key(long, 1024)
    assert len(key.encode()) <= 1024
    assert key.startswith("org:harbor street harbor")
    assert len(key.rsplit("#", 1)[1]) == DIGEST_TAIL_BYTES - 1
    assert bounded_key(key, 1024) == key  # bounding twice changes nothing
    assert bounded_key(long + "x", 1024) != key  # two long keys stay two keys


def test_a_bounded_key_never_splits_a_character() -> None:
    key = bounded_key("person:" + "Жанна " * 2000, 300)
    assert len(key.encode("utf-8")) <= 300
    key.encode("utf-8").decode("utf-8")  # valid UTF-8


def test_a_key_limit_without_room_for_a_prefix_is_refused() -> None:
    with pytest.raises(ValueError, match="no room"):
        bounded_key("x" * 500, 100)


def test_names_and_clipping() -> None:
    assert is_name_sized("Carlos Mendez", 200)
    assert not is_name_sized("Harbor " * 40, 200)
    assert not is_name_sized("", 200)
    assert clip("abc", 5) == "abc"
    assert clip("abcdefgh", 5) == "abcd…"


def test_ordinary_sentences_stay_one_piece() -> None:
    text = "Detective Ruiz met the informant. He named Victor Crane.\n\nThe van left at noon."
    assert sentence_pieces(text, 200) == [(0, text)]


@pytest.mark.parametrize("text", [
    "x" * 10_000,  # one character repeated
    "".join(random.Random(1).choice("abcXYZ019") for _ in range(10_000)),  # no whitespace
    "Short one. " + " ".join(["Harbor"] * 3000) + ". Short two.",  # one overlong sentence
    "word " * 3000,
])
def test_overlong_stretches_are_cut_and_the_pieces_cover_the_text(text: str) -> None:
    pieces = sentence_pieces(text, 500)
    assert "".join(p for _, p in pieces) == text
    assert all(text[o : o + len(p)] == p for o, p in pieces)
    assert all(len(p) <= 500 for _, p in pieces if "." not in p)
    assert max(len(p) for _, p in pieces) <= 500 + len("Short one. ")


def test_the_pipeline_keeps_the_bounds_on_pathological_text() -> None:
    """Real spaCy model: a 14.5 KB capitalised run (once a 14.5 KB entity key), a giant token and
    one letter repeated give no entity over the name limit and no sentence over the sentence limit."""
    from nlp.pipeline import analyze

    limits = Limits.from_settings()
    run = " ".join(["Harbor", "Street", "Gang", "Task", "Force"] * 500)
    texts = [f"The report names {run} as the crew.", "Contact " + "x" * 15_000 + "@example.com today.",
             "A" * 20_000]
    for i, text in enumerate(texts):
        parsed = ParsedDocument(document=DocumentRecord(id=f"d{i}", path=f"d{i}.txt", filename=f"d{i}.txt"), text=text)
        result = analyze(parsed)
        assert all(len(e.name) <= limits.name for e in result.entities)
        assert all(len(e.key.encode()) <= limits.key_bytes for e in result.entities)
        assert all(len(m.text) <= limits.name for e in result.entities for m in e.mentions)
        assert all(len(s.text) <= limits.sentence for s in result.sentences)
        assert result.sentences, "the text was analysed"
