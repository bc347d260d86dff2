"""Russian NER with the real natasha models: types, offsets, normalised names, phrase lists."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from nlp.russian import RussianAnalysis, analyze_russian, location_type, person_name, russian_sentences
from tests.factories.paths import REPO  # noqa: E402

REPORT = (
    "Следователь допросил Иванову Анну Сергеевну. Позже Иванова уехала в Санкт-Петербург. "
    "Сотрудники ФСБ России и ООО «Ромашка» встретились с Юрием Лужковым на Тверской площади. "
    "У Смирнова изъяли пистолет Макарова и 50 граммов героина."
)


@pytest.fixture(scope="module")
def report() -> RussianAnalysis:
    return analyze_russian(REPORT)


def _by_type(analysis: RussianAnalysis, entity_type: str) -> list[tuple[str, str]]:
    return [(m.text, m.normalized) for m in analysis.mentions if m.type == entity_type]


def test_offsets_point_into_the_text(report: RussianAnalysis) -> None:
    assert report.mentions
    for m in report.mentions:
        assert REPORT[m.start : m.end] == m.text
    assert report.mentions == sorted(report.mentions)


def test_people_are_found_and_normalised_to_the_nominative(report: RussianAnalysis) -> None:
    people = _by_type(report, "PERSON")
    assert ("Иванову Анну Сергеевну", "Иванова Анна Сергеевна") in people
    assert ("Иванова", "Иванова") in people
    assert ("Юрием Лужковым", "Юрий Лужков") in people
    assert ("Смирнова", "Смирнов") in people


def test_inflected_surnames_give_one_normalised_name() -> None:
    female = analyze_russian("Иванова пришла домой. Мы встретили Иванову вчера. Я позвонила Ивановой.")
    assert [m.normalized for m in female.mentions if m.type == "PERSON"] == ["Иванова"] * 3
    male = analyze_russian("Иванов пришёл домой. Мы встретили Иванова вчера. Я позвонил Иванову.")
    assert [m.normalized for m in male.mentions if m.type == "PERSON"] == ["Иванов"] * 3


def test_organisations_and_locations(report: RussianAnalysis) -> None:
    orgs = _by_type(report, "ORG")
    assert ("ФСБ", "ФСБ") in orgs
    assert ("Ромашка", "Ромашка") in orgs  # the legal form "ООО" is not part of the name
    assert ("России", "Россия") in _by_type(report, "GPE")
    assert ("Санкт-Петербург", "Санкт-Петербург") in _by_type(report, "GPE")
    assert ("Тверской площади", "Тверская площадь") in _by_type(report, "LOC")


def test_phrase_lists_replace_the_model_span_they_cover(report: RussianAnalysis) -> None:
    assert ("пистолет Макарова", "пистолет Макарова") in _by_type(report, "WEAPON")
    assert ("героина", "героин") in _by_type(report, "DRUG")
    assert all(m.source == "pattern" for m in report.mentions if m.type in {"WEAPON", "DRUG"})
    assert all(m.source == "model" for m in report.mentions if m.type in {"PERSON", "ORG", "GPE", "LOC"})
    assert "Макарова" not in [m.text for m in report.mentions if m.type == "PERSON"]


def test_lists_and_transliterations_are_split() -> None:
    text = "На встрече были Джошуа Вольф (Joshua Wolf) и хоккеисты Овечкин, Фёдоров."
    people = [m.text for m in analyze_russian(text).mentions if m.type == "PERSON"]
    assert "Joshua Wolf" in people and "Джошуа Вольф" in people
    assert not any("(" in p or "," in p for p in people)


def test_sentences(report: RussianAnalysis) -> None:
    assert len(report.sentences) == 4
    assert [REPORT[s:e][:12] for s, e in report.sentences] == [
        "Следователь ",
        "Позже Иванов",
        "Сотрудники Ф",
        "У Смирнова и",
    ]
    assert russian_sentences(REPORT) == report.sentences


def test_a_section_of_a_mixed_file_is_analysed_in_place() -> None:
    english = "Statement of the witness, translated below.\n\n"
    text = english + "Свидетель Петров видел Марию Иванову у дома.\n\nEnd of statement."
    start, end = len(english), text.index("\n\nEnd")
    analysis = analyze_russian(text, start, end)
    assert [(text[m.start : m.end], m.normalized) for m in analysis.mentions] == [
        ("Петров", "Петров"),
        ("Марию Иванову", "Мария Иванова"),
    ]
    assert analysis.sentences == [(start, end)]


def test_empty_text() -> None:
    assert analyze_russian("") == RussianAnalysis(sentences=[], mentions=[])
    assert analyze_russian("   \n ") == RussianAnalysis(sentences=[], mentions=[])


def test_person_name_agreement_and_location_type() -> None:
    assert person_name("Петров Анна Сергеевна") == "Петрова Анна Сергеевна"
    assert person_name("Барак Обамы") == "Барак Обама"
    assert person_name("Юрий Долгорукому") == "Юрий Долгорукий"
    assert person_name("Кими Райкконена") == "Кими Райкконена"  # unknown words are left alone
    assert location_type("Тверская площадь") == "LOC"
    assert location_type("река Волга") == "LOC"
    assert location_type("Ростовская область") == "GPE"


OFFLINE_SCRIPT = """
import json, socket

def refuse(*args, **kwargs):
    raise OSError("network access attempted")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

from nlp.language import detect_language
from nlp.russian import analyze_russian

text = "Следователь допросил Иванову в Москве. Изъят героин."
print(json.dumps({
    "lang": detect_language(text, ["en", "ru", "uk"]),
    "mentions": [[m.type, m.normalized] for m in analyze_russian(text).mentions],
}, ensure_ascii=False))
"""


def test_models_load_and_run_with_the_network_refused() -> None:
    """natasha, pymorphy and lingua models all come from the installed packages."""
    done = subprocess.run([sys.executable, "-c", OFFLINE_SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["lang"] == "ru"
    assert result["mentions"] == [["PERSON", "Иванова"], ["GPE", "Москва"], ["DRUG", "героин"]]
