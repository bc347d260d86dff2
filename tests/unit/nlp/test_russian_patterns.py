"""Russian phrase lists (drugs, weapons, crimes) matched on lemmas with pymorphy2."""

from __future__ import annotations

import pytest

from casegraph.core.domain import load_domain
from nlp.patterns_ru import PATTERNS_DIR, load_phrases, match_phrases
from nlp.russian_morph import morph

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")


def _found(text: str) -> list[tuple[str, str, str]]:
    return [(text[m.start : m.end], m.type, m.canonical) for m in match_phrases(text)]


def test_lists_exist_for_the_custom_types_and_name_domain_types() -> None:
    types = {p.type for p in load_phrases()}
    assert {"DRUG", "WEAPON", "CRIME"} <= types
    domain = load_domain()
    assert all(domain.entity_type(t).custom for t in types)
    assert {p.stem for p in PATTERNS_DIR.glob("*.txt")} == {"drug", "weapon", "crime"}


def test_every_listed_phrase_matches_itself() -> None:
    for path in PATTERNS_DIR.glob("*.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            phrase = line.split("#", 1)[0].partition("=>")[0].strip()
            if not phrase:
                continue
            matches = match_phrases(phrase)
            assert len(matches) == 1, (path.name, phrase, matches)
            assert (matches[0].start, matches[0].end) == (0, len(phrase))
            assert matches[0].type == path.stem.upper()


@pytest.mark.parametrize("lemma,entity_type", [("героин", "DRUG"), ("пистолет", "WEAPON"), ("кража", "CRIME")])
def test_single_words_match_in_every_case(lemma: str, entity_type: str) -> None:
    noun = next(p for p in morph().parse(lemma) if p.tag.POS == "NOUN")
    for case in CASES:
        for number in ("sing", "plur"):
            form = noun.inflect({case, number})
            if form is None:
                continue
            text = f"Протокол: {form.word} изъят."
            assert _found(text) == [(form.word, entity_type, lemma)], (case, number)


def test_multi_word_phrases_match_inflected_and_longest_first() -> None:
    text = (
        "У задержанного изъяли пистолетом Макарова, обрез охотничьего ружья и 50 граммов мефедрона. "
        "Возбуждено дело о покушении на убийство и незаконном обороте наркотиков."
    )
    assert _found(text) == [
        ("пистолетом Макарова", "WEAPON", "пистолет Макарова"),
        ("обрез", "WEAPON", "обрез"),
        ("охотничьего ружья", "WEAPON", "охотничье ружьё"),
        ("мефедрона", "DRUG", "мефедрон"),
        ("покушении на убийство", "CRIME", "покушение на убийство"),
        ("незаконном обороте наркотиков", "CRIME", "незаконный оборот наркотиков"),
    ]


def test_aliases_fold_onto_their_canonical_name() -> None:
    assert _found("Нашли анашу и первитин, а также АК-47.") == [
        ("анашу", "DRUG", "марихуана"),
        ("первитин", "DRUG", "метамфетамин"),
        ("АК-47", "WEAPON", "автомат Калашникова"),
    ]
    assert _found("Изъят Glock-17, разбойным нападением руководил он.") == [
        ("Glock-17", "WEAPON", "Glock"),
        ("разбойным нападением", "CRIME", "разбой"),
    ]


def test_ordinary_text_and_partial_phrases_do_not_match() -> None:
    assert _found("Свидетель пришёл в отдел полиции в понедельник и дал показания.") == []
    # "незаконный оборот" alone is not a listed offence; "оборот" is not either.
    assert _found("Незаконный оборот товаров вырос.") == []


def test_given_tokens_keep_offsets_into_the_text() -> None:
    text = "Сбыт наркотиков. Героин!"
    tokens = [(0, 4, "Сбыт"), (5, 15, "наркотиков"), (15, 16, "."), (17, 24, "Героин!")]
    assert [(m.start, m.end, m.canonical) for m in match_phrases(text, tokens)] == [
        (0, 15, "сбыт наркотиков"),
        (17, 23, "героин"),
    ]


def test_phrases_do_not_match_across_punctuation() -> None:
    assert _found("Оборот вырос. Наркотиков не нашли, незаконный оборот. Наркотиков нет.") == []
    assert _found("Сбыт, наркотиков") == []
