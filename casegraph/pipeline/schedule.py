"""`--schedule "every 15 minutes"`: run an ingest again and again (cron is the alternative, see docs)."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

UNITS = {"second": 1, "sec": 1, "s": 1, "minute": 60, "min": 60, "m": 60, "hour": 3600, "h": 3600,
         "day": 86400, "d": 86400}
ALIASES = {"hourly": "every hour", "daily": "every day", "minutely": "every minute"}
_EVERY = re.compile(r"^\s*every\s+(?:(\d+(?:\.\d+)?)\s*)?([a-z]+?)s?\s*$", re.IGNORECASE)


class ScheduleError(ValueError):
    pass


def parse_schedule(text: str) -> float:
    """Seconds between runs: "every 15 minutes", "every hour", "every 30 s", "daily"."""
    text = ALIASES.get(text.strip().lower(), text)
    match = _EVERY.match(text)
    unit = match.group(2).lower() if match else ""
    if not match or unit not in UNITS:
        raise ScheduleError(f"cannot read schedule {text!r}: use e.g. 'every 15 minutes', 'every 2 hours', 'daily'")
    seconds = float(match.group(1) or 1) * UNITS[unit]
    if seconds <= 0:
        raise ScheduleError(f"schedule {text!r} has no interval")
    return seconds


def run_every(seconds: float, job: Callable[[], object], runs: int | None = None,
              sleep: Callable[[float], None] = time.sleep) -> int:
    """Run `job` now and then every `seconds` (measured start to start; a run longer than the
    interval is followed at once by the next). Returns the number of runs."""
    done = 0
    while runs is None or done < runs:
        started = time.monotonic()
        job()
        done += 1
        if runs is not None and done >= runs:
            break
        wait = seconds - (time.monotonic() - started)
        if wait > 0:
            log.info("next scheduled ingest in %.0f s", wait)
            sleep(wait)
    return done
