"""Shared fixtures and the CI skip rule.

One real Neo4j for the whole test session, emptied before each test that asks for `graph_db`. With
NEO4J_URI set (and NEO4J_PASSWORD) the suite uses that server; otherwise it starts the embedded
server in a temporary home on free ports, sharing the jar cache of the checkout.

In CI (`CI=true`) a skipped test is a failure: CI has every required dependency and ../shared/data,
so a skip there means a test silently did not run. Only tests marked `optional_coref` (the optional
`coref` extra: fastcoref + torch) may skip; the summary lists them.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from typing import Any

import pytest

from tests.factories.database import wipe
from tests.factories.paths import REPO

os.environ.setdefault("DO_NOT_TRACK", "1")
# The suite tests the dashboard and the API as they were before logins (auth off, loopback only);
# the tests of login, tokens and roles turn auth on in their own settings (tests/unit/access,
# tests/integration/test_login.py).
os.environ.setdefault("CASEGRAPH_AUTH", "off")

OPTIONAL_MARKER = "optional_coref"
_optional_skips = pytest.StashKey[list[tuple[str, str]]]()


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _skip_reason(report: pytest.CollectReport | pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_optional_skips] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report: pytest.TestReport = yield
    if not report.skipped or hasattr(report, "wasxfail"):
        return report
    if item.get_closest_marker(OPTIONAL_MARKER) is not None:
        item.config.stash[_optional_skips].append((item.nodeid, _skip_reason(report)))
    elif in_ci():
        report.outcome = "failed"
        report.longrepr = f"a required test skipped in CI (CI=true): {_skip_reason(report)}"
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, Any, Any]:
    # A module that skips as a whole (pytest.skip(allow_module_level=True), importorskip at import)
    # has no items to carry a marker: in CI that is a failure too. Optional modules skip through a
    # `skipif` mark next to their `optional_coref` mark instead.
    report: pytest.CollectReport = yield
    if report.skipped and in_ci():
        report.outcome = "failed"
        report.longrepr = f"a required test module skipped in CI (CI=true): {_skip_reason(report)}"
    return report


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    skipped = config.stash.get(_optional_skips, [])
    if not skipped:
        return
    terminalreporter.write_sep("-", f"optional skips ({OPTIONAL_MARKER}): {len(skipped)}")
    for nodeid, reason in skipped:
        terminalreporter.write_line(f"{nodeid}: {reason}")


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
    wipe(neo4j_settings)
    return neo4j_settings
