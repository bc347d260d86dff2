"""A nickname only the roster knows, through the real NLP pipeline: without the roster the mention
stays its own entity; with it, it links to (and is keyed as) the rostered person."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from casegraph.core.models import DocumentRecord, DocumentResult, ParsedDocument
from casegraph.core.settings import Settings, get_settings
from casegraph.exchange.roster import read_roster
from nlp.kb import import_entries, kb_path
from tests.factories.paths import REPO

TEXT = "Detectives arrested Hector Chivo Salinas in Fresno. Witnesses said Chivo sold heroin to Lisa Moore."
ROSTER = "name,aliases,gang\nHector Salinas,Chivo,Rancho Locos\n"


def _analyse(monkeypatch: pytest.MonkeyPatch, kb: Path) -> DocumentResult:
    from nlp.loader import add_casegraph_components, load_base
    from nlp.pipeline import analyze

    monkeypatch.setenv("CASEGRAPH_KB_PATH", str(kb))
    # The realcases-trained model (built by `make setup`): base en_core_web_md labels the nickname ORG here.
    trained = REPO / ".casegraph" / "models" / "casegraph_ner"
    if trained.is_dir():
        monkeypatch.setenv("CASEGRAPH_SPACY_MODEL", str(trained))
    get_settings.cache_clear()
    try:
        nlp = add_casegraph_components(load_base(), linking=True, coref=None)
        record = DocumentRecord(id=hashlib.sha256(TEXT.encode()).hexdigest(), path="tip.txt", filename="tip.txt")
        return analyze(ParsedDocument(document=record, text=TEXT), nlp=nlp)
    finally:
        monkeypatch.delenv("CASEGRAPH_KB_PATH")
        get_settings.cache_clear()


def test_a_rostered_nickname_links_to_the_person(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = Settings(work_dir=tmp_path / "plain")
    import_entries([], "empty", plain)
    before = _analyse(monkeypatch, kb_path(plain))
    assert not any(e.name == "Hector Salinas" for e in before.entities)

    rostered = Settings(work_dir=tmp_path / "rostered")
    roster = tmp_path / "gangunit.csv"
    roster.write_text(ROSTER)
    (person,) = [e for e in read_roster(roster) if e.type == "PERSON"]
    import_entries(read_roster(roster), "roster-gangunit", rostered)
    after = _analyse(monkeypatch, kb_path(rostered))
    linked = [e for e in after.entities if e.kb_id == person.kb_id]
    assert linked, [(e.name, e.type, e.kb_id) for e in after.entities]
    assert any(m.text == "Chivo" for e in linked for m in e.mentions)
