"""The audit trail on a real SQLite file: entries chained by sha256, append-only triggers, and
`verify` (library and `casegraph audit verify`) catching a hand edit, a deleted entry and a cut tail."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from casegraph.access import Forbidden
from casegraph.access import audit as a
from casegraph.access.audit import Event
from casegraph.cli.audit import app as audit_cli
from casegraph.core import settings as settings_module

runner = CliRunner()


def _fill(store, people) -> None:
    a.authorize(store, people["vera"], Event.SEARCH, query="search_entities", params={"q": "mendez", "limit": 25},
                client="10.0.0.7")
    a.authorize(store, people["vera"], Event.ENTITY_VIEW, targets=["person:carlos mendez"], client="10.0.0.7")
    a.authorize(store, people["anna"], Event.DECISION, targets=["person:a", "person:b"], params={"kind": "merge"})
    a.record(store, user="root", action=Event.CONSOLE_QUERY, params={"cypher": "MATCH (n) RETURN n LIMIT $n",
                                                                      "n": 5}, client="::1")


def _tamper(store, sql: str, *args) -> None:
    """What someone with a shell and the sqlite3 tool could do: drop the triggers, then edit."""
    with sqlite3.connect(store.path) as conn:
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("DROP TRIGGER audit_no_delete")
        conn.execute(sql, args)


def test_entries_are_written_and_chained(store, people):
    _fill(store, people)
    entries = a.entries(store)
    assert [e.id for e in entries] == [1, 2, 3, 4]
    assert [e.action for e in entries] == ["search", "entity_view", "decision", "console_query"]
    first = entries[0]
    assert (first.user, first.query, first.params, first.client, first.allowed) == (
        "vera", "search_entities", {"q": "mendez", "limit": 25}, "10.0.0.7", True)
    assert entries[2].targets == ["person:a", "person:b"]
    assert first.prev_hash == a.GENESIS and all(e.prev_hash == p.hash for p, e in zip(entries, entries[1:],
                                                                                      strict=False))
    assert datetime.fromisoformat(first.time).tzinfo is not None  # UTC, with its offset
    verdict = a.verify(store)
    assert verdict.ok and verdict.checked == 4
    head = json.loads(store.head_path.read_text())
    assert head == {"id": 4, "hash": entries[-1].hash}


def test_viewer_refused_on_a_write_action_and_the_refusal_recorded(store, people):
    with pytest.raises(Forbidden, match="the viewer role may not do this: decision"):
        a.authorize(store, people["vera"], Event.DECISION, targets=["person:a"], params={"kind": "merge"})
    with pytest.raises(Forbidden):
        a.authorize(store, people["anna"], Event.CONSOLE_QUERY, params={"cypher": "MATCH (n) RETURN n"})
    with pytest.raises(Forbidden):
        a.authorize(store, None, Event.SEARCH)
    refused = a.entries(store)
    assert [(e.user, e.action, e.allowed) for e in refused] == [
        ("vera", "decision", False), ("anna", "console_query", False), ("anonymous", "search", False)]
    assert a.authorize(store, people["root"], Event.CONSOLE_QUERY).name == "root"


def test_log_is_append_only_through_sql(store, people):
    _fill(store, people)
    with sqlite3.connect(store.path) as conn:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE audit SET user = 'someone' WHERE id = 2")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM audit WHERE id = 2")
    assert a.verify(store).ok


def test_verify_finds_an_edited_entry(store, people):
    _fill(store, people)
    _tamper(store, "UPDATE audit SET targets = ? WHERE id = 2", json.dumps(["person:someone else"]))
    verdict = a.verify(store)
    assert not verdict.ok and verdict.entry_id == 2 and verdict.checked == 1
    assert "changed" in verdict.problem


def test_verify_finds_an_edit_that_recomputed_the_hash(store, people):
    _fill(store, people)
    e = a.entries(store)[1]
    forged = a.canonical(e.id, e.time, "anna", e.action, e.targets, e.query, e.params, e.client, e.allowed, e.prev_hash)
    import hashlib

    _tamper(store, "UPDATE audit SET user = 'anna', hash = ? WHERE id = 2", hashlib.sha256(forged).hexdigest())
    verdict = a.verify(store)
    assert not verdict.ok and verdict.entry_id == 3  # the next entry no longer follows it


def test_verify_finds_a_deleted_entry(store, people):
    _fill(store, people)
    _tamper(store, "DELETE FROM audit WHERE id = 2")
    verdict = a.verify(store)
    assert not verdict.ok and verdict.entry_id == 3 and "missing" in verdict.problem


def test_verify_finds_a_cut_off_tail_and_a_missing_head(store, people):
    _fill(store, people)
    _tamper(store, "DELETE FROM audit WHERE id >= 3")
    verdict = a.verify(store)
    assert not verdict.ok and "cut off" in verdict.problem and verdict.checked == 2
    store.head_path.unlink()
    assert "missing" in a.verify(store).problem


def test_empty_log_verifies(store):
    assert a.verify(store).ok and a.verify(store).checked == 0


def test_entries_by_user_since_and_csv(store, people, tmp_path):
    _fill(store, people)
    assert [e.action for e in a.entries(store, user="vera")] == ["search", "entity_view"]
    assert a.entries(store, since=datetime.now(UTC) + timedelta(minutes=1)) == []
    assert len(a.entries(store, since=datetime.now(UTC) - timedelta(minutes=5))) == 4
    assert [e.id for e in a.entries(store, limit=2)] == [3, 4]
    out = tmp_path / "audit.csv"
    assert a.export_csv(store, out, user="vera") == 2
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["action"] for r in rows] == ["search", "entity_view"]
    assert json.loads(rows[0]["params"]) == {"limit": 25, "q": "mendez"}
    assert rows[1]["targets"] == '["person:carlos mendez"]' and rows[0]["allowed"] == "True"


@pytest.fixture()
def cli_env(store, monkeypatch):
    monkeypatch.setenv("CASEGRAPH_ACCESS_DB", str(store.path))
    settings_module.get_settings.cache_clear()
    yield
    settings_module.get_settings.cache_clear()


def test_audit_cli_verify_show_export(store, people, cli_env, tmp_path):
    _fill(store, people)
    ok = runner.invoke(audit_cli, ["verify"])
    assert ok.exit_code == 0 and "intact: 4 entries" in ok.output
    shown = runner.invoke(audit_cli, ["show", "--user", "vera", "--since", "2000-01-01"])
    assert shown.exit_code == 0 and "entity_view" in shown.output and "decision" not in shown.output
    assert runner.invoke(audit_cli, ["show", "--since", "yesterday"]).exit_code == 2
    out = tmp_path / "all.csv"
    exported = runner.invoke(audit_cli, ["export", "--csv", str(out)])
    assert exported.exit_code == 0 and len(list(csv.DictReader(out.open()))) == 4

    _tamper(store, "UPDATE audit SET allowed = 0 WHERE id = 3")
    bad = runner.invoke(audit_cli, ["verify"])
    assert bad.exit_code == 1
    assert "NOT intact at entry 3" in bad.output and "changed after it was written" in bad.output


def test_concurrent_writers_keep_one_chain(store):
    # The dashboard serves on several threads and the API and the CLI write too: each entry must
    # still follow exactly one predecessor, and the head file name the last one.
    from concurrent.futures import ThreadPoolExecutor

    def write(worker: int) -> None:
        for i in range(20):
            a.record(store, user=f"user{worker}", action=Event.SEARCH, params={"i": i})

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(write, range(4)))
    verdict = a.verify(store)
    assert verdict.ok and verdict.checked == 80
    assert sorted(e.params["i"] for e in a.entries(store, user="user2")) == list(range(20))
