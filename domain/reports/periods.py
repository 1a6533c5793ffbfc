"""Report periods in the team's time zone: [start, end) in UTC, from local midnights."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain.errors import DomainError
from domain.worktime import day_bounds, local

MAX_CUSTOM_DAYS = 366


class PeriodKind(enum.StrEnum):
    THIS_WEEK = "this_week"
    LAST_WEEK = "last_week"
    THIS_MONTH = "this_month"
    LAST_30_DAYS = "last_30_days"
    CUSTOM = "custom"
    YESTERDAY = "yesterday"  # the daily digest's


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    first_day: date  # local, inclusive
    last_day: date  # local, inclusive
    tz: str
    start: datetime  # UTC, inclusive: the first day's local midnight
    end: datetime  # UTC, exclusive: the local midnight after the last day

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def weeks(self) -> list[datetime]:
        """The UTC moments the period's weeks start at (its start, then each local Monday in it)."""
        starts = [self.start]
        day = self.first_day + timedelta(days=(7 - self.first_day.weekday()) % 7 or 7)
        while day <= self.last_day:
            starts.append(day_bounds(day, self.tz)[0])
            day += timedelta(days=7)
        return starts

    def previous(self) -> Period:
        """The period of the same length just before this one (week on week, month on month)."""
        if self.kind is PeriodKind.THIS_MONTH:
            last = self.first_day - timedelta(days=1)
            return between(last.replace(day=1), last, self.tz, PeriodKind.THIS_MONTH)
        span = timedelta(days=self.days)
        return between(self.first_day - span, self.last_day - span, self.tz, self.kind)


def between(first: date, last: date, tz: str, kind: PeriodKind = PeriodKind.CUSTOM) -> Period:
    if last < first:
        raise DomainError("error-report-period-backwards")
    if (last - first).days + 1 > MAX_CUSTOM_DAYS:
        raise DomainError("error-report-period-too-long")
    return Period(kind, first, last, tz, day_bounds(first, tz)[0], day_bounds(last, tz)[1])


def period_of(kind: PeriodKind, now: datetime, tz: str, first: date | None = None, last: date | None = None) -> Period:
    today = local(now, tz).date()
    monday = today - timedelta(days=today.weekday())
    match kind:
        case PeriodKind.THIS_WEEK:
            return between(monday, monday + timedelta(days=6), tz, kind)
        case PeriodKind.LAST_WEEK:
            return between(monday - timedelta(days=7), monday - timedelta(days=1), tz, kind)
        case PeriodKind.THIS_MONTH:
            nxt = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
            return between(today.replace(day=1), nxt - timedelta(days=1), tz, kind)
        case PeriodKind.LAST_30_DAYS:
            return between(today - timedelta(days=29), today, tz, kind)
        case PeriodKind.YESTERDAY:
            return between(today - timedelta(days=1), today - timedelta(days=1), tz, kind)
        case PeriodKind.CUSTOM:
            if first is None or last is None:
                raise DomainError("error-report-period-custom-needs-days")
            return between(first, last, tz, kind)
