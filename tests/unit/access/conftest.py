"""A fresh access store (a real SQLite file) per test; the three users are made once per session
(argon2 hashing is slow on purpose) and their store copied for each test."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from casegraph.access import AccessStore, open_path
from casegraph.access import users as u
from casegraph.access.policy import Role

PASSWORD = "correct horse battery"
PEOPLE = [("vera", Role.VIEWER), ("anna", Role.ANALYST), ("root", Role.ADMIN)]


@pytest.fixture(scope="session")
def _people_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    template = open_path(tmp_path_factory.mktemp("access-template") / "access.db")
    for name, role in PEOPLE:
        u.add(template, name, role, PASSWORD)
    return template.path


@pytest.fixture()
def store(tmp_path: Path) -> AccessStore:
    return open_path(tmp_path / "access.db")


@pytest.fixture()
def people(_people_store: Path, tmp_path: Path) -> dict[str, u.User]:
    # The template's content copied into this test's store (SQLite's online backup: WAL-safe).
    store = open_path(tmp_path / "access.db")
    with closing(sqlite3.connect(_people_store)) as src, closing(sqlite3.connect(store.path)) as dst:
        src.backup(dst)
    return {name: u.get(store, name) for name, _ in PEOPLE}
