"""Domain rules of time, on in-memory fakes: working hours, quick times, snoozes, the sweep framework
and the per-team digest schedule."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest

from domain.digests import DigestSchedule, due_day, send_due_digests
from domain.errors import AlreadyDone, Forbidden, InvalidInput
from domain.ports import UnitOfWork
from domain.reminders import services as service
from domain.reminders.model import QuickTime, ReminderState, Snooze
from domain.sweeps import Sweep, sweep
from domain.team.model import Role, Team, User
from domain.worktime import (
    day_bounds,
    is_working_time,
    next_working_moment,
    validate_working_hours,
    working_window,
)
from tests.fakes import START, FakeUnitOfWork

SHANGHAI = Team(name="华东", timezone="Asia/Shanghai", id=1)
BERLIN = Team(name="Berlin", timezone="Europe/Berlin", id=2)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- working hours ------------------------------------------------------------------------------

def test_working_hours_default_to_nine_to_nine_monday_to_saturday_in_team_time() -> None:
    assert is_working_time(utc(2026, 11, 26, 1, 0), SHANGHAI)  # Thu 09:00 Shanghai
    assert not is_working_time(utc(2026, 11, 26, 0, 59), SHANGHAI)  # 08:59
    assert not is_working_time(utc(2026, 11, 26, 13, 0), SHANGHAI)  # 21:00 is closing time
    assert is_working_time(utc(2026, 11, 28, 5, 0), SHANGHAI)  # Saturday 13:00
    assert not is_working_time(utc(2026, 11, 29, 5, 0), SHANGHAI)  # Sunday
    assert is_working_time(utc(2026, 11, 26, 8, 0), BERLIN)  # Thu 09:00 Berlin (UTC+1)
    assert not is_working_time(utc(2026, 11, 26, 1, 0), BERLIN)  # 02:00 in Berlin


def test_outside_hours_waits_for_the_next_window_in_the_teams_own_zone() -> None:
    # Thursday 22:00 Shanghai -> Friday 09:00 Shanghai
    assert next_working_moment(utc(2026, 11, 26, 14, 0), SHANGHAI) == utc(2026, 11, 27, 1, 0)
    # Saturday 21:30 Shanghai -> Monday 09:00 (Sunday is off)
    assert next_working_moment(utc(2026, 11, 28, 13, 30), SHANGHAI) == utc(2026, 11, 30, 1, 0)
    # Early Thursday in Berlin -> 09:00 Berlin the same day
    assert next_working_moment(utc(2026, 11, 26, 4, 0), BERLIN) == utc(2026, 11, 26, 8, 0)
    inside = utc(2026, 11, 26, 3, 17)
    assert next_working_moment(inside, SHANGHAI) == inside


def test_working_window_follows_summer_time() -> None:
    summer = working_window(date(2026, 7, 1), BERLIN)
    winter = working_window(date(2026, 12, 1), BERLIN)
    assert summer == (utc(2026, 7, 1, 7, 0), utc(2026, 7, 1, 19, 0))
    assert winter == (utc(2026, 12, 1, 8, 0), utc(2026, 12, 1, 20, 0))
    assert working_window(date(2026, 11, 29), BERLIN) is None  # Sunday


def test_custom_hours_and_days() -> None:
    team = Team(name="x", timezone="Asia/Shanghai", work_start=time(8, 30), work_end=time(17, 30), work_days="01234")
    # Friday 18:00 -> Monday 08:30
    assert next_working_moment(utc(2026, 11, 27, 10, 0), team) == utc(2026, 11, 30, 0, 30)
    assert validate_working_hours(time(8), time(18), "4321") == (time(8), time(18), "1234")
    with pytest.raises(InvalidInput):
        validate_working_hours(time(18), time(8), "012345")
    with pytest.raises(InvalidInput):
        validate_working_hours(time(8), time(18), "")


def test_a_local_day_is_23_or_25_hours_on_dst_days() -> None:
    start, end = day_bounds(date(2026, 10, 25), "Europe/Berlin")
    assert end - start == timedelta(hours=25)


# --- quick times and snoozes ----------------------------------------------------------------------

def test_quick_times_are_computed_in_the_teams_timezone() -> None:
    now = START  # Thursday 10:00 Shanghai, 03:00 Berlin
    assert service.quick_time(QuickTime.IN_1H, now + timedelta(seconds=30), SHANGHAI) == utc(2026, 11, 26, 3, 0)
    assert service.quick_time(QuickTime.TOMORROW, now, SHANGHAI) == utc(2026, 11, 27, 1, 0)
    assert service.quick_time(QuickTime.TOMORROW, now, BERLIN) == utc(2026, 11, 27, 8, 0)
    assert service.quick_time(QuickTime.IN_3D, now, SHANGHAI) == utc(2026, 11, 29, 2, 0)
    assert service.quick_time(QuickTime.NEXT_MONDAY, now, SHANGHAI) == utc(2026, 11, 30, 1, 0)
    monday_noon = utc(2026, 11, 30, 4, 0)
    assert service.quick_time(QuickTime.NEXT_MONDAY, monday_noon, SHANGHAI) == utc(2026, 12, 7, 1, 0)
    # "Tomorrow" is the team's tomorrow, whatever the date is in UTC.
    late = utc(2026, 11, 26, 15, 30)  # Thursday 23:30 Shanghai
    assert service.quick_time(QuickTime.TOMORROW, late, SHANGHAI) == utc(2026, 11, 27, 1, 0)


def test_snooze_choices() -> None:
    now = utc(2026, 11, 26, 6, 20)  # Thursday 14:20 Shanghai
    assert service.snooze_until(Snooze.HOUR, now, SHANGHAI) == utc(2026, 11, 26, 7, 20)
    assert service.snooze_until(Snooze.TOMORROW, now, SHANGHAI) == utc(2026, 11, 27, 1, 0)
    assert service.snooze_until(Snooze.THREE_DAYS, now, SHANGHAI) == utc(2026, 11, 29, 6, 20)


# --- reminder services on fakes -------------------------------------------------------------------

async def _rep(uow: FakeUnitOfWork, team: Team = SHANGHAI, name: str = "小王") -> User:
    if await uow.teams.get(team.id or 0) is None:
        uow.teams.rows[team.id or 0] = team
    return await uow.users.add(User(telegram_id=len(uow.users.rows) + 100, name=name, role=Role.REP, team_id=team.id or 0))


async def test_reminder_text_and_time_are_validated() -> None:
    uow = FakeUnitOfWork()
    rep = await _rep(uow)
    with pytest.raises(InvalidInput) as past:
        await service.set_reminder(uow, owner=rep, due_at=START, text="call", now=START)
    assert past.value.code == "error-reminder-past"
    with pytest.raises(InvalidInput) as empty:
        await service.set_reminder(uow, owner=rep, due_at=START + timedelta(hours=1), text="  \n ", now=START)
    assert empty.value.code == "error-reminder-text"
    with pytest.raises(InvalidInput):
        await service.set_reminder(uow, owner=rep, due_at=START + timedelta(hours=1), text="x" * 201, now=START)
    reminder = await service.set_reminder(
        uow, owner=rep, due_at=START + timedelta(hours=1, seconds=9), text="  给华东科技\n回电话 ", now=START
    )
    assert reminder.text == "给华东科技 回电话" and reminder.explicit
    assert reminder.due_at == START + timedelta(hours=1)


async def test_nudge_buttons_act_once_and_only_for_the_owner() -> None:
    uow = FakeUnitOfWork()
    rep = await _rep(uow)
    other = await _rep(uow, name="小李")
    reminder = await service.set_reminder(uow, owner=rep, due_at=START + timedelta(hours=1), text="回电话", now=START)
    assert reminder.id is not None
    with pytest.raises(AlreadyDone):  # not fired yet: there is no nudge to press
        await service.complete_reminder(uow, actor=rep, reminder_id=reminder.id, round=0, now=START)
    assert await service.fire_reminder(uow, reminder, START + timedelta(hours=1))
    assert not await service.fire_reminder(uow, reminder, START + timedelta(hours=1))  # a second sweep
    assert len(uow.outbox.messages) == 1

    with pytest.raises(Forbidden):
        await service.snooze_reminder(uow, actor=other, reminder_id=reminder.id, round=0, choice=Snooze.HOUR, now=START)
    later = START + timedelta(hours=1, minutes=5)
    await service.snooze_reminder(uow, actor=rep, reminder_id=reminder.id, round=0, choice=Snooze.HOUR, now=later)
    assert reminder.state is ReminderState.SNOOZED and reminder.snoozes == 1
    assert reminder.due_at == later + timedelta(hours=1)
    with pytest.raises(AlreadyDone):  # the same button again
        await service.snooze_reminder(uow, actor=rep, reminder_id=reminder.id, round=0, choice=Snooze.HOUR, now=later)
    with pytest.raises(AlreadyDone):  # Done on the old nudge
        await service.complete_reminder(uow, actor=rep, reminder_id=reminder.id, round=0, now=later)

    assert await service.fire_reminder(uow, reminder, reminder.due_at)
    assert len(uow.outbox.messages) == 2
    await service.complete_reminder(uow, actor=rep, reminder_id=reminder.id, round=1, now=reminder.due_at)
    assert reminder.state is ReminderState.DONE
    actions = [e.action for e in uow.audit.events]
    assert actions == ["reminder.set", "reminder.snoozed", "reminder.done"]


# --- the sweep framework --------------------------------------------------------------------------

@dataclass(eq=False)
class Item:
    id: int
    due_at: datetime
    handled: bool = False


class Items:
    def __init__(self, items: list[Item]) -> None:
        self.items = items
        self.queries = 0

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Item]:
        self.queries += 1
        ready = [i for i in self.items if not i.handled and i.due_at <= now and i.id not in skip]
        return ready[:limit]


class RollbackUow(FakeUnitOfWork):
    """Changes inside the transaction are kept only when it commits."""

    def __init__(self, items: Items) -> None:
        super().__init__()
        self.items = items
        self.pending: list[Item] = []

    async def __aenter__(self) -> RollbackUow:
        self.pending = []
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.pending = []

    async def commit(self) -> None:
        for item in self.pending:
            item.handled = True
        self.pending = []


async def test_sweep_works_in_bounded_batches_until_nothing_is_due() -> None:
    items = Items([Item(i, START - timedelta(minutes=i)) for i in range(1, 26)] + [Item(99, START + timedelta(hours=1))])

    async def act(uow: UnitOfWork, item: Item, now: datetime) -> bool:
        assert isinstance(uow, RollbackUow)
        uow.pending.append(item)
        return True

    kind: Sweep[Item] = Sweep("test", source=lambda uow: items, act=act, batch=10)
    report = await sweep(lambda: RollbackUow(items), kind, START)
    assert report.acted == 25 and report.failed == [] and items.queries == 3
    assert not items.items[-1].handled  # not due yet
    again = await sweep(lambda: RollbackUow(items), kind, START)
    assert again.acted == 0


async def test_one_failing_item_is_isolated_and_the_rest_goes_through() -> None:
    items = Items([Item(i, START) for i in range(1, 6)])

    async def act(uow: UnitOfWork, item: Item, now: datetime) -> bool:
        if item.id == 3:
            raise RuntimeError("poison")
        assert isinstance(uow, RollbackUow)
        uow.pending.append(item)
        return True

    report = await sweep(lambda: RollbackUow(items), Sweep("test", source=lambda uow: items, act=act, batch=10), START)
    assert report.acted == 4 and report.failed == [3]
    assert [i.id for i in items.items if not i.handled] == [3]


# --- the digest schedule --------------------------------------------------------------------------

def test_a_digest_is_due_from_the_teams_start_of_day_until_its_end() -> None:
    schedule = DigestSchedule(kind="agenda", compose=lambda *a: None)  # type: ignore[arg-type,return-value]
    assert due_day(schedule, SHANGHAI, utc(2026, 11, 26, 0, 59)) is None  # 08:59 Shanghai
    assert due_day(schedule, SHANGHAI, utc(2026, 11, 26, 1, 0)) == date(2026, 11, 26)
    assert due_day(schedule, SHANGHAI, utc(2026, 11, 26, 13, 0)) is None  # 21:00: too late for a morning digest
    assert due_day(schedule, SHANGHAI, utc(2026, 11, 29, 2, 0)) is None  # Sunday
    assert due_day(schedule, BERLIN, utc(2026, 11, 26, 1, 0)) is None  # 02:00 Berlin
    assert due_day(schedule, BERLIN, utc(2026, 11, 26, 8, 0)) == date(2026, 11, 26)


async def test_digests_are_claimed_once_per_team_and_day() -> None:
    uow = FakeUnitOfWork()
    uow.teams.rows = {1: SHANGHAI, 2: BERLIN}
    composed: list[tuple[str, date]] = []

    async def compose(uow: UnitOfWork, team: Team, day: date, now: datetime) -> int:
        composed.append((team.name, day))
        return 1

    schedules = [DigestSchedule(kind="agenda", compose=compose)]
    now = utc(2026, 11, 26, 0, 0)
    while now < utc(2026, 11, 27, 0, 0):
        await send_due_digests(lambda: uow, schedules, now)
        now += timedelta(minutes=10)
    assert composed == [("华东", date(2026, 11, 26)), ("Berlin", date(2026, 11, 26))]
