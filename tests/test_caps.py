"""Per-person caps (domain/caps.py): open personal reminders and leads captured per hour, at their edge
(n-1 fine, n fine, n+1 refused with the limit and what to do), per person and not per team, and
refused in chat without losing what was typed. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.factory import App
from bot.sandbox import Sandbox
from domain.caps import LEADS_PER_HOUR, OPEN_REMINDERS, CapReached
from domain.leads import services as lead_service
from domain.leads.model import Lead
from domain.reminders import services as reminder_service
from domain.reminders.model import Reminder, ReminderState
from domain.team.model import Role, User
from tests.conftest import join
from tests.deal_support import alert, hot_lead, member
from tests.fakes import FakeClock


async def hold_reminders(app: App, owner: User, count: int, **fields: object) -> None:
    """`count` open reminders of `owner`, written straight to the table (the cap's count is what's tested)."""
    assert owner.id is not None
    now = app.clock.now()
    async with app.uow() as uow:
        assert uow.session is not None
        uow.session.add_all(
            Reminder(
                user_id=owner.id, team_id=owner.team_id, text=f"回访 {i}", due_at=now + timedelta(days=1, minutes=i),
                created_at=now, **fields,  # type: ignore[arg-type]
            )
            for i in range(count)
        )
        await uow.commit()


async def set_one(app: App, owner: User, text: str = "给华东科技回电话") -> Reminder:
    async with app.uow() as uow:
        reminder = await reminder_service.set_reminder(
            uow, owner=owner, due_at=app.clock.now() + timedelta(hours=2), text=text, now=app.clock.now()
        )
        await uow.commit()
    return reminder


async def test_open_reminders_are_capped_per_person_at_the_edge(app: App, sandbox: Sandbox) -> None:
    limit = OPEN_REMINDERS.limit
    assert limit == 200
    wang = await member(app, await join(app, sandbox, "小王", Role.REP))
    li = await member(app, await join(app, sandbox, "小李", Role.REP))
    await hold_reminders(app, wang, limit - 2)
    # Follow-up next steps, done and cancelled reminders are not personal reminders waiting: not counted.
    await hold_reminders(app, wang, 3, subject_kind="opportunity", subject_id=1)
    await hold_reminders(app, wang, 2, state=ReminderState.DONE)
    await hold_reminders(app, wang, 2, state=ReminderState.CANCELLED)

    await set_one(app, wang)  # the (n-1)th
    await set_one(app, wang)  # the nth
    with pytest.raises(CapReached) as refused:
        await set_one(app, wang)  # the (n+1)th
    assert refused.value.code == "error-cap-reminders" and refused.value.params == {"limit": limit}

    await set_one(app, li)  # the same team, another person: their own count
    async with app.uow() as uow:
        listed = await reminder_service.list_reminders(uow, owner=wang)
    assert listed.total == limit + 3  # the 200 personal ones and the 3 next steps, a page at a time
    first = listed.items[0]

    # Cancelling one makes room again.
    async with app.uow() as uow:
        await reminder_service.cancel_reminder(uow, actor=wang, reminder_id=first.id or 0, now=app.clock.now())
        await uow.commit()
    await set_one(app, wang)


async def test_a_full_reminder_list_is_said_at_once_in_each_language(app: App, sandbox: Sandbox) -> None:
    wang_p = await join(app, sandbox, "小王", Role.REP)
    tom_p = await join(app, sandbox, "Tom", Role.REP, language_code="en")
    await hold_reminders(app, await member(app, wang_p), OPEN_REMINDERS.limit)
    await hold_reminders(app, await member(app, tom_p), OPEN_REMINDERS.limit)

    await wang_p.send("/remind")
    assert "你已经有 200 条待提醒的个人提醒了" in wang_p.last.text and "/reminders" in wang_p.last.text
    await wang_p.send("/reminders")
    assert "共 200 条" in wang_p.last.text
    await wang_p.press("✖️ 1")
    await wang_p.send("/remind")
    assert "什么时候提醒你？" in wang_p.last.text  # room again: the flow opens

    await tom_p.send("/remind")
    assert "You already have 200 personal reminders waiting" in tom_p.last.text and "/reminders" in tom_p.last.text


async def hold_leads(app: App, actor: User, count: int, *, minutes_ago: float) -> None:
    assert actor.id is not None
    at = app.clock.now() - timedelta(minutes=minutes_ago)
    async with app.uow() as uow:
        assert uow.session is not None
        uow.session.add_all(
            Lead(team_id=actor.team_id, created_by=actor.id, company=f"存量客户{i}", company_key=f"存量客户{i}", created_at=at)
            for i in range(count)
        )
        await uow.commit()


async def capture(app: App, actor: User, company: str) -> None:
    async with app.uow() as uow:
        await lead_service.capture_lead(uow, actor=actor, draft=hot_lead(company, keep_myself=True), now=app.clock.now())
        await uow.commit()


async def test_leads_captured_per_hour_are_capped_per_person_at_the_edge(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    limit = LEADS_PER_HOUR.limit
    assert limit == 60 and LEADS_PER_HOUR.window == timedelta(hours=1)
    wang = await member(app, await join(app, sandbox, "小王", Role.REP))
    li = await member(app, await join(app, sandbox, "小李", Role.REP))
    await hold_leads(app, wang, 30, minutes_ago=61)  # more than an hour ago: not counted
    await hold_leads(app, wang, limit - 2, minutes_ago=50)

    await capture(app, wang, "华东科技")  # the (n-1)th of the hour
    await capture(app, wang, "西湖软件")  # the nth
    with pytest.raises(CapReached) as refused:
        await capture(app, wang, "钱塘物流")  # the (n+1)th
    assert refused.value.code == "error-cap-leads" and refused.value.params == {"limit": limit}
    await capture(app, li, "钱塘物流")  # the same team, another person

    clock.advance(minutes=11)  # the 58 from 50 minutes ago leave the hour
    await capture(app, wang, "钱塘物流二部")


async def test_a_capped_capture_keeps_the_lead_on_screen_and_saves_it_later(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    wang_p = await join(app, sandbox, "小王", Role.REP)
    await hold_leads(app, await member(app, wang_p), LEADS_PER_HOUR.limit, minutes_ago=30)
    await wang_p.send("/lead 张三 13800138000 华东科技 官网 预算50万 本月上线")
    summary = wang_p.last
    calls = await wang_p.press("确认保存")
    assert "最近一小时已经录了 60 条线索" in alert(calls) and "内容都还在" in alert(calls)
    assert "华东科技" in summary.text and any("确认保存" in label for label, _ in summary.buttons)

    clock.advance(minutes=31)
    await wang_p.press("确认保存")
    assert "线索已保存：<b>华东科技</b>" in wang_p.last.text
