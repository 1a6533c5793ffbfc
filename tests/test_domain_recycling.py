"""The recycling rule in plain Python (domain/pool/recycling.py): one working day forwards and back,
the recycle moment per stage, and the cutoffs the sweep and the /deals filter query with."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.deals.model import PIPELINE, Stage
from domain.errors import InvalidInput
from domain.policy.model import TeamPolicy
from domain.pool.recycling import (
    after_working_day,
    before_working_day,
    check_idle_limit,
    check_recycle_days,
    recycle_at,
    stage_cutoffs,
)
from domain.team.model import Team

SHANGHAI = Team(name="华东", timezone="Asia/Shanghai")  # 09:00–21:00 Mon–Sat
NEW_YORK = Team(name="NY", timezone="America/New_York", work_start=time(8, 30), work_end=time(17, 0), work_days="01234")
ONE_DAY = Team(name="周三", timezone="Europe/Berlin", work_start=time(10), work_end=time(12), work_days="2")
NO_HOURS = Team(name="无", work_days="")


def shanghai(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)


def test_one_working_day_after_an_alert() -> None:
    assert after_working_day(shanghai(12, 10, 10), SHANGHAI) == shanghai(12, 11, 10)  # Thursday -> Friday
    assert after_working_day(shanghai(12, 12, 10), SHANGHAI) == shanghai(12, 14, 10)  # Saturday -> Monday
    assert after_working_day(shanghai(12, 10, 23), SHANGHAI) == shanghai(12, 11, 21)  # at night: the next day's hours
    assert after_working_day(shanghai(12, 13, 12), SHANGHAI) == shanghai(12, 14, 21)  # on Sunday: Monday's hours
    at = datetime(2026, 3, 1, 12, tzinfo=UTC)
    assert after_working_day(at, NO_HOURS) == at + timedelta(days=1)


@pytest.mark.parametrize("team", [SHANGHAI, NEW_YORK, ONE_DAY], ids=lambda t: t.name)
def test_one_working_day_back_is_the_latest_moment_a_day_forward_reaches(team: Team) -> None:
    # Every 37 minutes over five weeks, across New York's change to summer time (8 March 2026).
    start = datetime(2026, 2, 23, tzinfo=UTC)
    for step in range(0, 5 * 7 * 24 * 60, 37):
        at = start + timedelta(minutes=step)
        back = before_working_day(at, team)
        assert after_working_day(back, team) <= at, (team.name, at, back)
        assert after_working_day(back + timedelta(minutes=1), team) > at, (team.name, at, back)


def test_the_recycle_moment_per_stage_and_with_a_set_number() -> None:
    since = shanghai(11, 26, 10)  # Thursday
    automatic = TeamPolicy(team_id=1)
    # following up: 7 days' silence nudges, 14 alert the manager, day 15 recycles
    assert recycle_at(since, Stage.FOLLOWING_UP, automatic, SHANGHAI) == shanghai(12, 11, 10)
    # qualified: alert on day 4 (Monday), recycled on Tuesday
    assert recycle_at(since, Stage.QUALIFIED, automatic, SHANGHAI) == shanghai(12, 1, 10)
    tuned = TeamPolicy(team_id=1, idle_days={"after_sales": 10}, recycle_days=30)
    assert recycle_at(since, Stage.QUALIFIED, tuned, SHANGHAI) == since + timedelta(days=30)
    # A set number never recycles before the manager's alert has had its working day.
    edge = TeamPolicy(team_id=1, recycle_days=60)  # after-sales: the alert comes on day 60 exactly
    assert recycle_at(since, Stage.AFTER_SALES, edge, SHANGHAI) == after_working_day(since + timedelta(days=60), SHANGHAI)


@pytest.mark.parametrize("policy", [TeamPolicy(team_id=1), TeamPolicy(team_id=1, recycle_days=61, idle_days={"delivery": 3})])
def test_the_cutoffs_say_due_exactly_when_the_recycle_moment_has_come(policy: TeamPolicy) -> None:
    now = shanghai(12, 14, 10, 30)  # Monday
    cutoffs = stage_cutoffs(now, policy, SHANGHAI)
    assert set(cutoffs) == set(PIPELINE)
    for stage, cutoff in cutoffs.items():
        due = cutoff - timedelta(microseconds=1)
        assert recycle_at(due, stage, policy, SHANGHAI) <= now
        assert recycle_at(cutoff, stage, policy, SHANGHAI) > now


def test_a_set_number_must_let_every_stage_alert_its_manager_first() -> None:
    policy = TeamPolicy(team_id=1)  # the longest limit: after-sales, 30 days
    check_recycle_days(policy, None)
    check_recycle_days(policy, 60)
    with pytest.raises(InvalidInput) as short:
        check_recycle_days(policy, 59)
    assert short.value.code == "error-recycle-too-short" and short.value.params == {"days": 59, "min": 60, "limit": 30}
    with pytest.raises(InvalidInput) as long:
        check_recycle_days(policy, 731)
    assert long.value.code == "error-policy-range"
    check_idle_limit(policy, 365)  # automatic: any limit
    set_ = TeamPolicy(team_id=1, recycle_days=60)
    check_idle_limit(set_, 30)
    with pytest.raises(InvalidInput) as over:
        check_idle_limit(set_, 31)
    assert over.value.code == "error-idle-over-recycle" and over.value.params == {"recycle": 60, "max": 30}
