"""Working hours: when a non-urgent message the system schedules by itself may reach a person."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.model import Team


def local(at: datetime, tz: str) -> datetime:
    return at.astimezone(ZoneInfo(tz))


def is_working_time(at: datetime, team: Team) -> bool:
    here = local(at, team.timezone)
    return here.weekday() in team.weekdays and team.work_start <= here.time() < team.work_end


def next_working_moment(at: datetime, team: Team) -> datetime:
    """`at` itself when it falls in working hours, else the start of the next working window (UTC)."""
    if not team.weekdays:
        return at
    if is_working_time(at, team):
        return at
    zone = ZoneInfo(team.timezone)
    here = at.astimezone(zone)
    day = here.date()
    for offset in range(8):
        candidate_day = day + timedelta(days=offset)
        if candidate_day.weekday() not in team.weekdays:
            continue
        start = datetime.combine(candidate_day, team.work_start, tzinfo=zone)
        if start > here:
            return start.astimezone(UTC)
    return at  # unreachable with at least one working day


def day_start(at: datetime, tz: str, hour: int = 0) -> datetime:
    here = local(at, tz)
    return datetime.combine(here.date(), time(hour), tzinfo=ZoneInfo(tz)).astimezone(UTC)
