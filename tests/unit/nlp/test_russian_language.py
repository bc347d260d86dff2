"""Offline language detection: whole documents and the sections of mixed files (real lingua)."""

from __future__ import annotations

from nlp.language import LanguageSpan, detect_language, document_language, split_by_language

ENGLISH = "The suspect was arrested in London on Monday and taken to the police station for questioning."
RUSSIAN = "Подозреваемый был задержан в Москве в понедельник. Он отказался давать показания следователю."
UKRAINIAN = "Підозрюваного затримали в Києві в понеділок. Він відмовився давати свідчення слідчому."


def _tiles(text: str, spans: list[LanguageSpan]) -> bool:
    return (
        bool(spans)
        and spans[0].start == 0
        and spans[-1].end == len(text)
        and all(a.end == b.start for a, b in zip(spans, spans[1:], strict=False))
    )


def test_detects_english_and_russian_documents() -> None:
    assert detect_language(ENGLISH) == "en"
    assert detect_language(RUSSIAN) == "ru"


def test_nothing_to_detect_gives_none() -> None:
    assert detect_language("") is None
    assert detect_language("  12.03.2024  \n\n 17:45 ") is None
    assert split_by_language("") == []


def test_mixed_file_is_split_into_language_sections() -> None:
    text = f"CASE 2024/117\n\n{ENGLISH}\n\n{RUSSIAN}\n\n12.03.2024\n\n{ENGLISH}"
    spans = split_by_language(text)
    assert [s.lang for s in spans] == ["en", "ru", "en"]
    assert _tiles(text, spans)
    assert document_language(text, spans) == "en"
    russian = text[spans[1].start : spans[1].end]
    assert RUSSIAN in russian and "London" not in russian
    # The short heading joins the section that follows it; the date line the one before.
    assert text[spans[0].start : spans[0].end].startswith("CASE 2024/117")
    assert "12.03.2024" in russian
    # The document's language is the one with most letters.
    assert detect_language(f"{ENGLISH}\n\n{RUSSIAN}\n\n{RUSSIAN}") == "ru"


def test_lines_are_sections_when_a_file_has_no_blank_lines() -> None:
    text = f"{ENGLISH}\n{RUSSIAN}\n{ENGLISH}"
    spans = split_by_language(text)
    assert [s.lang for s in spans] == ["en", "ru", "en"]
    assert _tiles(text, spans)


def test_short_fragment_is_judged_when_it_is_all_there_is() -> None:
    assert detect_language("Привет") == "ru"
    assert detect_language("Glock 17") == "en"


def test_language_set_is_configurable() -> None:
    # With Ukrainian among the candidates lingua tells the two Cyrillic languages apart ...
    assert detect_language(UKRAINIAN, ["en", "ru", "uk"]) == "uk"
    assert detect_language(RUSSIAN, ["en", "ru", "uk"]) == "ru"
    # ... and with the default pair Ukrainian falls to its nearest neighbour.
    assert detect_language(UKRAINIAN) == "ru"
