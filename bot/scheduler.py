"""APScheduler as a clock only: every job is a thin call into a service; state lives in the database."""

from __future__ import annotations

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.factory import App


def start_scheduler(app: App) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="UTC")
    for job in app.periodic:
        scheduler.add_job(job.run, "interval", seconds=job.seconds, id=job.name, max_instances=1, coalesce=True)
    scheduler.start()
    return scheduler
