"""The sweeps and digests as periodic jobs: thin calls into domain services with `now` from the clock.

Later features add their sweep (hand-off deadlines, overdue payments, stale deals, ticket SLAs) to
SWEEPS and their digests (a manager's daily/weekly digest) to DIGESTS; nothing else changes.

Housekeeping runs here too: the record of handled updates (processed_updates) is kept for
UPDATE_RETENTION and deleted in batches, oldest first.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from functools import partial
from typing import Any

from bot.app import App, Periodic
from domain.assist.services import ASSIST_SWEEP
from domain.contracts.sweeps import PAYMENT_SWEEP, SIGNING_SWEEP
from domain.delivery.services import DELIVERY_SWEEP
from domain.digests import DigestReport, DigestSchedule, send_due_digests
from domain.followup.nudges import ESCALATION_SWEEP
from domain.followup.silence import SILENCE_SWEEP
from domain.handoffs.services import HANDOFF_SWEEP
from domain.pool.services import RECYCLE_SWEEP
from domain.quotes.approvals import APPROVAL_SWEEP
from domain.quotes.lifecycle import EXPIRY_SWEEP
from domain.reminders.agenda import DAILY_AGENDA
from domain.reminders.services import REMINDER_SWEEP
from domain.renewals.services import RENEWAL_SWEEP
from domain.reports.digests import REPORT_DIGESTS
from domain.sweeps import Sweep, SweepReport, sweep
from domain.tickets.services import TICKET_SWEEP
from storage.updates_repo import SqlProcessedUpdates

log = logging.getLogger(__name__)

# Silence before recycling: after a pause (a restart, a clock moved on) the manager still hears of a
# silent deal before it goes back to the pool.
SWEEPS: list[Sweep[Any]] = [
    REMINDER_SWEEP, HANDOFF_SWEEP, ESCALATION_SWEEP, SILENCE_SWEEP, RECYCLE_SWEEP, APPROVAL_SWEEP, EXPIRY_SWEEP,
    SIGNING_SWEEP, PAYMENT_SWEEP,
    TICKET_SWEEP, DELIVERY_SWEEP, RENEWAL_SWEEP, ASSIST_SWEEP,
]
DIGESTS: list[DigestSchedule] = [DAILY_AGENDA, *REPORT_DIGESTS]
# Digests are checked every minute: each team's own local time decides who is due.
DIGEST_CHECK_SECONDS = 60.0
# Telegram redelivers an update for a day at most; a week of handled update ids is plenty to dedupe.
UPDATE_RETENTION = timedelta(days=7)
PRUNE_EVERY_SECONDS = 600.0
PRUNE_BATCH = 1000  # rows per transaction, so a big backlog never holds a long lock
PRUNE_MAX_BATCHES = 100  # per run: 100,000 rows every 10 minutes, far above Telegram's update rate


async def run_sweeps(app: App, sweeps: Sequence[Sweep[Any]] | None = None) -> list[SweepReport]:
    reports = []
    for kind in SWEEPS if sweeps is None else sweeps:
        reports.append(await sweep(app.uow, kind, app.clock.now()))
    return reports


async def run_digests(app: App, schedules: Sequence[DigestSchedule] | None = None) -> DigestReport:
    return await send_due_digests(app.uow, DIGESTS if schedules is None else schedules, app.clock.now())


async def prune_processed_updates(
    app: App, *, batch: int = PRUNE_BATCH, max_batches: int = PRUNE_MAX_BATCHES
) -> int:
    """Deletes the handled-update records older than UPDATE_RETENTION, `batch` rows per transaction;
    returns how many went."""
    before = app.clock.now() - UPDATE_RETENTION
    pruned = 0
    for _ in range(max_batches):
        async with app.uow() as uow:
            assert uow.session is not None
            gone = await SqlProcessedUpdates(uow.session).prune(before, batch)
            await uow.commit()
        pruned += gone
        if gone < batch:
            break
    if pruned:
        log.info("pruned %d processed update records", pruned)
    return pruned


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
            Periodic(
                name=f"sweep:{kind.name}", seconds=app.settings.sweep_interval_seconds, run=partial(sweep_job, kind),
                leased=True,
            )
        )
    async def prune_job() -> None:
        try:
            await prune_processed_updates(app)
        except Exception:
            log.exception("pruning processed updates failed")

    app.periodic.append(Periodic(name="digests", seconds=DIGEST_CHECK_SECONDS, run=digest_job, leased=True))
    # Not after every console line: it has nothing to show there (!wait runs it with the rest).
    app.periodic.append(Periodic(name="prune:updates", seconds=PRUNE_EVERY_SECONDS, run=prune_job, in_console=False, leased=True))
