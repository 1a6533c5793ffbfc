"""The scheduler is only a clock: it runs the app's periodic jobs at their intervals, one at a time."""

from __future__ import annotations

import asyncio
from itertools import pairwise
from types import SimpleNamespace
from typing import Any

from bot.factory import App, Periodic
from bot.scheduler import start_scheduler


async def test_periodic_jobs_run_as_interval_jobs_one_at_a_time() -> None:
    runs: list[str] = []
    running = 0
    overlapped = False

    async def slow() -> None:
        nonlocal running, overlapped
        running += 1
        overlapped = overlapped or running > 1
        runs.append("slow")
        await asyncio.sleep(0.15)  # longer than its interval: never two at once
        running -= 1

    async def quick() -> None:
        runs.append("quick")

    app: Any = SimpleNamespace(periodic=[Periodic("slow", 0.05, slow), Periodic("quick", 0.05, quick)])
    scheduler = start_scheduler(app, first_run_in=0)
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {"slow", "quick"}
        assert all(job.max_instances == 1 and job.coalesce for job in jobs.values())
        for _ in range(600):  # up to a minute on a very busy machine; usually a fraction of a second
            if runs.count("quick") >= 3 and runs.count("slow") >= 2:
                break
            await asyncio.sleep(0.1)
    finally:
        scheduler.shutdown(wait=False)
    assert runs.count("quick") >= 3 and runs.count("slow") >= 2
    assert not overlapped


async def test_first_runs_are_spread_the_most_frequent_job_first() -> None:
    async def job() -> None:
        pass

    app: Any = SimpleNamespace(periodic=[Periodic("sweep", 30, job), Periodic("digests", 60, job), Periodic("outbox", 3, job)])
    scheduler = start_scheduler(app, first_run_in=5, apart=0.25)
    try:
        firsts = sorted((job.next_run_time, job.id) for job in scheduler.get_jobs())
    finally:
        scheduler.shutdown(wait=False)
    assert [name for _, name in firsts] == ["outbox", "sweep", "digests"]
    assert [(b[0] - a[0]).total_seconds() for a, b in pairwise(firsts)] == [0.25, 0.25]


def test_the_app_schedules_the_sweeps_and_the_digest_check(app: App) -> None:
    jobs = {job.name: job for job in app.periodic}
    assert jobs["sweep:reminders"].seconds == app.settings.sweep_interval_seconds
    assert jobs["digests"].seconds == 60
