"""`casegraph kb build` / `kb import`: a SQLite KB in spacy-entity-linker's schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from casegraph.cli.kb import app
from casegraph.core.errors import CasegraphError
from casegraph.core.settings import Settings
from nlp.kb import KnowledgeBase, build_kb, import_file, read_entries, seed_files
from nlp.kb.store import LOCAL_ID_BASE, item_id, kb_path


def test_seed_files_are_valid_and_cover_the_domains() -> None:
    entries = [e for f in seed_files() for e in read_entries(f)]
    types = {e.type for e in entries}
    assert {"DRUG", "GANG_ORG", "WEAPON", "ORG"} <= types
    names = {n.lower() for e in entries for n in e.names()}
    assert {"ice", "crystal meth", "ms-13", "mara salvatrucha", "fbi", "ak-47", "glock"} <= names
    assert len({e.kb_id for e in entries}) == len(entries)


def test_schema_is_what_the_linker_queries(tmp_path: Path) -> None:
    stats = build_kb(tmp_path / "kb.db")
    assert stats.entities > 100 and stats.aliases > stats.entities
    conn = sqlite3.connect(tmp_path / "kb.db")
    # spacy-entity-linker's own alias query (DatabaseConnection.get_entities_from_alias)
    rows = conn.execute(
        "SELECT j.item_id,j.en_label, j.en_description,j.views,j.inlinks,a.en_alias "
        "FROM aliases as a LEFT JOIN joined as j ON a.item_id = j.item_id "
        "WHERE a.en_alias_lowercase = ? AND j.item_id NOT NULL",
        ["crystal meth"],
    ).fetchall()
    assert [r[1] for r in rows] == ["methamphetamine"]
    assert rows[0][0] >= LOCAL_ID_BASE  # no Wikidata id claimed for it
    # the category walk (statements, P31) reaches the type item
    (target,) = conn.execute(
        "SELECT target_item_id FROM statements WHERE source_item_id = ? AND edge_property_id = 31", (rows[0][0],)
    ).fetchone()
    assert conn.execute("SELECT en_label FROM joined WHERE item_id = ?", (target,)).fetchone() == ("Drug",)
    # a seed with a Wikidata id keeps it as item id and as key
    kb = KnowledgeBase(tmp_path / "kb.db")
    (cocaine,) = kb.lookup("coke")
    assert (cocaine.kb_id, cocaine.item_id, cocaine.type) == ("Q41576", 41576, "DRUG")
    assert kb.lookup("ice", {"ORG"})[0].name == "U.S. Immigration and Customs Enforcement"
    assert kb.lookup("ice", {"DRUG"})[0].kb_id == "kb:drug:methamphetamine"


def test_ids_are_stable_across_builds(tmp_path: Path) -> None:
    build_kb(tmp_path / "a.db")
    build_kb(tmp_path / "b.db")
    dump = "SELECT item_id, kb_id FROM casegraph_entities ORDER BY item_id"
    a = sqlite3.connect(tmp_path / "a.db").execute(dump).fetchall()
    b = sqlite3.connect(tmp_path / "b.db").execute(dump).fetchall()
    assert a == b and item_id("kb:drug:methamphetamine") == item_id("kb:drug:methamphetamine")


def test_import_analyst_lists_and_rebuild_keeps_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEGRAPH_WORK_DIR", str(tmp_path / "work"))
    monkeypatch.delenv("CASEGRAPH_KB_PATH", raising=False)
    from casegraph.core.settings import get_settings

    get_settings.cache_clear()
    try:
        csv_list = tmp_path / "crew.csv"
        csv_list.write_text(
            "name,type,aliases,description\n"
            "Los Primos,GANG_ORG,Primos|LP crew,Local distribution crew (analyst list)\n"
            "methamphetamine,DRUG,cristal|hielo,\n",
            encoding="utf-8",
        )
        jsonl_list = tmp_path / "people.jsonl"
        jsonl_list.write_text('{"name": "Carlos Mendez", "type": "PERSON", "aliases": ["Flaco"]}\n', encoding="utf-8")
        runner = CliRunner()
        assert runner.invoke(app, ["import", str(csv_list)]).exit_code == 0
        result = runner.invoke(app, ["import", str(jsonl_list)])
        assert result.exit_code == 0, result.output
        result = runner.invoke(app, ["build"])
        assert result.exit_code == 0, result.output
        assert "GANG_ORG" in result.output
        kb = KnowledgeBase(kb_path())
        assert kb.lookup("LP crew")[0].kb_id == "kb:gang_org:los-primos"
        assert kb.lookup("hielo")[0].kb_id == "kb:drug:methamphetamine"  # merged into the seed entry
        assert kb.lookup("ice", {"DRUG"})[0].kb_id == "kb:drug:methamphetamine"  # seed aliases kept
        assert kb.lookup("flaco")[0].type == "PERSON"
        assert kb_path() == tmp_path / "work" / "kb" / "casegraph_kb.db"
    finally:
        get_settings.cache_clear()


def test_bad_rows_name_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,type,aliases\nGood Crew,GANG_ORG,\nSome Thing,SPACESHIP,\n", encoding="utf-8")
    with pytest.raises(CasegraphError, match=r"bad\.csv:3: type"):
        import_file(bad, Settings(work_dir=tmp_path / "w"))
    assert not (tmp_path / "w" / "kb" / "imports" / "bad.csv").exists()
    with pytest.raises(CasegraphError, match="wikidata"):
        read_entries(_write(tmp_path / "q.jsonl", '{"name": "x", "type": "DRUG", "wikidata": "cocaine"}\n'))


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
