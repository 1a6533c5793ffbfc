"""The record of handled updates (processed_updates): a handled update still dedupes its redelivery, a
throttled one leaves no row at all, and rows older than a week are deleted in batches by a periodic job.
On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from aiogram.types import Chat, Message, Update
from sqlalchemy import func, insert, select

from bot.config import Settings
from bot.factory import App, build_app
from bot.sandbox import RecordingSession, Sandbox
from bot.sweeps import UPDATE_RETENTION, prune_processed_updates
from domain.team.model import Role
from storage.tables import processed_updates
from tests.conftest import join
from tests.fakes import FakeClock


async def recorded(app: App) -> int:
    async with app.engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(processed_updates))).scalar_one())


async def test_a_handled_update_delivered_again_has_no_effect(app: App, sandbox: Sandbox) -> None:
    rep = await join(app, sandbox, "小王", Role.REP)
    before = await recorded(app)
    update = Update(
        update_id=next(sandbox.update_ids),
        message=Message(
            message_id=next(sandbox.message_ids), date=datetime.now(UTC), chat=Chat(id=rep.telegram_id, type="private"),
            from_user=rep.tg, text="/me", entities=sandbox.command_entities("/me"),
        ),
    )
    first = await sandbox.feed(update)
    assert any("角色：销售" in (getattr(c.method, "text", "") or "") for c in first)
    assert await sandbox.feed(update) == []  # Telegram delivered it again: nothing happens
    assert await recorded(app) == before + 1


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_throttled_update_leaves_no_row(settings: Settings, clock: FakeClock) -> None:
    app = build_app(settings.model_copy(update={"throttle_per_second": 0.5}), session=RecordingSession(), clock=clock)
    try:
        sandbox = Sandbox(dp=app.dp, bot=app.bot, session=app.bot.session)  # type: ignore[arg-type]
        rep = await join(app, sandbox, "rep", Role.REP, language_code="en")
        before = await recorded(app)
        for _ in range(15):
            await rep.send("/me")
        texts = [m.text for m in rep.chat()]
        handled = [t for t in texts if "Role: Sales rep" in t]
        notices = [t for t in texts if "tapping a bit fast" in t]
        assert 3 <= len(handled) <= 6 and len(notices) == 1, texts
        assert await recorded(app) == before + len(handled)  # the 9 or more dropped ones left nothing
    finally:
        await app.close()


async def test_records_older_than_a_week_are_deleted_in_batches(app: App, clock: FakeClock) -> None:
    now = clock.now()
    assert UPDATE_RETENTION == timedelta(days=7)
    old = [
        {"bot_id": 1, "update_id": n, "at": now - timedelta(days=7, minutes=n + 1)} for n in range(2_500)
    ]
    kept = [
        {"bot_id": 1, "update_id": 10_000 + n, "at": now - timedelta(days=7) + timedelta(minutes=n + 1)} for n in range(30)
    ]
    async with app.engine.begin() as conn:
        await conn.execute(insert(processed_updates), old + kept)

    assert await prune_processed_updates(app, batch=1_000, max_batches=2) == 2_000  # two batches, then it stops
    assert await recorded(app) == 530
    async with app.engine.connect() as conn:
        left = (await conn.execute(select(func.max(processed_updates.c.update_id)).where(processed_updates.c.update_id < 10_000))).scalar_one()
    assert left == 499  # the oldest went first

    job = next(job for job in app.periodic if job.name == "prune:updates")
    assert not job.in_console and job.seconds <= 3600
    await job.run()
    assert await recorded(app) == 30
    async with app.engine.connect() as conn:
        ids = sorted(row[0] for row in await conn.execute(select(processed_updates.c.update_id)))
    assert ids == [10_000 + n for n in range(30)]
