"""Notices that are stale by the time they go out (issue 9): a notice queued for later (the working
hours) whose subject moves on meanwhile is cancelled, kept with the reason, and never reaches the phone.

Each test is one kind of notice that can go stale, told as the person would notice it: it is evening,
something is queued for 09:00, someone acts before 09:00, and at 09:00 the phone gets nothing stale.
`STALE_STORIES` maps every kind whose rule can fail to the test that shows it; a kind added without
one fails `test_every_kind_that_can_go_stale_has_its_story`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.factory import App
from bot.outbox import DrainReport, outbox_of
from bot.sandbox import Person, RecordingSession, Sandbox
from bot.sweeps import run_sweeps
from domain.deals import services as deal_service
from domain.deals.model import Stage
from domain.followup import activities as followup
from domain.followup.nudges import ESCALATION_SWEEP
from domain.followup.silence import SILENCE_SWEEP, ping_owner
from domain.handoffs import services as handoff_service
from domain.intake import imports
from domain.intake import services as intake
from domain.leads import services as lead_service
from domain.leads.model import LeadDraft, LeadSource
from domain.outbox import services as delivery
from domain.outbox.kinds import Kind, Valid
from domain.pool.services import RECYCLE_SWEEP
from domain.reminders import services as reminder_service
from domain.reminders.services import REMINDER_SWEEP
from domain.team.model import Role, User
from storage import notice_rules
from storage.tables import notifications, reminders
from tests import test_payment_reminders as payments
from tests.conftest import join
from tests.deal_support import deal_row, member, seed_deal, set_policy
from tests.fakes import FakeClock
from tests.test_assist_flow import (  # told there; an alias, so that it is not collected twice
    test_notices_still_queued_when_the_question_is_answered_or_its_subject_closes_never_go_out as assist_story,
)
from tests.test_delivery_flow import test_a_nudge_still_queued_when_the_item_is_done_never_goes_out
from tests.test_import_leads import (  # told there; an alias, so that it is not collected twice
    test_an_imported_lead_accepted_before_nine_is_left_out_of_the_morning_digest as imported_lead_story,
)
from tests.test_quote_watch import QUOTE_STALE_STORIES
from tests.test_renewal_flow import (
    test_a_renewal_nudge_still_queued_when_the_renewal_deal_was_opened_never_goes_out,
)
from tests.test_ticket_flow import test_sla_notices_still_queued_when_the_ticket_moves_on_never_go_out

GROUP = -100_7777
LEAD_LINE = "张三 13800138000 华东科技有限公司 官网 预算50万 要一套CRM管销售线索 本月上线"


def shanghai(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026, given in Shanghai time (UTC+8). The 26th is a Thursday; the team works
    09:00-21:00, Monday to Saturday."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


THURSDAY_NIGHT = shanghai(26, 22, 30)
FRIDAY_EARLY = shanghai(27, 7, 30)
FRIDAY_NINE = shanghai(27, 9, 0)


async def nine_oclock(app: App, clock: FakeClock, at: datetime = FRIDAY_NINE) -> DrainReport:
    """Working hours begin: what was queued for them goes out."""
    clock.set(at)
    return await outbox_of(app).run_once()


def texts(person: Person, since: int = 0) -> list[str]:
    return [sent.text for sent in person.chat()[since:]]


def group_texts(session: RecordingSession, since: int = 0) -> list[str]:
    return [sent.text for sent in session.messages(GROUP)[since:]]


async def rows_of(app: App, kind: Kind) -> list[Any]:
    async with app.engine.connect() as conn:
        stmt = select(notifications).where(notifications.c.notice == kind.spec.key).order_by(notifications.c.id)
        return list((await conn.execute(stmt)).mappings())


def state(row: Any) -> str:
    value = row["state"]
    return str(value.value if hasattr(value, "value") else value)


async def call(app: App, fn: Any, **kwargs: Any) -> Any:
    async with app.uow() as uow:
        result = await fn(uow, **kwargs)
        await uow.commit()
    return result


async def pending_handoff(app: App, deal_id: int) -> Any:
    async with app.uow() as uow:
        return await uow.handoffs.pending_for(deal_id)


async def team_with_group(app: App, sandbox: Sandbox, *reps: str) -> tuple[Person, list[Person]]:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    people = [await join(app, sandbox, name, Role.REP) for name in reps]
    await manager.send("/bindgroup", chat_id=GROUP, chat_type="supergroup")
    return manager, people


async def reassign(app: App, manager: User, deal_id: int, to: User) -> None:
    await call(app, handoff_service.reassign, actor=manager, opportunity_id=deal_id, to_user_id=to.id or 0,
               reason="平衡工作量", now=app.clock.now())


async def accept_from_deals(person: Person, company: str) -> None:
    """The rep opens /deals, the deal waiting for them, and taps Accept on its card."""
    await person.send("/deals")
    await person.press(company)
    await person.press("✅ 接手")
    assert "现在由你负责" in person.last.text, person.last.text


# --- hand-offs ----------------------------------------------------------------------------------------


async def test_accepted_from_deals_before_nine_no_card_and_the_group_never_hears_waiting(
    app: App, sandbox: Sandbox, clock: FakeClock, session: RecordingSession
) -> None:
    manager, [wang] = await team_with_group(app, sandbox, "小王")
    clock.set(THURSDAY_NIGHT)
    await manager.send(f"/lead {LEAD_LINE}")
    await manager.press("确认")
    assert "已分配给 小王" in manager.last.text
    # The one who handed it over hears when the owner will: not tonight.
    assert "🌙 现在是下班时间，小王 会在 11月27日 周五 09:00 上班后收到。" in manager.last.text
    heard = len(session.messages(GROUP))
    await outbox_of(app).run_once()  # at night nothing goes out
    assert not any("新商机请你接手" in text for text in texts(wang)) and group_texts(session, heard) == []

    clock.set(FRIDAY_EARLY)  # 小王 looks at /deals before work and accepts there
    await wang.send("/deals")
    await wang.press("华东科技")
    assert "负责人：待 小王 确认" in wang.last.text and "公海" not in wang.last.text
    await wang.press("✅ 接手")
    assert "现在由你负责" in wang.last.text

    seen, heard = len(wang.chat()), len(session.messages(GROUP))
    await nine_oclock(app, clock)
    assert not any("接手" in text for text in texts(wang, seen))  # no card asking him to accept his own deal
    said = group_texts(session, heard)
    assert any("小王 已接手商机「华东科技有限公司」" in text for text in said), said
    assert not any("等待确认" in text for text in said), said
    [card] = await rows_of(app, Kind.HANDOFF_CARD)
    [waiting] = await rows_of(app, Kind.ASSIGNED_GROUP)
    for row in (card, waiting):  # kept, marked with why
        assert state(row) == "cancelled" and row["last_error"] == "moved on: handoff.accepted" and row["sent_at"] is None


async def test_reassigned_twice_overnight_the_middle_rep_hears_nothing_and_the_owner_hears_the_last(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    manager_p, [wang_p, li_p, zhang_p] = await team_with_group(app, sandbox, "小王", "小李", "小张")
    manager, wang, li, zhang = [await member(app, p) for p in (manager_p, wang_p, li_p, zhang_p)]
    deal_id = await seed_deal(app, wang, "西湖软件")
    clock.set(THURSDAY_NIGHT)
    await reassign(app, manager, deal_id, li)  # 小李's card and 小王's "reassigned" wait for 09:00
    clock.set(FRIDAY_EARLY)
    await reassign(app, manager, deal_id, zhang)  # the manager changes his mind before work

    marks = {p.first_name: len(p.chat()) for p in (wang_p, li_p, zhang_p)}
    await nine_oclock(app, clock)
    assert texts(li_p, marks["小李"]) == []  # never saw a card, so is not told it was withdrawn
    [told] = texts(wang_p, marks["小王"])
    assert "改派给了 小张" in told and "小李" not in told
    [card] = texts(zhang_p, marks["小张"])
    assert "把一个商机改派给你" in card and "西湖软件" in card
    cancelled = [row for row in await rows_of(app, Kind.HANDOFF_CARD_REASSIGNED) if state(row) == "cancelled"]
    assert [row["recipient_id"] for row in cancelled] == [li.id]


async def test_a_hand_off_undone_before_nine_nobody_hears_of_the_first_acceptance(
    app: App, sandbox: Sandbox, clock: FakeClock, session: RecordingSession
) -> None:
    manager_p, [wang_p, li_p] = await team_with_group(app, sandbox, "小王", "小李")
    manager, wang, li = [await member(app, p) for p in (manager_p, wang_p, li_p)]
    deal_id = await seed_deal(app, wang, "钱塘物流")
    clock.set(THURSDAY_NIGHT)
    await reassign(app, manager, deal_id, li)
    await accept_from_deals(li_p, "钱塘物流")  # queued: "小李 took over" to 小王, the group, the manager
    clock.set(FRIDAY_EARLY)
    await reassign(app, manager, deal_id, wang)  # back to 小王, who accepts at once
    await accept_from_deals(wang_p, "钱塘物流")

    marks = {p.first_name: len(p.chat()) for p in (manager_p, wang_p, li_p)}
    heard = len(session.messages(GROUP))
    await nine_oclock(app, clock)
    assert texts(wang_p, marks["小王"]) == []  # not "小李 took over, you're no longer the owner"
    assert any("小王 接手" in text for text in texts(li_p, marks["小李"]))  # 小李 held it overnight: he is told
    [said] = group_texts(session, heard)
    assert "小王 已接手" in said
    [manager_heard] = texts(manager_p, marks["李经理"])
    assert "小王 已接手" in manager_heard
    assert (await deal_row(app, deal_id)).owner_id == wang.id


# --- the pool ------------------------------------------------------------------------------------------


async def test_a_pool_deal_claimed_before_nine_the_manager_is_not_asked_to_assign_it(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    li_p = await join(app, sandbox, "小李", Role.REP)
    await set_policy(app, await member(app, manager_p), assignment="manual")
    clock.set(THURSDAY_NIGHT)
    await seed_deal(app, await member(app, wang_p), "江南制造", keep=False)  # to the pool: the manager hears at 09:00
    [pooled] = await rows_of(app, Kind.POOLED)
    assert state(pooled) == "pending"
    clock.set(FRIDAY_EARLY)
    await li_p.send("/pool")
    await li_p.press("认领")
    seen = len(manager_p.chat())
    await nine_oclock(app, clock)
    assert not any("进入了公海" in text for text in texts(manager_p, seen))
    [pooled] = await rows_of(app, Kind.POOLED)
    assert state(pooled) == "cancelled" and pooled["last_error"] == "moved on: opportunity.claimed"


async def test_a_recycled_deal_claimed_before_nine_the_manager_hears_nothing_the_old_owner_still_does(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    li_p = await join(app, sandbox, "小李", Role.REP)
    deal_id = await seed_deal(app, await member(app, wang_p), "苏州电子")
    # Qualified may idle 2 days: the manager hears at 4 (Monday 10:00), the pool takes it a working day
    # later (Tuesday 10:00). The sweep finds it on Tuesday evening.
    clock.set(shanghai(30, 22, 30) + timedelta(days=1))
    await run_sweeps(app, [RECYCLE_SWEEP])
    assert (await deal_row(app, deal_id)).owner_id is None
    clock.set(shanghai(30, 7, 30) + timedelta(days=2))
    await li_p.send("/pool")
    await li_p.press("认领")
    manager_seen, wang_seen = len(manager_p.chat()), len(wang_p.chat())
    await nine_oclock(app, clock, shanghai(30, 9) + timedelta(days=2))
    assert not any("回收到公海" in text for text in texts(manager_p, manager_seen))
    assert any("回收到了公海" in text for text in texts(wang_p, wang_seen))  # that it happened stays true


# --- follow-up -------------------------------------------------------------------------------------------


async def test_a_quiet_deal_followed_up_on_sunday_no_silence_nudge_on_monday(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    wang = await member(app, wang_p)
    clock.set(THURSDAY_NIGHT)
    deal_id = await seed_deal(app, wang, "宁波港务")
    clock.set(shanghai(28, 22, 30))  # Saturday night: two days of silence, the nudge waits for Monday
    await run_sweeps(app, [SILENCE_SWEEP])
    [nudge] = await rows_of(app, Kind.SILENT_OWNER)
    assert state(nudge) == "pending"
    clock.set(shanghai(29, 11))  # Sunday: 小王 calls the customer and logs it
    await call(app, followup.log_activity, actor=wang, opportunity_id=deal_id, kind="call", outcome="reached",
               now=clock.now())
    seen = len(wang_p.chat())
    await nine_oclock(app, clock, shanghai(30, 9))
    assert texts(wang_p, seen) == []
    [nudge] = await rows_of(app, Kind.SILENT_OWNER)
    assert state(nudge) == "cancelled" and nudge["last_error"] == "moved on: activity.logged"


async def test_a_deal_with_no_next_step_planned_before_the_flag_goes_out_is_not_flagged(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    wang = await member(app, wang_p)
    deal_id = await seed_deal(app, wang, "杭州医药")
    clock.set(THURSDAY_NIGHT)
    await call(app, deal_service.change_stage, actor=wang, opportunity_id=deal_id, to=Stage.FOLLOWING_UP,
               now=clock.now())
    clock.set(shanghai(27, 22, 30))  # a day without a next step, at night: the flag waits for Saturday
    await run_sweeps(app, [SILENCE_SWEEP])
    [flag] = await rows_of(app, Kind.NO_STEP_OWNER)
    assert state(flag) == "pending"
    clock.set(shanghai(28, 8))
    await call(app, followup.log_activity, actor=wang, opportunity_id=deal_id, kind="message", outcome="reached",
               next_step="发方案", next_due=shanghai(30, 10), now=clock.now())
    seen = len(wang_p.chat())
    await nine_oclock(app, clock, shanghai(28, 9))
    assert texts(wang_p, seen) == []


async def test_the_rep_follows_up_before_nine_the_manager_hears_no_silence_alert(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang = await member(app, await join(app, sandbox, "小王", Role.REP))
    clock.set(THURSDAY_NIGHT)
    deal_id = await seed_deal(app, wang, "无锡纺织")
    for night in (shanghai(28, 22, 30), shanghai(30, 22, 30)):  # two days, then four: owner, then manager
        clock.set(night)
        await run_sweeps(app, [SILENCE_SWEEP])
    [alert] = await rows_of(app, Kind.SILENT_MANAGER)
    assert state(alert) == "pending"
    clock.set(shanghai(30, 8) + timedelta(days=1))
    await call(app, followup.log_activity, actor=wang, opportunity_id=deal_id, kind="visit", outcome="reached",
               now=clock.now())
    seen = len(manager_p.chat())
    await nine_oclock(app, clock, shanghai(30, 9) + timedelta(days=1))
    assert texts(manager_p, seen) == []


async def test_a_managers_ping_answered_before_nine_is_not_delivered(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    manager = await member(app, await join(app, sandbox, "李经理", Role.MANAGER))
    wang_p = await join(app, sandbox, "小王", Role.REP)
    wang = await member(app, wang_p)
    deal_id = await seed_deal(app, wang, "常州机械")
    clock.set(THURSDAY_NIGHT)
    ping = await call(app, ping_owner, actor=manager, opportunity_id=deal_id, now=clock.now())
    assert ping.goes_at == FRIDAY_NINE
    clock.set(FRIDAY_EARLY)
    await call(app, followup.log_activity, actor=wang, opportunity_id=deal_id, kind="call", outcome="reached",
               now=clock.now())
    seen = len(wang_p.chat())
    await nine_oclock(app, clock)
    assert not any("提醒你跟进" in text for text in texts(wang_p, seen))


async def test_a_next_step_done_before_its_nudge_goes_out_is_not_nudged(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    wang = await member(app, wang_p)
    deal_id = await seed_deal(app, wang, "嘉兴食品")
    # A step for tonight, its time not chosen to the minute: the nudge keeps to working hours.
    await call(app, followup.log_activity, actor=wang, opportunity_id=deal_id, kind="call", outcome="reached",
               next_step="发报价单", next_due=shanghai(26, 22), now=clock.now())
    clock.set(THURSDAY_NIGHT)
    await run_sweeps(app, [REMINDER_SWEEP])
    [nudge] = await rows_of(app, Kind.FOLLOWUP_NUDGE)
    assert state(nudge) == "pending" and nudge["not_before"] == FRIDAY_NINE
    clock.set(FRIDAY_EARLY)  # 小王 sends the quote before work and logs it: the step is done
    await call(app, followup.log_activity, actor=wang, opportunity_id=deal_id, kind="email", outcome="reached",
               now=clock.now())
    seen = len(wang_p.chat())
    await nine_oclock(app, clock)
    assert not any("发报价单" in text for text in texts(wang_p, seen))


async def test_a_reminder_done_before_its_nudge_goes_out_is_not_nudged(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    wang_p = await join(app, sandbox, "小王", Role.REP)
    wang = await member(app, wang_p)
    # A reminder whose time the person did not pick (explicit=False): due Sunday, nudged Monday 09:00.
    reminder = await call(app, reminder_service.set_reminder, owner=wang, due_at=shanghai(29, 10), text="给华东科技回电话",
                          now=clock.now(), explicit=False)
    clock.set(shanghai(29, 10))
    await run_sweeps(app, [REMINDER_SWEEP])
    [nudge] = await rows_of(app, Kind.REMINDER_NUDGE)
    assert state(nudge) == "pending" and nudge["not_before"] == shanghai(30, 9)
    # Done before it went out (a press on the same reminder from elsewhere).
    await call(app, reminder_service.complete_reminder, actor=wang, reminder_id=reminder.id, round=0, now=clock.now())
    seen = len(wang_p.chat())
    await nine_oclock(app, clock, shanghai(30, 9))
    assert texts(wang_p, seen) == []
    [nudge] = await rows_of(app, Kind.REMINDER_NUDGE)
    assert nudge["last_error"] == "moved on: reminder.done"


async def test_a_nudge_followed_up_before_nine_is_not_escalated_to_the_manager(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang = await member(app, await join(app, sandbox, "小王", Role.REP))
    deal_id = await seed_deal(app, wang, "南京软件")
    step = await call(app, followup.log_activity, actor=wang, opportunity_id=deal_id, kind="call", outcome="reached",
                      next_step="约演示", next_due=shanghai(26, 15), exact_time=True, now=clock.now())
    clock.set(shanghai(26, 15))
    await run_sweeps(app, [REMINDER_SWEEP])  # 小王 is nudged at 15:00 and does nothing
    async with app.engine.connect() as conn:
        escalate_at = (await conn.execute(
            select(reminders.c.escalate_at).where(reminders.c.id == step.reminder_id)
        )).scalar_one()
    clock.set(escalate_at)  # the end of the next working day: the manager's alert waits for the morning
    await run_sweeps(app, [ESCALATION_SWEEP])
    [alert] = await rows_of(app, Kind.FOLLOWUP_ESCALATED)
    assert state(alert) == "pending" and alert["not_before"] > escalate_at
    clock.set(alert["not_before"] - timedelta(minutes=30))
    await call(app, followup.log_activity, actor=wang, opportunity_id=deal_id, kind="call", outcome="reached",
               now=clock.now())
    seen = len(manager_p.chat())
    await nine_oclock(app, clock, alert["not_before"])
    assert texts(manager_p, seen) == []


# --- deals -------------------------------------------------------------------------------------------


async def test_moved_twice_overnight_the_owner_hears_only_where_it_stands(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    manager = await member(app, await join(app, sandbox, "李经理", Role.MANAGER))
    wang_p = await join(app, sandbox, "小王", Role.REP)
    deal_id = await seed_deal(app, await member(app, wang_p), "宁波港务")
    clock.set(THURSDAY_NIGHT)
    for stage in (Stage.FOLLOWING_UP, Stage.PROPOSAL):
        await call(app, deal_service.change_stage, actor=manager, opportunity_id=deal_id, to=stage, now=clock.now())
        clock.advance(minutes=5)
    seen = len(wang_p.chat())
    await nine_oclock(app, clock)
    [told] = texts(wang_p, seen)
    assert "从「深度跟进」改到了「方案报价」" in told


async def test_a_note_and_a_follow_up_on_a_deal_that_changed_hands_overnight_reach_only_the_new_owner(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    li_p = await join(app, sandbox, "小李", Role.REP)
    manager, wang, li = [await member(app, p) for p in (manager_p, wang_p, li_p)]
    deal_id = await seed_deal(app, wang, "温州鞋业")
    clock.set(THURSDAY_NIGHT)
    await call(app, followup.log_activity, actor=manager, opportunity_id=deal_id, kind="call", outcome="reached",
               note="客户想要报价", now=clock.now())
    await call(app, lead_service.add_note, actor=manager, kind="opportunity", record_id=deal_id, note="注意预算",
               now=clock.now())
    await reassign(app, manager, deal_id, li)
    await accept_from_deals(li_p, "温州鞋业")
    seen = len(wang_p.chat())
    await nine_oclock(app, clock)
    told = texts(wang_p, seen)
    assert len(told) == 1 and "小李 接手" in told[0], told  # only that the deal is no longer his
    for kind in (Kind.FOLLOWUP_LOGGED, Kind.NOTE_ADDED):
        [row] = await rows_of(app, kind)
        assert state(row) == "cancelled" and row["recipient_id"] == wang.id


# --- delivery ------------------------------------------------------------------------------------------


async def test_a_rep_back_in_the_chat_before_nine_the_manager_is_not_told_they_cannot_be_reached(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    wang = await member(app, wang_p)
    clock.set(THURSDAY_NIGHT)
    await call(app, delivery.report_unreachable_user, user_id=wang.id, source_id=1, now=clock.now())
    clock.set(FRIDAY_EARLY)
    await wang_p.send("/help")  # writing to the bot makes them reachable again
    seen = len(manager_p.chat())
    report = await nine_oclock(app, clock)
    assert texts(manager_p, seen) == []
    # Nothing cancelled it when 小王 came back: the dispatcher's own check did, just before sending.
    [alert] = await rows_of(app, Kind.USER_UNREACHABLE)
    assert alert["last_error"] == "stale before sending: still_unreachable" and report.cancelled == 1


async def test_a_group_bound_again_before_nine_the_managers_are_not_told_to_bind_it(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    manager_p, _ = await team_with_group(app, sandbox, "小王")
    team_id = (await member(app, manager_p)).team_id
    clock.set(THURSDAY_NIGHT)
    await call(app, delivery.report_unreachable_group, chat_id=GROUP, team_id=team_id, source_id=1, now=clock.now())
    clock.set(FRIDAY_EARLY)
    await manager_p.send("/bindgroup", chat_id=GROUP, chat_type="supergroup")
    seen = len(manager_p.chat())
    await nine_oclock(app, clock)
    assert texts(manager_p, seen) == []


# --- leads from other channels -------------------------------------------------------------------------


async def test_a_web_lead_rescored_into_a_deal_before_nine_is_not_reported_as_nurtured(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    await join(app, sandbox, "小王", Role.REP)
    manager = await member(app, manager_p)
    clock.set(THURSDAY_NIGHT)
    key, _ = await call(app, intake.issue_key, actor=manager, channel="官网表单", source=LeadSource.WEBSITE, now=clock.now())
    cold = LeadDraft(company="宁波海曙贸易", contact_name="周女士", phone="13700137000", need="想做进销存")
    result = await call(app, intake.capture_via_key, key=key, draft=cold, idempotency_key=None, now=clock.now())
    assert result.outcome == "nurture"  # the manager hears of it at 09:00: nobody typed it in
    clock.set(FRIDAY_EARLY)  # the manager called the customer and fills in what he learned
    rescored = await call(app, lead_service.rescore_lead, actor=manager, lead_id=result.lead.id, now=clock.now(),
                          changes={"budget": "known", "authority": "yes", "timeline": "this_month"})
    assert rescored.opportunity is not None
    seen = len(manager_p.chat())
    await nine_oclock(app, clock)
    assert not any("培育池" in text for text in texts(manager_p, seen))


# --- and when nothing moves on ---------------------------------------------------------------------------


async def test_a_week_where_nothing_moves_on_every_notice_goes_out(
    app: App, sandbox: Sandbox, clock: FakeClock, session: RecordingSession
) -> None:
    """The same kinds, each delivered before anything else happens to its subject: none is cancelled."""
    manager_p, [wang_p, li_p, zhang_p] = await team_with_group(app, sandbox, "小王", "小李", "小张")
    manager, wang, li, zhang = [await member(app, p) for p in (manager_p, wang_p, li_p, zhang_p)]
    deliver = outbox_of(app).run_once
    quiet, moved, noted, pinged, stepped = [
        await seed_deal(app, wang, company) for company in ("甲公司", "乙公司", "丙公司", "丁公司", "戊公司")
    ]
    # A hand-off by the policy, and one by the manager; both accepted once their cards arrived.
    captured = await seed_deal(app, manager, "己公司", keep=False)
    await deliver()
    handoff = await pending_handoff(app, captured)
    people = {wang.id: wang_p, li.id: li_p, zhang.id: zhang_p}
    await accept_from_deals(people[handoff.to_user_id], "己公司")
    await reassign(app, manager, quiet, li)
    await deliver()
    await accept_from_deals(li_p, "甲公司")
    # A lead imported from a file: its held card goes once the file is done, and is accepted.
    sheet = [["公司", "电话", "需求", "预算", "时间", "决策人"], ["壬公司", "13600136001", "要一套CRM", "50万", "本月上线", "是"]]
    plan = await call(app, imports.plan_import, actor=manager, rows=sheet, now=clock.now())
    report = imports.ImportReport(total=plan.total)
    await call(app, imports.import_batch, actor=manager, rows=plan.new, channel="导入:x", report=report, now=clock.now())
    await call(app, imports.finish_import, actor=manager, channel="导入:x", report=report, now=clock.now())
    await deliver()
    [imported_to] = report.by_rep
    await accept_from_deals(people[imported_to], "壬公司")
    await set_policy(app, manager, assignment="manual")
    await seed_deal(app, zhang, "庚公司", keep=False)  # to the pool
    await call(app, deal_service.change_stage, actor=manager, opportunity_id=moved, to=Stage.FOLLOWING_UP,
               now=clock.now())
    await call(app, followup.log_activity, actor=manager, opportunity_id=noted, kind="call", outcome="reached",
               now=clock.now())
    await call(app, lead_service.add_note, actor=manager, kind="opportunity", record_id=noted, note="注意预算",
               now=clock.now())
    await call(app, ping_owner, actor=manager, opportunity_id=pinged, now=clock.now())
    step = await call(app, followup.log_activity, actor=wang, opportunity_id=stepped, kind="call", outcome="reached",
                      next_step="约演示", next_due=clock.now() + timedelta(hours=1), exact_time=True, now=clock.now())
    await call(app, reminder_service.set_reminder, owner=wang, due_at=clock.now() + timedelta(hours=2),
               text="给客户回电话", now=clock.now())
    key, _ = await call(app, intake.issue_key, actor=manager, channel="官网表单", source=LeadSource.WEBSITE, now=clock.now())
    await call(app, intake.capture_via_key, key=key, draft=LeadDraft(company="辛公司", phone="13700137000"),
               idempotency_key=None, now=clock.now())
    await payments.a_quiet_week_of_contracts(app, sandbox, clock, manager, wang)
    await deliver()
    for moment in (shanghai(26, 13), shanghai(27, 10, 30), shanghai(27, 21, 1), shanghai(28, 9), shanghai(28, 10, 30),
                   shanghai(30, 10, 30), shanghai(30, 11) + timedelta(days=1)):
        clock.set(moment)  # nudges, escalations, silence at 1, 2 and 4 days, recycling
        await run_sweeps(app)
        await deliver()
    async with app.engine.connect() as conn:
        escalated = (await conn.execute(select(reminders.c.escalated_at).where(reminders.c.id == step.reminder_id)))
        assert escalated.scalar_one() is not None
    await call(app, delivery.report_unreachable_user, user_id=zhang.id, source_id=1, now=clock.now())
    await call(app, delivery.report_unreachable_group, chat_id=GROUP, team_id=manager.team_id, source_id=2,
               now=clock.now())
    await deliver()
    # A P1 ticket nobody answers: the owner's card, then each SLA mark of both clocks, each delivered.
    from tests.ticket_support import open_ticket, ticket_row
    ticket = await open_ticket(app, manager, await seed_deal(app, wang, "丑公司"))
    await deliver()
    assert ticket.id is not None
    for _ in range(6):
        due = (await ticket_row(app, ticket.id)).check_at
        assert due is not None
        clock.set(due)
        await run_sweeps(app)
        await deliver()
    # A deal in delivery: its kick-off handed to 小李 (his card), nudged on its day, overdue at its end
    # (told the next morning), each delivered.
    from domain.delivery import services as checklists
    handed = await seed_deal(app, wang, "癸公司")
    async with app.uow() as uow:
        await deal_service.change_stage(uow, actor=manager, opportunity_id=handed, to=Stage.DELIVERY, override=True,
                                        now=clock.now())
        kickoff = (await uow.checklists.for_deal(handed))[0]
        assert kickoff.id is not None and li.id is not None
        await checklists.reassign_item(uow, actor=manager, item_id=kickoff.id, to_user_id=li.id, now=clock.now())
        await uow.commit()
    await deliver()
    for _ in range(2):
        async with app.uow() as uow:
            item = await uow.checklists.get(kickoff.id)
        assert item is not None and item.check_at is not None
        clock.set(item.check_at)
        await run_sweeps(app)
        clock.advance(hours=12)
        await deliver()
    # A won deal's renewal: the owner's nudge 30 days before, delivered.
    from domain.renewals import services as renewals
    renewed = await seed_deal(app, wang, "子公司")
    async with app.uow() as uow:
        await deal_service.change_stage(uow, actor=manager, opportunity_id=renewed, to=Stage.WON, override=True,
                                        now=clock.now())
        await renewals.set_renewal(uow, actor=wang, deal_id=renewed, on=clock.now().date() + timedelta(days=20),
                                   now=clock.now())
        await uow.commit()
    await run_sweeps(app)  # within 30 days: the nudge at once
    await deliver()
    # A question to a colleague from a deal's card: the card, "accepted", the reminder, "late", each delivered.
    from domain.assist import services as assist
    from domain.assist.model import Deadline
    asked_on = await seed_deal(app, wang, "丑二公司")
    assert li.id is not None
    question = await call(app, assist.ask, actor=wang, helper_id=li.id, question="集团折扣多少？",
                          deadline=Deadline.TWO_HOURS, now=clock.now(), deal_id=asked_on)
    await deliver()
    await call(app, assist.accept, actor=li, question_id=question.id, now=clock.now())
    await deliver()
    for moment in (question.remind_at, question.due_at):
        clock.set(moment)
        await run_sweeps(app)
        await deliver()

    async with app.engine.connect() as conn:
        rows = list((await conn.execute(select(notifications.c.notice, notifications.c.state))).all())
    assert {notice for notice, _ in rows} >= {kind.spec.key for kind in STALE_STORIES}
    assert {str(getattr(st, "value", st)) for _, st in rows} == {"sent"}, [r for r in rows if "sent" not in str(r[1])]


# --- the registry ----------------------------------------------------------------------------------------


STALE_STORIES = {
    Kind.HANDOFF_CARD: test_accepted_from_deals_before_nine_no_card_and_the_group_never_hears_waiting,
    Kind.ASSIGNED_GROUP: test_accepted_from_deals_before_nine_no_card_and_the_group_never_hears_waiting,
    Kind.HANDOFF_CARD_REASSIGNED: test_reassigned_twice_overnight_the_middle_rep_hears_nothing_and_the_owner_hears_the_last,
    Kind.HANDOFF_REASSIGNED: test_reassigned_twice_overnight_the_middle_rep_hears_nothing_and_the_owner_hears_the_last,
    Kind.ACCEPTED_GROUP: test_a_hand_off_undone_before_nine_nobody_hears_of_the_first_acceptance,
    Kind.HANDOFF_TAKEN_OVER: test_a_hand_off_undone_before_nine_nobody_hears_of_the_first_acceptance,
    Kind.HANDOFF_ACCEPTED: test_a_hand_off_undone_before_nine_nobody_hears_of_the_first_acceptance,
    Kind.POOLED: test_a_pool_deal_claimed_before_nine_the_manager_is_not_asked_to_assign_it,
    Kind.RECYCLED_MANAGER: test_a_recycled_deal_claimed_before_nine_the_manager_hears_nothing_the_old_owner_still_does,
    Kind.SILENT_OWNER: test_a_quiet_deal_followed_up_on_sunday_no_silence_nudge_on_monday,
    Kind.NO_STEP_OWNER: test_a_deal_with_no_next_step_planned_before_the_flag_goes_out_is_not_flagged,
    Kind.SILENT_MANAGER: test_the_rep_follows_up_before_nine_the_manager_hears_no_silence_alert,
    Kind.PING_OWNER: test_a_managers_ping_answered_before_nine_is_not_delivered,
    Kind.FOLLOWUP_NUDGE: test_a_next_step_done_before_its_nudge_goes_out_is_not_nudged,
    Kind.REMINDER_NUDGE: test_a_reminder_done_before_its_nudge_goes_out_is_not_nudged,
    Kind.FOLLOWUP_ESCALATED: test_a_nudge_followed_up_before_nine_is_not_escalated_to_the_manager,
    Kind.STAGE_CHANGED: test_moved_twice_overnight_the_owner_hears_only_where_it_stands,
    Kind.NOTE_ADDED: test_a_note_and_a_follow_up_on_a_deal_that_changed_hands_overnight_reach_only_the_new_owner,
    Kind.FOLLOWUP_LOGGED: test_a_note_and_a_follow_up_on_a_deal_that_changed_hands_overnight_reach_only_the_new_owner,
    Kind.USER_UNREACHABLE: test_a_rep_back_in_the_chat_before_nine_the_manager_is_not_told_they_cannot_be_reached,
    Kind.GROUP_UNREACHABLE: test_a_group_bound_again_before_nine_the_managers_are_not_told_to_bind_it,
    Kind.INTAKE_NURTURED: test_a_web_lead_rescored_into_a_deal_before_nine_is_not_reported_as_nurtured,
    Kind.HANDOFF_CARD_IMPORTED: imported_lead_story,
    # contracts and payments (issue 12): the stories are in tests/test_payment_reminders.py
    Kind.CONTRACT_SIGN_HALF: payments.test_signed_before_nine_no_signing_nudge,
    Kind.CONTRACT_SIGN_OVERDUE: payments.test_signed_on_the_morning_after_the_deadline_nobody_hears_it_passed,
    Kind.PAYMENT_DUE: payments.test_paid_before_the_reminder_went_out_no_reminder_and_no_escalation,
    Kind.PAYMENT_OVERDUE: payments.test_paid_before_the_reminder_went_out_no_reminder_and_no_escalation,
    Kind.PAYMENT_CARD: payments.test_confirmed_before_nine_finance_gets_no_card,
    **dict.fromkeys(
        (Kind.TICKET_ASSIGNED, Kind.TICKET_RESPONSE_DUE, Kind.TICKET_RESPONSE_LATE, Kind.TICKET_RESOLVE_DUE,
         Kind.TICKET_RESOLVE_LATE),
        test_sla_notices_still_queued_when_the_ticket_moves_on_never_go_out,
    ),
    **dict.fromkeys(
        (Kind.DELIVERY_ITEM_ASSIGNED, Kind.DELIVERY_ITEM_DUE, Kind.DELIVERY_ITEM_OVERDUE),
        test_a_nudge_still_queued_when_the_item_is_done_never_goes_out,
    ),
    Kind.RENEWAL_DUE: test_a_renewal_nudge_still_queued_when_the_renewal_deal_was_opened_never_goes_out,
    **dict.fromkeys((Kind.ASSIST_ASKED, Kind.ASSIST_ACCEPTED, Kind.ASSIST_DUE, Kind.ASSIST_OVERDUE), assist_story),
}


def test_every_kind_that_can_go_stale_has_its_story() -> None:
    can_go_stale = {kind for kind in Kind if kind.spec.valid is not Valid.ALWAYS}
    # Quotes tell theirs, and their week where nothing moves first, in tests/test_quote_watch.py.
    assert can_go_stale == set(STALE_STORIES) | set(QUOTE_STALE_STORIES)


def test_every_rule_is_one_sql_condition() -> None:
    assert set(notice_rules.PREDICATES) == set(Valid) - {Valid.ALWAYS}
