"""Reminders, sweeps and digests on real SQLite and PostgreSQL, with a fake clock moved through days.
Assertions are on the `notifications` rows the outbox dispatcher will deliver."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, text, update

from bot.factory import App
from bot.sweeps import run_digests, run_sweeps
from domain.digests import send_due_digests
from domain.reminders import agenda
from domain.reminders import services as reminder_service
from domain.reminders.agenda import DAILY_AGENDA
from domain.reminders.model import QuickTime, Reminder, ReminderState, Snooze
from domain.sweeps import sweep
from domain.team import onboarding
from domain.team.model import Language, Role, Team, User
from storage.db import create_engine, session_factory
from storage.tables import notifications, reminders
from storage.uow import SqlUnitOfWork
from tests.fakes import START, FakeClock

# The report digests (issue 14) run on the same schedule; these tests are about the agenda.
AGENDA_ONLY = [DAILY_AGENDA]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def member(
    app: App, name: str, *, team: str = "华东销售部", timezone: str = "Asia/Shanghai",
    language: Language | None = None, telegram_id: int | None = None,
) -> User:
    async with app.uow() as uow:
        team_row = await onboarding.ensure_team(uow, name=team, timezone=timezone, now=app.clock.now())
        user = await uow.users.add(
            User(
                telegram_id=telegram_id or 5000 + abs(hash(name)) % 10_000, name=name, role=Role.REP,
                team_id=team_row.id or 0, language=language, created_at=app.clock.now(),
            )
        )
        await uow.commit()
    return user


async def remind(app: App, owner: User, due_at: datetime, what: str, *, explicit: bool = True) -> Reminder:
    async with app.uow() as uow:
        reminder = await reminder_service.set_reminder(
            uow, owner=owner, due_at=due_at, text=what, now=app.clock.now(), explicit=explicit
        )
        await uow.commit()
    return reminder


async def outbox(app: App) -> list[Any]:
    async with app.engine.connect() as conn:
        result = await conn.execute(select(notifications).order_by(notifications.c.id))
        return list(result.mappings())


async def reminder_state(app: App, reminder_id: int) -> Reminder:
    async with app.uow() as uow:
        row = await uow.reminders.get(reminder_id)
        assert row is not None
        return row


def buttons(row: Any) -> list[list[str]]:
    markup = json.loads(row["reply_markup"])
    return [[b["text"] for b in line] for line in markup["inline_keyboard"]]


async def test_a_reminder_fires_at_its_time_with_done_and_snooze_buttons(app: App, clock: FakeClock) -> None:
    rep = await member(app, "小王")
    reminder = await remind(app, rep, START + timedelta(hours=2), "给华东科技回电话")

    clock.advance(hours=1, minutes=59)
    await run_sweeps(app)
    assert await outbox(app) == []

    clock.advance(minutes=1)
    await run_sweeps(app)
    [row] = await outbox(app)
    assert row["state"] == "pending" and row["chat_id"] == rep.telegram_id
    assert row["text"] == "⏰ 提醒：给华东科技回电话"
    assert row["not_before"] == START + timedelta(hours=2)
    assert row["dedupe_key"] == f"reminder:{reminder.id}:{(START + timedelta(hours=2)).isoformat()}"
    assert buttons(row) == [["✅ 搞定了"], ["💤 1小时后", "💤 明天再说", "💤 3天后"]]
    assert (await reminder_state(app, reminder.id or 0)).state is ReminderState.SENT


async def test_an_explicit_time_goes_at_night_a_system_time_waits_for_working_hours(app: App, clock: FakeClock) -> None:
    rep = await member(app, "小王")
    night = utc(2026, 11, 26, 14, 0)  # Thursday 22:00 in Shanghai
    mine = await remind(app, rep, night, "晚上给老板发报价", explicit=True)
    system = await remind(app, rep, night, "跟进华东科技", explicit=False)
    clock.set(night)
    await run_sweeps(app)
    rows = {row["dedupe_key"].split(":")[1]: row for row in await outbox(app)}
    assert rows[str(mine.id)]["not_before"] == night
    assert rows[str(system.id)]["not_before"] == utc(2026, 11, 27, 1, 0)  # Friday 09:00 Shanghai


async def test_html_in_a_reminder_is_shown_as_typed(app: App, clock: FakeClock) -> None:
    rep = await member(app, "小王")
    await remind(app, rep, START + timedelta(minutes=5), "报价 <b>A&B</b>")
    clock.advance(minutes=5)
    await run_sweeps(app)
    [row] = await outbox(app)
    assert row["text"] == "⏰ 提醒：报价 &lt;b&gt;A&amp;B&lt;/b&gt;"


async def test_snooze_moves_the_reminder_and_it_fires_again(app: App, clock: FakeClock) -> None:
    rep = await member(app, "小王")
    reminder = await remind(app, rep, START + timedelta(minutes=30), "回电话")
    rid = reminder.id or 0
    clock.advance(minutes=30)
    await run_sweeps(app)

    clock.advance(minutes=2)
    async with app.uow() as uow:
        snoozed = await reminder_service.snooze_reminder(uow, actor=rep, reminder_id=rid, round=0, choice=Snooze.TOMORROW, now=clock.now())
        await uow.commit()
    assert snoozed.due_at == utc(2026, 11, 27, 1, 0)  # tomorrow 09:00 Shanghai
    again = await reminder_state(app, rid)
    assert again.state is ReminderState.SNOOZED and again.snoozes == 1 and again.explicit

    clock.set(utc(2026, 11, 27, 0, 59))
    await run_sweeps(app)
    assert len(await outbox(app)) == 1
    clock.set(utc(2026, 11, 27, 1, 0))
    await run_sweeps(app)
    first, second = await outbox(app)
    assert second["dedupe_key"] != first["dedupe_key"] and second["not_before"] == utc(2026, 11, 27, 1, 0)
    # The new nudge's buttons belong to round 1; the old nudge's to round 0.
    assert ":1:" in json.loads(second["reply_markup"])["inline_keyboard"][0][0]["callback_data"]
    async with app.uow() as uow:
        await reminder_service.complete_reminder(uow, actor=rep, reminder_id=rid, round=1, now=clock.now())
        await uow.commit()
    assert (await reminder_state(app, rid)).state is ReminderState.DONE


async def test_a_sweep_run_twice_queues_once(app: App, clock: FakeClock) -> None:
    rep = await member(app, "小王")
    reminder = await remind(app, rep, START + timedelta(minutes=1), "回电话")
    clock.advance(minutes=1)
    first = await run_sweeps(app)
    second = await run_sweeps(app)
    assert first[0].acted == 1 and second[0].acted == 0
    # Even if the row were claimed again (say a restore from an old backup), the dedupe key holds.
    async with app.engine.begin() as conn:
        await conn.execute(update(reminders).where(reminders.c.id == reminder.id).values(state="pending"))
    await run_sweeps(app)
    assert len(await outbox(app)) == 1


async def test_an_inactive_owner_is_not_nudged(app: App, clock: FakeClock) -> None:
    rep = await member(app, "小王")
    await remind(app, rep, START + timedelta(minutes=1), "回电话")
    async with app.uow() as uow:
        row = await uow.users.get(rep.id or 0)
        assert row is not None
        row.active = False
        await uow.commit()
    clock.advance(minutes=1)
    await run_sweeps(app)
    assert await outbox(app) == []


async def test_two_teams_get_nudges_and_agendas_in_their_own_timezones(app: App, clock: FakeClock) -> None:
    wang = await member(app, "小王", telegram_id=7001)
    anna = await member(app, "Anna", team="Berlin Sales", timezone="Europe/Berlin", language=Language.EN, telegram_id=7002)
    async with app.uow() as uow:
        shanghai = await uow.teams.get(wang.team_id)
        berlin = await uow.teams.get(anna.team_id)
    assert shanghai is not None and berlin is not None
    clock.set(utc(2026, 11, 26, 15, 0))  # Thursday: 23:00 in Shanghai, 16:00 in Berlin
    # Each sets "tomorrow 09:00" by the button, plus a call at 10:00 local tomorrow.
    await remind(app, wang, reminder_service.quick_time(QuickTime.TOMORROW, clock.now(), shanghai), "看报价单")
    await remind(app, wang, utc(2026, 11, 27, 2, 0), "给华东科技回电话")  # 10:00 Shanghai
    await remind(app, anna, reminder_service.quick_time(QuickTime.TOMORROW, clock.now(), berlin), "Check the quote")
    await remind(app, anna, utc(2026, 11, 27, 9, 0), "Call back Müller GmbH")  # 10:00 Berlin

    seen: dict[str, datetime] = {}
    while clock.now() < utc(2026, 11, 28, 0, 0):
        await run_digests(app, AGENDA_ONLY)
        await run_sweeps(app)
        for row in await outbox(app):
            seen.setdefault(row["dedupe_key"], clock.now())
        clock.advance(minutes=30)

    rows = {row["dedupe_key"]: row for row in await outbox(app)}
    agendas = {key: row for key, row in rows.items() if key.startswith("digest:agenda")}
    assert {seen[k] for k in agendas} == {utc(2026, 11, 27, 1, 0), utc(2026, 11, 27, 8, 0)}
    wang_agenda = next(r for r in agendas.values() if r["chat_id"] == 7001)
    anna_agenda = next(r for r in agendas.values() if r["chat_id"] == 7002)
    assert seen[wang_agenda["dedupe_key"]] == utc(2026, 11, 27, 1, 0)  # 09:00 Shanghai
    assert wang_agenda["text"] == "☀️ 早上好！今天还有 2 条提醒：\n• 09:00 看报价单\n• 10:00 给华东科技回电话"
    assert seen[anna_agenda["dedupe_key"]] == utc(2026, 11, 27, 8, 0)  # 09:00 Berlin
    assert anna_agenda["text"] == "☀️ Good morning! 2 reminders for today:\n• 09:00 Check the quote\n• 10:00 Call back Müller GmbH"

    nudges = sorted((seen[k], r["chat_id"], r["text"]) for k, r in rows.items() if k.startswith("reminder:"))
    assert nudges == [
        (utc(2026, 11, 27, 1, 0), 7001, "⏰ 提醒：看报价单"),
        (utc(2026, 11, 27, 2, 0), 7001, "⏰ 提醒：给华东科技回电话"),
        (utc(2026, 11, 27, 8, 0), 7002, "⏰ Reminder: Check the quote"),
        (utc(2026, 11, 27, 9, 0), 7002, "⏰ Reminder: Call back Müller GmbH"),
    ]
    assert len(rows) == 6  # four nudges, two agendas: nothing twice


async def test_the_agenda_lists_only_what_is_ahead_today_and_skips_people_with_nothing(app: App, clock: FakeClock) -> None:
    busy = await member(app, "小王", telegram_id=7001)
    await member(app, "小李", telegram_id=7002)  # nothing to do today
    clock.set(utc(2026, 11, 26, 16, 0))  # Thursday 24:00 Shanghai
    await remind(app, busy, utc(2026, 11, 27, 7, 0), "下午拜访客户")  # Friday 15:00
    await remind(app, busy, utc(2026, 11, 28, 2, 0), "周六的事")  # Saturday: not today's
    cancelled = await remind(app, busy, utc(2026, 11, 27, 3, 0), "取消了的事")
    async with app.uow() as uow:
        await reminder_service.cancel_reminder(uow, actor=busy, reminder_id=cancelled.id or 0, now=clock.now())
        await uow.commit()

    clock.set(utc(2026, 11, 27, 0, 59))  # 08:59
    assert (await run_digests(app, AGENDA_ONLY)).teams == 0
    clock.set(utc(2026, 11, 27, 1, 0))
    report = await run_digests(app, AGENDA_ONLY)
    assert report.teams == 1 and report.messages == 1
    [row] = await outbox(app)
    assert row["chat_id"] == 7001 and row["text"] == "☀️ 早上好！今天还有 1 条提醒：\n• 15:00 下午拜访客户"
    clock.set(utc(2026, 11, 27, 1, 1))
    assert (await run_digests(app, AGENDA_ONLY)).teams == 0  # claimed for today

    # Sunday is not a working day: no agenda, though a reminder is due.
    await remind(app, busy, utc(2026, 11, 29, 6, 0), "周日的事")
    clock.set(utc(2026, 11, 29, 1, 30))
    assert (await run_digests(app, AGENDA_ONLY)).teams == 0


async def test_a_quiet_day_sends_no_agenda_but_is_still_claimed(app: App, clock: FakeClock) -> None:
    await member(app, "小王")
    clock.set(utc(2026, 11, 27, 1, 0))
    report = await run_digests(app, AGENDA_ONLY)
    assert report.teams == 1 and report.messages == 0
    assert await outbox(app) == []


async def test_concurrent_sweepers_on_two_instances_act_once(app: App, db_url: str, clock: FakeClock) -> None:
    owners = [await member(app, f"rep{i}", telegram_id=8000 + i) for i in range(4)]
    async with app.uow() as uow:
        for i in range(240):
            await reminder_service.set_reminder(
                uow, owner=owners[i % 4], due_at=START + timedelta(minutes=1 + i % 7), text=f"客户 {i}", now=START
            )
        await uow.commit()
    clock.advance(minutes=10)

    # A second "instance": its own engine and sessions on the same database.
    other_engine = create_engine(db_url)
    try:
        def other_uow() -> SqlUnitOfWork:
            return SqlUnitOfWork(session_factory(other_engine), app.renderer, clock)

        kind = reminder_service.REMINDER_SWEEP
        small = type(kind)(name=kind.name, source=kind.source, act=kind.act, batch=25)
        reports = await asyncio.gather(
            sweep(app.uow, small, clock.now()), sweep(other_uow, small, clock.now()),
            sweep(app.uow, small, clock.now()), sweep(other_uow, small, clock.now()),
        )
    finally:
        await other_engine.dispose()
    assert sum(r.acted for r in reports) == 240, [(r.acted, r.skipped, r.failed) for r in reports]
    assert all(r.failed == [] for r in reports)
    rows = await outbox(app)
    assert len(rows) == 240 and len({r["dedupe_key"] for r in rows}) == 240
    async with app.engine.connect() as conn:
        states = (await conn.execute(select(reminders.c.state).distinct())).scalars().all()
    assert states == ["sent"]


async def test_the_due_query_uses_the_partial_index(app: App, backend: str) -> None:
    rep = await member(app, "小王")
    await remind(app, rep, START + timedelta(minutes=1), "x")
    async with app.uow() as uow:
        assert uow.session is not None
        stmt = select(reminders.c.id).where(
            text("reminders.state IN ('pending', 'snoozed')"), reminders.c.due_at <= START
        ).order_by(reminders.c.due_at).limit(100)
        compiled = stmt.compile(uow.session.bind, compile_kwargs={"literal_binds": True})
        if backend == "postgresql":
            await uow.session.execute(text("SET enable_seqscan = off"))
            plan = (await uow.session.execute(text(f"EXPLAIN {compiled}"))).scalars().all()
        else:
            plan = [str(r) for r in (await uow.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))).all()]
    assert any("ix_reminders_due" in line for line in plan), plan


async def test_team_and_reminder_times_survive_the_database_as_utc(app: App) -> None:
    rep = await member(app, "小王")
    due = datetime(2026, 12, 1, 10, 0, tzinfo=UTC).astimezone()  # any zone in, UTC out
    reminder = await remind(app, rep, due, "x")
    loaded = await reminder_state(app, reminder.id or 0)
    assert loaded.due_at == due and loaded.due_at.tzinfo is UTC
    assert isinstance(loaded, Reminder) and not isinstance(loaded, Team)


async def test_two_instances_checking_digests_at_once_send_one_agenda(app: App, db_url: str, clock: FakeClock) -> None:
    rep = await member(app, "小王", telegram_id=7001)
    await remind(app, rep, utc(2026, 11, 27, 6, 0), "下午拜访客户")
    clock.set(utc(2026, 11, 27, 1, 0))  # Friday 09:00 Shanghai
    other_engine = create_engine(db_url)
    try:
        def other_uow() -> SqlUnitOfWork:
            return SqlUnitOfWork(session_factory(other_engine), app.renderer, clock)

        reports = await asyncio.gather(
            *(send_due_digests(uow, [agenda.DAILY_AGENDA], clock.now()) for uow in (app.uow, other_uow) * 3)
        )
    finally:
        await other_engine.dispose()
    assert sum(r.teams for r in reports) == 1 and sum(r.messages for r in reports) == 1
    [row] = await outbox(app)
    assert row["text"] == "☀️ 早上好！今天还有 1 条提醒：\n• 14:00 下午拜访客户"
