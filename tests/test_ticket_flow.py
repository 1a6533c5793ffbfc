"""Service tickets in chat, on SQLite and PostgreSQL: the manager opens a P1 ticket for a customer in four
taps and a sentence; the deal's owner gets it; with a fake clock the SLA nudges the owner at 75%, tells the
manager at 100% and again at 2x; waiting for the customer pauses the clock over the weekend; resolving gives
the owner the survey link. A nudge still queued when its ticket moved on never goes out."""

from __future__ import annotations

from sqlalchemy import select

from bot.factory import App
from bot.outbox import outbox_of
from bot.sandbox import Sandbox
from bot.sweeps import run_sweeps
from domain.tickets import services as tickets
from domain.tickets.model import TicketStatus
from domain.webhooks.events import FROM_AUDIT
from handlers.tickets.common import TicketAct, TicketCb
from storage.tables import audit_events, notifications
from tests.deal_support import seed_deal
from tests.fakes import FakeClock
from tests.quote_support import buttons_of, crew, notes_to
from tests.ticket_support import open_ticket, shanghai, survey_payload, ticket_row


async def tap(person, data: str):  # type: ignore[no-untyped-def]
    return await person.press_data(data, message_id=person.last.message_id)


async def test_a_p1_ticket_breaching_its_sla_reaches_the_owner_then_the_manager_twice_and_pauses_while_waiting(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    c = await crew(app, sandbox)
    await seed_deal(app, c.rep, "华东科技")

    await c.manager_p.send("/ticket")
    assert "是哪个客户的问题" in c.manager_p.last.text
    await c.manager_p.press("华东科技")
    await c.manager_p.press("故障")
    await c.manager_p.press("P1 紧急")
    await c.manager_p.send("系统登录不了，全公司都用不了")
    card = c.manager_p.last.text
    assert "工单 T-00001 已创建，负责人：小王" in card, card
    assert "首次响应截止：11月26日 周四 11:00" in card and "问题：系统登录不了，全公司都用不了" in card
    assigned = await notes_to(app, c.rep, "ticket.assigned")
    assert len(assigned) == 1 and "T-00001" in assigned[0]["text"] and "李经理" in assigned[0]["text"]

    clock.advance(minutes=45)  # 75% of the hour to answer
    await run_sweeps(app)
    nudges = await notes_to(app, c.rep, "ticket.sla")
    assert len(nudges) == 1 and "还没有响应" in nudges[0]["text"]
    assert await notes_to(app, c.manager, "ticket.sla") == []

    clock.advance(minutes=15)  # the hour is up
    await run_sweeps(app)
    await run_sweeps(app)  # a second run says nothing more
    late = await notes_to(app, c.manager, "ticket.sla")
    assert len(late) == 1 and "首次响应已超时" in late[0]["text"] and "负责人：小王" in late[0]["text"]

    clock.advance(minutes=60)  # twice the limit
    await run_sweeps(app)
    late = await notes_to(app, c.manager, "ticket.sla")
    assert len(late) == 2 and "超时一倍" in late[1]["text"]
    assert "查看工单" in buttons_of(late[1])

    # The rep opens the card from the notice and answers; the resolution clock (12 working hours) runs on.
    await tap(c.rep_p, buttons_of(assigned[0])["查看工单"])
    assert "T-00001" in c.rep_p.last.text and "状态：新建" in c.rep_p.last.text
    await c.rep_p.press("开始处理")
    assert "首次响应已记录" in c.rep_p.last.text and "状态：处理中" in c.rep_p.last.text
    assert "解决截止：11月26日 周四 22:00" not in c.rep_p.last.text  # 12 working hours from 10:00: Friday 10:00
    assert "解决截止：11月27日 周五 10:00" in c.rep_p.last.text

    clock.set(shanghai(26, 19))  # 9 of 12 working hours used: 75%
    await run_sweeps(app)
    assert "快到解决时限" in (await notes_to(app, c.rep, "ticket.sla"))[-1]["text"]

    await c.rep_p.press("等待客户")  # Thursday 19:00: 3 working hours left, paused
    assert "解决时限暂停计时" in c.rep_p.last.text and "还剩 3 小时 0 分" in c.rep_p.last.text
    clock.set(shanghai(28, 20))  # Saturday evening: nothing counted while waiting
    await run_sweeps(app)
    assert len(await notes_to(app, c.manager, "ticket.sla")) == 2

    await c.rep_p.press("客户已回复")  # 1 hour left on Saturday, 2 on Monday morning
    assert "解决截止：11月30日 周一 11:00" in c.rep_p.last.text
    clock.set(shanghai(30, 11))
    await run_sweeps(app)
    late = await notes_to(app, c.manager, "ticket.sla")
    assert len(late) == 3 and "解决已超时" in late[2]["text"]

    await c.rep_p.press("已解决")
    assert "?start=s_" in c.rep_p.last.text and "只能用一次" in c.rep_p.last.text
    payload = survey_payload(c.rep_p)
    assert len(payload) >= 20
    ticket = await ticket_row(app, 1)
    assert ticket.status is TicketStatus.RESOLVED and ticket.check_at is None

    await tap(c.rep_p, TicketCb(act=TicketAct.OPEN, id=1).pack())
    history = c.rep_p.last.text
    for said in ("创建了工单", "开始处理", "转为等待客户", "客户已回复", "首次响应超时，已告知经理", "标记已解决"):
        assert said in history, said

    # The webhooks hear of both ends (from the audit trail).
    async with app.engine.connect() as conn:
        actions = {row[0] for row in await conn.execute(select(audit_events.c.action))}
    assert {"ticket.created", "ticket.resolved"} <= actions
    assert FROM_AUDIT["ticket.created"] == "ticket.created" and FROM_AUDIT["ticket.resolved"] == "ticket.resolved"


async def test_a_rep_sees_only_their_tickets_another_team_none_and_a_repeated_press_acts_once(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    c = await crew(app, sandbox)
    deal_id = await seed_deal(app, c.rep, "华东科技")
    ticket = await open_ticket(app, c.rep, deal_id)
    assert ticket.id is not None

    await c.other_p.send("/tickets")
    assert "这里没有工单" in c.other_p.last.text
    calls = await tap(c.other_p, TicketCb(act=TicketAct.START, id=ticket.id).pack())
    assert any("不是你负责的" in (getattr(call.method, "text", "") or "") for call in calls)

    await c.rep_p.send("/tickets")
    assert "T-00001 华东科技 · 故障 · 新建" in c.rep_p.last.text
    await c.rep_p.press("1. T-00001")
    start = TicketCb(act=TicketAct.START, id=ticket.id).pack()
    await tap(c.rep_p, start)
    calls = await tap(c.rep_p, start)  # the same press again
    assert any("状态已经变了" in (getattr(call.method, "text", "") or "") for call in calls)
    async with app.engine.connect() as conn:
        started = (await conn.execute(select(audit_events.c.id).where(audit_events.c.action == "ticket.started"))).all()
    assert len(started) == 1

    await c.manager_p.send("/tickets")
    await c.manager_p.press("团队")
    assert "T-00001" in c.manager_p.last.text
    await c.manager_p.press("⚠️ 快超时")
    assert "这里没有工单" in c.manager_p.last.text  # answered in time, resolution far away


async def test_sla_notices_still_queued_when_the_ticket_moves_on_never_go_out(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    """The owner's 75% nudge and the manager's alert are queued; the owner answers before the dispatcher
    sends them: neither phone gets them. The same for the resolution marks and waiting for the customer,
    and for the new-ticket card of a ticket the manager resolved overnight."""
    c = await crew(app, sandbox)
    deal_id = await seed_deal(app, c.rep, "华东科技")
    await outbox_of(app).run_once()
    ticket = await open_ticket(app, c.manager, deal_id)
    assert ticket.id is not None
    clock.advance(minutes=45)
    await run_sweeps(app)  # 75%: the owner's nudge
    clock.advance(minutes=15)
    await run_sweeps(app)  # 100%: the manager's alert
    clock.advance(minutes=60)
    await run_sweeps(app)  # 2x: the manager again
    async with app.uow() as uow:
        await tickets.start_work(uow, actor=c.rep, ticket_id=ticket.id, now=clock.now())
        await uow.commit()
    clock.set(shanghai(26, 19, 30))
    await run_sweeps(app)  # the resolution clock at 75%
    clock.set(shanghai(27, 10))
    await run_sweeps(app)  # ... and at 100%
    async with app.uow() as uow:
        await tickets.wait_for_customer(uow, actor=c.rep, ticket_id=ticket.id, now=clock.now())
        await uow.commit()
    await outbox_of(app).run_once()

    rep_texts = [m.text or "" for m in c.rep_p.chat()]
    manager_texts = [m.text or "" for m in c.manager_p.chat()]
    assert any("新售后工单" in text for text in rep_texts)  # the card went out before anything moved on
    assert not any("首次响应" in text and "超时" in text for text in manager_texts)
    assert not any("快到解决时限" in text or "还没有响应" in text for text in rep_texts)
    assert not any("解决已超时" in text for text in manager_texts)
    async with app.engine.connect() as conn:
        rows = (await conn.execute(select(notifications.c.notice, notifications.c.state).where(
            notifications.c.subject_kind == "ticket"))).all()
    states = {notice: str(getattr(state, "value", state)) for notice, state in rows}
    for notice in ("ticket-response-due", "ticket-response-late", "ticket-resolve-due", "ticket-resolve-late"):
        assert states[notice] == "cancelled", notice

    # Overnight: a ticket for the rep queued for 09:00, resolved by the manager at 08:00.
    clock.set(shanghai(27, 22, 30))
    night = await open_ticket(app, c.manager, deal_id, company=None)
    clock.set(shanghai(28, 8))
    async with app.uow() as uow:
        assert night.id is not None
        await tickets.resolve(uow, actor=c.manager, ticket_id=night.id, now=clock.now())
        await uow.commit()
    clock.set(shanghai(28, 9))
    await outbox_of(app).run_once()
    assert not any("T-00002" in (m.text or "") and "交给你处理" in (m.text or "") for m in c.rep_p.chat())
    assert any("T-00002" in (m.text or "") and "已由 李经理 标记解决" in (m.text or "") for m in c.rep_p.chat())
    assert "?start=" not in "".join(m.text or "" for m in c.rep_p.chat()[-3:])  # never a link in the outbox


async def test_a_ticket_in_one_line_answers_the_customer_and_keeps_the_problem(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    c = await crew(app, sandbox)
    deal_id = await seed_deal(app, c.rep, "华东科技")

    # The customer (one of the flow's buttons) at the start, the problem after it: two taps, then Keep.
    await c.rep_p.send("/ticket 华东科技 系统登录不了，显示密码错误")
    assert "新建售后工单</b> · 华东科技" in c.rep_p.last.text and "问题：系统登录不了，显示密码错误" in c.rep_p.last.text
    assert "问题属于哪一类" in c.rep_p.last.text
    await c.rep_p.press("故障")
    await c.rep_p.press("P2 较急")
    assert "问题：系统登录不了，显示密码错误" in c.rep_p.last.text
    await c.rep_p.press("不改，继续")
    assert "工单 T-00001 已创建" in c.rep_p.last.text and "问题：系统登录不了，显示密码错误" in c.rep_p.last.text
    assert (await ticket_row(app, 1)).opportunity_id == deal_id  # linked to the deal, not a name typed

    # No customer named: the whole line is the problem, kept while the customer is asked; typing replaces it.
    await c.rep_p.send("/ticket 打印机卡纸")
    assert "问题：打印机卡纸" in c.rep_p.last.text and "是哪个客户的问题" in c.rep_p.last.text
    await c.rep_p.press("华东科技")
    await c.rep_p.press("咨询")
    await c.rep_p.press("P3 一般")
    await c.rep_p.send("打印模板怎么改")
    assert "工单 T-00002 已创建" in c.rep_p.last.text and "问题：打印模板怎么改" in c.rep_p.last.text
