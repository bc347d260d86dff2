"""`casegraph` run as a real process against the test Neo4j."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.factories.paths import CASEGRAPH


def cli_env(settings: Any) -> dict[str, str]:
    """The environment that points a `casegraph` process at the session's Neo4j."""
    env = dict(os.environ)
    env.update({"NEO4J_URI": settings.bolt_uri, "NEO4J_USER": settings.neo4j_user,
                "NEO4J_PASSWORD": settings.password(), "NEO4J_DATABASE": settings.neo4j_database,
                "DO_NOT_TRACK": "1"})
    return env


def ingest(paths: Sequence[Path | str], env: dict[str, str], *, prefix: Sequence[str] = (), timeout: float = 600,
           ) -> subprocess.CompletedProcess[str]:
    """`casegraph ingest PATHS --workers 1` in a new process (behind `prefix`: unshare, setpriv, …)."""
    return subprocess.run([*prefix, str(CASEGRAPH), "ingest", *map(str, paths), "--workers", "1"],
                          capture_output=True, text=True, env=env, timeout=timeout)


def last_line(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return lines[-1] if lines else ""
