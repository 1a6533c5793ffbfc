"""Digests on a schedule in each team's own timezone (the daily agenda now; manager digests later).

A job asks every minute which teams are due a digest: a team is due once its local clock has passed
the digest's time on a day it works, until its working day ends (a bot that was down at 09:00 still
sends the morning agenda at 09:40, not at 23:00). The team+kind+local date is claimed in the same
transaction as the messages it queues, so the digest goes out once per day, also on several instances.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from domain.ports import UnitOfWork
from domain.team.model import Team
from domain.worktime import is_working_day, local

log = logging.getLogger(__name__)


def at_work_start(team: Team) -> time:
    return team.work_start


@dataclass(frozen=True)
class DigestSchedule:
    kind: str
    # Queues the digest's messages for `team` on its local `day`; returns how many were queued.
    compose: Callable[[UnitOfWork, Team, date, datetime], Awaitable[int]]
    local_time: Callable[[Team], time] = at_work_start
    working_days_only: bool = True
    weekdays: frozenset[int] | None = None  # only on these local weekdays (Monday = 0), e.g. a weekly review


def due_day(schedule: DigestSchedule, team: Team, now: datetime) -> date | None:
    """The team-local date whose digest is due at `now`, None when none is."""
    here = local(now, team.timezone)
    if schedule.working_days_only and not is_working_day(here.date(), team):
        return None
    if schedule.weekdays is not None and here.weekday() not in schedule.weekdays:
        return None
    start = schedule.local_time(team)
    cutoff = team.work_end if team.work_end > start else time.max
    if not start <= here.time() < cutoff:
        return None
    return here.date()


@dataclass
class DigestReport:
    teams: int = 0  # team digests composed by this run
    messages: int = 0  # messages they queued


async def send_due_digests(
    new_uow: Callable[[], UnitOfWork], schedules: Sequence[DigestSchedule], now: datetime
) -> DigestReport:
    report = DigestReport()
    async with new_uow() as uow:
        teams = list(await uow.teams.list())
    for team in teams:
        assert team.id is not None
        for schedule in schedules:
            day = due_day(schedule, team, now)
            if day is None:
                continue
            try:
                async with new_uow() as uow:
                    if not await uow.digests.claim(team.id, schedule.kind, day, now):
                        continue  # done earlier today, or by another instance right now
                    queued = await schedule.compose(uow, team, day, now)
                    await uow.commit()
            except Exception:
                log.exception("digest %s for team %s on %s failed; retried next minute", schedule.kind, team.id, day)
                continue
            report.teams += 1
            report.messages += queued
            log.info("digest %s for team %s on %s: %d messages", schedule.kind, team.id, day, queued)
    return report
