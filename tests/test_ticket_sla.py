"""The SLA clocks of a ticket (domain/tickets/sla.py) in the team's working time: nights, weekends and the
time a ticket waits for the customer do not count; the marks (75%, 100%, 2x) come at the right moments."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.team.model import Team
from domain.tickets.sla import SlaClock, working_minutes_between
from domain.worktime import add_working_minutes, at_local

TZ = "Asia/Shanghai"
OFFICE = Team(name="华东销售部", timezone=TZ, work_start=time(9), work_end=time(18), work_days="01234")  # Mon-Fri
DEFAULT = Team(name="默认")  # 09:00-21:00 Mon-Sat

FRIDAY = date(2026, 11, 27)
MONDAY = date(2026, 11, 30)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return at_local(day, time(hour, minute), TZ)


def test_friday_evening_to_monday_morning_is_two_working_hours() -> None:
    assert working_minutes_between(at(FRIDAY, 17), at(MONDAY, 10), OFFICE) == 120
    assert working_minutes_between(at(FRIDAY, 19), at(MONDAY, 9), OFFICE) == 0  # all of it off hours
    assert working_minutes_between(at(MONDAY, 10), at(FRIDAY, 17), OFFICE) == 0  # backwards: nothing


def test_a_p1_opened_friday_afternoon_is_due_monday_and_its_marks_skip_the_weekend() -> None:
    clock = SlaClock(limit=60, since=at(FRIDAY, 17, 30))
    assert clock.due(OFFICE) == at(MONDAY, 9, 30)
    assert clock.next_check(0, OFFICE) == at(MONDAY, 9, 15)  # 75%: 30 minutes on Friday, 15 on Monday
    assert clock.next_check(1, OFFICE) == at(MONDAY, 9, 30)  # 100%
    assert clock.next_check(2, OFFICE) == at(MONDAY, 10, 30)  # 2x
    assert clock.next_check(3, OFFICE) is None
    assert clock.stage(at(FRIDAY, 20), OFFICE) == 0  # the weekend counts nothing
    assert clock.stage(at(MONDAY, 9, 15), OFFICE) == 1
    assert clock.stage(at(MONDAY, 9, 40), OFFICE) == 2
    assert clock.stage(at(MONDAY, 11), OFFICE) == 3
    assert clock.left(at(MONDAY, 9), OFFICE) == 30


def test_waiting_for_the_customer_pauses_the_clock_and_it_runs_on_from_where_it_stopped() -> None:
    clock = SlaClock(limit=8 * 60, since=at(FRIDAY, 10))  # resolve within 8 working hours
    paused = clock.pause(at(FRIDAY, 16), OFFICE)  # 6 hours used, then the customer is asked
    assert paused.used == 360 and not paused.running
    assert paused.consumed(at(MONDAY, 17), OFFICE) == 360  # nothing counts while waiting
    assert paused.due(OFFICE) is None and paused.next_check(1, OFFICE) is None
    resumed = paused.resume(at(MONDAY, 14))  # the customer answered on Monday afternoon
    assert resumed.due(OFFICE) == at(MONDAY, 16)  # the 2 hours left
    assert resumed.next_check(1, OFFICE) == at(MONDAY, 16)
    assert resumed.stage(at(MONDAY, 14), OFFICE) == 1  # 75% was passed before the pause already
    assert resumed.resume(at(MONDAY, 15)) is resumed  # resuming a running clock changes nothing


moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=200, deadline=None)
@given(start=moments, minutes=st.integers(min_value=0, max_value=20 * 60 * 12))
def test_counting_working_minutes_undoes_adding_them(start: datetime, minutes: int) -> None:
    for team in (OFFICE, DEFAULT):
        assert working_minutes_between(start, add_working_minutes(start, minutes, team), team) == minutes


@settings(max_examples=200, deadline=None)
@given(
    start=moments, run=st.integers(min_value=0, max_value=30 * 24 * 60), wait=st.integers(min_value=0, max_value=30 * 24 * 60),
    later=st.integers(min_value=0, max_value=30 * 24 * 60), limit=st.integers(min_value=1, max_value=5000),
)
def test_a_pause_of_any_length_adds_nothing_and_the_due_moment_keeps_what_was_left(
    start: datetime, run: int, wait: int, later: int, limit: int
) -> None:
    paused_at = start + timedelta(minutes=run)
    resumed_at = paused_at + timedelta(minutes=wait)
    clock = SlaClock(limit, since=start).pause(paused_at, OFFICE)
    resumed = clock.resume(resumed_at)
    used_before = working_minutes_between(start, paused_at, OFFICE)
    assert resumed.consumed(resumed_at, OFFICE) == used_before
    now = resumed_at + timedelta(minutes=later)
    assert resumed.consumed(now, OFFICE) == used_before + working_minutes_between(resumed_at, now, OFFICE)
    due = resumed.due(OFFICE)
    if used_before <= limit:
        assert due is not None and resumed.consumed(due, OFFICE) == limit
        assert resumed.stage(due, OFFICE) >= 2 and (due == resumed_at or resumed.stage(due - timedelta(minutes=1), OFFICE) < 2)
    else:
        assert due is None and resumed.stage(resumed_at, OFFICE) >= 2  # it was late before the pause
