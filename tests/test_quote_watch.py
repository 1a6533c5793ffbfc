"""Nothing waits silently, and nothing stale reaches a phone (issue 11), on SQLite and PostgreSQL.

A pending approval always has its next check: after the escalation, whoever it went to is reminded once
every SLA period and the rep hears where it stands, never more often. And each quote notice holds only
while its subject stands: it is evening, something about a quote is queued for 09:00, somebody decides
before 09:00, and at 09:00 the phone gets nothing stale; an old card's press says who decided it.
`QUOTE_STALE_STORIES` maps every quote kind that can go stale to its story (tests/test_stale_notices.py
checks the registry)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.factory import App
from bot.outbox import outbox_of
from bot.sandbox import Sandbox
from bot.sweeps import run_sweeps
from domain.outbox.kinds import Kind
from domain.quotes.model import ApprovalStep, QuoteStatus, StepState
from handlers.quotes.common import QAct, QuoteCb
from storage.tables import notifications, quote_approvals
from tests.deal_support import alert
from tests.fakes import FakeClock
from tests.quote_support import (
    Crew,
    build,
    buttons_of,
    crew,
    deal_with_needs,
    latest_quote,
    notes_to,
    seed_catalog,
    submit,
    tap,
)


def shanghai(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of November 2026 in Shanghai time; the 26th is a Thursday, the team works 09:00-21:00."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


def december(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


async def steps_of(app: App, quote_id: int) -> list[ApprovalStep]:
    async with app.uow() as uow:
        return list(await uow.quotes.steps(quote_id))


async def rows_of(app: App, kind: Kind) -> list[Any]:
    async with app.engine.connect() as conn:
        stmt = select(notifications).where(notifications.c.notice == kind.spec.key).order_by(notifications.c.id)
        return list((await conn.execute(stmt)).mappings())


def state(row: Any) -> str:
    value = row["state"]
    return str(getattr(value, "value", value))


async def submitted(app: App, c: Crew, discount: str = "10%", company: str = "华东科技") -> int:
    """The rep builds a quote with a discount on a new deal and submits it; its id."""
    deal_id = await deal_with_needs(app, c.rep, company)
    await build(c.rep_p, deal_id, discount=discount)
    await submit(c.rep_p)
    assert "已提交审批" in c.rep_p.last.text, c.rep_p.last.text
    return (await latest_quote(app, deal_id)).id or 0


async def open_quote(person: Any, quote_id: int) -> None:
    await tap(person, QuoteCb(act=QAct.OPEN, id=quote_id).pack())


# --- the watch after the escalation ---------------------------------------------------------------------


async def test_after_the_escalation_the_admin_is_reminded_once_each_sla_period_and_the_rep_hears_each_time(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    c = await crew(app, sandbox)
    await seed_catalog(app, c.manager)
    quote_id = await submitted(app, c)
    [step] = await steps_of(app, quote_id)
    for stage in (1, 2, 3, 4):  # reminded, escalated, then reminded after the escalation, twice
        assert step.check_at is not None, f"stage {step.sla_stage}: a pending approval nobody watches"
        clock.set(step.check_at - timedelta(minutes=1))
        await run_sweeps(app)
        assert (await steps_of(app, quote_id))[0].sla_stage == stage - 1  # not before its time
        clock.set(step.check_at + timedelta(minutes=1))
        await run_sweeps(app)
        await run_sweeps(app)  # the sweep again at once: no flood
        [step] = await steps_of(app, quote_id)
        assert step.sla_stage == stage and step.state is StepState.PENDING

    manager_notes = [n["text"] for n in await notes_to(app, c.manager, "quote.approval")]
    assert len(manager_notes) == 2 and "还在等你审批，已超过时限" in manager_notes[1]  # the card, one reminder
    admin_notes = await notes_to(app, c.admin, "quote.approval")
    assert ["审批超时升级" in n["text"] for n in admin_notes] == [True, False, False]
    for overdue in admin_notes[1:]:
        assert "Q-2026-0001-v1（华东科技，小王）超时升级后还在等审批（李经理 没处理" in overdue["text"]
        assert list(buttons_of(overdue)) == ["✅ 批准", "❌ 驳回", "💬 还价"]
    where = [n["text"] for n in await notes_to(app, c.rep, "quote.status")]
    assert len(where) == 4 and "已提醒 李经理" in where[0] and "已升级给管理员" in where[1]
    assert all("升级后仍未审批，已再次提醒 admin" in text for text in where[2:])

    await tap(c.admin_p, buttons_of(admin_notes[-1])["✅ 批准"])  # decided from the reminder itself
    assert "已批准 Q-2026-0001-v1" in c.admin_p.last.text
    [step] = await steps_of(app, quote_id)
    assert step.state is StepState.APPROVED and step.check_at is None
    clock.advance(days=3)
    await run_sweeps(app)
    assert len(await notes_to(app, c.admin, "quote.approval")) == 3  # decided: nothing more


async def test_a_step_escalated_before_steps_were_watched_after_it_is_picked_up_again(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    """A step an earlier version escalated and left without a next check (live data): the sweep takes it at
    once, reminds the admins, and watches it from then on."""
    c = await crew(app, sandbox)
    await seed_catalog(app, c.manager)
    quote_id = await submitted(app, c)
    async with app.engine.begin() as conn:
        await conn.execute(update(quote_approvals).where(quote_approvals.c.quote_id == quote_id).values(
            sla_stage=2, check_at=None))
    clock.advance(minutes=1)
    await run_sweeps(app)
    [step] = await steps_of(app, quote_id)
    assert step.sla_stage == 3 and step.check_at is not None and step.check_at > clock.now()
    [overdue] = await notes_to(app, c.admin, "quote.approval")
    assert "超时升级后还在等审批" in overdue["text"]


# --- stale notices -------------------------------------------------------------------------------------------


async def test_submitted_at_night_and_withdrawn_before_nine_the_manager_gets_no_card_and_the_old_one_says_so(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    c = await crew(app, sandbox)
    await seed_catalog(app, c.manager)
    clock.set(shanghai(26, 22, 30))
    quote_id = await submitted(app, c)
    [card] = await rows_of(app, Kind.QUOTE_APPROVAL_CARD)
    assert state(card) == "pending"  # waits for 09:00

    clock.set(shanghai(27, 7, 30))
    await open_quote(c.rep_p, quote_id)
    await c.rep_p.press("撤回修改")
    assert "已撤回审批" in c.rep_p.last.text
    since = len(c.manager_p.chat())
    clock.set(shanghai(27, 9))
    await outbox_of(app).run_once()
    assert c.manager_p.chat()[since:] == []
    [card] = await rows_of(app, Kind.QUOTE_APPROVAL_CARD)
    assert state(card) == "cancelled" and card["last_error"] == "moved on: quote.withdrawn"
    # The card's button, pressed anyway (a card seen elsewhere, an old one): nothing happens, and why.
    assert "小王 已经撤回报价 Q-2026-0001-v1 去修改了" in alert(await tap(c.manager_p, buttons_of(card)["✅ 批准"]))
    assert (await latest_quote(app, (await latest_quote_deal(app, quote_id)))).status is QuoteStatus.DRAFT


async def latest_quote_deal(app: App, quote_id: int) -> int:
    async with app.uow() as uow:
        quote = await uow.quotes.get(quote_id)
    assert quote is not None
    return quote.opportunity_id


SLA_KINDS = {0: Kind.QUOTE_APPROVAL_REMINDER, 1: Kind.QUOTE_APPROVAL_ESCALATED, 2: Kind.QUOTE_APPROVAL_OVERDUE}


@pytest.mark.parametrize("stage", list(SLA_KINDS), ids=lambda s: SLA_KINDS[s].name)
async def test_an_approval_past_its_deadline_at_nine_pm_and_approved_that_evening_nobody_is_chased_next_morning(
    app: App, sandbox: Sandbox, clock: FakeClock, stage: int
) -> None:
    c = await crew(app, sandbox)
    await seed_catalog(app, c.manager)
    quote_id = await submitted(app, c)
    [card] = await notes_to(app, c.manager, "quote.approval")
    # The step's SLA stage so far, its next check at the end of Thursday's working hours.
    async with app.engine.begin() as conn:
        await conn.execute(update(quote_approvals).where(quote_approvals.c.quote_id == quote_id).values(
            sla_stage=stage, check_at=shanghai(26, 21)))
    clock.set(shanghai(26, 21, 1))
    await run_sweeps(app)
    [chase] = await rows_of(app, SLA_KINDS[stage])
    [status] = await rows_of(app, Kind.QUOTE_APPROVAL_STATUS)
    assert state(chase) == "pending" and state(status) == "pending"  # both wait for 09:00

    clock.set(shanghai(26, 22))
    await tap(c.manager_p, buttons_of(card)["✅ 批准"])  # the manager decides from the first card that evening
    assert "已批准" in c.manager_p.last.text
    seen = [len(p.chat()) for p in (c.manager_p, c.admin_p, c.rep_p)]
    clock.set(shanghai(27, 9))
    await outbox_of(app).run_once()
    assert c.manager_p.chat()[seen[0]:] == [] and c.admin_p.chat()[seen[1]:] == []
    [heard] = [sent.text for sent in c.rep_p.chat()[seen[2]:]]
    assert "已由 李经理 批准" in heard  # the rep hears the outcome, not that it is late
    for row in (await rows_of(app, SLA_KINDS[stage]))[-1:] + (await rows_of(app, Kind.QUOTE_APPROVAL_STATUS)):
        assert state(row) == "cancelled" and row["last_error"] == "moved on: quote.approved"


async def test_approved_at_night_and_revised_before_nine_the_rep_is_not_told_to_send_the_old_version(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    c = await crew(app, sandbox)
    await seed_catalog(app, c.manager)
    quote_id = await submitted(app, c)
    [card] = await notes_to(app, c.manager, "quote.approval")
    clock.set(shanghai(26, 22))
    await tap(c.manager_p, buttons_of(card)["✅ 批准"])
    [approved] = await rows_of(app, Kind.QUOTE_APPROVED)
    assert state(approved) == "pending"
    clock.set(shanghai(27, 7, 30))
    await open_quote(c.rep_p, quote_id)  # the rep sees it approved and revises it at once
    await c.rep_p.press("修改报价")
    assert "已生成新版本 Q-2026-0001-v2" in c.rep_p.last.text
    since = len(c.rep_p.chat())
    clock.set(shanghai(27, 9))
    await outbox_of(app).run_once()
    assert c.rep_p.chat()[since:] == []
    [approved] = await rows_of(app, Kind.QUOTE_APPROVED)
    assert state(approved) == "cancelled" and approved["last_error"] == "moved on: quote.revised"


async def test_rejected_or_countered_at_night_and_handled_from_the_quote_before_nine_the_rep_hears_nothing_stale(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    c = await crew(app, sandbox)
    await seed_catalog(app, c.manager)
    first = await submitted(app, c)
    second = await submitted(app, c, discount="15%", company="西湖软件")
    first_card, second_card = await notes_to(app, c.manager, "quote.approval")
    clock.set(shanghai(26, 22))
    await tap(c.manager_p, buttons_of(first_card)["❌ 驳回"])
    await c.manager_p.send("先加上实施服务")
    await tap(c.manager_p, buttons_of(second_card)["💬 还价"])
    await c.manager_p.press("12%")
    assert "已还价" in c.manager_p.last.text

    clock.set(shanghai(27, 7, 30))
    await open_quote(c.rep_p, first)  # the quote shows it was rejected: the rep fixes it and submits again
    assert "❌ 销售经理 已驳回" in c.rep_p.last.text
    await c.rep_p.press("自定义服务")
    await c.rep_p.send("实施服务 5000")
    await submit(c.rep_p)  # 10% of the lines but 9.6% of the whole now: approved at once
    assert "无需审批" in c.rep_p.last.text
    await open_quote(c.rep_p, second)  # the counter-offer is on the quote: taken with one tap
    await c.rep_p.press("接受还价")
    assert "已接受还价" in c.rep_p.last.text
    since = len(c.rep_p.chat())
    clock.set(shanghai(27, 9))
    await outbox_of(app).run_once()
    assert c.rep_p.chat()[since:] == []
    [rejected] = await rows_of(app, Kind.QUOTE_APPROVAL_REJECTED)
    [countered] = await rows_of(app, Kind.QUOTE_COUNTERED)
    assert (state(rejected), rejected["last_error"]) == ("cancelled", "moved on: quote.approved")
    assert (state(countered), countered["last_error"]) == ("cancelled", "moved on: quote.counter_taken")


async def test_a_quote_accepted_before_its_expiry_nudge_goes_out_and_one_revised_after_expiring_at_midnight(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    c = await crew(app, sandbox)
    await seed_catalog(app, c.manager)
    await c.manager_p.send("/quotepolicy 10 20 15 4 3")  # quotes valid 3 days
    accepted_deal = await deal_with_needs(app, c.rep)
    await build(c.rep_p, accepted_deal, discount="")
    await submit(c.rep_p)  # no discount: approved at once, valid through Sunday 29 Nov
    await c.rep_p.press("标记已发送")
    revised_deal = await deal_with_needs(app, c.rep, "西湖软件")
    await build(c.rep_p, revised_deal, discount="")
    await submit(c.rep_p)
    accepted, revised = await latest_quote(app, accepted_deal), await latest_quote(app, revised_deal)

    clock.set(shanghai(27, 9))  # Friday 09:00, two working days before: the nudges are queued...
    await run_sweeps(app)
    assert [state(r) for r in await rows_of(app, Kind.QUOTE_EXPIRING)] == ["pending", "pending"]
    await open_quote(c.rep_p, accepted.id or 0)  # ...and before they go out the customer says yes
    await c.rep_p.press("客户接受")
    assert "客户已接受" in c.rep_p.last.text
    await outbox_of(app).run_once()
    nudges = await rows_of(app, Kind.QUOTE_EXPIRING)
    assert [(r["subject_id"], state(r)) for r in nudges] == [(accepted.id, "cancelled"), (revised.id, "sent")]

    clock.set(shanghai(30, 0, 1))  # Monday 00:01: expired, told at 09:00
    await run_sweeps(app)
    [expired] = await rows_of(app, Kind.QUOTE_EXPIRED)
    assert state(expired) == "pending"
    await open_quote(c.rep_p, revised.id or 0)
    await c.rep_p.press("修改报价")
    since = len(c.rep_p.chat())
    clock.set(shanghai(30, 9))
    await outbox_of(app).run_once()
    assert not [sent for sent in c.rep_p.chat()[since:] if "Q-2026" in sent.text]  # (follow-up nudges may come)
    [expired] = await rows_of(app, Kind.QUOTE_EXPIRED)
    assert (state(expired), expired["last_error"]) == ("cancelled", "moved on: quote.revised")


async def test_when_nobody_moves_first_every_quote_notice_goes_out(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    c = await crew(app, sandbox)
    await seed_catalog(app, c.manager)
    await c.manager_p.send("/quotepolicy 10 20 15 4 5")  # quotes valid 5 days
    deliver = outbox_of(app).run_once
    late = await submitted(app, c)
    await submitted(app, c, company="西湖软件")
    await submitted(app, c, discount="15%", company="钱塘物流")
    await deliver()
    _late_card, rejected_card, countered_card = await notes_to(app, c.manager, "quote.approval")
    await tap(c.manager_p, buttons_of(rejected_card)["❌ 驳回"])
    await c.manager_p.send("价格太低")
    await tap(c.manager_p, buttons_of(countered_card)["💬 还价"])
    await c.manager_p.press("12%")
    await deliver()
    for _ in range(3):  # reminded, escalated, reminded again
        [step] = [s for s in await steps_of(app, late) if s.state is StepState.PENDING]
        assert step.check_at is not None
        clock.set(step.check_at + timedelta(minutes=1))
        await run_sweeps(app)
        await deliver()
    await tap(c.admin_p, buttons_of((await notes_to(app, c.admin, "quote.approval"))[-1])["✅ 批准"])
    await deliver()
    await open_quote(c.rep_p, late)
    await c.rep_p.press("标记已发送")
    assert (await latest_quote(app, await latest_quote_deal(app, late))).valid_until.isoformat() == "2026-12-01"
    for moment in (shanghai(28, 9), december(2, 0, 1), december(2, 9)):  # the nudge, the expiry, told at 09:00
        clock.set(moment)
        await run_sweeps(app)
        await deliver()

    async with app.engine.connect() as conn:
        rows = list((await conn.execute(
            select(notifications.c.notice, notifications.c.state, notifications.c.last_error)
        )).all())
    assert {notice for notice, _, _ in rows} >= {kind.spec.key for kind in QUOTE_STALE_STORIES}
    quote_rows = [row for row in rows if str(row[0]).startswith("quote-")]  # (deals left alone go stale too)
    assert {str(getattr(st, "value", st)) for _, st, _ in quote_rows} == {"sent"}, [r for r in quote_rows if r[2]]


QUOTE_STALE_STORIES = {
    Kind.QUOTE_APPROVAL_CARD: test_submitted_at_night_and_withdrawn_before_nine_the_manager_gets_no_card_and_the_old_one_says_so,
    **{kind: test_an_approval_past_its_deadline_at_nine_pm_and_approved_that_evening_nobody_is_chased_next_morning
       for kind in (*SLA_KINDS.values(), Kind.QUOTE_APPROVAL_STATUS)},
    Kind.QUOTE_APPROVED: test_approved_at_night_and_revised_before_nine_the_rep_is_not_told_to_send_the_old_version,
    Kind.QUOTE_APPROVAL_REJECTED: test_rejected_or_countered_at_night_and_handled_from_the_quote_before_nine_the_rep_hears_nothing_stale,
    Kind.QUOTE_COUNTERED: test_rejected_or_countered_at_night_and_handled_from_the_quote_before_nine_the_rep_hears_nothing_stale,
    Kind.QUOTE_EXPIRING: test_a_quote_accepted_before_its_expiry_nudge_goes_out_and_one_revised_after_expiring_at_midnight,
    Kind.QUOTE_EXPIRED: test_a_quote_accepted_before_its_expiry_nudge_goes_out_and_one_revised_after_expiring_at_midnight,
}
