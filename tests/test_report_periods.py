"""Report periods in the team's time zone, and whose numbers a person may see."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.errors import DomainError, Forbidden
from domain.reports.periods import PeriodKind, between, period_of
from domain.reports.services import scope_for
from domain.team.model import Role, User

SH = "Asia/Shanghai"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_this_week_starts_at_local_monday_midnight() -> None:
    # Sunday 20:30 UTC is already Monday 04:30 in Shanghai: the new week.
    week = period_of(PeriodKind.THIS_WEEK, utc(2026, 11, 29, 20, 30), SH)
    assert (week.first_day, week.last_day) == (date(2026, 11, 30), date(2026, 12, 6))
    assert week.start == utc(2026, 11, 29, 16) and week.end == utc(2026, 12, 6, 16)
    last = period_of(PeriodKind.LAST_WEEK, utc(2026, 11, 29, 20, 30), SH)
    assert (last.first_day, last.last_day) == (date(2026, 11, 23), date(2026, 11, 29))
    assert (week.previous().start, week.previous().end) == (last.start, last.end)


def test_the_same_moment_is_another_day_elsewhere() -> None:
    moment = utc(2026, 11, 30, 23, 0)  # 1 Dec 07:00 in Shanghai, 30 Nov 15:00 in Los Angeles
    assert period_of(PeriodKind.THIS_MONTH, moment, SH).first_day == date(2026, 12, 1)
    la = period_of(PeriodKind.THIS_MONTH, moment, "America/Los_Angeles")
    assert (la.first_day, la.last_day) == (date(2026, 11, 1), date(2026, 11, 30))
    assert la.start == utc(2026, 11, 1, 7)  # PDT until 1 Nov 02:00 local
    assert la.end == utc(2026, 12, 1, 8)  # PST after


def test_month_last_30_days_yesterday_and_custom() -> None:
    now = utc(2026, 2, 10, 3)
    month = period_of(PeriodKind.THIS_MONTH, now, SH)
    assert (month.first_day, month.last_day, month.days) == (date(2026, 2, 1), date(2026, 2, 28), 28)
    assert month.previous().first_day == date(2026, 1, 1) and month.previous().last_day == date(2026, 1, 31)
    days30 = period_of(PeriodKind.LAST_30_DAYS, now, SH)
    assert (days30.first_day, days30.last_day) == (date(2026, 1, 12), date(2026, 2, 10))
    assert period_of(PeriodKind.YESTERDAY, now, SH).first_day == date(2026, 2, 9)
    custom = period_of(PeriodKind.CUSTOM, now, SH, date(2026, 1, 5), date(2026, 1, 5))
    assert custom.days == 1 and custom.weeks() == [custom.start]
    with pytest.raises(DomainError):
        between(date(2026, 2, 1), date(2026, 1, 1), SH)
    with pytest.raises(DomainError):
        between(date(2024, 1, 1), date(2026, 1, 1), SH)


def person(role: Role, team_id: int = 1, user_id: int = 7) -> User:
    user = User(telegram_id=user_id, name="x", role=role, team_id=team_id)
    user.id = user_id
    return user


def test_who_sees_which_numbers() -> None:
    assert scope_for(person(Role.REP), team_id=2).owner_id == 7  # a rep: their own, whatever they ask
    assert scope_for(person(Role.REP), team_id=None).team_id == 1
    assert scope_for(person(Role.MANAGER), team_id=None).team_id == 1
    with pytest.raises(Forbidden):
        scope_for(person(Role.MANAGER), team_id=2)
    with pytest.raises(Forbidden):
        scope_for(person(Role.MANAGER), team_id=None, whole_org=True)
    assert scope_for(person(Role.ADMIN), team_id=2).team_id == 2
    assert scope_for(person(Role.ADMIN), team_id=None, whole_org=True).whole_org
    with pytest.raises(Forbidden):
        scope_for(person(Role.FINANCE), team_id=None)
