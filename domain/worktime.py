"""Working hours: when a non-urgent message the system schedules by itself may reach a person.

A team works `work_start`..`work_end` (wall-clock time in the team's timezone) on `work_days`
(Monday = 0). Outside that window only urgent messages and times a person chose themselves go out.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.errors import InvalidInput
from domain.team.model import Team
from domain.timeparse import normalise

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


_RANGE_SEP = r"\s*(?:-|–|—|~|到|至|to)\s*"
_HOURS = re.compile(rf"(\d{{1,2}})(?:\s*[:点]\s*(\d{{2}}))?\s*点?{_RANGE_SEP}(\d{{1,2}})(?:\s*[:点]\s*(\d{{2}}))?\s*点?")
_CN_DAYS = re.compile(rf"(?:周|星期|礼拜)([1-7]){_RANGE_SEP}(?:周|星期|礼拜)?([1-7])")
_EN_DAY = r"(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
_EN_DAYS = re.compile(rf"\b{_EN_DAY}{_RANGE_SEP}{_EN_DAY}")
_EN_INDEX = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_ALL_DAYS = re.compile(r"每天|天天|daily|every ?day|7 ?days")
_WEEKDAYS = re.compile(r"工作日|weekdays")


def _day_span(first: int, last: int) -> str:
    if first <= last:
        return "".join(str(d) for d in range(first, last + 1))
    return "".join(str(d) for d in [*range(first, 7), *range(0, last + 1)])  # Sat-Mon wraps the week


def parse_working_hours(text: str, days: str = DEFAULT_DAYS) -> tuple[time, time, str] | None:
    """`09:00-18:00 周一至周五`, `9点到18点 周一到周六`, `8:30-17:30 mon-fri`, `9-21 每天`: (start, end,
    days) validated, or None. Without days the given `days` stay."""
    try:
        cleaned = normalise(text)
        match = _HOURS.search(cleaned)
        if match is None:
            return None
        start = time(int(match.group(1)), int(match.group(2) or 0))
        end_hour, end_minute = int(match.group(3)), int(match.group(4) or 0)
        end = time.max.replace(second=0, microsecond=0) if (end_hour, end_minute) == (24, 0) else time(end_hour, end_minute)
        rest = cleaned[: match.start()] + " " + cleaned[match.end():]
        if found := _ALL_DAYS.search(rest):
            days = "0123456"
        elif found := _WEEKDAYS.search(rest):
            days = "01234"
        elif found := _CN_DAYS.search(rest):
            days = _day_span(int(found.group(1)) - 1, int(found.group(2)) - 1)
        elif found := _EN_DAYS.search(rest):
            days = _day_span(_EN_INDEX[found.group(1)], _EN_INDEX[found.group(2)])
        if found is not None:
            rest = rest[: found.start()] + rest[found.end():]
        if rest.strip(" ,"):
            return None  # something we did not understand: ask rather than guess
        return validate_working_hours(start, end, days)
    except (ValueError, InvalidInput):
        return None

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
