"""Logging follow-ups, next steps that nudge, and the escalation of a nudge nobody acted on, in memory
(tests/fakes.py, held to the SQL repositories by tests/test_port_contracts.py) with a fake clock moved
across days. The team works 09:00–21:00 Mon–Sat in
Asia/Shanghai; the clock starts on Thursday 26 November 2026 at 10:00 there."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.sweeps import run_sweeps
from domain.deals import services as deals
from domain.deals.model import Stage
from domain.errors import Forbidden, InvalidInput
from domain.followup import activities as followup
from domain.followup.model import ActivityKind, ActivityOutcome
from domain.followup.rules import Hint, NextStepPreset, next_step_time
from domain.leads import services as leads
from domain.reminders import services as reminder_service
from domain.reminders.model import ReminderState, Snooze
from tests.fakes import START, FakeClock, MemoryApp
from tests.followup_support import (
    call,
    callbacks,
    crew,
    deal,
    deal_row,
    inbox,
    labels,
    log,
    reminder_row,
    utc,
)


@pytest.fixture
def app(memory_app: MemoryApp) -> MemoryApp:
    return memory_app


async def test_a_logged_call_restarts_the_clock_and_its_next_step_becomes_the_owners_reminder(
    app: MemoryApp, clock: FakeClock
) -> None:
    c = await crew(app)
    wang = c.reps[0]
    deal_id = await deal(app, wang, "华东科技有限公司")
    clock.advance(hours=1)  # Thursday 11:00
    tomorrow = next_step_time(NextStepPreset.TOMORROW, clock.now(), c.team)
    assert tomorrow == utc(2026, 11, 27, 1, 0)  # Friday 09:00 in Shanghai

    result = await log(
        app, wang, deal_id, outcome="interested", note="客户想先看案例", needs="销售过程管理混乱",
        next_step="发案例给张总", next_due=tomorrow,
    )

    assert result.hints == () and result.completed == 0
    reminder = await reminder_row(app, result.reminder_id)
    assert (reminder.user_id, reminder.text, reminder.note, reminder.due_at) == (wang.id, "发案例给张总", "发案例给张总", tomorrow)
    assert (reminder.subject_kind, reminder.subject_id, reminder.explicit) == ("opportunity", deal_id, False)
    row = await deal_row(app, deal_id)
    assert row.last_activity_at == clock.now() and row.silence_level == 0
    # Qualified deals may idle two days; with a next step planned the watch looks again then.
    assert row.silence_check_at == clock.now() + timedelta(days=2)

    page = await call(app, followup.timeline, viewer=wang, opportunity_id=deal_id)
    assert page.total == 1
    [entry] = page.items
    assert (entry.kind, entry.outcome, entry.actor_name, entry.at) == (
        ActivityKind.CALL, ActivityOutcome.INTERESTED, "小王", clock.now()
    )
    assert (entry.note, entry.needs, entry.next_step, entry.next_due) == ("客户想先看案例", "销售过程管理混乱", "发案例给张总", tomorrow)


async def test_the_nudge_comes_in_working_hours_with_the_customer_the_last_note_and_the_plan(
    app: MemoryApp, clock: FakeClock
) -> None:
    c = await crew(app)
    wang = c.reps[0]
    kept = await deal(app, wang, "华东科技有限公司")
    exact = await deal(app, wang, "江南贸易")
    friday_night = utc(2026, 11, 27, 14, 0)  # Friday 22:00 in Shanghai: after hours
    kept_step = await log(app, wang, kept, note="客户想先看案例", next_step="发案例给张总", next_due=friday_night)
    exact_step = await log(app, wang, exact, kind="message", outcome="call_back", next_due=friday_night, exact_time=True)

    clock.set(friday_night - timedelta(minutes=1))
    await run_sweeps(app)
    assert await inbox(app, wang, "followup.nudge") == []

    clock.set(friday_night)
    await run_sweeps(app)
    nudges = {row["text"].split("「")[1].split("」")[0]: row for row in await inbox(app, wang, "followup.nudge")}
    assert set(nudges) == {"华东科技有限公司", "江南贸易"}
    # A preset or a date without a time waits for working hours; a time the rep typed goes at once.
    assert nudges["华东科技有限公司"]["not_before"] == utc(2026, 11, 28, 1, 0)  # Saturday 09:00
    assert nudges["江南贸易"]["not_before"] == friday_night
    text = nudges["华东科技有限公司"]["text"]
    assert "该跟进「华东科技有限公司」了" in text
    assert "发案例给张总" in text and "联系人：张总" in text and "阶段：商机认定" in text
    assert "上次跟进：11月26日 周四 10:00 电话·已联系上：客户想先看案例" in text
    assert "记录跟进" in text and "下一个工作日下班前" in text  # why it came and what to do next
    assert labels(nudges["华东科技有限公司"]) == [
        ["📝 记录跟进", "❌ 标记丢单"], ["💤 1小时后", "💤 明天再说", "💤 3天后"],
    ]
    data = callbacks(nudges["华东科技有限公司"])
    assert data[0] == f"fu:log:{kept}" and data[1].startswith(f"dl:lose:{kept}:")
    assert "跟进客户" in nudges["江南贸易"]["text"]  # no step named: the nudge still says what to do

    # When it must be acted on: the end of the next working day after the one it reaches the rep on.
    reaches_saturday = await reminder_row(app, kept_step.reminder_id)
    reached_friday = await reminder_row(app, exact_step.reminder_id)
    assert reaches_saturday.escalate_at == utc(2026, 11, 30, 13, 0)  # Sunday is off: Monday 21:00
    assert reached_friday.escalate_at == utc(2026, 11, 28, 13, 0)  # Saturday 21:00
    await run_sweeps(app)
    assert len(await inbox(app, wang, "followup.nudge")) == 2  # once


async def test_a_nudge_nobody_acts_on_goes_to_the_manager_at_the_end_of_the_next_working_day_once(
    app: MemoryApp, clock: FakeClock
) -> None:
    c = await crew(app)
    wang = c.reps[0]
    ignored = await deal(app, wang, "华东科技有限公司")
    snoozed = await deal(app, wang, "江南贸易")
    logged = await deal(app, wang, "东方电子")
    noted = await deal(app, wang, "西湖软件")
    three_pm = utc(2026, 11, 26, 7, 0)  # Thursday 15:00
    steps = {
        deal_id: (await log(app, wang, deal_id, next_step="回电话确认预算", next_due=three_pm)).reminder_id
        for deal_id in (ignored, snoozed, logged, noted)
    }
    clock.set(three_pm)
    await run_sweeps(app)
    assert len(await inbox(app, wang, "followup.nudge")) == 4

    # Friday morning: one snoozed to Monday, one got a call logged, one a note from the deal card.
    clock.set(utc(2026, 11, 27, 1, 30))
    nudged = await reminder_row(app, steps[snoozed])
    assert nudged.state is ReminderState.SENT
    await call(
        app, reminder_service.snooze_reminder, actor=wang, reminder_id=nudged.id, round=0,
        choice=Snooze.THREE_DAYS, now=clock.now(),
    )
    await log(app, wang, logged, outcome="no_answer")
    await call(app, leads.add_note, actor=wang, kind="opportunity", record_id=noted, note="客户说下周再聊", now=clock.now())

    clock.set(utc(2026, 11, 27, 12, 59))  # Friday 20:59
    await run_sweeps(app)
    assert await inbox(app, c.manager, "followup.escalated") == []

    clock.set(utc(2026, 11, 27, 13, 0))  # Friday 21:00: the end of the next working day
    await run_sweeps(app)
    [alert] = await inbox(app, c.manager, "followup.escalated")
    assert "小王 的跟进提醒还没处理" in alert["text"] and "「华东科技有限公司」" in alert["text"]
    assert "回电话确认预算" in alert["text"] and "11月26日 周四 15:00" in alert["text"]
    assert callbacks(alert) == [f"dl:open:{ignored}:0:-1:0:0:0:-1:-1:0:"]
    assert await inbox(app, wang, "followup.escalated") == []

    for _ in range(3):  # more sweeps, more days: the manager hears it once
        clock.advance(days=1)
        await run_sweeps(app)
    assert len(await inbox(app, c.manager, "followup.escalated")) == 1
    assert (await reminder_row(app, steps[ignored])).escalated_at == utc(2026, 11, 27, 13, 0)


async def test_a_snoozed_nudge_that_comes_back_escalates_on_its_own_round_and_only_once(
    app: MemoryApp, clock: FakeClock
) -> None:
    c = await crew(app)
    wang = c.reps[0]
    deal_id = await deal(app, wang, "华东科技有限公司")
    result = await log(app, wang, deal_id, next_step="发报价", next_due=utc(2026, 11, 26, 7, 0))
    clock.set(utc(2026, 11, 26, 7, 0))
    await run_sweeps(app)
    clock.set(utc(2026, 11, 26, 8, 0))
    await call(
        app, reminder_service.snooze_reminder, actor=wang, reminder_id=result.reminder_id, round=0,
        choice=Snooze.TOMORROW, now=clock.now(),
    )
    clock.set(utc(2026, 11, 27, 1, 0))  # Friday 09:00: it comes back
    await run_sweeps(app)
    assert len(await inbox(app, wang, "followup.nudge")) == 2
    assert (await reminder_row(app, result.reminder_id)).escalate_at == utc(2026, 11, 28, 13, 0)  # Saturday 21:00

    clock.set(utc(2026, 11, 27, 13, 0))  # the first round's deadline passes: it was snoozed in time
    await run_sweeps(app)
    assert await inbox(app, c.manager) == []
    clock.set(utc(2026, 11, 28, 13, 0))
    await run_sweeps(app)
    assert len(await inbox(app, c.manager, "followup.escalated")) == 1


async def test_the_owner_or_a_manager_logs_and_wrong_answers_change_nothing(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app)
    wang, li = c.reps
    deal_id = await deal(app, wang, "华东科技有限公司")
    with pytest.raises(Forbidden) as other:
        await log(app, li, deal_id)
    assert other.value.code == "error-followup-not-owner"
    berlin = await crew(app, team="Berlin Sales", timezone="Europe/Berlin", reps=("Anna",), manager="Max")
    with pytest.raises(Forbidden):
        await log(app, berlin.manager, deal_id)

    wrong = [
        ({"kind": "fax"}, "error-followup-kind"),
        ({"outcome": None}, "error-followup-outcome"),
        ({"outcome": "maybe"}, "error-followup-outcome"),
        ({"kind": "note", "outcome": None}, "error-followup-empty-note"),
        ({"next_step": "发方案"}, "error-followup-step-date"),
        ({"next_due": clock.now() - timedelta(minutes=5)}, "error-followup-due-past"),
        ({"next_due": clock.now() + timedelta(days=400)}, "error-followup-due-far"),
        ({"next_step": "很" * 201, "next_due": clock.now() + timedelta(days=1)}, "error-followup-step"),
        ({"note": "字" * 2001}, "error-followup-note"),
    ]
    for changes, code in wrong:
        arguments = {"kind": "call", "outcome": "reached", **changes}
        with pytest.raises(InvalidInput) as error:
            await log(app, wang, deal_id, **arguments)
        assert error.value.code == code, changes
    page = await call(app, followup.timeline, viewer=wang, opportunity_id=deal_id)
    assert page.total == 0 and (await deal_row(app, deal_id)).last_activity_at == START

    clock.advance(hours=2)
    result = await log(
        app, c.manager, deal_id, kind="visit", outcome="interested", note="和张总见了面",
        next_step="周五前发方案", next_due=utc(2026, 11, 27, 6, 0),
    )
    step = await reminder_row(app, result.reminder_id)
    assert step.user_id == wang.id  # the next step is the owner's
    [told] = await inbox(app, wang, "followup.logged")
    assert "李经理 在你的商机「华东科技有限公司」上记录了一条跟进" in told["text"]
    assert "拜访·有意向：和张总见了面" in told["text"] and "周五前发方案（11月27日 周五 14:00）" in told["text"]

    await call(app, deals.change_stage, actor=wang, opportunity_id=deal_id, to=Stage.LOST, lost_reason="price", now=clock.now())
    with pytest.raises(InvalidInput) as closed:
        await log(app, wang, deal_id)
    assert closed.value.code == "error-followup-closed"


async def test_outcomes_suggest_the_next_move(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app)
    wang = c.reps[0]
    deal_id = await deal(app, wang, "华东科技有限公司")
    tomorrow = clock.now() + timedelta(days=1)

    lost = await log(app, wang, deal_id, outcome="not_interested")
    assert lost.hints == (Hint.MARK_LOST,)
    quote = await log(app, wang, deal_id, outcome="needs_proposal", next_due=tomorrow)
    assert quote.hints == (Hint.ADVANCE,) and quote.advance_to is Stage.FOLLOWING_UP  # one step at a time
    await call(app, deals.change_stage, actor=wang, opportunity_id=deal_id, to=Stage.FOLLOWING_UP, now=clock.now())
    quote = await log(app, wang, deal_id, outcome="needs_proposal", next_due=tomorrow)
    assert quote.advance_to is Stage.PROPOSAL
    bare = await log(app, wang, deal_id, outcome="no_answer")
    assert bare.hints == (Hint.PLAN_NEXT_STEP,)


async def test_logging_completes_the_owners_open_follow_ups_on_the_deal(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app)
    wang = c.reps[0]
    deal_id = await deal(app, wang, "华东科技有限公司")
    other = await deal(app, wang, "江南贸易")
    first = await log(app, wang, deal_id, next_due=utc(2026, 11, 26, 6, 0))
    later = await log(app, wang, deal_id, next_due=utc(2026, 11, 28, 6, 0))
    assert later.completed == 1  # the new plan replaces the old one
    elsewhere = await log(app, wang, other, next_due=utc(2026, 11, 27, 6, 0))
    clock.set(utc(2026, 11, 28, 6, 0))
    await run_sweeps(app)  # the second step is nudged
    assert (await reminder_row(app, later.reminder_id)).state is ReminderState.SENT

    done = await log(app, wang, deal_id, outcome="interested")
    assert done.completed == 1
    assert (await reminder_row(app, first.reminder_id)).state is ReminderState.DONE
    assert (await reminder_row(app, later.reminder_id)).state is ReminderState.DONE
    assert (await reminder_row(app, elsewhere.reminder_id)).state is ReminderState.SENT  # another deal's


async def test_the_timeline_is_newest_first_paged_and_only_for_who_may_see_the_deal(app: MemoryApp, clock: FakeClock) -> None:
    c = await crew(app)
    wang, li = c.reps
    deal_id = await deal(app, wang, "华东科技有限公司")
    for i in range(7):
        clock.advance(hours=1)
        await log(app, wang, deal_id, kind="note", outcome=None, note=f"第{i + 1}次")
    first = await call(app, followup.timeline, viewer=wang, opportunity_id=deal_id, page=0)
    second = await call(app, followup.timeline, viewer=c.manager, opportunity_id=deal_id, page=1)
    assert (first.total, first.pages) == (7, 2)
    assert [e.note for e in first.items] == ["第7次", "第6次", "第5次", "第4次", "第3次"]
    assert [e.note for e in second.items] == ["第2次", "第1次"]
    with pytest.raises(Forbidden):
        await call(app, followup.timeline, viewer=li, opportunity_id=deal_id)
