"""Shared fixtures: one real Neo4j for the whole test session, wiped between tests.

With NEO4J_URI set (and NEO4J_PASSWORD) the suite uses that server; otherwise it starts the
embedded server in a temporary home on free ports, sharing the jar cache of the checkout.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

os.environ.setdefault("DO_NOT_TRACK", "1")




@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from casegraph.core.settings import Settings
    from graph import server
    from graph.db import apply_schema, close_drivers

    if os.environ.get("NEO4J_URI"):
        settings = Settings()
        apply_schema(settings)
        yield settings
        close_drivers()
        return
    with server.temporary_server(Settings(cache_dir=REPO / ".casegraph" / "cache")) as settings:
        yield settings


@pytest.fixture()
def graph_db(neo4j_settings: object) -> object:
    """The session's Neo4j, emptied before the test (the schema stays)."""
    from graph.db import session

    # CALL { } IN TRANSACTIONS needs an auto-commit transaction, hence session.run.
    with session(neo4j_settings) as s:  # type: ignore[arg-type]
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    return neo4j_settings
