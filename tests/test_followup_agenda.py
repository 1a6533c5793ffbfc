"""The morning agenda with follow-ups, in memory (tests/fakes.py; the agenda query itself is held to the
SQL on both databases by tests/test_port_contracts.py): at the start of each team's working
hours in its own timezone, each person gets today's follow-ups and reminders, the follow-ups nudged on
earlier days and not acted on, and the hand-offs waiting for them; nothing to do, no message."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.sweeps import run_digests, run_sweeps
from domain.deals import services as deals
from domain.deals.model import Stage
from domain.leads import services as leads
from domain.reminders import services as reminder_service
from domain.reminders.agenda import DAILY_AGENDA
from domain.team.model import Language
from tests.fakes import FakeClock, MemoryApp
from tests.followup_support import call, crew, deal, inbox, lead, log, utc

# The report digests (issue 14) run on the same schedule; these tests are about the agenda.
AGENDA_ONLY = [DAILY_AGENDA]


@pytest.fixture
def app(memory_app: MemoryApp) -> MemoryApp:
    return memory_app


async def test_each_rep_gets_today_the_overdue_and_the_hand_offs_at_nine_in_their_own_timezone(
    app: MemoryApp, clock: FakeClock
) -> None:
    shanghai = await crew(app)
    wang, li = shanghai.reps
    berlin = await crew(
        app, team="Berlin Sales", timezone="Europe/Berlin", reps=("Anna", "Ben"), manager="Max", language=Language.EN
    )
    anna, _ben = berlin.reps

    # Thursday: the plans. 10:00 in Shanghai, 03:00 in Berlin.
    soon = await deal(app, wang, "华东科技有限公司")
    await log(app, wang, soon, next_step="回电话确认预算", next_due=utc(2026, 11, 27, 2, 0))  # Friday 10:00
    late = await deal(app, wang, "江南贸易")
    await log(app, wang, late, next_step="发报价", next_due=utc(2026, 11, 26, 7, 0))  # Thursday 15:00
    gone = await deal(app, wang, "东方电子")
    await log(app, wang, gone, next_step="问预算", next_due=utc(2026, 11, 26, 7, 0))
    async with app.uow() as uow:
        await reminder_service.set_reminder(
            uow, owner=wang, due_at=utc(2026, 11, 27, 8, 0), text="准备周会材料", now=clock.now()
        )
        await uow.commit()
    mueller = await deal(app, anna, "Müller GmbH")
    await log(app, anna, mueller, next_step="send the quote", next_due=utc(2026, 11, 27, 9, 0))  # Friday 10:00
    schmidt = await deal(app, anna, "Schmidt AG")
    await log(app, anna, schmidt, next_step="call about the budget", next_due=utc(2026, 11, 26, 14, 0))

    clock.set(utc(2026, 11, 26, 14, 0))  # the Thursday follow-ups are nudged, and nobody acts on them
    await run_sweeps(app)
    await call(app, deals.change_stage, actor=wang, opportunity_id=gone, to=Stage.LOST, lost_reason="price", now=clock.now())

    # Friday 08:30 in Shanghai: a new lead is routed to 小王 and waits for him to accept.
    clock.set(utc(2026, 11, 27, 0, 30))
    async with app.uow() as uow:
        await leads.capture_lead(
            uow, actor=shanghai.manager, draft=lead("西湖软件", keep_myself=False), now=clock.now()
        )
        await uow.commit()

    clock.set(utc(2026, 11, 27, 0, 59))
    assert (await run_digests(app, AGENDA_ONLY)).messages == 0
    clock.set(utc(2026, 11, 27, 1, 0))  # 09:00 in Shanghai, 02:00 in Berlin
    report = await run_digests(app, AGENDA_ONLY)
    assert (report.teams, report.messages) == (1, 1)  # 小李 has nothing to do today: no message
    [wang_agenda] = await inbox(app, wang, "digest.agenda")
    assert wang_agenda["text"] == (
        "☀️ 早上好！今天还有 2 条提醒：\n"
        "• 10:00 华东科技有限公司 — 回电话确认预算\n"
        "• 16:00 准备周会材料\n"
        "\n"
        "⚠️ 逾期没跟进的 1 条：\n"
        "• 11-26 15:00 江南贸易 — 发报价\n"
        "\n"
        "📥 等你确认接手的 1 个商机：\n"
        "• 西湖软件 ⏳ 11-27 09:30\n"
        "\n"
        "跟进完在提醒消息里点「记录跟进」，或者发 /deals 打开商机记录；接手请求在 /deals 里确认。"
    )
    assert await inbox(app, li) == []

    clock.set(utc(2026, 11, 27, 7, 59))
    assert (await run_digests(app, AGENDA_ONLY)).teams == 0
    clock.set(utc(2026, 11, 27, 8, 0))  # 09:00 in Berlin
    report = await run_digests(app, AGENDA_ONLY)
    assert (report.teams, report.messages) == (1, 1)  # Ben has nothing to do
    [anna_agenda] = await inbox(app, anna, "digest.agenda")
    assert anna_agenda["text"] == (
        "☀️ Good morning! One reminder for today:\n"
        "• 10:00 Müller GmbH — send the quote\n"
        "\n"
        "⚠️ Overdue follow-ups (1):\n"
        "• 11-26 15:00 Schmidt AG — call about the budget\n"
        "\n"
        'After each contact, tap "Log now" on its reminder or log it from /deals; accept hand-offs in /deals.'
    )

    clock.set(utc(2026, 11, 27, 9, 0))
    assert (await run_digests(app, AGENDA_ONLY)).teams == 0  # once a day


async def test_only_overdue_follow_ups_still_make_an_agenda_and_logging_clears_them(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app)
    wang = c.reps[0]
    deal_id = await deal(app, wang, "华东科技有限公司")
    await log(app, wang, deal_id, next_step="发报价", next_due=utc(2026, 11, 26, 7, 0))
    clock.set(utc(2026, 11, 26, 7, 0))
    await run_sweeps(app)

    clock.set(utc(2026, 11, 27, 1, 0))
    await run_digests(app, AGENDA_ONLY)
    [friday] = await inbox(app, wang, "digest.agenda")
    assert friday["text"].startswith("☀️ 早上好！今天的跟进安排：\n\n⚠️ 逾期没跟进的 1 条：\n• 11-26 15:00 华东科技有限公司 — 发报价")

    clock.set(utc(2026, 11, 27, 3, 0))
    await log(app, wang, deal_id, outcome="interested")  # done: nothing overdue any more
    clock.set(utc(2026, 11, 28, 1, 0))  # Saturday is a working day
    await run_digests(app, AGENDA_ONLY)
    assert len(await inbox(app, wang, "digest.agenda")) == 1
    clock.set(utc(2026, 11, 28, 1, 0) + timedelta(days=1))  # Sunday: no agenda at all
    assert (await run_digests(app, AGENDA_ONLY)).teams == 0
