"""The Neo4j driver, created once, with errors turned into one clear line for users."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from neo4j import Driver, GraphDatabase, ManagedTransaction, Session
from neo4j.exceptions import AuthError, DatabaseUnavailable, Neo4jError, ServiceUnavailable, SessionExpired

from casegraph.core.errors import Neo4jUnavailableError
from casegraph.core.settings import Settings, get_settings
from graph.statements import schema_statements

log = logging.getLogger(__name__)

_lock = threading.Lock()
_drivers: dict[tuple[str, str, str, bool], Driver] = {}
# Reads serve people waiting at a screen: fail fast. Writes ride out a server restart.
READ_RETRY_SECONDS = 3.0


def unreachable_message(settings: Settings, exc: Exception) -> str:
    hint = "start it with `casegraph neo4j start`" if settings.embedded else "check NEO4J_URI and that the server is up"
    return f"cannot reach Neo4j at {settings.bolt_uri} ({type(exc).__name__}): {hint}"


def refused_query_message(exc: Exception) -> str | None:
    """One line for a query the database refused (syntax, constraint, timeout); None for any other error."""
    if isinstance(exc, Neo4jError):
        return f"the database refused the query: {exc.message or exc.code}"
    return None


def get_driver(settings: Settings | None = None, *, read_only: bool = False) -> Driver:
    """One driver per (uri, user, password, purpose): drivers pool connections and are thread-safe."""
    settings = settings or get_settings()
    key = (settings.bolt_uri, settings.neo4j_user, settings.password(), read_only)
    with _lock:
        driver = _drivers.get(key)
        if driver is None:
            driver = GraphDatabase.driver(
                settings.bolt_uri,
                auth=(settings.neo4j_user, key[2]),
                max_transaction_retry_time=READ_RETRY_SECONDS if read_only else settings.neo4j_retry_seconds,
                connection_acquisition_timeout=30.0,
                connection_timeout=5.0,
                notifications_min_severity="OFF",
            )
            _drivers[key] = driver
        return driver


def close_drivers() -> None:
    with _lock:
        for driver in _drivers.values():
            driver.close()
        _drivers.clear()


@contextmanager
def session(settings: Settings | None = None, *, read_only: bool = False) -> Iterator[Session]:
    settings = settings or get_settings()
    driver = get_driver(settings, read_only=read_only)
    try:
        with driver.session(database=settings.neo4j_database,
                            default_access_mode="READ" if read_only else "WRITE") as s:
            yield s
    # DatabaseUnavailable: a server shutting down or starting still answers, but refuses work.
    except (ServiceUnavailable, SessionExpired, DatabaseUnavailable, OSError) as exc:
        raise Neo4jUnavailableError(unreachable_message(settings, exc)) from exc
    except AuthError as exc:
        raise Neo4jUnavailableError(f"Neo4j at {settings.bolt_uri} refused the credentials: "
                                    "check NEO4J_USER / NEO4J_PASSWORD") from exc


def read(query: str, params: dict[str, Any] | None = None, settings: Settings | None = None) -> list[dict[str, Any]]:
    """Run a parameterised read query in a read transaction and return plain dicts."""

    def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
        return [r.data() for r in tx.run(query, params or {})]

    with session(settings, read_only=True) as s:
        return s.execute_read(work)


def write(query: str, params: dict[str, Any] | None = None, settings: Settings | None = None) -> list[dict[str, Any]]:
    def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
        return [r.data() for r in tx.run(query, params or {})]

    with session(settings) as s:
        return s.execute_write(work)


def apply_schema(settings: Settings | None = None) -> int:
    """Create constraints and indexes (idempotent: `IF NOT EXISTS`) and wait for them to come online."""
    statements = schema_statements()
    with session(settings) as s:
        for stmt in statements:
            s.run(stmt).consume()
        s.run("CALL db.awaitIndexes(120)").consume()
    log.debug("schema applied: %d statements", len(statements))
    return len(statements)


def server_version(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    try:
        driver = get_driver(settings, read_only=True)
        driver.verify_connectivity()
        records, _, _ = driver.execute_query("CALL dbms.components() YIELD versions RETURN versions[0] AS v",
                                             database_=settings.neo4j_database, routing_="r")
        return str(records[0]["v"])
    except (ServiceUnavailable, SessionExpired, OSError) as exc:
        raise Neo4jUnavailableError(unreachable_message(settings, exc)) from exc
    except AuthError as exc:
        raise Neo4jUnavailableError(f"Neo4j at {settings.bolt_uri} refused the credentials") from exc


def counts(settings: Settings | None = None) -> dict[str, int]:
    """Node and relationship counts by label / type: used by status, tests and benchmarks."""
    rows = read(
        "CALL { MATCH (n) UNWIND labels(n) AS k RETURN k, count(*) AS c "
        "UNION ALL MATCH ()-[r]->() RETURN type(r) AS k, count(*) AS c } RETURN k, sum(c) AS c",
        settings=settings,
    )
    return {r["k"]: int(r["c"]) for r in rows}
