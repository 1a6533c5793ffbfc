"""Working hours: when a non-urgent message the system schedules by itself may reach a person.

A team works `work_start`..`work_end` (wall-clock time in the team's timezone) on `work_days`
(Monday = 0). Outside that window only urgent messages and times a person chose themselves go out.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.errors import InvalidInput
from domain.model import Team

DEFAULT_START = time(9, 0)
DEFAULT_END = time(21, 0)
DEFAULT_DAYS = "012345"  # Mon..Sat


def local(at: datetime, tz: str) -> datetime:
    return at.astimezone(ZoneInfo(tz))


def at_local(day: date, wall: time, tz: str) -> datetime:
    """The UTC moment of wall-clock `wall` on `day` in `tz`."""
    return datetime.combine(day, wall, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def is_working_day(day: date, team: Team) -> bool:
    return day.weekday() in team.weekdays


def is_working_time(at: datetime, team: Team) -> bool:
    here = local(at, team.timezone)
    return is_working_day(here.date(), team) and team.work_start <= here.time() < team.work_end


def working_window(day: date, team: Team) -> tuple[datetime, datetime] | None:
    """The UTC start and end of the team's working hours on local `day`, None on a day off."""
    if not is_working_day(day, team) or team.work_start >= team.work_end:
        return None
    return at_local(day, team.work_start, team.timezone), at_local(day, team.work_end, team.timezone)


def next_working_moment(at: datetime, team: Team) -> datetime:
    """`at` itself when it falls in working hours, else the start of the next working window (UTC)."""
    if not team.weekdays or team.work_start >= team.work_end:
        return at  # no usable window configured: never hold a message back forever
    if is_working_time(at, team):
        return at
    day = local(at, team.timezone).date()
    for offset in range(8):
        window = working_window(day + timedelta(days=offset), team)
        if window is not None and window[0] > at:
            return window[0]
    return at  # unreachable with at least one working day


def day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    """UTC start (inclusive) and end (exclusive) of the local calendar day (23 or 25 hours on DST days)."""
    return at_local(day, time(0), tz), at_local(day + timedelta(days=1), time(0), tz)


def day_start(at: datetime, tz: str, hour: int = 0) -> datetime:
    return at_local(local(at, tz).date(), time(hour), tz)


def validate_working_hours(start: time, end: time, days: str) -> tuple[time, time, str]:
    """Normalised (start, end, days) or InvalidInput("error-working-hours")."""
    cleaned = "".join(sorted(set(days)))
    if not cleaned or any(ch not in "0123456" for ch in cleaned):
        raise InvalidInput("error-working-hours")
    if start >= end:
        raise InvalidInput("error-working-hours")
    return start, end, cleaned
