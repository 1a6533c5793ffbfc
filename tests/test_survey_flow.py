"""Satisfaction surveys, on SQLite and PostgreSQL: the rep resolves a ticket and gets a single-use link;
the customer (no member of any team) opens it, rates in their own language and comments, and nothing else
the bot does works for them; a score of 1-2 reaches the manager at once with the comment and a one-tap
follow-up ticket; forged, reused and expired links and presses are refused; a phone score is recorded."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.factory import App
from bot.sandbox import Sandbox
from handlers.tickets.common import TicketAct, TicketCb
from handlers.tickets.survey import SurveyAct, SurveyCb
from storage.tables import surveys, tickets
from tests.deal_support import alert, screen, seed_deal
from tests.fakes import FakeClock
from tests.quote_support import Crew, buttons_of, crew, notes_to
from tests.ticket_support import open_ticket, survey_payload


async def tap(person, data: str):  # type: ignore[no-untyped-def]
    return await person.press_data(data, message_id=person.last.message_id)


async def resolved_with_link(app: App, c: Crew) -> str:
    """The rep's ticket, resolved from its card: the survey link they got in chat."""
    ticket = await open_ticket(app, c.rep, await seed_deal(app, c.rep, "华东科技"))
    await tap(c.rep_p, TicketCb(act=TicketAct.OPEN, id=ticket.id or 0).pack())
    await c.rep_p.press("已解决")
    return survey_payload(c.rep_p)


async def test_a_stranger_rates_in_their_language_cannot_use_anything_else_and_a_low_score_alerts_the_manager(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    c = await crew(app, sandbox)
    payload = await resolved_with_link(app, c)
    customer = sandbox.person("Mr. Wang", language_code="en")

    await customer.send(f"/start {payload}")
    assert "How satisfied are you" in customer.last.text and "华东科技" in customer.last.text
    await customer.send("/deals")  # nothing else works for them
    assert "invite" in customer.last.text and "华东科技" not in customer.last.text
    await customer.send("where is my order?")
    assert "only for rating" in customer.last.text
    await customer.press("2⭐")
    assert "what went wrong" in screen(customer)
    await customer.send("/tickets")
    assert "invite" in customer.last.text
    await customer.send("Nobody called back for two days")
    assert "Thank you" in customer.last.text and "2/5" in customer.last.text
    await customer.send("/lead")
    assert "invite" in customer.last.text

    # The manager hears at once, with the comment and a button for a follow-up ticket.
    low = await notes_to(app, c.manager, "survey.low")
    assert len(low) == 1, low
    assert "2/5" in low[0]["text"] and "Nobody called back for two days" in low[0]["text"] and "T-00001" in low[0]["text"]
    assert low[0]["urgent"] and "小王" in low[0]["text"]
    follow = buttons_of(low[0])["🛠 开跟进工单"]
    await tap(c.manager_p, follow)
    assert "已开跟进工单" in c.manager_p.last.text and "T-00002" in c.manager_p.last.text
    assert "投诉" in c.manager_p.last.text and "负责人：小王" in c.manager_p.last.text
    await tap(c.manager_p, follow)  # a second tap opens the same ticket
    async with app.engine.connect() as conn:
        assert (await conn.execute(select(func.count()).select_from(tickets))).scalar_one() == 2
    assert len(await notes_to(app, c.rep, "ticket.assigned")) == 1  # the rep owns the follow-up

    # The score shows on the ticket's card.
    await tap(c.rep_p, TicketCb(act=TicketAct.OPEN, id=1).pack())
    assert "满意度：2/5" in c.rep_p.last.text and "客户评价" in c.rep_p.last.text


async def test_forged_reused_expired_and_members_links_are_refused_and_a_phone_score_is_recorded(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    c = await crew(app, sandbox)
    payload = await resolved_with_link(app, c)

    stranger = sandbox.person("路人甲")
    await stranger.send("/start s_forgedforgedforgedforged00")
    assert "评价链接无效" in stranger.last.text
    await stranger.send(f"/start {payload}x")  # one character off
    assert "评价链接无效" in stranger.last.text
    calls = await tap(stranger, SurveyCb(act=SurveyAct.RATE, id=1, score=5).pack())  # a press without the link
    assert "过期" in alert(calls)

    await c.other_p.send(f"/start {payload}")  # a member: to be forwarded, not answered
    assert "请直接转发给客户" in c.other_p.last.text

    customer = sandbox.person("张总")
    await customer.send(f"/start {payload}")
    assert "您满意吗" in customer.last.text
    await customer.press("5⭐")
    await customer.press("提交")
    assert "已收到您的评价（5/5）" in customer.last.text
    assert await notes_to(app, c.manager, "survey.low") == []  # a good score alerts nobody

    again = sandbox.person("张总的同事")
    await again.send(f"/start {payload}")
    assert "已经用过了" in again.last.text
    await customer.send(f"/start {payload}")
    assert "已经用过了" in customer.last.text

    async with app.engine.connect() as conn:
        stored = (await conn.execute(select(surveys.c.token_hash, surveys.c.score))).all()
    assert len(stored) == 1 and stored[0][1] == 5 and payload[2:] not in stored[0][0]  # only a hash is kept

    # A link expires (7 days by default).
    await tap(c.rep_p, TicketCb(act=TicketAct.OPEN, id=1).pack())
    await c.rep_p.press("满意度链接")
    late = survey_payload(c.rep_p)
    assert late != payload
    clock.advance(days=8)
    await sandbox.person("晚来的客户").send(f"/start {late}")
    assert "已过期" in sandbox.person("晚来的客户").last.text

    # The rep writes down a score given on the phone: 1 alerts the manager.
    await tap(c.rep_p, TicketCb(act=TicketAct.OPEN, id=1).pack())
    await c.rep_p.press("电话评分")
    await c.rep_p.press("1⭐")
    assert "已记录电话评分：1/5" in c.rep_p.last.text and "满意度：5/5 · 1/5" not in c.rep_p.last.text
    assert "1/5" in c.rep_p.last.text
    low = await notes_to(app, c.manager, "survey.low")
    assert len(low) == 1 and "电话回访" in low[0]["text"]
