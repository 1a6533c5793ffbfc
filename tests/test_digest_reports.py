"""The report digests through the outbox: the manager's morning digest, the Monday review and each rep's
own week, in the team's time zone, once per day per person (also with two instances), nothing when
there is nothing to say, and switched off (and on again) by the person."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

import handlers.report as report_handlers
from bot.charts import Chart, ChartText, draw_report
from bot.factory import App
from bot.outbox import outbox_of
from bot.sandbox import Sandbox
from bot.sweeps import DIGESTS, run_digests
from domain.digests import send_due_digests
from domain.team.model import Role
from storage.db import create_engine, session_factory
from storage.tables import notifications
from storage.uow import SqlUnitOfWork
from tests.conftest import join
from tests.fakes import FakeClock
from tests.report_month import seed_month
from tests.test_flow_reminders import deliver

MONDAY_0859 = datetime(2026, 11, 30, 0, 59, tzinfo=UTC)  # Monday 08:59 in Shanghai
MONDAY_0900 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
TUESDAY_0900 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


async def digest_rows(app: App, notice: str) -> list[dict[str, object]]:
    async with app.engine.connect() as conn:
        result = await conn.execute(
            select(notifications.c.chat_id, notifications.c.text).where(notifications.c.notice == notice)
            .order_by(notifications.c.id)
        )
        return [dict(row) for row in result.mappings()]


async def setup(app: App, sandbox: Sandbox, clock: FakeClock):  # type: ignore[no-untyped-def]
    clock.set(MONDAY_0859)
    async with app.uow() as uow:
        assert uow.session is not None
        await seed_month(uow.session)
        await uow.commit()
    lily = await join(app, sandbox, "lily", Role.MANAGER, team="华东")
    zhao = await join(app, sandbox, "zhao", Role.REP, team="华东")
    return lily, zhao


async def test_monday_morning_brings_the_digest_the_review_and_each_reps_week(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    lily, zhao = await setup(app, sandbox, clock)
    await run_digests(app)
    assert await digest_rows(app, "report-digest-daily") == []  # 08:59: not yet
    clock.set(MONDAY_0900)
    await run_digests(app)
    await outbox_of(app).run_once()  # the real dispatcher: it draws the review's chart as it sends
    daily, weekly = [sent.text for sent in lily.chat()[-2:]]
    # The Monday review came as the funnel chart, the week-on-week numbers as its caption, the buttons
    # under it.
    review = lily.last
    assert review.photo is not None and review.photo.startswith(b"\x89PNG") and len(review.photo) > 10_000
    assert [b[0] for b in review.buttons] == ["📊 上周复盘", "📋 查看停滞商机", "🔕 不再接收"]
    assert lily.photos() == [review]
    assert "等待接手：1 个" in daily and "等待审批的报价：1 个" in daily
    assert "公海无人跟进 1" in daily and "沉默商机 1" in daily
    assert [b[0] for b in lily.chat()[-2].buttons] == [
        "📋 查看停滞商机", "🌊 打开公海", "⏳ 查看待接手的商机", "📊 上周复盘", "🔕 不再接收",
    ]
    await lily.press("📊 上周复盘")  # the review's button: last week's report, with its chart
    # A photo's caption cannot become the report: the report comes as a new message under the review.
    assert "华东 · 复盘 11月23日–11月29日" in lily.last.text and lily.last is not review and review.text == weekly
    assert len(lily.photos()) == 2  # the review's chart, and the report's
    assert "上周复盘 11月23日–11月29日" in weekly and "新线索 0 条（比前一周 +0）" in weekly
    assert "赢单 0 单（+0）" in weekly
    assert "赢率 —" in weekly  # nothing closed last week
    reps = {row["chat_id"]: row["text"] for row in await digest_rows(app, "report-digest-rep")}
    # 小王 and 小李 (the month's reps) hold breakpoints, and so does team B's rep (an overdue payment, a
    # late ticket); zhao has nothing to hear about.
    assert len(reps) == 3 and zhao.telegram_id not in reps
    assert any("方案有需求没覆盖 1" in str(text) for text in reps.values())
    # Every minute after: nothing again.
    before = len(await digest_rows(app, "report-digest-daily"))
    clock.advance(minutes=1)
    await run_digests(app)
    assert len(await digest_rows(app, "report-digest-daily")) == before == 2  # lily and 老周
    # Tuesday: the morning digest again, no weekly review.
    clock.set(TUESDAY_0900)
    await run_digests(app)
    assert len(await digest_rows(app, "report-digest-daily")) == 4
    assert len(await digest_rows(app, "report-digest-weekly")) == 2


async def test_a_manager_switches_the_morning_digest_off_and_on_again(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    lily, _ = await setup(app, sandbox, clock)
    clock.set(MONDAY_0900)
    await run_digests(app)
    await deliver(app, lily)
    await lily.press("🔕")  # on the latest message with buttons: the weekly review
    await lily.send("/report")
    await lily.press("🔔 简报设置")
    assert "🔕 周一复盘（已关）" in str(lily.last.buttons) and "✅ 团队早报" in str(lily.last.buttons)
    await lily.press("✅ 团队早报")
    assert "🔕 团队早报" in str(lily.last.buttons)
    clock.set(TUESDAY_0900)
    await run_digests(app)
    to_lily = [row for row in await digest_rows(app, "report-digest-daily") if row["chat_id"] == lily.telegram_id]
    assert len(to_lily) == 1  # Monday's only
    await lily.press("🔕 团队早报")
    assert "✅ 团队早报" in str(lily.last.buttons)


async def test_two_instances_checking_at_once_send_each_digest_once(
    app: App, sandbox: Sandbox, clock: FakeClock, db_url: str
) -> None:
    await setup(app, sandbox, clock)
    clock.set(MONDAY_0900)
    other_engine = create_engine(db_url)
    try:
        def other_uow() -> SqlUnitOfWork:
            return SqlUnitOfWork(session_factory(other_engine), app.renderer, clock)

        await asyncio.gather(*(send_due_digests(uow, DIGESTS, clock.now()) for uow in (app.uow, other_uow) * 2))
    finally:
        await other_engine.dispose()
    assert len(await digest_rows(app, "report-digest-daily")) == 2
    assert len(await digest_rows(app, "report-digest-weekly")) == 2
    assert len(await digest_rows(app, "report-digest-rep")) == 3


async def test_the_teams_managers_get_the_same_review_chart_drawn_once(
    app: App, sandbox: Sandbox, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    lily, _ = await setup(app, sandbox, clock)
    drawn: list[str] = []

    def counting(text: ChartText) -> Chart:
        drawn.append(text.title)
        return draw_report(text)

    monkeypatch.setattr(report_handlers, "draw_report", counting)
    clock.set(MONDAY_0900)
    await run_digests(app)
    await outbox_of(app).run_once()
    boss = sandbox.session.photos(9001)  # 老周, the month's manager (tests/report_month.py)
    reviews = [*lily.photos(), *boss]
    assert len(reviews) == 2 and reviews[0].photo == reviews[1].photo and "上周复盘" in reviews[1].text
    assert len(drawn) == 1  # both read Chinese: one picture for the two of them
