"""Hand-off deadlines in working minutes, in the team's own timezone (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, time

from domain.team.model import Team
from domain.worktime import add_working_minutes

SHANGHAI = Team(name="华东", timezone="Asia/Shanghai")  # 09:00-21:00, Monday to Saturday


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_inside_working_hours_it_is_plain_minutes() -> None:
    assert add_working_minutes(utc(2026, 11, 26, 2, 0), 30, SHANGHAI) == utc(2026, 11, 26, 2, 30)


def test_the_evening_carries_over_to_the_next_working_morning() -> None:
    # Thursday 20:50 in Shanghai: 10 minutes tonight, 20 more from Friday 09:00.
    assert add_working_minutes(utc(2026, 11, 26, 12, 50), 30, SHANGHAI) == utc(2026, 11, 27, 1, 20)


def test_sunday_is_skipped() -> None:
    # Saturday 20:50 -> Monday 09:20.
    assert add_working_minutes(utc(2026, 11, 28, 12, 50), 30, SHANGHAI) == utc(2026, 11, 30, 1, 20)


def test_a_request_at_night_starts_counting_in_the_morning() -> None:
    # Wednesday 23:30 in Shanghai -> Thursday 09:30.
    assert add_working_minutes(utc(2026, 11, 25, 15, 30), 30, SHANGHAI) == utc(2026, 11, 26, 1, 30)


def test_more_than_a_working_day() -> None:
    # 12 working hours a day: 13 hours from Thursday 10:00 is Friday 11:00.
    assert add_working_minutes(utc(2026, 11, 26, 2, 0), 13 * 60, SHANGHAI) == utc(2026, 11, 27, 3, 0)


def test_other_timezones_count_their_own_hours() -> None:
    london = Team(name="London", timezone="Europe/London", work_start=time(9), work_end=time(17), work_days="01234")
    # Friday 16:45 in London (UTC in winter): 15 minutes on Friday, 15 on Monday.
    assert add_working_minutes(utc(2026, 11, 27, 16, 45), 30, london) == utc(2026, 11, 30, 9, 15)


def test_a_team_without_working_hours_counts_plain_minutes() -> None:
    nowhere = Team(name="x", work_days="")
    assert add_working_minutes(utc(2026, 11, 26, 2, 0), 30, nowhere) == utc(2026, 11, 26, 2, 30)
