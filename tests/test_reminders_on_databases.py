"""Reminders where the database is what is tested, on real SQLite and PostgreSQL: a dedupe key queues a
notice once even if its row is claimed again, two instances sweeping and checking digests at once, the
due query on its partial index, times stored as UTC. The reminder services themselves are tested in
memory (tests/test_reminders_service.py)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text, update

from bot.factory import App
from bot.sweeps import run_sweeps
from domain.digests import send_due_digests
from domain.reminders import agenda
from domain.reminders import services as reminder_service
from domain.reminders.model import Reminder
from domain.sweeps import sweep
from domain.team.model import Team
from storage.db import create_engine, session_factory
from storage.tables import reminders
from storage.uow import SqlUnitOfWork
from tests.fakes import START, FakeClock
from tests.reminder_support import member, outbox, remind, reminder_state, utc


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
