"""The sweeps and digests as periodic jobs: thin calls into domain services with `now` from the clock.

Later features add their sweep (hand-off deadlines, overdue payments, stale deals, ticket SLAs) to
SWEEPS and their digests (a manager's daily/weekly digest) to DIGESTS; nothing else changes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial
from typing import Any

from bot.app import App, Periodic
from domain.digests import DigestReport, DigestSchedule, send_due_digests
from domain.followup.nudges import ESCALATION_SWEEP
from domain.followup.silence import SILENCE_SWEEP
from domain.handoffs.services import HANDOFF_SWEEP
from domain.pool.services import RECYCLE_SWEEP
from domain.reminders.agenda import DAILY_AGENDA
from domain.reminders.services import REMINDER_SWEEP
from domain.sweeps import Sweep, SweepReport, sweep

log = logging.getLogger(__name__)

SWEEPS: list[Sweep[Any]] = [REMINDER_SWEEP, HANDOFF_SWEEP, RECYCLE_SWEEP, ESCALATION_SWEEP, SILENCE_SWEEP]
DIGESTS: list[DigestSchedule] = [DAILY_AGENDA]
# Digests are checked every minute: each team's own local time decides who is due.
DIGEST_CHECK_SECONDS = 60.0


async def run_sweeps(app: App, sweeps: Sequence[Sweep[Any]] | None = None) -> list[SweepReport]:
    reports = []
    for kind in SWEEPS if sweeps is None else sweeps:
        reports.append(await sweep(app.uow, kind, app.clock.now()))
    return reports


async def run_digests(app: App, schedules: Sequence[DigestSchedule] | None = None) -> DigestReport:
    return await send_due_digests(app.uow, DIGESTS if schedules is None else schedules, app.clock.now())


def install_sweeps(app: App) -> None:
    async def sweep_job(kind: Sweep[Any]) -> None:
        try:
            await sweep(app.uow, kind, app.clock.now())
        except Exception:  # the database is away, say: the next tick tries again
            log.exception("sweep %s failed", kind.name)

    async def digest_job() -> None:
        try:
            await run_digests(app)
        except Exception:
            log.exception("digest check failed")

    for kind in SWEEPS:
        app.periodic.append(
            Periodic(name=f"sweep:{kind.name}", seconds=app.settings.sweep_interval_seconds, run=partial(sweep_job, kind))
        )
    app.periodic.append(Periodic(name="digests", seconds=DIGEST_CHECK_SECONDS, run=digest_job))
