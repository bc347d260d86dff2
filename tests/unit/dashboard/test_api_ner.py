"""POST /api/ner with the real spaCy pipeline and the real Russian models (natasha, pymorphy):
offsets into the request text, types, keys as the graph would have them, language sections."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from casegraph.core.settings import Settings
from dashboard.api import create_api
from tests.factories.api import assert_error

ENGLISH = "Detective Carlos Mendez sold methamphetamine to Dana Price in Fresno."
RUSSIAN = ("Анна Иванова приехала в Москву. Позже полиция задержала Анну Иванову в Санкт-Петербурге "
           "с пистолетом Макарова.")
MIXED = ("Officer Dana Price interviewed the witness in Fresno.\n\n"
         "Свидетель Пётр Сидоров сообщил, что видел Анну Иванову у здания ООО «Ромашка».")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    # NER touches no database: the default settings, with uploads kept out of the checkout.
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"))
    with TestClient(create_api(settings), raise_server_exceptions=False) as c:
        yield c


def ner(client: TestClient, text: str) -> dict:
    response = client.post("/api/ner", json={"text": text})
    assert response.status_code == 200, response.text
    body = response.json()
    for e in body["entities"]:  # offsets point into the request text
        assert text[e["start"]:e["end"]] == e["text"], e
    return body


def by_text(body: dict) -> dict[str, dict]:
    return {e["text"]: e for e in body["entities"]}


def test_english(client):
    body = ner(client, ENGLISH)
    assert body["language"] == "en" and body["sections"] == [{"start": 0, "end": len(ENGLISH), "language": "en"}]
    found = by_text(body)
    carlos = found["Carlos Mendez"]
    assert (carlos["type"], carlos["label"], carlos["key"]) == ("PERSON", "Person", "person:carlos mendez")
    assert found["Dana Price"]["type"] == "PERSON"
    assert found["methamphetamine"]["type"] == "DRUG"
    assert found["Fresno"]["label"] == "Location"
    assert [e["start"] for e in body["entities"]] == sorted(e["start"] for e in body["entities"])
    assert body["sentences"] == 1
    assert any(r["source_key"] == "person:carlos mendez" and r["target_key"] == "person:dana price"
               for r in body["relations"])


def test_russian_names_are_lemmatised(client):
    body = ner(client, RUSSIAN)
    assert body["language"] == "ru"
    found = by_text(body)
    # "Анна Иванова" and "Анну Иванову" are one person, named in the nominative.
    assert found["Анна Иванова"]["key"] == found["Анну Иванову"]["key"] == "person:анна иванова"
    assert found["Анну Иванову"]["name"] == "Анна Иванова"
    assert (found["Москву"]["type"], found["Москву"]["name"]) == ("GPE", "Москва")
    assert found["Санкт-Петербурге"]["name"] == "Санкт-Петербург"
    assert found["пистолетом Макарова"]["type"] == "WEAPON"
    assert found["пистолетом Макарова"]["source"] == "pattern"
    assert body["sentences"] == 2


def test_mixed_text_is_routed_per_section(client):
    body = ner(client, MIXED)
    split = MIXED.index("Свидетель")
    assert [(s["language"], s["start"], s["end"]) for s in body["sections"]] == [
        ("en", 0, split), ("ru", split, len(MIXED))]
    found = by_text(body)
    assert found["Dana Price"]["type"] == "PERSON" and found["Fresno"]["type"] == "GPE"
    assert found["Пётр Сидоров"]["type"] == "PERSON"
    assert found["Анну Иванову"]["key"] == "person:анна иванова"
    assert found["Ромашка"]["type"] == "ORG"


def test_text_without_entities(client):
    for text in ("", "   \n ", "12.03.2024", "it was raining"):
        body = ner(client, text)
        assert body["entities"] == [] and body["relations"] == []
    assert ner(client, "")["language"] is None


def test_bad_requests(client):
    assert_error(client.post("/api/ner", json={}), 422, "invalid_request")
    assert_error(client.post("/api/ner", json={"text": 42}), 422, "invalid_request")
    assert_error(client.post("/api/ner", json={"text": "x", "lang": "en"}), 422, "invalid_request")
    assert_error(client.post("/api/ner", json=["text"]), 422, "invalid_request")
    assert_error(client.post("/api/ner", content=b"\xff\xfe", headers={"content-type": "application/json"}),
                 422, "invalid_request")
    assert_error(client.get("/api/ner"), 405, "method_not_allowed")
