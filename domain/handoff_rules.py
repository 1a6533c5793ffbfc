"""Hand-off deadlines count working minutes: a lead handed over at 20:50 on a Saturday with 30 minutes to
accept is due at 09:20 on Monday, not while everybody sleeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.model import Team
from domain.worktime import is_working_time, local, next_working_moment

# A generous bound on the windows walked through (a year of one-day weeks would be 52).
_MAX_WINDOWS = 400


def _window_end(at: datetime, team: Team) -> datetime:
    """The end (UTC) of the working window that `at` (a working moment) falls in."""
    day = local(at, team.timezone).date()
    return datetime.combine(day, team.work_end, tzinfo=ZoneInfo(team.timezone)).astimezone(UTC)


def add_working_minutes(start: datetime, minutes: int, team: Team) -> datetime:
    """The moment `minutes` of the team's working time after `start`.

    Time outside working hours does not count. A team without usable working hours (no working day,
    or a start not before the end) counts plain minutes, so a deadline is never pushed out forever.
    """
    if minutes <= 0:
        return start
    if not team.weekdays or team.work_start >= team.work_end:
        return start + timedelta(minutes=minutes)
    remaining = timedelta(minutes=minutes)
    at = next_working_moment(start, team)
    for _ in range(_MAX_WINDOWS):
        if not is_working_time(at, team):  # pragma: no cover - next_working_moment gave a working moment
            break
        end = _window_end(at, team)
        available = end - at
        if remaining <= available:
            return at + remaining
        remaining -= available
        at = next_working_moment(end, team)
    return start + timedelta(minutes=minutes)  # pragma: no cover - unreachable with a working window
