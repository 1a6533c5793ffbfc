"""The follow-up watch where the database is what is tested, on real SQLite and PostgreSQL: two instances
sweeping the silence watch at once alert each deal once. The follow-up services themselves are tested in
memory (tests/test_followup_service.py, tests/test_followup_silence.py)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.factory import App
from bot.sweeps import run_sweeps
from domain.followup.silence import SILENCE_SWEEP
from domain.sweeps import Sweep, sweep
from storage.db import create_engine, session_factory
from storage.uow import SqlUnitOfWork
from tests.fakes import START, FakeClock
from tests.followup_support import crew, deal, inbox, log

LATER = START + timedelta(days=40)  # a next step far enough away not to matter


async def test_two_instances_sweeping_silence_at_once_alert_each_deal_once(app: App, db_url: str, clock: FakeClock) -> None:
    c = await crew(app, reps=("小王", "小李", "小张"))
    ids = [await deal(app, c.reps[i % 3], f"客户{i}") for i in range(60)]
    for deal_id, i in zip(ids, range(60), strict=True):
        await log(app, c.reps[i % 3], deal_id, next_step="回访", next_due=LATER)
    clock.set(START + timedelta(days=4))  # every deal has earned both alerts

    other_engine = create_engine(db_url)
    try:
        def other_uow() -> SqlUnitOfWork:
            return SqlUnitOfWork(session_factory(other_engine), app.renderer, clock)

        small = Sweep(name=SILENCE_SWEEP.name, source=SILENCE_SWEEP.source, act=SILENCE_SWEEP.act, batch=15)
        reports = await asyncio.gather(
            sweep(app.uow, small, clock.now()), sweep(other_uow, small, clock.now()),
            sweep(app.uow, small, clock.now()), sweep(other_uow, small, clock.now()),
        )
    finally:
        await other_engine.dispose()
    assert sum(r.acted for r in reports) == 60 and all(r.failed == [] for r in reports)
    owners = [row for rep in c.reps for row in await inbox(app, rep, "followup.stale")]
    assert len(owners) == 60
    assert len(await inbox(app, c.manager, "followup.stale")) == 60
    await run_sweeps(app)
    assert len(await inbox(app, c.manager, "followup.stale")) == 60
