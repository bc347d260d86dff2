"""An agency roster into the real SQLite KB: nicknames, E.164 phones, gang affiliation, and a
re-import that replaces the roster's previous entries only."""

from __future__ import annotations

from pathlib import Path

import pytest

from casegraph.core.errors import CasegraphError
from casegraph.core.settings import Settings
from casegraph.exchange.roster import is_roster, read_roster
from nlp.kb import KnowledgeBase, import_entries, import_file, kb_path

ROSTER = ("name,type,aliases,birth_date,phones,gang,identifier\n"
          "Hector Salinas,person,Chivo|Cabrito,1991-04-02,(213) 555-0187,Rancho Locos,LAPD-4471\n"
          "Rancho Locos,group,RL13,,,,\n")


def test_roster_entries_link_by_nickname_and_reimport_replaces(tmp_path: Path) -> None:
    settings = Settings(work_dir=tmp_path / "work")
    roster = tmp_path / "gangunit.csv"
    roster.write_text(ROSTER)
    assert is_roster(roster)
    analyst = tmp_path / "analyst.csv"
    analyst.write_text("name,type,aliases\nMarta Quiroz,PERSON,La Jefa\n")
    assert not is_roster(analyst)
    import_file(analyst, settings)
    import_entries(read_roster(roster), "roster-gangunit", settings)
    kb = KnowledgeBase(kb_path(settings))
    (hit,) = kb.lookup("chivo", types={"PERSON"})
    assert hit.name == "Hector Salinas"
    facts = kb.facts(hit.kb_id)
    (gang,) = kb.lookup("RL13")
    assert facts == {"birth_date": ["1991-04-02"], "phones": ["+12135550187"], "identifiers": ["LAPD-4471"],
                     "member_of": [gang.kb_id]}
    kb.close()
    roster.write_text(ROSTER.replace("Chivo|Cabrito", "Cabrito"))  # the agency dropped a nickname
    import_entries(read_roster(roster), "roster-gangunit", settings)
    kb = KnowledgeBase(kb_path(settings))
    assert kb.lookup("chivo") == [] and kb.lookup("cabrito")[0].name == "Hector Salinas"
    assert kb.lookup("la jefa")[0].name == "Marta Quiroz"  # the analyst's own list is untouched
    kb.close()


def test_a_bad_phone_names_the_line(tmp_path: Path) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text("name,phones\nAna,12\n")
    with pytest.raises(CasegraphError, match=r"r\.csv:2: not a phone number"):
        read_roster(roster)
