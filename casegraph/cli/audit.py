"""`casegraph audit show|export|verify`: read and check the tamper-evident audit trail."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from casegraph.access.store import AccessStore

app = typer.Typer(no_args_is_help=True)

USER = typer.Option(None, "--user", help="Only this user's entries.")
SINCE = typer.Option(None, "--since", help="From this date or time on (ISO 8601, e.g. 2026-12-01 or "
                                           "2026-12-01T08:00; UTC unless an offset is given).")


def _since(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(f"not a date or time: {text!r} (e.g. 2026-12-01 or 2026-12-01T08:00)",
                                 param_hint="--since") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _store() -> AccessStore:
    from casegraph.access import open_store
    from casegraph.core.settings import get_settings

    return open_store(get_settings())


@app.command()
def show(user: str | None = USER, since: str | None = SINCE,
         limit: int = typer.Option(200, min=1, help="At most this many, the newest.")) -> None:
    """Entries, oldest first, one a line: id, time, user, action, allowed, targets, query, params, client."""
    from casegraph.access import audit

    for e in audit.entries(_store(), user=user, since=_since(since), limit=limit):
        parts = [f"#{e.id}", e.time[:19] + "Z", e.user, e.action, "allowed" if e.allowed else "REFUSED"]
        if e.targets:
            parts.append("targets=" + ",".join(e.targets))
        if e.query:
            parts.append(f"query={e.query}")
        if e.params:
            parts.append("params=" + json.dumps(e.params, ensure_ascii=False, sort_keys=True))
        if e.client:
            parts.append(f"from={e.client}")
        typer.echo(" ".join(parts))


@app.command()
def export(csv_path: Path = typer.Option(..., "--csv", help="Write the entries to this CSV file."),
           user: str | None = USER, since: str | None = SINCE) -> None:
    """Export entries to CSV (with their hashes, so the export can be checked later)."""
    from casegraph.access import audit

    count = audit.export_csv(_store(), csv_path, user=user, since=_since(since))
    typer.echo(f"wrote {count} entries to {csv_path}")


@app.command()
def verify() -> None:
    """Check the hash chain: exit 0 when intact, 1 with the first bad entry when not."""
    from casegraph.access import audit

    verdict = audit.verify(_store())
    if not verdict.ok:
        typer.secho(f"audit log NOT intact at entry {verdict.entry_id}: {verdict.problem} "
                    f"({verdict.checked} entries before it are intact)", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    typer.echo(f"audit log intact: {verdict.checked} entries")
