"""APScheduler as a clock only: every job is a thin call into a service; state lives in the database.

The jobs come from `app.periodic` (the outbox dispatcher, the sweeps, the every-minute digest check).
Digests follow each team's own timezone because the domain decides who is due at `now`; the
scheduler itself runs in UTC and knows nothing about teams.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.app import Periodic
from bot.factory import App
from storage import leases

log = logging.getLogger(__name__)


def lease_ttl(job: Periodic) -> timedelta:
    """How long a leased job stays with one instance without a renewal: three of its periods."""
    return timedelta(seconds=max(30.0, job.seconds * 3))


def timed(app: App, job: Periodic) -> Callable[[], Awaitable[bool]]:
    """The job, timed for /metrics and noted for /healthz (the scheduler is ticking). A leased job runs
    only in the instance that holds its lease; the others skip it (False)."""

    async def run() -> bool:
        if job.leased:
            try:
                held = await leases.take(app.engine, job.name, app.instance, app.clock.now(), lease_ttl(job))
            except Exception:
                log.exception("could not take the lease on %s; the next tick tries again", job.name)
                return False
            if not held:
                app.metrics.last_run[job.name] = app.clock.now()  # someone else runs it: still ticking
                return False
        started = time.perf_counter()
        try:
            await job.run()
        finally:
            app.metrics.periodic_seconds.labels(job.name).observe(time.perf_counter() - started)
            app.metrics.last_run[job.name] = app.clock.now()
        return True

    return run


# First runs this far apart, the most frequent job first. All at once, the ~17 jobs' first ticks checked out
# four pooled connections together (on SQLite each one its own thread and its own copy of the schema,
# ~4 MB of the idle process between them) and then every 30 s burst on the database at the same instant,
# beside the updates; spread, they take turns on one connection and their ticks stay spread.
APART_SECONDS = 0.2


def start_scheduler(app: App, *, first_run_in: float = 1.0, apart: float = APART_SECONDS) -> AsyncIOScheduler:
    """Starts the periodic jobs from `first_run_in` seconds from now (the bot is up by then), `apart` seconds
    apart with the most frequent first, then each at its interval."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    first = datetime.now(UTC) + timedelta(seconds=first_run_in)
    for i, job in enumerate(sorted(app.periodic, key=lambda job: job.seconds)):
        scheduler.add_job(
            timed(app, job), IntervalTrigger(seconds=job.seconds, timezone=UTC), id=job.name, name=job.name,
            # One run at a time per job; a late tick is merged, never queued up behind a slow one.
            max_instances=1, coalesce=True, misfire_grace_time=max(1, int(job.seconds)),
            next_run_time=first + timedelta(seconds=i * apart),
        )
    scheduler.start()
    return scheduler
