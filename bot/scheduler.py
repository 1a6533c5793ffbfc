"""APScheduler as a clock only: every job is a thin call into a service; state lives in the database.

The jobs come from `app.periodic` (the outbox dispatcher, the sweeps, the every-minute digest check).
Digests follow each team's own timezone because the domain decides who is due at `now`; the
scheduler itself runs in UTC and knows nothing about teams.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.factory import App


def start_scheduler(app: App, *, first_run_in: float = 1.0) -> AsyncIOScheduler:
    """Starts every periodic job `first_run_in` seconds from now (the bot is up by then), then at its interval."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    first = datetime.now(UTC) + timedelta(seconds=first_run_in)
    for job in app.periodic:
        scheduler.add_job(
            job.run, IntervalTrigger(seconds=job.seconds, timezone=UTC), id=job.name, name=job.name,
            # One run at a time per job; a late tick is merged, never queued up behind a slow one.
            max_instances=1, coalesce=True, misfire_grace_time=max(1, int(job.seconds)),
            next_run_time=first,
        )
    scheduler.start()
    return scheduler
