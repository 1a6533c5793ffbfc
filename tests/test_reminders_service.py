"""Reminders, sweeps and digests in memory (tests/fakes.py, held to the SQL repositories by
tests/test_port_contracts.py), with a fake clock moved through days. Assertions are on the notifications
queued for the outbox dispatcher. What a database decides (a dedupe key's unique index, racing sweepers,
the due query's index, times stored as UTC) is in tests/test_reminders_on_databases.py."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from bot.sweeps import run_digests, run_sweeps
from domain.reminders import services as reminder_service
from domain.reminders.agenda import DAILY_AGENDA
from domain.reminders.model import QuickTime, ReminderState, Snooze
from domain.team.model import Language
from tests.fakes import START, FakeClock, MemoryApp
from tests.reminder_support import buttons, member, outbox, remind, reminder_state, utc

# The report digests (issue 14) run on the same schedule; these tests are about the agenda.
AGENDA_ONLY = [DAILY_AGENDA]


@pytest.fixture
def app(memory_app: MemoryApp) -> MemoryApp:
    return memory_app


async def test_a_reminder_fires_at_its_time_with_done_and_snooze_buttons(app: MemoryApp, clock: FakeClock) -> None:
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


async def test_an_explicit_time_goes_at_night_a_system_time_waits_for_working_hours(app: MemoryApp, clock: FakeClock) -> None:
    rep = await member(app, "小王")
    night = utc(2026, 11, 26, 14, 0)  # Thursday 22:00 in Shanghai
    mine = await remind(app, rep, night, "晚上给老板发报价", explicit=True)
    system = await remind(app, rep, night, "跟进华东科技", explicit=False)
    clock.set(night)
    await run_sweeps(app)
    rows = {row["dedupe_key"].split(":")[1]: row for row in await outbox(app)}
    assert rows[str(mine.id)]["not_before"] == night
    assert rows[str(system.id)]["not_before"] == utc(2026, 11, 27, 1, 0)  # Friday 09:00 Shanghai


async def test_html_in_a_reminder_is_shown_as_typed(app: MemoryApp, clock: FakeClock) -> None:
    rep = await member(app, "小王")
    await remind(app, rep, START + timedelta(minutes=5), "报价 <b>A&B</b>")
    clock.advance(minutes=5)
    await run_sweeps(app)
    [row] = await outbox(app)
    assert row["text"] == "⏰ 提醒：报价 &lt;b&gt;A&amp;B&lt;/b&gt;"


async def test_snooze_moves_the_reminder_and_it_fires_again(app: MemoryApp, clock: FakeClock) -> None:
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


async def test_an_inactive_owner_is_not_nudged(app: MemoryApp, clock: FakeClock) -> None:
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


async def test_two_teams_get_nudges_and_agendas_in_their_own_timezones(app: MemoryApp, clock: FakeClock) -> None:
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


async def test_the_agenda_lists_only_what_is_ahead_today_and_skips_people_with_nothing(app: MemoryApp, clock: FakeClock) -> None:
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


async def test_a_quiet_day_sends_no_agenda_but_is_still_claimed(app: MemoryApp, clock: FakeClock) -> None:
    await member(app, "小王")
    clock.set(utc(2026, 11, 27, 1, 0))
    report = await run_digests(app, AGENDA_ONLY)
    assert report.teams == 1 and report.messages == 0
    assert await outbox(app) == []
