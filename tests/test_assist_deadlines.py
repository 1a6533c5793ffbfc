"""Cross-team help's deadlines in the team's working time (domain/assist/services.py): the four presets across
evenings and days off, and the colleague's reminder at 3/4 of the working time to the deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.assist.model import AssistState, Deadline, Question
from domain.assist.services import deadline_at, next_check, remind_at
from domain.team.model import Team

DEFAULT = Team(name="默认")  # 09:00-21:00 Mon-Sat, Shanghai


def sh(day: int, hour: int, minute: int = 0) -> datetime:
    """November 2026 in Shanghai: the 26th is a Thursday, the 29th a Sunday."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


def test_two_working_hours_run_over_the_night() -> None:
    assert deadline_at(Deadline.TWO_HOURS, sh(26, 10), DEFAULT) == sh(26, 12)
    assert deadline_at(Deadline.TWO_HOURS, sh(26, 20, 30), DEFAULT) == sh(27, 10, 30)
    assert deadline_at(Deadline.TWO_HOURS, sh(28, 22), DEFAULT) == sh(30, 11)  # Saturday night: Monday


def test_today_is_the_end_of_todays_working_hours_or_the_next_working_days_after_hours() -> None:
    assert deadline_at(Deadline.TODAY, sh(26, 10), DEFAULT) == sh(26, 21)
    assert deadline_at(Deadline.TODAY, sh(26, 22), DEFAULT) == sh(27, 21)
    assert deadline_at(Deadline.TODAY, sh(28, 21, 30), DEFAULT) == sh(30, 21)  # Sunday is off
    assert deadline_at(Deadline.TODAY, sh(29, 10), DEFAULT) == sh(30, 21)


def test_tomorrow_and_three_days_count_working_days() -> None:
    assert deadline_at(Deadline.TOMORROW, sh(26, 10), DEFAULT) == sh(27, 21)
    assert deadline_at(Deadline.TOMORROW, sh(28, 10), DEFAULT) == sh(30, 21)  # Saturday: Monday
    assert deadline_at(Deadline.THREE_DAYS, sh(26, 10), DEFAULT) == sh(30, 21)  # Fri, Sat, Mon
    assert deadline_at(Deadline.THREE_DAYS, sh(26, 22), DEFAULT) == datetime(2026, 12, 1, 13, tzinfo=UTC)


def test_the_reminder_comes_at_three_quarters_of_the_working_time() -> None:
    assert remind_at(sh(26, 10), sh(26, 12), DEFAULT) == sh(26, 11, 30)
    assert remind_at(sh(26, 20), sh(27, 21), DEFAULT) == sh(27, 17, 45)  # 13 working hours: 9h45 in, Friday 17:45
    assert remind_at(sh(26, 21, 30), sh(26, 21, 30), DEFAULT) == sh(26, 21, 30)  # no time left: at the deadline


def test_a_question_is_watched_until_answered_and_told_late_once() -> None:
    q = Question(team_id=1, asked_by=1, helper_id=2, company="华东科技", question="?", created_at=sh(26, 10),
                 due_at=sh(26, 12), remind_at=sh(26, 11, 30))
    assert next_check(q) == sh(26, 11, 30)
    q.nudge_stage = 1
    assert next_check(q) == sh(26, 12)
    q.nudge_stage = 2
    assert next_check(q) is None
    q.nudge_stage, q.state = 0, AssistState.ANSWERED
    assert next_check(q) is None
