"""Cross-document resolution for an ingest run: what the graph knows, handed to the workers.

The parent reads the graph's entities, aliases, merges and splits once per run and writes them
to a snapshot file; each worker process builds one `nlp.resolution.Resolver` from it (workers are
separate processes and `nlp/` never talks to Neo4j)."""

from __future__ import annotations

import contextlib
import logging
import pickle
import sqlite3
import uuid
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from casegraph.core.settings import Settings
from graph.known import known_graph
from ingest.errors import WorkDirError

if TYPE_CHECKING:
    from nlp.resolution import Resolver

log = logging.getLogger(__name__)


def snapshot(settings: Settings) -> Path:
    """Write what resolution needs to know to a file the workers read; the caller deletes it."""
    from nlp.linking import ensure_kb

    known = known_graph(settings)
    try:
        kb_path = ensure_kb(settings) if settings.entity_linking else None
    except (OSError, sqlite3.Error) as exc:  # the KB is built atomically: a failed build leaves the old one
        raise WorkDirError(settings.work_dir, exc) from exc
    folder = settings.work_dir / "state"
    path = folder / f"known-{uuid.uuid4().hex}.pickle"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            pickle.dump({"entities": known.entities, "redirects": known.redirects, "splits": known.splits,
                         "kb_path": str(kb_path.resolve()) if kb_path else None}, fh)
    except OSError as exc:  # disk full, read-only: no half-written snapshot stays behind
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
        raise WorkDirError(settings.work_dir, exc) from exc
    log.debug("resolution snapshot: %d known entities", len(known.entities))
    return path.resolve()


@lru_cache(maxsize=1)
def resolver_for(path: str) -> Resolver:
    """One resolver per worker process and run (a new snapshot path means a new run)."""
    from nlp.resolution import run_resolver

    with open(path, "rb") as fh:
        data = pickle.load(fh)  # noqa: S301 - our own file, written by this run's parent process
    return run_resolver(data["entities"], data["redirects"], data["splits"],
                        Path(data["kb_path"]) if data["kb_path"] else None)
