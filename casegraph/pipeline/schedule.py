"""`--schedule "every 15 minutes"`: run an ingest again and again, with APScheduler (cron is the
alternative, see docs/operations.md)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime, timedelta

from apscheduler.events import EVENT_JOB_REMOVED, EVENT_JOB_SUBMITTED, JobEvent
from apscheduler.executors.debug import DebugExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

log = logging.getLogger(__name__)

UNITS = {"second": 1, "sec": 1, "s": 1, "minute": 60, "min": 60, "m": 60, "hour": 3600, "h": 3600,
         "day": 86400, "d": 86400}
ALIASES = {"hourly": "every hour", "daily": "every day", "minutely": "every minute"}
_EVERY = re.compile(r"^\s*every\s+(?:(\d+(?:\.\d+)?)\s*)?([a-z]+?)s?\s*$", re.IGNORECASE)
JOB = "scheduled-ingest"


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


class _Until(BaseTrigger):
    """An interval trigger that fires no more once `stop` is set: APScheduler then drops the job."""

    def __init__(self, interval: IntervalTrigger):
        self.interval = interval
        self.stop = False

    def get_next_fire_time(self, previous: datetime | None, now: datetime) -> datetime | None:
        return None if self.stop else self.interval.get_next_fire_time(previous, now)


def run_every(seconds: float, job: Callable[[], object], runs: int | None = None,
              fired: list[datetime] | None = None) -> int:
    """Run `job` now and then every `seconds`, start to start, until `runs` runs (None: until
    Ctrl-C); a run longer than the interval is followed at once by the next (missed starts are
    coalesced into one). `fired` collects the scheduled start times. Returns the number of runs.

    The job runs in this thread (APScheduler's direct executor), so Ctrl-C interrupts it as it
    would an unscheduled ingest, and an exception from it stops the schedule and is raised here."""
    scheduler = BlockingScheduler(executors={"default": DebugExecutor()},
                                  job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None})
    interval = IntervalTrigger(seconds=seconds)
    trigger = _Until(interval)
    done = 0
    failure: list[BaseException] = []

    def once() -> None:
        nonlocal done
        try:
            job()
        except BaseException as exc:  # Ctrl-C included: APScheduler would log and swallow it
            failure.append(exc)
            trigger.stop = True
            return
        done += 1
        trigger.stop = runs is not None and done >= runs
        if not trigger.stop:
            log.info("next scheduled ingest in %.0f s", seconds)

    def submitted(event: JobEvent) -> None:
        if fired is not None:
            fired.extend(event.scheduled_run_times)  # type: ignore[attr-defined]

    scheduler.add_listener(submitted, EVENT_JOB_SUBMITTED)
    # The job is dropped once its trigger has no next time: the schedule is over.
    scheduler.add_listener(lambda _event: scheduler.shutdown(wait=False), EVENT_JOB_REMOVED)
    scheduler.add_job(once, trigger, id=JOB, next_run_time=datetime.now(interval.timezone))
    scheduler.start()
    if failure:
        raise failure[0]
    return done


def interval_of(fired: list[datetime]) -> list[timedelta]:
    """The gaps between consecutive scheduled starts."""
    return [b - a for a, b in zip(fired, fired[1:], strict=False)]
