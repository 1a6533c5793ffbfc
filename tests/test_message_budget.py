"""A person's daily message budget (domain/outbox/kinds.py Budget): past it, what can wait is held over to
their next working morning and goes as one message, a numbered button per notice; what cannot wait (a
hand-off card with its deadline) still goes at once. Nothing held over is lost, and nothing that moved on
meanwhile is listed or reopened."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.factory import App
from bot.outbox import outbox_of
from bot.sandbox import Sandbox
from domain.errors import Forbidden
from domain.followup import activities as followup
from domain.outbox import services as delivery
from domain.outbox.kinds import Budget, Kind
from domain.team.model import Role
from tests.conftest import join
from tests.deal_support import alert, member, seed_deal
from tests.fakes import FakeClock
from tests.test_outbox_digest import COMPANIES, alert_rows, silent_deals, state
from tests.test_stale_notices import call, shanghai, texts

MONDAY_NINE = shanghai(30, 9)
TUESDAY_NINE = MONDAY_NINE + timedelta(days=1)


async def test_past_the_budget_what_can_wait_comes_next_morning_as_one_message(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    outbox_of(app).store.budget = Budget(per_day=3)
    manager = await member(app, await join(app, sandbox, "李经理", Role.MANAGER))
    wang_p = await join(app, sandbox, "小王", Role.REP)
    wang = await member(app, wang_p)
    deals = await silent_deals(app, clock, wang, COMPANIES[:6])  # six "no follow-up yet" nudges for Monday 09:00
    seen = len(wang_p.chat())

    clock.set(MONDAY_NINE)
    report = await outbox_of(app).run_once()
    monday = texts(wang_p, seen)
    assert len(monday) == 3 and all("还没有定下一步" in t or "没有跟进" in t for t in monday), monday
    assert report.held_over == 3

    # Over budget, a hand-off card (a deadline is running) still goes at once.
    clock.set(MONDAY_NINE + timedelta(hours=1))
    await seed_deal(app, manager, "新客户", keep=False)
    await outbox_of(app).run_once()
    assert "新商机请你接手" in wang_p.last.text and "新客户" in wang_p.last.text
    seen = len(wang_p.chat())

    # 小王 follows up one of the held-over deals in the afternoon: it will not be listed.
    held = [r for r in await alert_rows(app, Kind.NO_STEP_OWNER) + await alert_rows(app, Kind.SILENT_OWNER)
            if r["held_over"]]
    assert len(held) == 3 and {state(r) for r in held} == {"pending"}
    clock.set(MONDAY_NINE + timedelta(hours=5))
    followed = next(d for d in deals if any(r["subject_id"] == d for r in held))
    await call(app, followup.log_activity, actor=wang, opportunity_id=followed, kind="call", outcome="reached",
               now=clock.now())

    clock.set(TUESDAY_NINE)
    await outbox_of(app).run_once()
    tuesday = texts(wang_p, seen)
    digest = next(t for t in tuesday if "攒下来的" in t)
    assert digest.startswith("📬 <b>攒下来的 2 条提醒</b>")
    assert "\n1. " in digest and "\n2. " in digest and "\n3. " not in digest
    assert sum("攒下来的" in t for t in tuesday) == 1

    digest_message = next(s for s in wang_p.chat()[seen:] if "攒下来的" in s.text)
    numbers = dict(digest_message.buttons)
    assert list(numbers) == ["1", "2"] and len(digest_message.markup.inline_keyboard) == 1  # type: ignore[union-attr]
    await wang_p.press_data(numbers["1"], message_id=digest_message.message_id, text=digest_message.text)
    opened = wang_p.last
    assert any("记录跟进" in label for label, _ in opened.buttons)
    assert opened.text.split("\n")[0].replace("<b>", "").replace("</b>", "") in digest

    # The second one is followed up from its own screen first; its button then says so and shows nothing.
    still = [r for r in held if r["subject_id"] != followed]
    second = next(r for r in still if r["text"].split("\n")[0] not in opened.text)
    await call(app, followup.log_activity, actor=wang, opportunity_id=second["subject_id"], kind="visit",
               outcome="reached", now=clock.now())
    before = len(wang_p.chat())
    answered = await wang_p.press_data(numbers["2"], message_id=digest_message.message_id, text=digest_message.text)
    assert len(wang_p.chat()) == before and "这条已经处理过了" in alert(answered)


async def test_nobody_opens_someone_elses_held_over_notice(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    outbox_of(app).store.budget = Budget(per_day=1)
    await join(app, sandbox, "李经理", Role.MANAGER)
    wang = await member(app, await join(app, sandbox, "小王", Role.REP))
    zhang = await member(app, await join(app, sandbox, "小张", Role.REP))
    await silent_deals(app, clock, wang, COMPANIES[:3])
    clock.set(MONDAY_NINE)
    await outbox_of(app).run_once()
    [held, *_] = [r for r in await alert_rows(app, Kind.NO_STEP_OWNER) + await alert_rows(app, Kind.SILENT_OWNER)
                  if r["held_over"]]
    with pytest.raises(Forbidden):
        await call(app, delivery.open_held, actor=zhang, notification_id=held["id"])
    found = await call(app, delivery.open_held, actor=wang, notification_id=held["id"])
    assert found.text == held["text"]


async def test_no_budget_means_no_holding_over(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    outbox_of(app).store.budget = Budget(per_day=0)
    await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    await silent_deals(app, clock, await member(app, wang_p), COMPANIES[:6])
    seen = len(wang_p.chat())
    clock.set(MONDAY_NINE)
    report = await outbox_of(app).run_once()
    assert len(texts(wang_p, seen)) == 6 and report.held_over == 0


def test_what_never_waits_for_the_next_morning() -> None:
    # Cards with a deadline running, an SLA counted in hours, what the person timed and the digests go
    # whatever the day's count; a silence alert, an escalation or a status notice can wait.
    never = {
        Kind.HANDOFF_CARD, Kind.QUOTE_APPROVAL_CARD, Kind.PAYMENT_CARD, Kind.ASSIST_ASKED, Kind.REMINDER_NUDGE,
        Kind.REPORT_DAILY, Kind.SURVEY_LOW_SCORE, Kind.TICKET_RESPONSE_DUE, Kind.TICKET_RESOLVE_DUE,
        Kind.TICKET_RESPONSE_LATE, Kind.TICKET_RESOLVE_LATE, Kind.QUOTE_APPROVAL_REMINDER, Kind.QUOTE_APPROVAL_OVERDUE,
    }
    may_wait = {Kind.SILENT_OWNER, Kind.SILENT_MANAGER, Kind.FOLLOWUP_ESCALATED, Kind.HANDOFF_ACCEPTED, Kind.POOLED}
    assert {kind for kind in never | may_wait if kind.spec.exempt} == never
